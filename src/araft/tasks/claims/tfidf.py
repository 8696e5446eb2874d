"""TF-IDF + logistic regression over a sentence's own text (scikit-learn): the lexical model a
claims or joint run can fit beside its encoder (task.tfidf_blend), and the project's TF-IDF
baseline (benchmarks.claims_quality).

Features: word 1-2-grams and character 2-5-grams (within words), each TF-IDF with sublinear term
frequency and L2 norm, terms seen in at least 2 train sentences; one logistic regression per label
with balanced class weights, its C chosen on dev (the label's F1 at its best threshold). With
task.tfidf_context, a second stage reads those scores over the sentence's article (tfidf_context).

Saved beside the model's weights as plain data, never a pickle (a pickle runs code when loaded, and
a model folder may come from the Hub): tfidf.json holds the settings and each vectorizer's terms in
column order, tfidf.safetensors the idf weights and the classifiers' coefficients. Loading builds
the vectorizers anew from their terms and idf, so a saved model scores exactly as the fitted one.
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from araft.errors import ConfigError, DataError

log = logging.getLogger(__name__)

SETTINGS_FILE, ARRAYS_FILE = "tfidf.json", "tfidf.safetensors"
FILES = (SETTINGS_FILE, ARRAYS_FILE)  # what a blending model holds beside its weights
FORMAT = 1
CONTEXT_FORMAT = 2  # the files of a model with the article-context stage: older araft refuses them
# (analyzer, n-gram range) of each part, in column order
PARTS = (("word", (1, 2)), ("char_wb", (2, 5)))
MIN_DF = 2
C_GRID = (0.3, 1.0, 3.0, 10.0)


def vectorizer(analyzer: str, ngram_range: Sequence[int], vocabulary: Sequence[str] | None = None):
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(analyzer=analyzer, ngram_range=tuple(ngram_range), sublinear_tf=True,
                           min_df=1 if vocabulary is not None else MIN_DF, vocabulary=vocabulary)


def stacked(vectorizers: Sequence, texts: Sequence[str], fit: bool = False):
    """The texts' TF-IDF of every part side by side (a CSR matrix); ``fit``: fit the vectorizers
    on these texts first."""
    from scipy.sparse import hstack

    return hstack([v.fit_transform(list(texts)) if fit else v.transform(list(texts))
                   for v in vectorizers]).tocsr()


def fit_features(train_texts: Sequence[str]) -> tuple[list, Any]:
    """(the vectorizers fitted on ``train_texts``, their matrix)."""
    vecs = [vectorizer(a, n) for a, n in PARTS]
    return vecs, stacked(vecs, train_texts, fit=True)


def sigmoid(z: np.ndarray) -> np.ndarray:
    return np.exp(-np.logaddexp(0.0, -z))


@dataclass
class TfidfModel:
    labels: list[str]
    vectorizers: list                    # fitted TfidfVectorizers, one per PARTS entry
    coef: np.ndarray                     # [n_labels, n_features], float64
    intercept: np.ndarray                # [n_labels]
    chosen: dict[str, dict[str, float]] = field(default_factory=dict)  # per label: C, dev F1
    dev_probs: np.ndarray | None = None  # after fit: probs() of the dev texts C was chosen on
    # the article-context stage (tfidf_context): coef [n_labels, n_features], intercept [n_labels]
    context: tuple[np.ndarray, np.ndarray] | None = None

    def probs(self, texts: Sequence[str], groups: Sequence[Any] | None = None) -> np.ndarray:
        """[n_texts, n_labels] probabilities. ``groups``: each text's article key (an article's
        sentences consecutive, in text order), which a model with the article-context stage needs."""
        if not len(texts):
            return np.zeros((0, len(self.labels)))
        return self.probs_of(stacked(self.vectorizers, texts), groups)

    def probs_of(self, features, groups: Sequence[Any] | None = None) -> np.ndarray:
        first = sigmoid(np.asarray(features @ self.coef.T) + self.intercept)
        if self.context is None:
            return first
        if groups is None:
            raise ConfigError("this TF-IDF model reads each sentence's article (task.tfidf_context): "
                              "give every sentence's article key")
        from araft.tasks.claims.tfidf_context import apply_context

        return apply_context(first, groups, *self.context)

    def save(self, folder: str | Path) -> None:
        from safetensors.numpy import save_file

        import sklearn

        folder = Path(folder)
        parts = [{"analyzer": a, "ngram_range": list(n),
                  "terms": sorted(v.vocabulary_, key=v.vocabulary_.get)}
                 for (a, n), v in zip(PARTS, self.vectorizers)]
        meta = {"format": FORMAT, "labels": self.labels, "chosen": self.chosen,
                "fitted_with": f"scikit-learn {sklearn.__version__}", "parts": parts}
        arrays = {f"idf.{k}": np.ascontiguousarray(v.idf_) for k, v in enumerate(self.vectorizers)}
        if self.context is not None:
            from araft.tasks.claims.tfidf_context import feature_names

            meta.update(format=CONTEXT_FORMAT, context_features=feature_names(self.labels))
            arrays.update({"context.coef": np.ascontiguousarray(self.context[0]),
                           "context.intercept": np.ascontiguousarray(self.context[1])})
        (folder / SETTINGS_FILE).write_text(json.dumps(meta, ensure_ascii=False) + "\n", encoding="utf-8")
        save_file({**arrays, "coef": np.ascontiguousarray(self.coef),
                   "intercept": np.ascontiguousarray(self.intercept)}, str(folder / ARRAYS_FILE))

    @classmethod
    def load(cls, path: str | Path) -> "TfidfModel":
        """From a model folder or a Hub id (the two files beside config.json)."""
        from safetensors.numpy import load_file
        from transformers.utils import cached_file

        where = {}
        for name in FILES:
            found = cached_file(str(path), name, _raise_exceptions_for_missing_entries=False)
            if found is None:
                raise ConfigError(f"{path}: {name} is missing, but config.json blends the sentence "
                                  f"scores with TF-IDF (araft.tfidf_weight); copy the whole model folder")
            where[name] = found
        from araft.tasks.claims.tfidf_context import feature_names

        try:
            meta = json.loads(Path(where[SETTINGS_FILE]).read_text(encoding="utf-8"))
            arrays = load_file(where[ARRAYS_FILE])
            if meta.get("format") not in (FORMAT, CONTEXT_FORMAT):
                raise ValueError(f"format {meta.get('format')!r}, this araft reads {FORMAT} and {CONTEXT_FORMAT}")
            warn_if_other_sklearn(meta.get("fitted_with"), path)
            vecs = []
            for k, part in enumerate(meta["parts"]):
                v = vectorizer(part["analyzer"], part["ngram_range"], part["terms"])
                v.idf_ = arrays[f"idf.{k}"]
                vecs.append(v)
            model = cls(list(meta["labels"]), vecs, arrays["coef"], arrays["intercept"],
                        meta.get("chosen", {}))
            if model.coef.shape != (len(model.labels), sum(len(v.vocabulary_) for v in vecs)):
                raise ValueError(f"coefficients of shape {model.coef.shape} do not fit the terms")
            if meta["format"] == CONTEXT_FORMAT:
                model.context = (arrays["context.coef"], arrays["context.intercept"])
                if meta.get("context_features") != feature_names(model.labels) or \
                        model.context[0].shape != (len(model.labels), len(meta["context_features"])):
                    raise ValueError("the article-context stage's features are not this araft's")
        except (ValueError, KeyError, TypeError) as err:
            raise ConfigError(f"{path}: {SETTINGS_FILE} / {ARRAYS_FILE} are damaged ({err})") from None
        return model


def warn_if_other_sklearn(fitted_with: str | None, where: Any) -> None:
    """The terms are cut by scikit-learn's analyzers: another version may cut text differently,
    and then the scores drift from those the model was tuned with. Warned, not refused."""
    import sklearn

    here = f"scikit-learn {sklearn.__version__}"
    if fitted_with and fitted_with.split(".")[:2] != here.split(".")[:2]:
        log.warning("%s: the TF-IDF model was fitted with %s, this is %s; if its analyzers changed, "
                    "the sentence scores differ from those the thresholds were tuned on",
                    where, fitted_with, here)


def best_threshold_f1(gold: np.ndarray, scores: np.ndarray) -> float:
    """One label's F1 at its best threshold (araft's own threshold tuning)."""
    from araft.tasks.claims.thresholds import best_threshold, micro_f1

    gold = np.asarray(gold, dtype=bool)
    return micro_f1(gold, scores >= best_threshold(gold, scores))


def fit_tfidf(train_texts: Sequence[str], train_gold: np.ndarray, dev_texts: Sequence[str],
              dev_gold: np.ndarray, labels: Sequence[str], *, source: str | None = None,
              groups: tuple[Sequence[Any], Sequence[Any]] | None = None) -> TfidfModel:
    """Fit on train (texts, binary gold [n, n_labels]); each label's C chosen on dev. A label
    without positive or without negative train sentences cannot be fitted (``source``: the train
    file, for the error). ``groups``: (train, dev) article keys of the texts, to add the
    article-context stage (tfidf_context) on top; dev_probs are then the second stage's."""
    from sklearn.linear_model import LogisticRegression

    train_gold, dev_gold = np.asarray(train_gold, dtype=bool), np.asarray(dev_gold, dtype=bool)
    for k, name in enumerate(labels):
        if train_gold[:, k].all() or not train_gold[:, k].any():
            raise DataError(f"task.tfidf_blend: label {name!r} is on {'every' if train_gold[:, k].all() else 'no'} "
                            "train sentence, so a classifier cannot learn it; set task.tfidf_blend=false",
                            path=source)
    vecs, x_train = fit_features(train_texts)
    x_dev = stacked(vecs, dev_texts)
    coef, intercept = np.zeros((len(labels), x_train.shape[1])), np.zeros(len(labels))
    chosen: dict[str, dict[str, float]] = {}
    for k, name in enumerate(labels):
        best: tuple[Any, ...] | None = None
        for c in C_GRID:
            clf = LogisticRegression(C=c, class_weight="balanced", max_iter=2000)
            clf.fit(x_train, train_gold[:, k])
            f1 = best_threshold_f1(dev_gold[:, k], clf.predict_proba(x_dev)[:, 1])
            if best is None or f1 > best[0]:  # ties keep the smaller C
                best = (f1, c, clf)
        f1, c, clf = best
        coef[k], intercept[k] = clf.coef_[0], clf.intercept_[0]
        chosen[name] = {"C": c, "dev_f1": round(float(f1), 4)}
    model = TfidfModel(list(labels), vecs, coef, intercept, chosen)
    if groups is not None:
        from araft.tasks.claims.tfidf_context import fit_context, out_of_fold

        oof = out_of_fold(x_train, train_gold, groups[0], [chosen[name]["C"] for name in labels])
        model.context = fit_context(oof, train_gold, groups[0])
    # as probs(dev_texts) gives them, without a second pass
    model.dev_probs = model.probs_of(x_dev, groups[1] if groups is not None else None)
    return model
