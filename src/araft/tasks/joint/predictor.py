"""The joint predictor: one forward pass per window gives the words' tags and the sentence's
label probabilities; entity spans on the original text (as NER returns them) and labelled
sentences (as claims returns them) in one Article. And its evaluation: each layer the gold
annotates, scored as its own task scores it."""
from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from araft.corpus.article import Article, Sentence
from araft.corpus.tags import repair_iob2
from araft.inference import Predictor
from araft.modelio import ModelSettings
from araft.tasks.ner.predictor import best_tags, own_words
from araft.tasks.joint.records import JointCollator, JointItem, Layers, encode_item, joint_items
from araft.tasks.claims.blend import TfidfBlending
from araft.tasks.claims.tfidf import TfidfModel
from araft.tasks.claims.thresholds import DEFAULT_THRESHOLD, decide


@dataclass
class JointScores:
    items: list[JointItem]
    tags: list[list[str]]            # per item, per word
    tag_probs: list[list[float]]
    sentence_probs: np.ndarray       # [n_items, n_labels]


class JointPredictor(TfidfBlending, Predictor):
    auto_class = "AutoModelForTokenClassification"  # what plain transformers loads the folder as

    def __init__(self, model, tokenizer, settings: ModelSettings, batch_size: int = 32,
                 device: str | None = None, tfidf: TfidfModel | None = None):
        super().__init__(model, tokenizer, settings, batch_size, device)
        self.labels = list(model.config.sentence_labels)
        self.collate = JointCollator(tokenizer.pad_token_id)
        self.init_tfidf(tfidf)

    @classmethod
    def saved_model(cls, path: str | Path) -> Any:
        from araft.tasks.joint.model import load_joint

        return load_joint(path)

    def score(self, articles: Sequence[Article], layers: Layers = Layers(False, False)) -> JointScores:
        """Tags and sentence probabilities for every sentence of every article; ``layers``: the
        gold the items carry (for evaluation)."""
        import torch

        s = self.settings
        items = joint_items(articles, layers, context=s.context, context_words=s.context_words)
        feats = []
        for k, it in enumerate(items):
            for f in encode_item(self.encoder, [w.text for w in it.words], None, it.prev, it.next,
                                 max_length=s.max_length, stride=s.stride, context=s.context,
                                 label_all=False):
                f["item"] = k
                feats.append(f)
        word_probs = [np.zeros((len(it.words), len(self.id2label)), dtype=np.float32) for it in items]
        sent = np.zeros((len(items), len(self.labels)), dtype=np.float64)
        n_windows = np.zeros(len(items))
        inputs = [{k: f[k] for k in ("input_ids", "token_type_ids") if k in f} for f in feats]
        for rows, out in self.batched_outputs(inputs, self.collate):
            tag_p = torch.softmax(out.logits.float(), dim=-1).cpu().numpy()
            sent_p = torch.sigmoid(out.sentence_logits.float()).cpu().numpy()
            for row, k in enumerate(rows):
                item = feats[k]["item"]
                own_words(word_probs[item], feats[k], tag_p[row])
                sent[item] += sent_p[row]
                n_windows[item] += 1
        sent /= n_windows.clip(min=1)[:, None]
        return JointScores(items, *best_tags(word_probs, self.id2label),
                           self.with_tfidf(sent.astype(np.float32), items, articles))

    def decide(self, probs: np.ndarray) -> np.ndarray:
        return decide(probs, self.labels, True, self.settings.thresholds)

    def to_articles(self, articles: Sequence[Article], scores: JointScores) -> list[Article]:
        """Copies of the articles with predicted entities and labelled sentences (gold replaced)."""
        from araft.clitics import trim_proclitics
        from araft.tasks.ner.words import decode_entities

        ents: list[list] = [[] for _ in articles]
        sents: list[list[Sentence]] = [[] for _ in articles]
        for it, tags, probs, p, yes in zip(scores.items, scores.tags, scores.tag_probs,
                                           scores.sentence_probs, self.decide(scores.sentence_probs)):
            if it.words:
                ents[it.article].extend(decode_entities(it.words, tags, probs))
            sents[it.article].append(Sentence(
                it.span[0], it.span[1], tuple(n for n, on in zip(self.labels, yes) if on),
                {n: float(x) for n, x in zip(self.labels, p)}))
        return [replace(a, entities=trim_proclitics(a.text, e), sentences=s, meta=dict(a.meta))
                for a, e, s in zip(articles, ents, sents)]

    def predict_articles(self, articles: Sequence[Article]) -> list[Article]:
        return self.to_articles(articles, self.score(articles))


def evaluate_joint(predictor: JointPredictor, articles: Sequence[Article], *, n_resamples: int = 1000,
                   seed: int = 0) -> tuple[dict[str, Any], list[Article]]:
    """(metrics per annotated layer under "entities" / "sentences", predicted articles)."""
    from araft.metrics import article_groups, multilabel_report, ner_report
    from araft.tasks.joint.records import file_layers, sentence_targets

    layers = file_layers(articles)
    scores = predictor.score(articles, layers)
    metrics: dict[str, Any] = {"n_sentences": len(scores.items), "n_articles": len(articles)}
    if layers.entities:
        tagged = [(it, repair_iob2(t)) for it, t in zip(scores.items, scores.tags) if it.words]
        ner = ner_report([it.tags for it, _ in tagged], [p for _, p in tagged],
                         n_resamples=n_resamples, seed=seed,
                         groups=article_groups(it.article for it, _ in tagged))
        ner.update(n_sentences=len(tagged), n_words=sum(len(it.tags) for it, _ in tagged))
        metrics["entities"] = ner
    if layers.sentences:
        gold = sentence_targets(scores.items, predictor.labels, articles) == 1
        pred = predictor.decide(scores.sentence_probs)
        sm = multilabel_report(gold.astype(np.int8), pred.astype(np.int8), scores.sentence_probs,
                               predictor.labels, n_resamples=n_resamples, seed=seed,
                               groups=article_groups(it.article for it in scores.items))
        sm.update(labels=list(predictor.labels), multi_label=True, n_sentences=len(scores.items),
                  n_articles=len(articles), n_truncated=0,
                  thresholds={n: predictor.settings.thresholds.get(n, DEFAULT_THRESHOLD)
                              for n in predictor.labels})
        metrics["sentences"] = sm
    return metrics, predictor.to_articles(articles, scores)
