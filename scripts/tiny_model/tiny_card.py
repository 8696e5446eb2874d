"""Model card (README.md) and MLM loss-curve PNG for models/arabert-tiny, written from the build log.

The fine-tuning table and its verdict are shared with the news model's card (tiny_model/finetune_table.py)."""
from __future__ import annotations

import json
from pathlib import Path

from .finetune_table import finetune_section

SOURCES = [
    ("anercorp_train", "ANERcorp, CAMeL Lab train split (rebuilt), minus its last 10% of sentences",
     "CC BY-SA 4.0", "Benajiba, Rosso & Benedí (2007), CICLing; Obeid et al. (2020), LREC"),
    ("aqmar_train_dev", "AQMAR Arabic Wikipedia NER corpus, train + dev (never test)", "CC BY-SA 3.0",
     "Mohit et al. (2012), EACL"),
    ("newsfane", "NewsFANE Gold 2014 (ANERcorp text re-annotated), part not overlapping the ANERcorp test",
     "CC BY-SA 3.0", "Alotaibi & Lee (2014), COLING"),
]


def plot_curve(curve: list[dict], path: Path) -> bool:
    """Small PNG of training and held-out MLM loss; False when there is no curve (random init)."""
    if not curve:
        return False
    import matplotlib

    matplotlib.use("Agg")  # no display on build machines
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5, 3), dpi=80)
    ax.plot([p["step"] for p in curve], [p["train_loss"] for p in curve], label="train (running mean)")
    held = [p for p in curve if "heldout_loss" in p]
    ax.plot([p["step"] for p in held], [p["heldout_loss"] for p in held], "o-", label="held-out")
    ax.set_xlabel("step")
    ax.set_ylabel("MLM loss")
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return True


def _metrics_table(log: dict) -> str:
    b, a = log["heldout_before"], log["heldout_after"]
    return ("| held-out metric | random init | after pretraining |\n|---|---|---|\n"
            f"| MLM loss (whole-word masks, fixed) | {b['mlm_loss']:.3f} | {a['mlm_loss']:.3f} |\n"
            f"| MLM perplexity | {b['mlm_perplexity']:.0f} | {a['mlm_perplexity']:.1f} |\n"
            f"| pseudo-perplexity (one token masked at a time) | {b['pseudo_perplexity']:.0f} | "
            f"{a['pseudo_perplexity']:.1f} |\n")


def _curve_table(curve: list[dict]) -> str:
    rows = ["| step | epoch | train loss | held-out loss | lr | elapsed (s) |", "|---|---|---|---|---|---|"]
    last = curve[-1]["step"] if curve else 0
    for p in curve:  # a small table: every 500 steps and the last point; the full curve is in the log
        if "heldout_loss" in p and (p["step"] % 500 == 0 or p["step"] == last):
            rows.append(f"| {p['step']} | {p['epoch']} | {p['train_loss']:.3f} | {p['heldout_loss']:.3f} "
                        f"| {p['lr']:.2e} | {p['elapsed_s']:.0f} |")
    return "\n".join(rows) + "\n"


def _threads(log: dict) -> str:
    n = log.get("threads", 1)
    return "one CPU thread" if n == 1 else f"{n} CPU threads"


def _packing(hp: dict) -> str:
    how = ("re-packed in a new random order each epoch" if hp.get("repack_each_epoch")
           else "packed in order")
    return (f"Sentences are {how} into sequences of at most {hp['seq_len']} tokens; masks are redrawn "
            "each epoch.")


