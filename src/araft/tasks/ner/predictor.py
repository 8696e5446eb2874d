"""The NER predictor: per-word tags from the window that owns each word, then entity spans on
the original offsets (proclitics cut off where the article supports it); and its evaluation,
word-level strict IOB2 with intervals over sentences, and over articles where the data has them."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from araft.clitics import trim_proclitics
from araft.corpus.article import Article
from araft.corpus.tags import repair_iob2
from araft.encoding import PadCollator, encode_words
from araft.inference import Predictor
from araft.modelio import ModelSettings
from araft.tasks.ner.words import SentenceWords, decode_entities, sentence_words


@dataclass
class WordPredictions:
    sentences: list[SentenceWords]
    tags: list[list[str]]
    probs: list[list[float]]


class NerPredictor(Predictor):
    auto_class = "AutoModelForTokenClassification"

    def __init__(self, model, tokenizer, settings: ModelSettings, batch_size: int = 32,
                 device: str | None = None):
        super().__init__(model, tokenizer, settings, batch_size, device)
        self.collate = PadCollator(tokenizer.pad_token_id)

    def windows(self, sents: Sequence[SentenceWords]) -> list[dict]:
        """The windows of every sentence (``sentence``: its index), as ``encode_words`` cuts them."""
        feats = []
        sentence_ids = self.encoder.sentence_ids([[w.text for w in sw.words] for sw in sents])
        for si, ids in enumerate(sentence_ids):
            for f in encode_words(ids, None, max_length=self.settings.max_length,
                                  stride=self.settings.stride,
                                  cls_id=self.tokenizer.cls_token_id,
                                  sep_id=self.tokenizer.sep_token_id, label_all=False):
                f["sentence"] = si
                feats.append(f)
        return feats

    def predict_words(self, articles: Sequence[Article], with_gold: bool = False) -> WordPredictions:
        """Per-word tags and probabilities for every sentence of every article."""
        import torch

        sents = sentence_words(articles, with_gold=with_gold)
        feats = self.windows(sents)
        probs = [np.zeros((len(s.words), len(self.id2label)), dtype=np.float32) for s in sents]
        inputs = [{"input_ids": f["input_ids"]} for f in feats]
        for rows, logits in self.batched_logits(inputs, self.collate):
            p = torch.softmax(logits, dim=-1).cpu().numpy()
            for row, k in enumerate(rows):
                own_words(probs[feats[k]["sentence"]], feats[k], p[row])
        return WordPredictions(sents, *best_tags(probs, self.id2label))

    def predict_articles(self, articles: Sequence[Article]) -> list[Article]:
        """Copies of the articles with predicted entities (gold entities are replaced)."""
        return self.to_articles(articles, self.predict_words(articles))

    @staticmethod
    def to_articles(articles: Sequence[Article], wp: WordPredictions) -> list[Article]:
        found: list[list] = [[] for _ in articles]
        for sw, tags, probs in zip(wp.sentences, wp.tags, wp.probs):
            found[sw.article].extend(decode_entities(sw.words, tags, probs))
        # whole-word spans, then proclitics cut off where the article supports it (ANNOTATION.md)
        return [Article(a.id, a.text, trim_proclitics(a.text, ents), a.sentences, dict(a.meta))
                for a, ents in zip(articles, found)]


def own_words(sentence_probs: np.ndarray, window: dict, window_probs: np.ndarray) -> None:
    """Write the tag probabilities of the words a window owns into its sentence's rows."""
    first = window["first"]
    sentence_probs[window["word_start"]:window["word_start"] + len(first)] = window_probs[first]


def best_tags(word_probs: Sequence[np.ndarray], id2label: dict[int, str]
              ) -> tuple[list[list[str]], list[list[float]]]:
    """Per sentence, the arg-max tag of each word and its probability."""
    tags, probs = [], []
    for p in word_probs:
        best = p.argmax(-1)
        tags.append([id2label[int(i)] for i in best])
        probs.append([float(p[k, i]) for k, i in enumerate(best)])
    return tags, probs


def evaluate_ner(predictor: NerPredictor, articles: Sequence[Article], *, n_resamples: int = 1000,
                 seed: int = 0) -> tuple[dict[str, Any], list[Article]]:
    """(metrics with 95% bootstrap intervals over sentences, and over articles where an article
    holds several sentences; predicted articles). Predicted tags are repaired before scoring, so
    the metrics score exactly the spans araft returns."""
    from araft.metrics import article_groups, ner_report

    wp = predictor.predict_words(articles, with_gold=True)
    gold = [sw.gold for sw in wp.sentences]
    pred = [repair_iob2(t) for t in wp.tags]
    metrics = ner_report(gold, pred, n_resamples=n_resamples, seed=seed,
                         groups=article_groups(sw.article for sw in wp.sentences))
    metrics["n_sentences"] = len(gold)
    metrics["n_words"] = sum(len(g) for g in gold)
    return metrics, predictor.to_articles(articles, wp)
