"""Predictor: text or Articles in, entity spans (original offsets) and sentence labels out.

Windows from all sentences of all articles are sorted by length and batched together, so padding
stays small and any article length works.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from araft.clitics import trim_proclitics
from araft.corpus.article import Article
from araft.encoding import PadCollator, WordEncoder, encode_words
from araft.modelio import ModelSettings, settings_from_config
from araft.preprocessing import WordPreprocessor
from araft.tasks import ner


@dataclass
class WordPredictions:
    sentences: list[ner.SentenceWords]
    tags: list[list[str]]
    probs: list[list[float]]


class ModelRunner:
    """What every task's predictor holds: the model in eval mode on its device, the tokenizer,
    the saved settings, and the word encoder with the model's own preprocessing."""

    def __init__(self, model, tokenizer, settings: ModelSettings, batch_size: int = 32,
                 device: str | None = None):
        import torch

        self.model = model.eval()
        self.tokenizer = tokenizer
        self.settings = settings
        self.batch_size = batch_size
        self.device = device or ("cuda" if torch.cuda.is_available() else "cpu")
        self.model.to(self.device)
        self.encoder = WordEncoder(tokenizer, WordPreprocessor(settings.preprocess))
        self.id2label = {int(k): v for k, v in model.config.id2label.items()}


class Predictor(ModelRunner):
    def __init__(self, model, tokenizer, settings: ModelSettings, batch_size: int = 32,
                 device: str | None = None):
        super().__init__(model, tokenizer, settings, batch_size, device)
        self.collate = PadCollator(tokenizer.pad_token_id)

    @classmethod
    def for_task(cls, model, tokenizer, settings: ModelSettings, **kwargs) -> "Predictor":
        """The predictor for the settings' task around an already loaded model."""
        if settings.task == "claims":
            from araft.tasks.claims import ClaimsPredictor

            return ClaimsPredictor(model, tokenizer, settings, **kwargs)
        return cls(model, tokenizer, settings, **kwargs)

    @classmethod
    def from_pretrained(cls, path: str | Path, **kwargs) -> "Predictor":
        """Load a saved araft model: a model folder, a run directory, or a Hub id."""
        from transformers import AutoConfig, AutoModelForTokenClassification, AutoTokenizer

        from araft.rundir import resolve_model_path

        path = resolve_model_path(path)
        if Path(path).is_dir():  # a Hub id is whole or fails in huggingface_hub
            from araft.modelcheck import check_model_dir

            check_model_dir(path)
        config = AutoConfig.from_pretrained(path)
        settings = settings_from_config(config, where=str(path))
        if settings.task == "claims":
            from araft.tasks.claims import ClaimsPredictor

            return ClaimsPredictor.load(path, settings, **kwargs)
        model = AutoModelForTokenClassification.from_pretrained(path)
        tokenizer = AutoTokenizer.from_pretrained(path)
        return cls(model, tokenizer, settings, **kwargs)

    # -- NER -------------------------------------------------------------------------------
    def predict_words(self, articles: Sequence[Article], with_gold: bool = False) -> WordPredictions:
        """Per-word tags and probabilities for every sentence of every article."""
        import torch

        sents = ner.sentence_words(articles, with_gold=with_gold)
        feats = []
        sentence_ids = self.encoder.sentence_ids([[w.text for w in sw.words] for sw in sents])
        for si, ids in enumerate(sentence_ids):
            for f in encode_words(ids, None, max_length=self.settings.max_length,
                                  stride=self.settings.stride,
                                  cls_id=self.tokenizer.cls_token_id,
                                  sep_id=self.tokenizer.sep_token_id, label_all=False):
                f["sentence"] = si
                feats.append(f)
        probs = [np.zeros((len(s.words), len(self.id2label)), dtype=np.float32) for s in sents]
        order = sorted(range(len(feats)), key=lambda k: len(feats[k]["input_ids"]))
        with torch.inference_mode():
            for b in range(0, len(order), self.batch_size):
                chunk = [feats[k] for k in order[b:b + self.batch_size]]
                batch = self.collate([{"input_ids": f["input_ids"]} for f in chunk])
                batch = {k: v.to(self.device) for k, v in batch.items()}
                logits = self.model(**batch).logits.float()
                p = torch.softmax(logits, dim=-1).cpu().numpy()
                for row, f in enumerate(chunk):
                    first = f["first"]
                    probs[f["sentence"]][f["word_start"]:f["word_start"] + len(first)] = p[row, first]
        tags, tag_probs = [], []
        for p in probs:
            best = p.argmax(-1)
            tags.append([self.id2label[int(i)] for i in best])
            tag_probs.append([float(p[k, i]) for k, i in enumerate(best)])
        return WordPredictions(sents, tags, tag_probs)

    def predict_articles(self, articles: Sequence[Article]) -> list[Article]:
        """Copies of the articles with predicted entities (gold entities are replaced)."""
        return self.to_articles(articles, self.predict_words(articles))

    @staticmethod
    def to_articles(articles: Sequence[Article], wp: WordPredictions) -> list[Article]:
        found: list[list] = [[] for _ in articles]
        for sw, tags, probs in zip(wp.sentences, wp.tags, wp.probs):
            found[sw.article].extend(ner.decode_entities(sw.words, tags, probs))
        # whole-word spans, then proclitics cut off where the article supports it (ANNOTATION.md)
        return [Article(a.id, a.text, trim_proclitics(a.text, ents), a.sentences, dict(a.meta))
                for a, ents in zip(articles, found)]

    def predict(self, text: str, article_id: str = "text") -> Article:
        return self.predict_articles([Article(article_id, text)])[0]
