"""The task interface: everything araft needs to know about a task to train, predict, evaluate,
report and publish it. The run, evaluation, predict, reporting and hub code ask the task (or its
layers) and never branch on a task's name.

A **Task** is what a model learns (NER, claims, ...). It owns its label space, its records built
from articles, its model head and training inputs (``prepare``), its predictor, its evaluation,
and the words and code snippets its model card uses. A task is chosen by ``_target_`` in
``configs/task/*.yaml`` (araft.tasks.registry); a saved model names its task in its settings.

A **Layer** is one annotation layer of an Article that a task predicts and scores: the entity
spans, or the labelled sentences. Reports, comparisons and model cards are built per layer, so a
task that predicts both layers with one encoder (the joint task) lists two layers and gets both
reports without new code there. Single-layer tasks keep their metrics flat in each split of
metrics.json; a task with several layers says where each layer's metrics are (``layer_metrics``).
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Iterable, Sequence

if TYPE_CHECKING:  # annotations only: the interface itself imports nothing heavy
    from araft.config import TaskConfig, TrainConfig
    from araft.corpus.article import Article
    from araft.inference import Predictor
    from araft.metrics.bootstrap import EntityCounts
    from araft.modelio import ModelSettings
    from araft.reporting.collect import RunData
    from araft.splits import Splits
    from araft.training import Prepared


@dataclass(frozen=True)
class LayerWords:
    """How reports and cards name a layer's parts (data, not code)."""
    what: str                # a class of the layer: "type" / "label"
    unit: str                # what is counted: "entities" / "labelled sentences"
    no_gold: str             # a split without gold: "no gold entities"
    missing: str             # a file without gold: "has no entity annotations"
    scoring: str             # the report's scoring note: "entity-level, strict IOB2 on words"
    per_key: str             # per-class scores in metrics.json: "per_type" / "per_label"
    exact_metric: str        # the last headline column: "accuracy" / "exact_match"
    distribution_title: str  # "Gold entities per type"
    card_what: str           # "entity type" / "label"
    card_scoring: str        # "entity-level, strict IOB2 (seqeval)"
    card_pooled: str         # what micro pools: "entities" / "labels"
    card_averaged: str       # what macro averages: "types" / "labels"
    hub_task: tuple[str, str]  # model-index (task type, task name)


class Layer(ABC):
    """One annotation layer, read back from a run directory's predictions (which carry their gold
    in meta["gold"]) for reports and comparisons. ``sentences`` are the layer's scored sentences
    (reporting.collect.NerSentence / ClaimsSentence), in evaluation order."""
    key: ClassVar[str]                 # "entities" | "sentences": the Article field it lives in
    words: ClassVar[LayerWords]
    # metric key in metrics.json -> (model-index type, average, readable name)
    card_metrics: ClassVar[dict[str, tuple[str, str, str]]]

    @abstractmethod
    def gold_count(self, articles: Sequence[Article]) -> int:
        """Gold items of this layer in ``articles`` (0: a split cannot select a model)."""

    @abstractmethod
    def read_sentences(self, articles: list[Article], path: str) -> list:
        """The scored sentences of a predictions file, with gold and predicted annotation."""

    @abstractmethod
    def classes_of(self, sentence) -> Iterable[str]:
        """The classes one scored sentence shows, gold and predicted."""

    def label_order(self, seen: set[str], split_metrics: Sequence[dict[str, Any]]) -> list[str]:
        """The classes a report shows, in display order."""
        return sorted(seen)

    @abstractmethod
    def gold_key(self, sentence) -> tuple:
        """What must match for two runs' sentences to be paired in a comparison."""

    @abstractmethod
    def counts(self, sentences: Sequence, labels: Sequence[str]) -> EntityCounts:
        """Per-sentence (tp, fp, fn) per class, for paired bootstraps."""

    @abstractmethod
    def compare_classes(self, named: Sequence[tuple[str, Sequence[str]]]) -> list[str]:
        """The classes runs (letter, their classes) are compared on; AraftError when they cannot
        be compared."""

    @abstractmethod
    def gold_and_predicted(self, sentence) -> tuple[Sequence[str], Sequence[str]]:
        """The classes of one sentence, gold and predicted, as the distribution table counts them."""

    @abstractmethod
    def sizes(self, sentences: Sequence) -> tuple[list[str], list[Any]]:
        """(column names, values) of the data-size table after articles and sentences."""

    @abstractmethod
    def confusion_blocks(self, run: RunData, plot_dir: Path, written: list[Path]) -> list:
        """The report's confusion section (tables and figures; figures appended to written)."""

    @abstractmethod
    def errors(self, sentences: Sequence, labels: Sequence[str], top: int) -> tuple[list, list]:
        """(worst false positives, worst false negatives) as report examples."""

    def per_class_extra(self) -> list[str]:
        """Columns the per-class table adds after support."""
        return []

    def per_class_cells(self, row: dict[str, Any], threshold: Any) -> list:
        return []


