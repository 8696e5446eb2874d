"""The fine-tuning table of the embedded models' cards: pretrained vs random initialisation over seeds,
with the paired intervals and a verdict; one rule for both cards (tiny_card.py, card.py)."""
from __future__ import annotations


def finetune_section(log: dict) -> str:
    """Pretrained vs random-init rows recorded under "finetune" by
    `python -m scripts.finetune_tiny --record`."""
    rows = log.get("finetune") or []
    if not rows:
        return "Not measured for this build (`python -m scripts.finetune_tiny --record`)."
    lines = ["| initialisation | dev entity micro F1 [95% CI] | over seeds: mean (sd) | "
             "seed article F1 | command | wall time |", "|---|---|---|---|---|---|"]
    for r in rows:
        spread = (f"{r['dev_f1_mean']:.3f} ({r['dev_f1_sd']:.3f}), seeds "
                  f"{', '.join(map(str, r['seeds']))}" if _seeds(r) > 1 else "-")
        lines.append(f"| {r['init']} | {r['dev_f1']:.3f} [{r['dev_ci'][0]:.3f}, {r['dev_ci'][1]:.3f}] | "
                     f"{spread} | {r.get('seed_f1', float('nan')):.3f} | `{r['command']}` | {r['wall']} |")
    lines.append("")
    if len(rows) >= 2:
        lines.append(_verdict(rows[0], rows[1]))
    lines += [f"- {note}" for note in log.get("notes") or []]
    return "\n".join(lines)


def _seeds(row: dict) -> int:
    return len(row.get("seeds") or [])


def _paired_lines(pre: dict) -> list[str]:
    """Per seed: pretrained minus random on the same dev sentences, paired bootstrap 95% CI."""
    return [f"- seed {g['seed']}: {g['delta']:+.3f} [{g['ci'][0]:+.3f}, {g['ci'][1]:+.3f}], "
            f"p = {g['p_value']:.3f}" for g in pre.get("paired") or []]


def _verdict(pre: dict, rnd: dict) -> str:
    """Pretrained vs random: means over seeds where there are several; "clear" needs every seed's
    paired interval above zero (or, without paired figures, the two runs' intervals apart)."""
    key, over = ("dev_f1_mean", f" (mean over {_seeds(pre)} seeds)") if _seeds(pre) > 1 else ("dev_f1", "")
    gap = pre[key] - rnd[key]
    head = f"Pretrained {pre[key]:.3f} vs random {rnd[key]:.3f} dev micro F1{over}: {gap:+.3f}.\n"
    paired = pre.get("paired") or []
    if paired:
        head += (f"\nPretrained minus random on the same {paired[0]['sentences']} dev sentences, per seed "
                 "(paired bootstrap over sentences, 95% CI, as `araft compare` computes it):\n\n"
                 + "\n".join(_paired_lines(pre)) + "\n\n")
        clear = gap > 0 and all(g["ci"][0] > 0 for g in paired)
    else:
        clear = gap > 0 and pre["dev_ci"][0] > rnd["dev_ci"][1]
    if clear:
        return head + "**The pretrained model is clearly better**: every paired interval lies above zero.\n"
    return head + ("**Pretraining does not clearly help fine-tuning**: the difference is within the "
                   "noise of the dev set or of the seed.\n")
