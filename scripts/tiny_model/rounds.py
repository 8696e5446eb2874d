"""The masked-LM rounds behind a news-pretrained model. A round that continues an earlier news round
keeps that round's whole log under "earlier_rounds" (earliest first), so every card names each round
and the objective comparison, made in the first round, stays with the model."""
from __future__ import annotations

from pathlib import Path

from .silver import read_log


def with_earlier_rounds(log: dict, init_from: Path | None) -> dict:
    """``log`` with the news rounds behind ``init_from`` when it is itself news-pretrained (its log
    has an "objective"; arabert-tiny's has none: it is the start, not a round)."""
    earlier = read_log(Path(init_from)) if init_from else {}
    if "objective" not in earlier:  # no log, or not a news round
        return log
    before = earlier.pop("earlier_rounds", [])
    return dict(log, earlier_rounds=[*before, earlier])


def rounds(log: dict) -> list[dict]:
    """Every news round of the model, earliest first, the log's own last."""
    return [*(log.get("earlier_rounds") or []), log]


def start_of(log: dict) -> str:
    """What the first round started from (arabert-tiny, or random weights)."""
    return rounds(log)[0].get("warm_start") or "random weights"


def comparison_round(log: dict) -> dict:
    """The round whose log holds the objective comparison (and its curve and verdict)."""
    return next((r for r in reversed(rounds(log)) if r.get("objective_comparison")), log)


def threads_text(n: int) -> str:
    return {1: "one CPU thread", 2: "two CPU threads"}.get(n, f"{n} CPU threads")


def rounds_text(log: dict) -> str:
    """'for 55 minutes on one CPU thread', or each round's time when there are several."""
    done = [f"{r['pretrain_wall_s'] / 60:.0f} minutes on {threads_text(r['threads'])} ({r['steps']:,} steps)"
            for r in rounds(log)]
    if len(done) == 1:
        return "for " + done[0]
    count = {2: "two", 3: "three"}.get(len(done), str(len(done)))
    return f"in {count} rounds, each continuing the last: " + ", then ".join(done)


def rounds_table(log: dict) -> str:
    """One row per round: start, steps, tokens, wall time, held-out MLM loss before and after; empty for
    a model of one round."""
    rs = rounds(log)
    if len(rs) == 1:
        return ""
    lines = ["| round | started from | steps | tokens seen | wall time | held-out MLM loss (the round's masks) |",
             "|---|---|---|---|---|---|"]
    loss = lambda d: (d or {}).get("mlm_loss", float("nan"))  # noqa: E731
    for k, r in enumerate(rs, 1):
        start = f"round {k - 1}" if k > 1 else r.get("warm_start") or "random weights"
        lines.append(f"| {k} | {start} | {r['steps']:,} | "
                     f"{r['tokens_seen']:,} | {r['pretrain_wall_s'] / 60:.0f} min, {threads_text(r['threads'])} | "
                     f"{loss(r.get('heldout_before')):.3f} -> {loss(r.get('heldout_after')):.3f} |")
    return "\n".join(lines) + "\n\n"


def rebuild_commands(log: dict, out: str) -> list[str]:
    """The pretrain command of each round, in order; the rounds before the last write to build/."""
    rs, cmds, start = rounds(log), [], f"models/{start_of(log)}"
    for k, r in enumerate(rs, 1):
        dest = out if k == len(rs) else f"build/{Path(out).name}-round{k}"
        cmds.append(f"... pretrain --init-from {start} --objective {r['objective']} --out {dest} "
                    f"--budget-min {round(r['pretrain_wall_s'] / 60)} --threads {r['threads']}")
        start = dest
    return cmds


def build_notes(log: dict) -> str:
    """Each round's steps, machine and note (what ran differently from its command)."""
    rs = rounds(log)
    return " ".join((f"Round {k}: " if len(rs) > 1 else "") + f"{r['steps']:,} steps on {r['machine']}. "
                    + r.get("build_note", "") for k, r in enumerate(rs, 1)).strip()


def earlier_holdback(log: dict) -> str:
    """What an earlier round held back for the claims corpus, when the corpus was smaller then."""
    return "".join(f" Round {k} held back the corpus as it was then: {ex['claims_articles']} articles, "
                   f"{ex['held_back_claims_and_copies']} with their copies."
                   for k, r in enumerate(rounds(log)[:-1], 1)
                   for ex in [r["corpus"]["excluded"]] if ex != log["corpus"]["excluded"])
