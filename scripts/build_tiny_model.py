"""Build models/arabert-tiny: WordPiece vocabulary, BERT config, MLM pretraining, model card.

    .venv/bin/python -m scripts.build_tiny_model                # full build (about 50 min, 2 threads)
    .venv/bin/python -m scripts.build_tiny_model --no-pretrain --out DIR  # random weights (seconds)

Text comes from the shared data folder (../shared/data from the repo root); see tiny_model/corpus.py
for what is used and what is kept out (ANERcorp dev, AQMAR test, NewsFANE sentences overlapping dev).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
from pathlib import Path

from scripts.tiny_model import corpus as corpus_mod
from scripts.tiny_model.model import count_params, folder_bytes, init_model, make_config, save_model
from scripts.tiny_model.vocab import build_tokenizer

ROOT = Path(__file__).resolve().parents[1]

SEED = 13
VOCAB_SIZE = 10000
SIZE_LIMIT = 25_000_000


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data-dir", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--out", type=Path, default=ROOT / "models" / "arabert-tiny")
    ap.add_argument("--vocab-size", type=int, default=VOCAB_SIZE)
    ap.add_argument("--no-pretrain", action="store_true", help="write random-init weights only")
    ap.add_argument("--threads", type=int, default=2,
                    help="torch CPU threads (the float results, hence the weights, depend on it)")
    ap.add_argument("--budget-min", type=float, default=50.0,
                    help="pretraining wall-time budget in minutes (the learning-rate schedule ends by then)")
    ap.add_argument("--max-steps", type=int, default=None, help="stop after this many steps")
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--force", action="store_true",
                    help="let --no-pretrain replace a pretrained model folder")
    return ap.parse_args(argv)


def seed_everything(seed: int) -> None:
    import numpy as np
    import torch

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True, warn_only=True)


def _is_pretrained(folder: Path) -> bool:
    log = folder / "training_log.json"
    return log.is_file() and bool(json.loads(log.read_text(encoding="utf-8")).get("pretrained"))


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    import torch

    torch.set_num_threads(args.threads)
    seed_everything(args.seed)
    if not args.data_dir.is_dir():
        print(f"error: data folder {args.data_dir} not found", file=sys.stderr)
        return 2
    if args.no_pretrain and not args.force and _is_pretrained(args.out):
        print(f"error: {args.out} holds a pretrained model; --no-pretrain would replace it with random "
              "weights (add --force, or --out elsewhere)", file=sys.stderr)
        return 2
    train, held, stats = corpus_mod.pretraining_text(args.data_dir, args.seed)
    print(json.dumps(stats, ensure_ascii=False), flush=True)

    tmp = args.out.with_name(f"{args.out.name}.building-{os.getpid()}")  # never clash with another build
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    tokenizer = build_tokenizer(train, args.vocab_size, tmp)  # vocabulary from training text only
    model = init_model(make_config(tokenizer), args.seed)
    log: dict = {"seed": args.seed, "threads": args.threads, "corpus": stats,
                 "params": count_params(model), "vocab_size": len(tokenizer), "pretrained": False}
    if not args.no_pretrain:
        from scripts.tiny_model.pretrain import pretrain

        log.update(pretrain(model, tokenizer, train, held, seed=args.seed,
                            budget_s=args.budget_min * 60, max_steps=args.max_steps))
        log["pretrained"] = True
    save_model(model, tokenizer, tmp)
    (tmp / "training_log.json").write_text(json.dumps(log, ensure_ascii=False, indent=1) + "\n",
                                          encoding="utf-8")
    from scripts.tiny_model.tiny_card import write_card

    write_card(tmp, log)
    size = folder_bytes(tmp)
    if size >= SIZE_LIMIT:
        print(f"error: model folder is {size} bytes, over the {SIZE_LIMIT} limit", file=sys.stderr)
        return 1
    shutil.rmtree(args.out, ignore_errors=True)  # replace atomically-ish: never leave a half folder
    tmp.rename(args.out)
    print(f"wrote {args.out} ({size / 1e6:.1f} MB, {log['params']:,} params, vocab {len(tokenizer)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
