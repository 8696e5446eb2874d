"""araft: fine-tune AraBERT-family models on annotated Arabic news articles."""
from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["Predictor", "__version__"]


def __getattr__(name: str):
    # Lazy: importing araft must not import torch/transformers for the data commands.
    if name == "Predictor":
        from araft.inference import Predictor

        return Predictor
    raise AttributeError(name)
