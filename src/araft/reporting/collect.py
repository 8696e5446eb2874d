"""A run directory read back into plain records: per split, every scored sentence with its gold and
predicted annotation, rebuilt from predictions/<split>.jsonl exactly as evaluation saw it.

NER: the predicted articles keep the sentence spans and word segmentation of the input, and carry
the gold entities in meta["gold"]; projecting both onto the same words (spans_to_tags) gives the
IOB2 tags the metrics were computed on. Claims: the predicted sentences are the gold sentence spans,
with labels and per-label scores; the gold labels are in meta["gold"]["sentences"].
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from araft.corpus.article import Article, Entity
from araft.errors import AraftError, ConfigError, DataError
from araft.runinfo import RunInfo
from araft.tasks.registry import LEGACY_TASK, task_named

if TYPE_CHECKING:
    from araft.tasks.base import Layer

# Splits in display order; any other split name follows, sorted.
SPLIT_ORDER = ("dev", "test", "eval", "seed")


@dataclass(frozen=True)
class Span:
    """An entity on words: word indices [start, end) within its sentence."""
    label: str
    start: int
    end: int
    score: float | None = None

    @property
    def key(self) -> tuple[int, int]:
        return self.start, self.end


@dataclass
class NerSentence:
    article_id: str
    offset: int                     # sentence start in the article text
    text: str                       # the sentence text
    words: list[tuple[int, int]]    # word offsets relative to the sentence
    gold_tags: list[str]
    pred_tags: list[str]
    gold: list[Span]
    pred: list[Span]

    def span_text(self, span: Span) -> str:
        return self.text[self.words[span.start][0]:self.words[span.end - 1][1]]

    def char_span(self, span: Span) -> tuple[int, int]:
        return self.words[span.start][0], self.words[span.end - 1][1]


@dataclass
class ClaimsSentence:
    article_id: str
    offset: int
    text: str
    gold: tuple[str, ...]
    pred: tuple[str, ...]
    scores: dict[str, float] | None


@dataclass
class SplitData:
    name: str
    metrics: dict[str, Any]
    sentences: list                 # NerSentence or ClaimsSentence, in evaluation order
    n_articles: int
    file: str | None = None


@dataclass
class RunData:
    """One annotation layer of a run directory: a task that predicts several layers (entities and
    sentence labels) is read as one RunData per layer (``load_layers``)."""
    root: Path
    task: str                       # the task's name (araft.tasks.registry)
    metrics: dict[str, Any]         # metrics.json as a whole
    info: RunInfo | None            # run.json (absent for `araft evaluate --out`)
    labels: list[str]               # entity types or sentence labels, in display order
    layer: Layer                    # which annotation layer (araft.tasks.base.Layer)
    splits: dict[str, SplitData] = field(default_factory=dict)  # this layer's scores and sentences
    part: str = ""                  # "" for a task's only layer, else "_<layer>" (figure names)

    @property
    def name(self) -> str:
        return self.root.name

    def titled(self, title: str) -> str:
        """A section title, with the layer named when the run has several."""
        return f"{title} ({self.layer.key})" if self.part else title

    def evaluated_settings(self) -> dict[str, Any] | None:
        """What stands in for the config of an `araft evaluate --out` directory (no run.json): the
        model it scored and whether its TF-IDF blend was on (--no-tfidf)."""
        if self.info or self.metrics.get("model") is None:
            return None
        return {"evaluated model": self.metrics["model"],
                "evaluated with TF-IDF blend": self.metrics.get("tfidf_blend", "as saved")}


def split_order(names) -> list[str]:
    known = [n for n in SPLIT_ORDER if n in names]
    return known + sorted(n for n in names if n not in SPLIT_ORDER)


def _load_json(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise DataError(f"invalid JSON: {err.msg}", path=str(path), line=err.lineno) from None


def is_run_dir(path: Path) -> bool:
    return (path / "metrics.json").is_file()


def _word_spans(tags: list[str], entities: list[Entity] | None,
                words: list[tuple[int, int]]) -> list[Span]:
    """IOB2 entities of a sentence, with the score of the predicted entity on the same words."""
    from araft.metrics.bootstrap import iob2_entities

    # keyed by the end: spans never overlap, and a predicted span may start after a proclitic
    # cut off its first word (araft.clitics), but it always ends where its last word does
    scores = {e.end: e.score for e in entities or ()}
    out = []
    for label, start, end in sorted(iob2_entities(tags), key=lambda t: (t[1], t[2])):
        out.append(Span(label, start, end, scores.get(words[end - 1][1])))
    return out


def ner_sentences(articles: list[Article]) -> list[NerSentence]:
    """Gold and predicted tags per sentence, the same sentences and words as evaluation used."""
    from araft.corpus.segment import article_sentences, article_words
    from araft.corpus.tags import spans_to_tags

    out = []
    for art in articles:
        gold_all = [Entity(int(e["start"]), int(e["end"]), str(e["label"]))
                    for e in (art.meta.get("gold") or {}).get("entities") or ()]
        for start, end in article_sentences(art):
            words = article_words(art, start, end)
            if not words:
                continue  # evaluation skips word-less sentences too (tasks.ner.sentence_words)
            gold_in = [e for e in gold_all if e.start < end and e.end > start]
            pred_in = [e for e in art.entities if e.start < end and e.end > start]
            gold_tags = spans_to_tags(words, gold_in)
            pred_tags = spans_to_tags(words, pred_in)
            rel = [(w.start - start, w.end - start) for w in words]
            # predicted scores are keyed by absolute offsets; re-key them relative
            pred_rel = [Entity(e.start - start, e.end - start, e.label, e.score) for e in pred_in]
            out.append(NerSentence(art.id, start, art.text[start:end], rel, gold_tags, pred_tags,
                                   _word_spans(gold_tags, None, rel),
                                   _word_spans(pred_tags, pred_rel, rel)))
    return out


def claims_sentences(articles: list[Article], path: str) -> list[ClaimsSentence]:
    out = []
    for art in articles:
        gold = {(int(s["start"]), int(s["end"])): tuple(s.get("labels") or ())
                for s in (art.meta.get("gold") or {}).get("sentences") or ()}
        for s in sorted(art.sentences or (), key=lambda s: (s.start, s.end)):
            if (s.start, s.end) not in gold:
                raise DataError(f"predicted sentence [{s.start}, {s.end}) has no gold sentence "
                                "in meta['gold']['sentences']", path=path, article_id=art.id)
            out.append(ClaimsSentence(art.id, s.start, art.text[s.start:s.end],
                                      gold[(s.start, s.end)], tuple(s.labels), s.scores))
    return out


def _labels(layer: Layer, splits: dict[str, SplitData]) -> list[str]:
    seen: set[str] = set()
    for split in splits.values():
        m = split.metrics
        seen.update(m.get("labels") or ())
        seen.update((m.get("per_type") or m.get("per_label") or {}).keys())
        for s in split.sentences:
            seen.update(layer.classes_of(s))
    return layer.label_order(seen, [split.metrics for split in splits.values()])


def load_layers(root: str | Path) -> list[RunData]:
    """Read a run directory (from `araft train` or `araft evaluate --out`): one RunData per
    annotation layer its task predicts, in the task's order."""
    from araft.corpus.jsonl import read_jsonl

    root = Path(root)
    if not is_run_dir(root):
        raise AraftError(f"{root}: not a run directory (no metrics.json)")
    metrics = _load_json(root / "metrics.json")
    info = RunInfo.from_dict(_load_json(root / "run.json")) if (root / "run.json").is_file() else None
    name = metrics.get("task") or LEGACY_TASK
    try:
        task = task_named(name)
    except ConfigError:
        raise AraftError(f"{root}: unknown task {name!r} in metrics.json") from None
    per_layer: dict[str, dict[str, SplitData]] = {layer.key: {} for layer in task.layers}
    for split in split_order((metrics.get("splits") or {}).keys()):
        m = metrics["splits"][split]
        path = root / "predictions" / f"{split}.jsonl"
        if not isinstance(m, dict) or not path.is_file():
            continue
        articles = read_jsonl(path)
        if not any("gold" in a.meta for a in articles):
            raise DataError("predictions carry no gold annotation (meta['gold']); re-run the "
                            "evaluation with this version of araft", path=str(path))
        for layer, lm in task.layer_metrics(m):
            per_layer[layer.key][split] = SplitData(split, lm, layer.read_sentences(articles, str(path)),
                                                    len(articles), m.get("file"))
    many = len(task.layers) > 1
    return [RunData(root, name, metrics, info, _labels(layer, per_layer[layer.key]), layer,
                    per_layer[layer.key], f"_{layer.key}" if many else "")
            for layer in task.layers]


def load_run(root: str | Path) -> RunData:
    """The first (for most tasks the only) annotation layer of a run directory."""
    return load_layers(root)[0]
