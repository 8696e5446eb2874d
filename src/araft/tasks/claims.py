"""Claims: sentence classification, multi-label (claim / obstacle / ...) or one label of several
(OBJ / SUBJ).

A sentence's input is its words (the spine, araft.corpus.segment), each preprocessed the model's way
and tokenised once (WordEncoder), concatenated as ``[CLS] ids [SEP]``. With context k, the k
previous and k next sentences of the same article follow as a second segment (token type 1),
``[CLS] sentence [SEP] previous next [SEP]``, cut from their far ends when room runs out. A sentence
longer than the model's limit is truncated, and every such sentence is counted and logged.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from araft.corpus.article import Article, Sentence
from araft.corpus.segment import article_sentences, article_words
from araft.encoding import PadCollator, WordEncoder
from araft.errors import DataError
from araft.inference import ModelRunner
from araft.modelio import ModelSettings, settings_from_config

log = logging.getLogger(__name__)
DEFAULT_THRESHOLD = 0.5


@dataclass
class SentenceItem:
    article: int                    # index of the article in the input list
    span: tuple[int, int]           # sentence offsets in the article text
    words: list[str]
    prev: list[str]                 # context words before (empty without context)
    next: list[str]                 # context words after
    gold: tuple[str, ...] | None    # gold labels when the article is annotated


def sentence_items(articles: Sequence[Article], *, with_gold: bool, context: int = 0,
                   source: str | None = None) -> list[SentenceItem]:
    """Every sentence of every article, in text order. With gold, an article must carry its own
    sentence spans: without them it has no sentence labels, and is refused (never read as 'no
    label anywhere')."""
    out: list[SentenceItem] = []
    for i, art in enumerate(articles):
        if art.sentences is not None:
            spans = sorted((s.start, s.end, s.labels) for s in art.sentences)
        elif with_gold:
            raise DataError("the article has no sentence spans ('sentences' is absent), so it has "
                            "no sentence labels; annotate its sentences (ANNOTATION.md, layer 2) "
                            "or leave it out of the claims data", path=source, article_id=art.id)
        else:
            spans = [(s, e, ()) for s, e in article_sentences(art)]
        words = [[w.text for w in article_words(art, s, e)] for s, e, _ in spans]
        for k, (start, end, labels) in enumerate(spans):
            prev = [w for ws in words[max(0, k - context):k] for w in ws]
            nxt = [w for ws in words[k + 1:k + 1 + context] for w in ws]
            out.append(SentenceItem(i, (start, end), words[k], prev, nxt,
                                    tuple(labels) if with_gold else None))
    return out


def _flat(ids: Sequence[Sequence[int]]) -> list[int]:
    return [t for word in ids for t in word]


def encode_sentence(encoder: WordEncoder, words: Sequence[str], prev: Sequence[str],
                    nxt: Sequence[str], *, max_length: int, context: int) -> tuple[dict, bool]:
    """(features with input_ids [and token_type_ids], whether the sentence itself was truncated).

    The sentence has priority; context fills the room left, split evenly between the two sides
    (a short side leaves its share to the other), and loses its far ends first."""
    tok = encoder.tokenizer
    sent = _flat(encoder.ids(list(words)))
    budget = max_length - (3 if context else 2)
    truncated = len(sent) > budget
    sent = sent[:budget]
    if not context:
        return {"input_ids": [tok.cls_token_id, *sent, tok.sep_token_id]}, truncated
    before, after = _flat(encoder.ids(list(prev))), _flat(encoder.ids(list(nxt)))
    room = budget - len(sent)
    keep_before = min(len(before), max(room // 2, room - len(after)))
    keep_after = min(len(after), room - keep_before)
    first = [tok.cls_token_id, *sent, tok.sep_token_id]
    second = [*before[len(before) - keep_before:], *after[:keep_after], tok.sep_token_id]
    return {"input_ids": first + second,
            "token_type_ids": [0] * len(first) + [1] * len(second)}, truncated


def log_truncated(n_truncated: int, n_total: int, max_length: int, what: str) -> None:
    if n_truncated:
        log.warning("%s: %d of %d sentences are longer than max_length=%d subwords and were "
                    "truncated to it", what, n_truncated, n_total, max_length)


class SentenceCollator:
    """Dynamic padding (PadCollator) plus one label row per sentence: a float multi-hot vector
    (multi-label) or a class index (single label)."""

    def __init__(self, pad_id: int, multi_label: bool):
        self.pad = PadCollator(pad_id)
        self.multi_label = multi_label

    def __call__(self, features: list[dict]) -> dict:
        import torch

        batch = self.pad([{k: v for k, v in f.items() if k != "labels"} for f in features])
        if "labels" in features[0]:
            dtype = torch.float32 if self.multi_label else torch.long
            batch["labels"] = torch.tensor([f["labels"] for f in features], dtype=dtype)
        return batch


def decide(probs: np.ndarray, labels: Sequence[str], multi_label: bool,
           thresholds: dict[str, float]) -> np.ndarray:
    """Binary [n, n_labels] decisions: per-label thresholds (multi-label) or the arg-max."""
    probs = np.asarray(probs)
    if not multi_label:
        out = np.zeros(probs.shape, dtype=bool)
        if len(probs):
            out[np.arange(len(probs)), probs.argmax(-1)] = True
        return out
    cut = np.array([thresholds.get(name, DEFAULT_THRESHOLD) for name in labels])
    return probs >= cut


def best_threshold(gold: np.ndarray, scores: np.ndarray, default: float = DEFAULT_THRESHOLD) -> float:
    """The threshold maximising F1 of one label, among cuts between consecutive distinct scores
    (midpoints, so a score at the border is not a coin flip). Ties go to the threshold nearest the
    default; a label without positives keeps the default."""
    gold = np.asarray(gold, dtype=bool)
    scores = np.asarray(scores, dtype=np.float64)
    n_pos = int(gold.sum())
    if n_pos == 0 or len(scores) == 0:
        return default
    order = np.argsort(-scores, kind="stable")
    s, g = scores[order], gold[order]
    tp = np.cumsum(g)
    f1 = 2.0 * tp / (np.arange(1, len(s) + 1) + n_pos)
    cuts = np.flatnonzero(np.r_[s[1:] < s[:-1], True])  # last item of each group of equal scores
    lower = np.r_[s[1:], 0.0][cuts]
    thresholds = (s[cuts] + lower) / 2.0
    scores_at = f1[cuts]
    best = np.flatnonzero(scores_at >= scores_at.max() - 1e-12)
    pick = best[np.argmin(np.abs(thresholds[best] - default))]
    return float(thresholds[pick])


def tune_thresholds(gold: np.ndarray, probs: np.ndarray, labels: Sequence[str]) -> dict[str, float]:
    out = {}
    for k, name in enumerate(labels):
        if not np.asarray(gold)[:, k].any():
            log.warning("label %r has no positive sentence in dev: its threshold stays %.2f",
                        name, DEFAULT_THRESHOLD)
        out[name] = round(best_threshold(gold[:, k], probs[:, k]), 6)
    return out


def gold_matrix(items: Sequence[SentenceItem], articles: Sequence[Article],
                labels: Sequence[str], source: str | None = None) -> np.ndarray:
    """Binary [n_sentences, n_labels] gold; a label the model does not know is an error."""
    index = {name: k for k, name in enumerate(labels)}
    out = np.zeros((len(items), len(labels)), dtype=bool)
    for row, item in enumerate(items):
        for name in item.gold or ():
            if name not in index:
                raise DataError(f"sentence [{item.span[0]}, {item.span[1]}) has label {name!r}, "
                                f"which the model does not know (labels: {', '.join(labels)})",
                                path=source, article_id=articles[item.article].id)
            out[row, index[name]] = True
    return out


@dataclass
class ClaimsScores:
    items: list[SentenceItem]
    probs: np.ndarray       # [n_sentences, n_labels] probabilities
    n_truncated: int


class ClaimsPredictor(ModelRunner):
    """Sentence labels and per-label probabilities for every sentence of every article."""

    def __init__(self, model, tokenizer, settings: ModelSettings, batch_size: int = 32,
                 device: str | None = None):
        super().__init__(model, tokenizer, settings, batch_size, device)
        self.labels = [self.id2label[k] for k in range(len(self.id2label))]
        self.collate = SentenceCollator(tokenizer.pad_token_id, settings.multi_label)

    @classmethod
    def load(cls, path: str | Path, settings: ModelSettings | None = None,
             **kwargs: Any) -> "ClaimsPredictor":
        """A saved claims model folder; settings default to those in its config.json."""
        from transformers import AutoConfig, AutoModelForSequenceClassification, AutoTokenizer

        if settings is None:
            settings = settings_from_config(AutoConfig.from_pretrained(path), where=str(path))
        model = AutoModelForSequenceClassification.from_pretrained(path)
        return cls(model, AutoTokenizer.from_pretrained(path), settings, **kwargs)

    def score(self, articles: Sequence[Article], *, with_gold: bool = False,
              source: str | None = None) -> ClaimsScores:
        import torch

        items = sentence_items(articles, with_gold=with_gold, context=self.settings.context,
                               source=source)
        feats, n_truncated = [], 0
        for item in items:
            f, cut = encode_sentence(self.encoder, item.words, item.prev, item.next,
                                     max_length=self.settings.max_length,
                                     context=self.settings.context)
            feats.append(f)
            n_truncated += cut
        log_truncated(n_truncated, len(items), self.settings.max_length, "predict")
        probs = np.zeros((len(items), len(self.labels)), dtype=np.float32)
        order = sorted(range(len(feats)), key=lambda k: len(feats[k]["input_ids"]))
        with torch.inference_mode():
            for b in range(0, len(order), self.batch_size):
                rows = order[b:b + self.batch_size]
                batch = {k: v.to(self.device) for k, v in self.collate([feats[k] for k in rows]).items()}
                logits = self.model(**batch).logits.float()
                p = torch.sigmoid(logits) if self.settings.multi_label else torch.softmax(logits, -1)
                probs[rows] = p.cpu().numpy()
        return ClaimsScores(items, probs, n_truncated)

    def decide(self, probs: np.ndarray) -> np.ndarray:
        return decide(probs, self.labels, self.settings.multi_label, self.settings.thresholds)

    def to_articles(self, articles: Sequence[Article], scores: ClaimsScores) -> list[Article]:
        """Copies of the articles whose sentences are the predicted ones (entities kept as given)."""
        chosen = self.decide(scores.probs)
        found: list[list[Sentence]] = [[] for _ in articles]
        for item, p, yes in zip(scores.items, scores.probs, chosen):
            labels = tuple(name for name, on in zip(self.labels, yes) if on)
            found[item.article].append(Sentence(item.span[0], item.span[1], labels,
                                                {n: float(x) for n, x in zip(self.labels, p)}))
        return [replace(a, entities=list(a.entities), sentences=s, meta=dict(a.meta))
                for a, s in zip(articles, found)]

    def predict_articles(self, articles: Sequence[Article]) -> list[Article]:
        """Every sentence labelled: the article's own spans, or the segmenter's when it has none."""
        return self.to_articles(articles, self.score(articles))

    def predict(self, text: str, article_id: str = "text") -> Article:
        return self.predict_articles([Article(article_id, text)])[0]


def evaluate_claims(predictor: ClaimsPredictor, articles: Sequence[Article],
                    n_resamples: int = 1000, seed: int = 0, *,
                    source: str | None = None) -> tuple[dict[str, Any], list[Article]]:
    """(per-label and micro/macro scores with 95% bootstrap intervals over sentences, predicted
    articles). Every article must carry gold sentence spans."""
    from araft.metrics import multilabel_report

    scores = predictor.score(articles, with_gold=True, source=source)
    gold = gold_matrix(scores.items, articles, predictor.labels, source)
    pred = predictor.decide(scores.probs)
    metrics = multilabel_report(gold.astype(np.int8), pred.astype(np.int8), scores.probs,
                                predictor.labels, n_resamples=n_resamples, seed=seed)
    metrics.update({
        "labels": list(predictor.labels),
        "multi_label": predictor.settings.multi_label,
        "thresholds": {n: predictor.settings.thresholds.get(n, DEFAULT_THRESHOLD)
                       for n in predictor.labels} if predictor.settings.multi_label else None,
        "n_sentences": len(scores.items),
        "n_articles": len(articles),
        "n_truncated": scores.n_truncated,
    })
    return metrics, predictor.to_articles(articles, scores)
