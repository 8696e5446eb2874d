"""Scoring a predictor on gold articles, the predictions a run directory keeps, and the headline
lines `araft train` and `araft evaluate` print. What is scored and how is the task's
(araft.tasks.*): the task travels in the model's settings."""
from __future__ import annotations

from typing import Any, Sequence

from araft.corpus.article import Article


def evaluate_task(predictor, articles: Sequence[Article], *, n_resamples: int = 1000,
                  seed: int = 0) -> tuple[dict[str, Any], list[Article]]:
    """(metrics with 95% bootstrap intervals over sentences, predicted articles)."""
    return predictor.task.evaluate(predictor, articles, n_resamples=n_resamples, seed=seed)


def with_gold(predicted: list, gold: list) -> list:
    """Predicted articles carrying their gold annotation in meta["gold"], so a run directory
    alone is enough for reports, error analysis and paired comparisons."""
    out = []
    for pred, ref in zip(predicted, gold):
        g = ref.to_dict()
        pred.meta = {**pred.meta, "gold": {"entities": g["entities"],
                                           "sentences": g.get("sentences")}}
        out.append(pred)
    return out


def headline(metrics: dict[str, Any], task: str | None = None) -> str:
    """One line per evaluated split (and layer, for a task with several), for the end of
    `araft train` and `araft evaluate`. ``task``: the task's name, default metrics["task"]."""
    from araft.tasks.registry import task_named

    task = task or metrics.get("task")
    lines = []
    for name, m in metrics.get("splits", metrics).items():
        if not isinstance(m, dict):
            continue
        parts = task_named(task).layer_metrics(m) if task else [(None, m)]
        for layer, lm in parts:
            label = name if len(parts) == 1 else f"{name} {layer.key}"
            line = _split_line(label, lm)
            if line:
                lines.append(line)
    return "\n".join(lines)


def _split_line(name: str, m: dict[str, Any]) -> str | None:
    if "micro_f1" not in m and "f1" not in m:
        return None
    if m.get("support") == 0:  # nothing to find: an F1 of 0.000 here would mean nothing
        return (f"{name:>8}: no gold annotation, F1 not defined  "
                f"({m.get('n_sentences', '?')} sentences)")
    f1 = m.get("micro_f1", m.get("f1"))
    ci = (m.get("ci") or {}).get("micro_f1")
    ci_txt = f" [{ci[0]:.3f}, {ci[1]:.3f}]" if ci else ""
    art = (m.get("ci_article") or {}).get("micro_f1")
    if art:  # labels cluster by article: the wider interval is the one to quote
        ci_txt += f" (articles [{art[0]:.3f}, {art[1]:.3f}])"
    extra = f"  macro F1 {m['macro_f1']:.3f}" if "macro_f1" in m else ""
    return f"{name:>8}: micro F1 {f1:.3f}{ci_txt}{extra}  ({m.get('n_sentences', '?')} sentences)"
