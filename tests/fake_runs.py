"""A claims run's predictions made from the corpus's gold, for tests of the benchmarks that read runs."""
from __future__ import annotations

import json
from pathlib import Path

from benchmarks.claims_quality import DATA, LABELS


def write_scored_predictions(run_dir: Path, splits=("dev", "test")) -> Path:
    """predictions/<split>.jsonl of ``run_dir``: the gold articles, each sentence scored 0.8 for the
    labels it has and 0.3 for the others (scores that separate the gold)."""
    (run_dir / "predictions").mkdir(parents=True, exist_ok=True)
    for split in splits:
        lines = []
        for line in (DATA / f"{split}.jsonl").read_text(encoding="utf-8").splitlines():
            art = json.loads(line)
            for s in art["sentences"]:
                s["scores"] = {lab: (0.8 if lab in s["labels"] else 0.3) for lab in LABELS}
            lines.append(json.dumps(art, ensure_ascii=False))
        (run_dir / "predictions" / f"{split}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return run_dir
