"""Claims: sentence classification, multi-label (claim / obstacle / ...) or one label of several
(OBJ / SUBJ).

    sentences.py   records (sentences with context and gold), encoding, collation, gold matrix
    thresholds.py  decisions from probabilities; per-label thresholds tuned on dev
    loss.py        per-label loss weights against class imbalance
    train.py       training inputs: label space, head, features, dev metric, thresholds
    predictor.py   ClaimsPredictor and evaluate_claims
    layer.py       the sentence layer in reports, comparisons and cards
    card.py        the model card's claims text
    task.py        ClaimsTask, the araft.tasks.base.Task these make up
"""
from araft.tasks.claims.task import ClaimsTask

__all__ = ["ClaimsTask"]
