"""Predictor: text or Articles in, Articles with the model's predictions out (entity spans on the
original offsets, sentence labels). Each task's predictor extends this base (araft.tasks.*).

Inputs from all sentences of all articles are sorted by length and batched together
(``batched_logits``), so padding stays small and any article length works.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, ClassVar, Iterator, Sequence

from araft.corpus.article import Article
from araft.encoding import WordEncoder
from araft.modelio import ModelSettings, settings_from_config
from araft.preprocessing import WordPreprocessor

if TYPE_CHECKING:
    from araft.tasks.base import Task


def length_order(features: Sequence[dict], batch_size: int) -> list[list[int]]:
    """Row indices of ``features`` in batches, shortest ``input_ids`` first (stable)."""
    order = sorted(range(len(features)), key=lambda k: len(features[k]["input_ids"]))
    return [order[b:b + batch_size] for b in range(0, len(order), batch_size)]


class Predictor(ABC):
    """The model in eval mode on its device, its tokenizer, its saved settings and a word encoder
    with the model's own preprocessing. ``Predictor.from_pretrained`` gives the predictor of the
    model's task, which is always a Predictor."""
    auto_class: ClassVar[str]  # the transformers Auto class its saved models load with

    def __init__(self, model, tokenizer, settings: ModelSettings, batch_size: int = 32,
                 device: str | None = None):
        import torch

        self.model = model.eval()
        self.tokenizer = tokenizer
        self.settings = settings
        self.batch_size = batch_size
        self.device = device or ("cuda" if torch.cuda.is_available() else "cpu")
        self.model.to(self.device)
        self.encoder = WordEncoder(tokenizer, WordPreprocessor(settings.preprocess))
        self.id2label = {int(k): v for k, v in model.config.id2label.items()}

    @property
    def task(self) -> Task:
        from araft.tasks.registry import task_named

        return task_named(self.settings.task)

    @classmethod
    def for_task(cls, model, tokenizer, settings: ModelSettings, **kwargs: Any) -> "Predictor":
        """The predictor for the settings' task around an already loaded model."""
        from araft.tasks.registry import task_named

        return task_named(settings.task).predictor(model, tokenizer, settings, **kwargs)

    @classmethod
    def from_pretrained(cls, path: str | Path, *, tfidf: bool = True, **kwargs: Any) -> "Predictor":
        """Load a saved araft model: a model folder, a run directory, or a Hub id. Called on a
        task's predictor class, a model of another task is refused. ``tfidf=False``: a model that
        blends its sentence scores with TF-IDF scores with its encoder alone (``--no-tfidf``),
        decided before loading, so the TF-IDF model is never read."""
        from transformers import AutoConfig

        from araft.errors import ConfigError
        from araft.rundir import resolve_model_path
        from araft.tasks.registry import task_named

        path = resolve_model_path(path)
        if Path(path).is_dir():  # a Hub id is whole or fails in huggingface_hub
            from araft.modelcheck import check_model_dir

            check_model_dir(path)
        settings = settings_from_config(AutoConfig.from_pretrained(path), where=str(path))
        task = task_named(settings.task)
        if not issubclass(task.predictor_class, cls):
            raise ConfigError(f"{path} holds a {settings.task} model, which "
                              f"{cls.__name__} does not predict")
        if not tfidf:
            settings = task.predictor_class.encoder_alone(settings, str(path))
        return task.load_predictor(path, settings, **kwargs)

    @classmethod
    def load(cls, path: str | Path, settings: ModelSettings | None = None,
             **kwargs: Any) -> "Predictor":
        """This class's predictor of a saved model folder; settings default to its config.json's."""
        from transformers import AutoTokenizer

        model = cls.saved_model(path)
        settings = settings or settings_from_config(model.config, where=str(path))
        return cls(model, AutoTokenizer.from_pretrained(path), settings,
                   **cls.companions(path, settings), **kwargs)

    @classmethod
    def saved_model(cls, path: str | Path) -> Any:
        """The model of a saved folder, as this predictor runs it (``auto_class``). A folder missing
        weights the model needs is refused: a pretrained encoder that carries araft's settings (the
        embedded models do) would otherwise predict with a head of random weights."""
        import transformers

        from araft.loadreport import from_pretrained_whole

        return from_pretrained_whole(getattr(transformers, cls.auto_class), str(path))

    @staticmethod
    def encoder_alone(settings: ModelSettings, where: str) -> ModelSettings:
        """The settings that score with the encoder alone (``--no-tfidf``): only the predictors of
        sentence labels blend with TF-IDF (araft.tasks.claims.blend.TfidfBlending)."""
        from araft.errors import ConfigError

        raise ConfigError(f"--no-tfidf: {where} is a {settings.task} model; only claims and joint "
                          "models blend sentence scores with TF-IDF")

    def without_tfidf(self, where: str = "this model") -> "Predictor":
        """This predictor, from now on scoring with its encoder alone (see ``encoder_alone``)."""
        self.settings = self.encoder_alone(self.settings, where)
        return self

    @staticmethod
    def companions(path: str | Path, settings: ModelSettings) -> dict[str, Any]:
        """Keyword arguments of the predictor read from files beside a saved model's weights
        (e.g. a TF-IDF model, araft.tasks.claims.blend); none by default."""
        return {}

    def batched_outputs(self, inputs: Sequence[dict], collate: Callable[[list[dict]], dict]
                        ) -> Iterator[tuple[list[int], Any]]:
        """(row indices, model outputs) per length-sorted batch of model inputs, without gradients."""
        import torch

        with torch.inference_mode():
            for rows in length_order(inputs, self.batch_size):
                batch = {k: v.to(self.device) for k, v in collate([inputs[k] for k in rows]).items()}
                yield rows, self.model(**batch)

    def batched_logits(self, inputs: Sequence[dict], collate: Callable[[list[dict]], dict]
                       ) -> Iterator[tuple[list[int], Any]]:
        """(row indices, float logits) per length-sorted batch of model inputs, without gradients."""
        for rows, out in self.batched_outputs(inputs, collate):
            yield rows, out.logits.float()

    @abstractmethod
    def predict_articles(self, articles: Sequence[Article]) -> list[Article]:
        """Copies of the articles carrying the model's predictions."""

    def predict(self, text: str, article_id: str = "text") -> Article:
        return self.predict_articles([Article(article_id, text)])[0]
