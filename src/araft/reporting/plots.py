"""Report figures as PNG files (matplotlib's object API on the Agg canvas: no pyplot, no global
backend switch, nothing shown on screen).

Plots carry only Latin text. Matplotlib does no Arabic shaping or bidi, so Arabic glyphs would come
out as disconnected letters in the wrong order; a label with non-ASCII characters is drawn as
"#k" and named in the caption instead (see ascii_names).
"""
from __future__ import annotations

from pathlib import Path
from typing import Mapping, Sequence

import numpy as np

from araft.reporting.curves import Curves

COLORS = ["#3b6ea8", "#d9822b", "#4c9a5a", "#b8476b", "#7a5fa8", "#8a6d3b"]


def ascii_names(names: Sequence[str]) -> tuple[list[str], dict[str, str]]:
    """(names safe to draw, {drawn: original} for those replaced)."""
    drawn, legend = [], {}
    for k, name in enumerate(names):
        if name.isascii() and name.isprintable():
            drawn.append(name)
        else:
            drawn.append(f"#{k + 1}")
            legend[f"#{k + 1}"] = name
    return drawn, legend


def _figure(width: float, height: float):
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=100, layout="constrained")


def _save(fig, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, format="png", metadata={"Software": None})
    return path


def learning_curves(curves: Curves, path: Path) -> Path | None:
    """Training (and eval) loss per step on the left, dev metrics per evaluation on the right."""
    if curves.empty:
        return None
    metrics = [k for k in curves.eval_metrics() if k != "eval_loss"]
    fig = _figure(10 if metrics else 5.5, 3.6)
    axes = fig.subplots(1, 2 if metrics else 1, squeeze=False)[0]
    ax = axes[0]
    if curves.train_loss:
        s, v = zip(*curves.train_loss)
        ax.plot(s, v, color=COLORS[0], label="training loss")
    if "eval_loss" in curves.evals:
        s, v = zip(*curves.evals["eval_loss"])
        ax.plot(s, v, "o-", color=COLORS[1], label="dev loss")
    ax.set(xlabel="step", ylabel="loss", title="Loss")
    ax.grid(alpha=0.3)
    ax.legend()
    if metrics:
        ax = axes[1]
        for k, key in enumerate(metrics):
            s, v = zip(*curves.evals[key])
            ax.plot(s, v, "o-", color=COLORS[k % len(COLORS)], label="dev " + key[len("eval_"):])
        ax.set(xlabel="step", ylabel="score", title="Dev metrics per evaluation", ylim=(-0.02, 1.02))
        ax.grid(alpha=0.3)
        ax.legend()
    return _save(fig, path)


def per_class_f1(per_split: Mapping[str, Mapping[str, dict]], path: Path,
                 what: str = "type") -> Path | None:
    """Grouped bars: F1 per type (or label) per split, 95% intervals as error bars."""
    names = sorted({n for rows in per_split.values() for n in rows})
    if not names:
        return None
    drawn, _ = ascii_names(names)
    splits = list(per_split)
    fig = _figure(max(5.0, 1.2 * len(names) * max(1, len(splits)) * 0.6 + 2), 3.6)
    ax = fig.subplots()
    width = 0.8 / len(splits)
    x = np.arange(len(names))
    for k, split in enumerate(splits):
        rows = per_split[split]
        f1 = np.array([rows.get(n, {}).get("f1") or 0.0 for n in names])
        ci = [rows.get(n, {}).get("f1_ci") or [None, None] for n in names]
        lo = np.array([f - c[0] if c[0] is not None else 0.0 for f, c in zip(f1, ci)])
        hi = np.array([c[1] - f if c[1] is not None else 0.0 for f, c in zip(f1, ci)])
        ax.bar(x + (k - (len(splits) - 1) / 2) * width, f1, width,
               yerr=[np.maximum(lo, 0), np.maximum(hi, 0)], capsize=3,
               color=COLORS[k % len(COLORS)], label=split)
    ax.set_xticks(x, drawn)
    ax.set(ylabel="F1", ylim=(0, 1.05), title=f"F1 per {what} (95% bootstrap interval)")
    ax.grid(axis="y", alpha=0.3)
    ax.legend()
    return _save(fig, path)


