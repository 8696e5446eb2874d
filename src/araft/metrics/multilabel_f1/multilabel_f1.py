"""Multi-label sentence classification scores: an `evaluate` metric module shipped inside araft.

Each sentence has a binary vector over the label names (1 = the sentence carries that label).
Precision, recall and F1 come from true/false positive and false negative counts with the same
formulas as seqeval (p = tp/(tp+fp), r = tp/(tp+fn), f1 = 2pr/(p+r), 0.0 where undefined), so that
araft.metrics.bootstrap reproduces them exactly from per-sentence counts. Macro averages run over
*all* labels given (scikit-learn's convention for multi-label: a label never seen still counts).

Loading (evaluate 0.4.6): `evaluate.load(str(dir))` with this file's folder as a str (a Path
raises TypeError); see entity_f1.py for why the script keeps its folder's name and imports only
third-party packages. A local path never touches the Hub, so it loads with HF_HUB_OFFLINE=1.

`scores` and `labels` are keyword arguments of compute(), not features: evaluate takes the input
names from the first feature set only, so an optional input cannot be a feature.
"""
from __future__ import annotations

import datasets
import evaluate
import numpy as np
from sklearn.metrics import average_precision_score, roc_auc_score

_CITATION = """\
@article{scikit-learn,
  title = {Scikit-learn: Machine Learning in {P}ython},
  author = {Pedregosa, F. and others},
  journal = {Journal of Machine Learning Research},
  volume = {12}, pages = {2825--2830}, year = {2011},
}
"""

_DESCRIPTION = """\
Per-label and averaged precision, recall and F1 for multi-label sentence classification, the
exact-match ratio, and per-label ROC-AUC and average precision when scores are given.
"""

_KWARGS_DESCRIPTION = """
Args:
    predictions: list of binary vectors (one per sentence, one 0/1 per label).
    references: list of gold binary vectors, same shape.
    scores: optional array-like [n_sentences, n_labels] of predicted probabilities or scores.
    labels: optional list of label names (default "label_0", "label_1", ...).
Returns:
    micro_precision, micro_recall, micro_f1; macro_precision, macro_recall, macro_f1 (over all labels);
    exact_match: share of sentences whose whole vector is right;
    support: number of gold (sentence, label) pairs;
    per_label: {name: {"precision", "recall", "f1", "support"} plus "roc_auc" and
        "average_precision" when scores are given (None where the gold column has one class only)}.
Example:
    >>> m = evaluate.load("path/to/araft/metrics/multilabel_f1")
    >>> m.compute(predictions=[[1, 0]], references=[[1, 0]], labels=["claim", "obstacle"])["micro_f1"]
    1.0
"""


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """num/den elementwise, 0.0 where den is 0 (seqeval's zero_division=0)."""
    safe = np.where(den == 0, 1, den)
    return np.where(den == 0, 0.0, num / safe)


def _prf(tp: np.ndarray, fp: np.ndarray, fn: np.ndarray):
    p = _ratio(tp, tp + fp)
    r = _ratio(tp, tp + fn)
    den = p + r
    f = 2.0 * p * r / np.where(den == 0, 1.0, den)
    return p, r, f


@evaluate.utils.file_utils.add_start_docstrings(_DESCRIPTION, _KWARGS_DESCRIPTION)
class MultilabelF1(evaluate.Metric):
    def _info(self) -> evaluate.MetricInfo:
        return evaluate.MetricInfo(
            description=_DESCRIPTION,
            citation=_CITATION,
            inputs_description=_KWARGS_DESCRIPTION,
            features=datasets.Features({
                "predictions": datasets.Sequence(datasets.Value("int8")),
                "references": datasets.Sequence(datasets.Value("int8")),
            }),
            reference_urls=["https://scikit-learn.org/stable/modules/model_evaluation.html"],
        )

    def _compute(self, predictions, references, scores=None, labels=None) -> dict:
        y_pred = np.asarray(predictions, dtype=np.int64)
        y_true = np.asarray(references, dtype=np.int64)
        if y_pred.ndim != 2 or y_pred.shape != y_true.shape:
            raise ValueError(f"predictions {y_pred.shape} and references {y_true.shape} must be "
                             "equal-shaped [n_sentences, n_labels] arrays")
        if not np.isin(y_true, (0, 1)).all() or not np.isin(y_pred, (0, 1)).all():
            raise ValueError("predictions and references must be 0/1")
        n_labels = y_true.shape[1]
        names = list(labels) if labels is not None else [f"label_{i}" for i in range(n_labels)]
        if len(names) != n_labels:
            raise ValueError(f"{len(names)} label names for {n_labels} columns")
        tp = (y_true & y_pred).sum(axis=0)
        fp = ((1 - y_true) & y_pred).sum(axis=0)
        fn = (y_true & (1 - y_pred)).sum(axis=0)
        p, r, f = _prf(tp, fp, fn)
        mp, mr, mf = _prf(np.array([tp.sum()]), np.array([fp.sum()]), np.array([fn.sum()]))
        per_label = {
            name: {"precision": float(p[i]), "recall": float(r[i]), "f1": float(f[i]),
                   "support": int(tp[i] + fn[i])}
            for i, name in enumerate(names)
        }
        if scores is not None:
            s = np.asarray(scores, dtype=np.float64)
            if s.shape != y_true.shape:
                raise ValueError(f"scores {s.shape} must have the shape of references {y_true.shape}")
            for i, name in enumerate(names):
                # Ranking metrics need both classes in the gold column; otherwise they are undefined.
                two_classes = 0 < y_true[:, i].sum() < len(y_true)
                per_label[name]["roc_auc"] = (float(roc_auc_score(y_true[:, i], s[:, i]))
                                              if two_classes else None)
                per_label[name]["average_precision"] = (
                    float(average_precision_score(y_true[:, i], s[:, i])) if two_classes else None)
        return {
            "micro_precision": float(mp[0]),
            "micro_recall": float(mr[0]),
            "micro_f1": float(mf[0]),
            "macro_precision": float(np.mean(p)) if n_labels else 0.0,
            "macro_recall": float(np.mean(r)) if n_labels else 0.0,
            "macro_f1": float(np.mean(f)) if n_labels else 0.0,
            "exact_match": float((y_true == y_pred).all(axis=1).mean()) if len(y_true) else 0.0,
            "support": int(tp.sum() + fn.sum()),
            "per_label": per_label,
        }