def _pretraining_section(log: dict, has_png: bool) -> str:
    if not log.get("pretrained"):
        return ("## Pretraining\n\nNot pretrained: this folder holds **random-init** weights written by "
                "`python -m scripts.build_tiny_model --no-pretrain`. Run `make tiny-model` for the real "
                "build.\n")
    hp = log["hparams"]
    return f"""## Pretraining

Whole-word-masking MLM: {hp['mask_rate']:.0%} of the tokens of each sequence are chosen by whole words
(all WordPieces of a word together); of those, 80% become `[MASK]`, 10% a random token, 10% stay.
{_packing(hp)} The loss is computed on masked positions only. Plain PyTorch loop, CPU,
{_threads(log)}, {'bf16 autocast' if hp.get('bf16') else 'fp32'}, fixed seeds
(seed {log['seed']}: python, numpy, torch; `torch.use_deterministic_algorithms(True)`).

| hyper-parameter | value |
|---|---|
| steps | {log['steps']} (stopped by: {log['stopped_by']}) |
| batch size | {hp['batch_size']} sequences × ≤{hp['seq_len']} tokens |
| optimizer | AdamW, lr {hp['lr']}, weight decay {hp['weight_decay']}, grad clip {hp['grad_clip']} |
| schedule | linear warm-up {hp['warmup_frac']:.0%} of steps, then linear decay to 0 |
| dropout | {hp.get('pretrain_dropout', 0.1)} while pretraining; `config.json` keeps 0.1 for fine-tuning |
| training sequences | {log['train_sequences']} packed sequences (~{log['tokens_seen']:,} token slots seen) |
| wall time | {log['pretrain_wall_s'] / 60:.1f} min on {_threads(log)} |

Why these settings (trials at equal wall time, held-out loss on the same fixed 15% masks): masking
40% of tokens rather than 15% gives more predictions per forward pass (7.29 against 7.40 after 5
minutes); bf16 autocast makes a step about a third cheaper on a CPU with native bf16; new sentence
neighbours every epoch and dropout 0.1 keep the small corpus from being memorised as fixed sequences
(a 55-minute build with fixed packs and no dropout reached training loss 5.8 but held-out 7.16, and
fine-tuned worse than random weights). The previous recipe (15% masks, fp32, fixed packs, no dropout,
one thread, 35 minutes) ended at held-out 7.24; this one reached 6.93 in a 20-minute trial.

### Held-out evaluation

{log['corpus']['heldout_sentences']} held-out sentences (3% of the pretraining sentences, fixed seed); the
same masks are used before and after. Pseudo-perplexity is computed on the first 120 held-out sentences
(at most 64 tokens each).

{_metrics_table(log)}
### MLM loss curve

{'![MLM loss curve](loss_curve.png)' if has_png else ''}

{_curve_table(log['curve'])}
The full curve (every {hp['log_every']} steps, held-out loss every {hp['eval_every']}) is in
`training_log.json`.

### Limitations: what this pretraining buys

Be clear about its strength: the held-out loss ends at {log['heldout_after']['mlm_loss']:.2f} nats, below
a unigram model of the training WordPieces (7.9 nats per token over all held-out tokens, a slightly
different token mix from whole-word masks), so the model does use context. But
{log['pretrain_wall_s'] / 60:.0f} minutes on {_threads(log)} give it only about
{hp['mask_rate'] * log['tokens_seen'] / 1e6:.1f}M masked-token predictions over a corpus of 366k
WordPieces, a tiny fraction of what the base AraBERT models saw. The model is for testing and
demonstrating the toolkit's pipeline and for quick experiments, not for accuracy: use
`aubmindlab/bert-base-arabertv02` for real results. A longer budget (`--budget-min`, `--max-steps`)
or a GPU would give a stronger small model.
"""