def heatmap(rows: Sequence[str], cols: Sequence[str], matrix: Sequence[Sequence[int]], path: Path,
            title: str, xlabel: str, ylabel: str) -> Path:
    data = np.asarray(matrix, dtype=float)
    rows_d, _ = ascii_names(rows)
    cols_d, _ = ascii_names(cols)
    fig = _figure(1.0 + 0.9 * len(cols), 1.0 + 0.7 * len(rows))
    ax = fig.subplots()
    ax.imshow(data, cmap="Blues", vmin=0, vmax=max(1.0, data.max()))
    ax.set_xticks(range(len(cols)), cols_d, rotation=30, ha="right")
    ax.set_yticks(range(len(rows)), rows_d)
    for i in range(data.shape[0]):
        for j in range(data.shape[1]):
            v = int(data[i, j])
            ax.text(j, i, str(v), ha="center", va="center",
                    color="white" if v > data.max() / 2 else "black", fontsize=9)
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    return _save(fig, path)


def two_by_two(tables: Mapping[str, Sequence[Sequence[int]]], path: Path) -> Path | None:
    """One small 2x2 heatmap per label: gold yes/no against predicted yes/no."""
    if not tables:
        return None
    drawn, _ = ascii_names(list(tables))
    fig = _figure(2.6 * len(tables) + 0.4, 2.8)
    axes = fig.subplots(1, len(tables), squeeze=False)[0]
    for ax, name, m in zip(axes, drawn, tables.values()):
        data = np.asarray(m, dtype=float)
        ax.imshow(data, cmap="Blues", vmin=0, vmax=max(1.0, data.max()))
        ax.set_xticks([0, 1], ["yes", "no"])
        ax.set_yticks([0, 1], ["yes", "no"])
        for i in range(2):
            for j in range(2):
                ax.text(j, i, str(int(data[i, j])), ha="center", va="center",
                        color="white" if data[i, j] > data.max() / 2 else "black")
        ax.set(title=name, xlabel="predicted", ylabel="gold")
    return _save(fig, path)


def distribution(per_split: Mapping[str, Mapping[str, int]], path: Path, title: str) -> Path | None:
    """Grouped bars: how many gold entities (or sentences) of each label per split."""
    names = sorted({n for counts in per_split.values() for n in counts})
    if not names:
        return None
    drawn, _ = ascii_names(names)
    splits = list(per_split)
    fig = _figure(max(5.0, 0.9 * len(names) * max(1, len(splits)) * 0.6 + 2), 3.4)
    ax = fig.subplots()
    width = 0.8 / len(splits)
    x = np.arange(len(names))
    for k, split in enumerate(splits):
        vals = [per_split[split].get(n, 0) for n in names]
        bars = ax.bar(x + (k - (len(splits) - 1) / 2) * width, vals, width,
                      color=COLORS[k % len(COLORS)], label=split)
        ax.bar_label(bars, fontsize=8)
    ax.set_xticks(x, drawn)
    ax.set(ylabel="count", title=title)
    ax.grid(axis="y", alpha=0.3)
    ax.legend()
    return _save(fig, path)


def deltas(per_run: Mapping[str, Mapping[str, dict]], path: Path, title: str) -> Path:
    """Forest plot: per metric, each run's difference to the baseline with its interval."""
    runs = list(per_run)
    metrics = list(next(iter(per_run.values())))
    fig = _figure(6.5, 0.5 + 0.45 * len(metrics) * max(1, len(runs)) ** 0.5 + 0.8)
    ax = fig.subplots()
    y = np.arange(len(metrics))[::-1]
    step = 0.6 / max(1, len(runs))
    for k, run in enumerate(runs):
        d = [per_run[run][m] for m in metrics]
        mid = np.array([e["delta"] for e in d])
        lo = np.array([e["delta"] - e["low"] if e["low"] is not None else 0.0 for e in d])
        hi = np.array([e["high"] - e["delta"] if e["high"] is not None else 0.0 for e in d])
        ax.errorbar(mid, y + (k - (len(runs) - 1) / 2) * step,
                    xerr=[np.maximum(lo, 0), np.maximum(hi, 0)], fmt="o", capsize=3,
                    color=COLORS[k % len(COLORS)], label=run)
    ax.axvline(0, color="#555", lw=1)
    ax.set_yticks(y, metrics)
    ax.set(xlabel="difference", title=title)
    ax.grid(axis="x", alpha=0.3)
    ax.legend()
    return _save(fig, path)
