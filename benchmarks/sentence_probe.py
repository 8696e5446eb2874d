"""What a frozen encoder knows about claim/obstacle sentences: linear probes, against TF-IDF.

    .venv/bin/python -m benchmarks.sentence_probe [--model DIR] [--json out.json]

The encoder is not fine-tuned. Each sentence of data/claims_obstacles is embedded two ways, its
[CLS] state and the mean of its subword states (last layer, the model's own preprocessing, at most
max_length subwords); a balanced logistic regression per label is fit on train and scored on dev
(ROC-AUC, and F1 at the best dev threshold, araft's own tuning), beside TF-IDF + logistic regression
(claims_quality's features) on the same sentences. Dev only: test stays for the systems' comparison.

Why: fine-tuned, the embedded encoder ranks obstacles no better than TF-IDF's n-grams. A probe tells
whether its representation holds the signal at all (then training is at fault) or not (the encoder
is), and whether [CLS], which MLM pretraining never trains, is the bottleneck of the sentence heads.
Run it with a base-size encoder for the comparison that matters. Results: docs/benchmarks.md.
"""
from __future__ import annotations

import argparse
import functools
import json
from pathlib import Path

import numpy as np

from araft.tasks.claims.tfidf import best_threshold_f1
from benchmarks.claims_quality import LABELS, load_split, tfidf_features
from benchmarks.common import ROOT

DEFAULT_MODEL = ROOT / "models" / "arabert-mini-news-silver"


@functools.lru_cache(maxsize=2)
def load(model_dir: Path):
    """(araft settings, tokenizer, encoder in eval mode) of a model folder, loaded once per folder."""
    from transformers import AutoConfig, AutoModel, AutoTokenizer

    from araft.modelio import settings_from_config

    settings = settings_from_config(AutoConfig.from_pretrained(model_dir), where=str(model_dir))
    return settings, AutoTokenizer.from_pretrained(model_dir), AutoModel.from_pretrained(model_dir).eval()


def embed(model_dir: Path, texts: list[str], batch_size: int = 64) -> dict[str, np.ndarray]:
    """[n, hidden] arrays: "cls" (the [CLS] state) and "mean" (mean over the sentence's subwords)."""
    import torch

    from araft.preprocessing import preprocess_text

    settings, tok, model = load(model_dir)
    cls, mean = [], []
    for i in range(0, len(texts), batch_size):
        batch = [preprocess_text(t, settings.preprocess) for t in texts[i:i + batch_size]]
        enc = tok(batch, truncation=True, max_length=settings.max_length, padding=True, return_tensors="pt")
        with torch.no_grad():
            hidden = model(**enc).last_hidden_state
        mask = enc["attention_mask"].unsqueeze(-1).to(hidden.dtype)
        cls.append(hidden[:, 0].numpy())
        mean.append(((hidden * mask).sum(1) / mask.sum(1)).numpy())
    return {"cls": np.concatenate(cls), "mean": np.concatenate(mean)}


def probe(x_train, y_train: np.ndarray, x_dev, y_dev: np.ndarray) -> dict:
    """Balanced logistic regression per label: dev ROC-AUC and F1 at the best dev threshold."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score

    out = {}
    for j, label in enumerate(LABELS):
        clf = LogisticRegression(C=1.0, class_weight="balanced", max_iter=3000).fit(x_train, y_train[:, j])
        p = clf.predict_proba(x_dev)[:, 1]
        out[label] = {"roc_auc": round(float(roc_auc_score(y_dev[:, j] == 1, p)), 3),
                      "f1": round(best_threshold_f1(y_dev[:, j], p), 3)}
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", type=Path, default=DEFAULT_MODEL, help="an encoder folder saved by araft")
    ap.add_argument("--json", type=Path, help="also write the results here")
    args = ap.parse_args(argv)
    train, dev = load_split("train"), load_split("dev")
    tf_train, tf_dev = tfidf_features(train[0], dev[0])
    results = {"TF-IDF (word 1-2 + char 2-5 grams)": probe(tf_train, train[1], tf_dev, dev[1])}
    x_train, x_dev = embed(args.model, train[0]), embed(args.model, dev[0])
    for kind in ("cls", "mean"):
        results[f"{args.model.name} [{kind}], frozen"] = probe(x_train[kind], train[1], x_dev[kind], dev[1])
    print(f"dev: {len(dev[0])} sentences; probes fit on {len(train[0])} train sentences")
    print("| features | claim ROC-AUC | claim F1 | obstacle ROC-AUC | obstacle F1 |\n|---|---|---|---|---|")
    for name, r in results.items():
        print(f"| {name} | {r['claim']['roc_auc']:.3f} | {r['claim']['f1']:.3f} "
              f"| {r['obstacle']['roc_auc']:.3f} | {r['obstacle']['f1']:.3f} |")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
