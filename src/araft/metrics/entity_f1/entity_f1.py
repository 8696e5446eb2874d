"""Entity-level F1 for IOB2 tag sequences: an `evaluate` metric module shipped inside araft.

Scores follow seqeval in strict mode with the IOB2 scheme: an entity counts only when its type and
both boundaries match exactly, and an I- tag that does not continue an entity of the same type
starts nothing (it is dropped, not repaired into a new entity).

Loading (evaluate 0.4.6): `evaluate.load(str(dir))`, where dir is this file's folder.
- Pass a str: evaluate calls path.replace(os.sep, "/"), so a pathlib.Path raises TypeError.
- evaluate looks for `<dir>/<dir name>.py`, so this file must keep the name of its folder.
- It copies the script into its modules cache (HF_MODULES_CACHE) and imports it from there, so the
  script must be self-contained: third-party imports only (seqeval, datasets, evaluate), no
  relative imports and no `araft` imports (araft.metrics.bootstrap reproduces these numbers from
  per-sentence counts instead, and its tests check both agree exactly).
- A local path is never looked up on the Hub, so it loads with HF_HUB_OFFLINE=1 from a clean cache.
"""
from __future__ import annotations

import warnings

import datasets
import evaluate
from seqeval.metrics import accuracy_score, classification_report
from seqeval.scheme import IOB2

_CITATION = """\
@inproceedings{ramshaw-marcus-1995-text,
  title = "Text Chunking using Transformation-Based Learning",
  author = "Ramshaw, Lance and Marcus, Mitch",
  booktitle = "Third Workshop on Very Large Corpora",
  year = "1995",
}
@misc{seqeval,
  title = {{seqeval}: A Python framework for sequence labeling evaluation},
  author = {Hiroki Nakayama},
  year = {2018},
  url = {https://github.com/chakki-works/seqeval},
}
"""

_DESCRIPTION = """\
Entity-level precision, recall and F1 (micro and macro over entity types, and per type) for IOB2
tag sequences, computed by seqeval in strict mode, plus word-level tag accuracy.
"""

_KWARGS_DESCRIPTION = """
Args:
    predictions: list of sentences, each a list of IOB2 tags ("O", "B-PER", "I-PER", ...).
    references: list of sentences of gold IOB2 tags, same shape as predictions.
Returns:
    micro_precision, micro_recall, micro_f1: over all entities pooled.
    macro_precision, macro_recall, macro_f1: unweighted mean over the entity types that occur in the
        references or the predictions (seqeval's convention); 0.0 when there is no entity at all.
    accuracy: share of words whose predicted tag equals the gold tag.
    support: number of gold entities.
    per_type: {type: {"precision", "recall", "f1", "support"}}, types sorted by name.
    Undefined ratios (nothing predicted, nothing gold) are 0.0, as in seqeval.
Example:
    >>> m = evaluate.load("path/to/araft/metrics/entity_f1")
    >>> m.compute(predictions=[["B-PER", "I-PER", "O"]], references=[["B-PER", "I-PER", "O"]])["micro_f1"]
    1.0
"""


@evaluate.utils.file_utils.add_start_docstrings(_DESCRIPTION, _KWARGS_DESCRIPTION)
class EntityF1(evaluate.Metric):
    def _info(self) -> evaluate.MetricInfo:
        return evaluate.MetricInfo(
            description=_DESCRIPTION,
            citation=_CITATION,
            inputs_description=_KWARGS_DESCRIPTION,
            features=datasets.Features({
                "predictions": datasets.Sequence(datasets.Value("string")),
                "references": datasets.Sequence(datasets.Value("string")),
            }),
            reference_urls=["https://github.com/chakki-works/seqeval"],
        )

    def _compute(self, predictions, references) -> dict:
        # seqeval insists on plain lists of lists.
        y_pred = [list(s) for s in predictions]
        y_true = [list(s) for s in references]
        with warnings.catch_warnings():
            # Zero divisions are 0.0 by design (documented above); seqeval's warning adds nothing.
            warnings.simplefilter("ignore")
            report = classification_report(y_true, y_pred, mode="strict", scheme=IOB2,
                                           output_dict=True, zero_division=0)
            accuracy = accuracy_score(y_true, y_pred) if any(y_true) else 0.0
        averages = ("micro avg", "macro avg", "weighted avg")
        per_type = {
            name: {"precision": float(row["precision"]), "recall": float(row["recall"]),
                   "f1": float(row["f1-score"]), "support": int(row["support"])}
            for name, row in sorted(report.items()) if name not in averages
        }
        micro = report["micro avg"]
        # With no entity anywhere, seqeval's macro mean is the mean of nothing (nan): call it 0.0.
        macro = report["macro avg"] if per_type else {"precision": 0.0, "recall": 0.0,
                                                      "f1-score": 0.0}
        return {
            "micro_precision": float(micro["precision"]),
            "micro_recall": float(micro["recall"]),
            "micro_f1": float(micro["f1-score"]),
            "macro_precision": float(macro["precision"]),
            "macro_recall": float(macro["recall"]),
            "macro_f1": float(macro["f1-score"]),
            "accuracy": float(accuracy),
            "support": int(sum(t["support"] for t in per_type.values())),
            "per_type": per_type,
        }