class CardText(ABC):
    """What a model card says that depends on the task; the defaults say nothing."""

    def length_note(self, settings: ModelSettings) -> str:
        """After "- max length N subwords": how longer inputs are handled."""
        return ""

    def setup_lines(self, settings: ModelSettings) -> list[str]:
        """Training lines after the labels (e.g. multi-label, context)."""
        return []

    def loss_lines(self, task_config: TaskConfig) -> list[str]:
        """Training lines after the seed (e.g. a weighted loss)."""
        return []

    @abstractmethod
    def finds(self, labels: Sequence[str]) -> str:
        """'Finding <this>, as a research baseline ...'."""

    @abstractmethod
    def limits(self) -> list[str]:
        """Limitation lines of this task's output."""

    @abstractmethod
    def usage(self, repo: str, mode: str, settings: ModelSettings) -> tuple[str, str]:
        """(the loop printing a predicted Article's layer, a plain-transformers example)."""


class Task(ABC):
    """A task. Instances hold no state: the configuration arrives with each call."""
    name: ClassVar[str]                # saved in the model's settings; the registry's key
    title: ClassVar[str]               # the report's subtitle: "NER" / "claims"
    description: ClassVar[str]         # the card's intro: "named-entity recognition"
    pipeline_tag: ClassVar[str]        # transformers pipeline of the saved model
    hub_tags: ClassVar[tuple[str, ...]]
    config_keys: ClassVar[tuple[str, ...]] = ()  # every task.* key it reads, besides name
    reads_extra_train: ClassVar[bool] = False    # whether data.extra_train feeds its training
    layers: ClassVar[tuple[Layer, ...]]
    card: ClassVar[CardText]

    def reads(self, key: str) -> bool:
        """Whether a dotted config key can change this task's run. Not the task.* keys it never
        reads: an experiment that overrides its parent's task keeps the parent's task settings
        (ner_claims_tiny inherits joint_claims_tiny's sentence loss), which say nothing there."""
        return not key.startswith("task.") or key.removeprefix("task.") in ("name", "_target_",
                                                                           *self.config_keys)

    # -- training -----------------------------------------------------------------------------
    @abstractmethod
    def label_space(self, cfg: TrainConfig, train: Sequence[Article],
                    source: str | None = None) -> list[str]:
        """The classes the model's head predicts, from the data config or the train split."""

    @abstractmethod
    def prepare(self, cfg: TrainConfig, splits: Splits) -> Prepared:
        """Model with its head, tokenizer, cached features and the dev metric for the Trainer."""

    # -- prediction and evaluation ------------------------------------------------------------
    # "module.name" of the task's Predictor subclass and of its evaluation function
    # (predictor, articles, *, n_resamples, seed) -> (metrics, predicted articles); imported when
    # first used, so choosing a task loads no model code
    predictor_path: ClassVar[str]
    evaluate_path: ClassVar[str]

    @property
    def predictor_class(self) -> type[Predictor]:
        """The Predictor subclass for this task's models."""
        from araft.importpath import locate

        return locate(self.predictor_path, f"{type(self).__name__}.predictor_path")

    def predictor(self, model, tokenizer, settings: ModelSettings, **kwargs: Any) -> Predictor:
        """The predictor around an already loaded model (e.g. the one just trained)."""
        return self.predictor_class(model, tokenizer, settings, **kwargs)

    def load_predictor(self, path: str | Path, settings: ModelSettings,
                       **kwargs: Any) -> Predictor:
        """The predictor of a saved model folder (or Hub id)."""
        return self.predictor_class.load(path, settings, **kwargs)

    def evaluate(self, predictor: Predictor, articles: Sequence[Article], *,
                 n_resamples: int = 1000, seed: int = 0) -> tuple[dict[str, Any], list[Article]]:
        """(metrics with bootstrap intervals over sentences, predicted articles)."""
        from araft.importpath import locate

        evaluate = locate(self.evaluate_path, f"{type(self).__name__}.evaluate_path")
        return evaluate(predictor, articles, n_resamples=n_resamples, seed=seed)

    def gold_count(self, articles: Sequence[Article]) -> int:
        return sum(layer.gold_count(articles) for layer in self.layers)

    @property
    def no_gold(self) -> str:
        return " and ".join(layer.words.no_gold for layer in self.layers)

    def layer_metrics(self, split_metrics: dict[str, Any]) -> list[tuple[Layer, dict[str, Any]]]:
        """Each layer with its metrics within one split's metrics."""
        (layer,) = self.layers  # several layers: the task says where each one's metrics are
        return [(layer, split_metrics)]

    def labels_from_ids(self, names: Sequence[str]) -> list[str]:
        """The classes a card lists, from the head's labels in id order."""
        return list(names)

    def export_for_hub(self, model_dir: Path, out: Path) -> list[Path]:
        """Folders `araft push` uploads beside the model folder's own files (e.g. standard
        transformers models of a custom one); the tokenizer is copied into each."""
        return []

    @property
    def writes_word_tags(self) -> bool:
        """Whether predictions can be written as CoNLL word tags."""
        return any(layer.key == "entities" for layer in self.layers)