def render_card(log: dict, has_png: bool) -> str:
    c = log["corpus"]
    hp = log.get("hparams", {"max_steps": "N"})
    how = ("was random-init only" if not log.get("pretrained") else
           f"ran {log['steps']} steps, ended by {log['stopped_by']}")
    src_rows = "\n".join(
        f"| {desc} | {c['sources'][k]['sentences']:,} | {c['sources'][k]['words']:,} | {lic} | {cite} |"
        for k, desc, lic, cite in SOURCES)
    ex = c["excluded"]
    return f"""---
license: cc-by-sa-4.0
language: ar
library_name: transformers
pipeline_tag: fill-mask
tags: [arabert, bert, tiny, araft]
---
# arabert-tiny

A tiny member of the AraBERT family, embedded in araft so that the toolkit trains, tests and runs
on a fresh machine with no download. It has its own WordPiece vocabulary and its own masked-language
model pretraining, on redistributable Arabic news and Wikipedia text only. It is a test and demo
model: far weaker than `aubmindlab/bert-base-arabertv02`, use that for real results.

| | |
|---|---|
| architecture | BERT (`BertForMaskedLM`), {log['arch']['num_hidden_layers']} layers, hidden {log['arch']['hidden_size']}, {log['arch']['num_attention_heads']} heads, intermediate {log['arch']['intermediate_size']}, max positions {log['arch']['max_position_embeddings']} |
| parameters | {log['params']:,} (fp32 weights, {log['weights_mb']:.1f} MB; folder {log['folder_mb']:.1f} MB) |
| vocabulary | {log['vocab_size']:,} WordPieces (`vocab.txt`, `tokenizer.json`) |
| preprocessing | AraBERT v0.2 rules (`araft.preprocessing.WordPreprocessor("arabertv02")`), stored as `config.araft.preprocess` |
| license | CC BY-SA 4.0 |

## Use

```python
from transformers import AutoTokenizer, AutoModelForMaskedLM
from araft.preprocessing import preprocess_text

tok = AutoTokenizer.from_pretrained("models/arabert-tiny")
model = AutoModelForMaskedLM.from_pretrained("models/arabert-tiny")
mode = model.config.araft["preprocess"]          # "arabertv02"
inputs = tok(preprocess_text("أعلن المبعوث الخاص", mode), return_tensors="pt")
```

Always feed text preprocessed with `config.araft["preprocess"]`: the vocabulary and the pretraining saw
only preprocessed words. `config.araft["max_length"]` ({log['araft']['max_length']}) is the sequence length
it was pretrained at and the default for fine-tuning.

## Corpus

| source | sentences | words | license | cite |
|---|---|---|---|---|
{src_rows}

- Total after AraBERT preprocessing: {c['train_sentences']:,} training sentences ({c['train_words']:,} words)
  and {c['heldout_sentences']:,} held-out sentences ({c['heldout_words']:,} words) for MLM validation.
- Kept out: the last 10% of ANERcorp train sentences by order ({ex['anercorp_dev_excluded']} sentences,
  the project's dev split), the AQMAR test split, the ANERcorp test region (not in the shared data at all),
  and {ex['newsfane_dropped_as_dev']} NewsFANE sentences whose normalised character 12-grams overlap the
  ANERcorp dev sentences by 30% or more (NewsFANE is ANERcorp text re-annotated, in another order).
- NewsFANE is clitic-segmented (`و اكد جلالة ه`); its clitics were glued back (`واكد جلالته`) by rule,
  and its invisible U+200E marks were stripped. Its spelling stays normalised (`المانيا`), so the model
  sees both spellings. The rejoining is heuristic (for example `ك` is read as "like" before `ما`).
- ANERcorp text appears twice in spirit (ANERcorp itself and NewsFANE's re-annotation), which is fine for
  a vocabulary and a tiny MLM but means the corpus is smaller than its word count suggests.
- Licenses: CC BY-SA 3.0 material may be adapted under CC BY-SA 4.0, so the model is released under
  CC BY-SA 4.0 with the attributions above. AraBERT: Antoun, Baly & Hajj (2020), "AraBERT:
  Transformer-based Model for Arabic Language Understanding", OSACT.

## Vocabulary

WordPiece, {log['vocab_size']:,} entries, special tokens `[PAD] [UNK] [CLS] [SEP] [MASK]`, learned from the
preprocessed training sentences only (never the held-out ones). Normaliser and pre-tokeniser as AraBERT:
`BertNormalizer(lowercase=False, strip_accents=False, handle_chinese_chars=False)` and
`BertPreTokenizer`. The merges are learned by a small deterministic trainer
(`scripts/tiny_model/wordpiece.py`, ties broken by the pieces' spelling) because the `tokenizers`
WordPiece trainer breaks ties in hash order and gives a different vocabulary on each run.
Minimum pair frequency 2.

{_pretraining_section(log, has_png)}
## Fine-tuning result

{finetune_section(log)}

## How to rebuild

```
make tiny-model          # = .venv/bin/python -m scripts.build_tiny_model (about 50 min, 2 CPU threads)
.venv/bin/python -m scripts.build_tiny_model --no-pretrain --out /tmp/arabert-tiny-random  # random init, seconds
```

It needs the shared data folder (`../shared/data` from the repo root). The vocabulary is identical on
every rebuild (tested). The weights are close, not always identical: the learning-rate schedule follows
progress = max(steps done / {hp['max_steps']}, time spent / budget), so a machine that keeps ahead of the
budget runs exactly {hp['max_steps']} steps and gives the same weights (same CPU and library versions), while a
slower or busier one ends earlier, after fewer steps, with its schedule still decayed to zero. A CPU
without native bf16 trains in fp32 (about 1.5x slower, so likely ended by the budget) and gives other
weights. This build {how}.
"""


def _folder_facts(out_dir: Path, log: dict) -> dict:
    """Architecture and sizes read from the written folder, so the card states what is really there."""
    config = json.loads((out_dir / "config.json").read_text(encoding="utf-8"))
    weights = (out_dir / "model.safetensors").stat().st_size
    others = sum(p.stat().st_size for p in out_dir.iterdir() if p.is_file() and p.name != "README.md")
    return dict(log, arch=config, araft=config["araft"], weights_mb=weights / 1e6,
                folder_mb=(others + 12_000) / 1e6)  # + the card itself, about 12 kB


def write_card(out_dir: Path, log: dict) -> None:
    has_png = plot_curve(log.get("curve", []), out_dir / "loss_curve.png")
    log = _folder_facts(out_dir, log)
    (out_dir / "README.md").write_text(render_card(log, has_png), encoding="utf-8")


def rewrite_card(model_dir: Path) -> None:
    """Re-render README.md and the PNG from an existing training_log.json (edit the card, not the model)."""
    write_card(model_dir, json.loads((model_dir / "training_log.json").read_text(encoding="utf-8")))
