"""The former name of araft.tasks.ner.train (NER training inputs), kept so scripts that import it
(benchmarks/training.py) still run."""
from araft.tasks.ner.train import entity_types, ner_features, prepare_ner

__all__ = ["entity_types", "ner_features", "prepare_ner"]
