"""The article around a sentence, for the TF-IDF model (task.tfidf_context): a second logistic
regression per label over the first one's logits of the sentence, of its neighbours and of the rest
of its article, and where it stands in the article.

Why: a claim or an obstacle is often recognisable only beside its article (an interview's answers,
a report of talks where every sentence leans on the last one); TF-IDF alone reads one sentence.
Measured in docs/benchmarks.md, "Article context for the TF-IDF model".

The second model must learn from first-stage scores like those it will see at prediction time, on
sentences the first stage did not learn from: the train sentences are scored out of fold (5 folds
of whole articles, each label at the C chosen on dev). The vectorizers are those of the full train
split, so the folds share their vocabulary and idf; only the classifiers are refitted.
"""
from __future__ import annotations

from typing import Any, Hashable, Sequence

import numpy as np

from araft.errors import ConfigError, DataError

FOLDS = 5
TOP = 3  # the article's strongest other sentences, averaged
C_CONTEXT = 1.0
EPS = 1e-6
# per label: the sentence, the previous and the next one, and over the article's other sentences
# the maximum, the mean and the mean of the TOP highest; then where the sentence stands
PER_LABEL = ("own", "previous", "next", "article_max", "article_mean", f"article_top{TOP}")
POSITION = ("relative_position", "is_first", "is_last", "log_article_sentences")


def feature_names(labels: Sequence[str]) -> list[str]:
    return [f"{part}.{label}" for part in PER_LABEL for label in labels] + list(POSITION)


def logits(probs: np.ndarray) -> np.ndarray:
    p = np.clip(np.asarray(probs, dtype=np.float64), EPS, 1 - EPS)
    return np.log(p / (1 - p))


def runs_of(groups: Sequence[Hashable]) -> list[tuple[int, int]]:
    """(start, end) of each run of equal consecutive group keys. A key that comes back after
    another is refused: an article's sentences must be consecutive, in text order."""
    out: list[tuple[int, int]] = []
    seen: set = set()
    start = 0
    for i in range(1, len(groups) + 1):
        if i == len(groups) or groups[i] != groups[start]:
            if groups[start] in seen:
                raise ConfigError(f"article context: the sentences of article {groups[start]!r} are "
                                  "not consecutive; give every article's sentences together, in text order")
            seen.add(groups[start])
            out.append((start, i))
            start = i
    return out


def context_features(probs: np.ndarray, groups: Sequence[Hashable]) -> np.ndarray:
    """[n, len(feature_names)] features of each sentence from the first stage's probabilities
    ``probs`` [n, n_labels]; ``groups``: each sentence's article key, an article's sentences
    consecutive and in text order. A missing neighbour, or the rest of a one-sentence article,
    counts as logit 0."""
    z = logits(probs)
    n, width = z.shape
    if len(groups) != n:
        raise ConfigError(f"article context: {len(groups)} article keys for {n} sentences")
    out = np.zeros((n, 6 * width + len(POSITION)))
    for start, end in runs_of(groups):
        zs, size = z[start:end], end - start
        for j in range(size):
            others = np.delete(zs, j, axis=0)
            if not len(others):
                others = np.zeros((1, width))
            top = -np.sort(-others, axis=0)[:TOP].mean(axis=0)
            prev = zs[j - 1] if j > 0 else np.zeros(width)
            nxt = zs[j + 1] if j + 1 < size else np.zeros(width)
            out[start + j] = [*zs[j], *prev, *nxt, *others.max(axis=0), *others.mean(axis=0), *top,
                              j / size, float(j == 0), float(j == size - 1), np.log(size)]
    return out


def check_articles(n_articles: int, source: str | None = None) -> None:
    """Before training: the out-of-fold scores need whole articles to hold out, so train must
    hold sentence labels in at least 2 (checked again where the folds are drawn)."""
    if n_articles < 2:
        raise DataError(f"task.tfidf_context learns from out-of-fold scores over whole articles, and "
                        f"train has sentence labels in {n_articles} article(s); it needs at least 2 "
                        "(or set task.tfidf_context=false)", path=source)


def out_of_fold(x_train: Any, gold: np.ndarray, groups: Sequence[Hashable],
                cs: Sequence[float]) -> np.ndarray:
    """The first stage's train probabilities, each sentence scored by classifiers fitted on the
    folds without its article (label k at C ``cs[k]``). Fewer articles than FOLDS: one fold each."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    gold = np.asarray(gold, dtype=bool)
    # articles numbered in text order: GroupKFold breaks ties between equal-sized articles by key
    # order, and the folds (so the model) must not depend on what the articles are named
    runs = runs_of(groups)
    keys = np.repeat(np.arange(len(runs)), [end - start for start, end in runs])
    folds = min(FOLDS, len(runs))
    if folds < 2:
        raise ConfigError("article context needs train sentences from at least 2 articles")
    probs = np.zeros(gold.shape)
    for fit_rows, score_rows in GroupKFold(n_splits=folds).split(x_train, groups=keys):
        for k, c in enumerate(cs):
            if gold[fit_rows, k].all() or not gold[fit_rows, k].any():
                probs[score_rows, k] = gold[fit_rows, k].mean()  # a fold holding one class
                continue
            clf = LogisticRegression(C=c, class_weight="balanced", max_iter=2000)
            clf.fit(x_train[fit_rows], gold[fit_rows, k])
            probs[score_rows, k] = clf.predict_proba(x_train[score_rows])[:, 1]
    return probs


def fit_context(train_probs: np.ndarray, gold: np.ndarray,
                groups: Sequence[Hashable]) -> tuple[np.ndarray, np.ndarray]:
    """(coef [n_labels, n_features], intercept [n_labels]) of the second stage, fitted on the
    out-of-fold train probabilities."""
    from sklearn.linear_model import LogisticRegression

    x = context_features(train_probs, groups)
    gold = np.asarray(gold, dtype=bool)
    coef, intercept = np.zeros((gold.shape[1], x.shape[1])), np.zeros(gold.shape[1])
    for k in range(gold.shape[1]):
        clf = LogisticRegression(C=C_CONTEXT, class_weight="balanced", max_iter=5000)
        clf.fit(x, gold[:, k])
        coef[k], intercept[k] = clf.coef_[0], clf.intercept_[0]
    return coef, intercept


def apply_context(probs: np.ndarray, groups: Sequence[Hashable], coef: np.ndarray,
                  intercept: np.ndarray) -> np.ndarray:
    """The second stage's probabilities from the first stage's."""
    if not len(probs):
        return np.zeros((0, coef.shape[0]))
    z = context_features(probs, groups) @ coef.T + intercept
    return np.exp(-np.logaddexp(0.0, -z))
