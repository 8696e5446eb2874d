"""The former name of araft.run (one training run end to end), kept so existing scripts that
``from araft.runner import run_training`` still work."""
from araft.evaluation import headline, with_gold
from araft.run import last_checkpoint, run_training, train_and_evaluate

__all__ = ["headline", "last_checkpoint", "run_training", "train_and_evaluate", "with_gold"]
