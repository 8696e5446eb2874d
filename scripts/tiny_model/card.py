"""Model card (README.md) and curve PNG of models/arabert-mini-news, written from training_log.json.

Every figure comes from the log: the build writes the pretraining part, and
``python -m scripts.finetune_tiny --record`` / ``python -m scripts.news_model_eval`` add the
fine-tuning results.
"""
from __future__ import annotations

import json
from pathlib import Path

from .finetune_table import finetune_section
from .rounds import (build_notes, comparison_round, earlier_holdback, rebuild_commands, rounds, rounds_table,
                     rounds_text, start_of, threads_text)

SOURCES = [
    ("saudinewsnet", "SaudiNewsNet 2015 newswire (14 Saudi newspapers, 18 days); held-back days and the "
     "claims corpus's articles out, sentences de-duplicated", "CC BY-NC-SA 4.0 (research use)",
     "Alhagri (2015), Saudi Newspapers Arabic Corpus (SaudiNewsNet)"),
    ("anercorp_train", "ANERcorp, CAMeL Lab train split (rebuilt), minus its last 10% of sentences",
     "CC BY-SA 4.0", "Benajiba, Rosso & Benedí (2007); Obeid et al. (2020)"),
    ("aqmar_train_dev", "AQMAR Arabic Wikipedia NER corpus, train + dev (never test)", "CC BY-SA 3.0",
     "Mohit et al. (2012)"),
    ("newsfane", "NewsFANE Gold 2014 (ANERcorp text re-annotated), part not overlapping the ANERcorp test",
     "CC BY-SA 3.0", "Alotaibi & Lee (2014)"),
]


def plot_curve(log: dict, path: Path) -> bool:
    """Dev F1 after fine-tuning against pretraining minutes, one line per objective (the comparison
    of the first round, when the model has had several)."""
    log = comparison_round(log)
    points = log.get("objective_comparison") or []
    if not points:
        return False
    import matplotlib

    matplotlib.use("Agg")  # no display on build machines
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5.5, 3.2), dpi=80)
    for obj, label in (("rtd", "ELECTRA replaced-token detection"), ("mlm", "whole-word MLM")):
        pts = sorted((p["minutes"], p[obj]["dev_f1"]) for p in points
                     if obj in p and p.get("start") == log.get("warm_start"))
        if pts:
            ax.plot(*zip(*pts), "o-", label=label)
    if log.get("crf"):
        ax.axhline(log["crf"]["dev_f1"], color="grey", ls="--", label="CRF (word features)")
    ax.set_xlabel(f"minutes of news pretraining after {log.get('warm_start')} (one CPU thread)")
    ax.set_ylabel("ANERcorp dev micro F1")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return True


def _comparison_section(log: dict) -> str:
    points = comparison_round(log).get("objective_comparison") or []
    if not points:
        return "Not measured for this build."
    rows = ["| start | pretraining time | ELECTRA (RTD) dev F1 | MLM dev F1 | RTD - MLM, paired 95% CI |",
            "|---|---|---|---|---|"]
    for p in sorted(points, key=lambda p: (p.get("start", ""), p["minutes"])):
        cell = lambda o: (f"{p[o]['dev_f1']:.3f} [{p[o]['dev_ci'][0]:.3f}, {p[o]['dev_ci'][1]:.3f}]"  # noqa: E731
                          if o in p else "-")
        d = p.get("paired")
        pair = f"{d['delta']:+.3f} [{d['ci'][0]:+.3f}, {d['ci'][1]:+.3f}], p = {d['p_value']:.3f}" if d else "-"
        rows.append(f"| {p.get('start', '-')} | {p['minutes']:.0f} min | {cell('rtd')} | {cell('mlm')} | {pair} |")
    return "\n".join(rows) + "\n"


def _pretraining_section(log: dict) -> str:
    hp = log["hparams"]
    rtd = log["objective"] == "rtd"
    what = ("ELECTRA replaced-token detection (Clark et al., 2020): a generator a quarter of the width "
            f"fills {hp.get('mask_rate', 0.15):.0%} whole-word masks by sampling; this discriminator labels every "
            "token original or replaced (loss = generator MLM + 50 x discriminator). Generator and "
            "discriminator share the embeddings; only the discriminator is kept."
            if rtd else "whole-word masked language modelling (40% of tokens masked by whole words).")
    before, after = log.get("heldout_before") or {}, log["heldout_after"]
    held = ", ".join(f"{k} {before[k]} at the start, {v} at the end" if k in before else f"{k} {v}"
                     for k, v in after.items())
    several = len(rounds(log)) > 1
    last = " (the last round)" if several else ""
    return f"""## Pretraining

{rounds_table(log)}Start{last}: {f"round {len(rounds(log)) - 1}" if several else log.get('warm_start') or 'random weights'}. Objective: {what} Plain PyTorch loop on a CPU, {threads_text(log['threads'])}, fp32, fixed seed
{log['seed']}; sentences re-packed into sequences of at most {hp['seq_len']} tokens in a new random order
every epoch.

| hyper-parameter{last} | value |
|---|---|
| steps | {log['steps']:,} ({log['epochs']} epoch(s) started), batch {hp['batch_size']} x {hp['seq_len']} tokens |
| tokens seen | {log['tokens_seen']:,} |
| optimizer | AdamW, lr {hp['lr']}, weight decay {hp['weight_decay']}, grad clip {hp['grad_clip']} |
| schedule | linear warm-up over {hp['warmup_frac']:.0%} of the wall-time budget, then linear decay to 0 |
| wall time | {log['pretrain_wall_s'] / 60:.1f} min on {threads_text(log['threads'])} |
| machine | {log['machine']} |

Held-out{last} ({log['corpus']['heldout_sentences']:,} sentences of {log['corpus']['excluded']['heldout_articles']}
held-out articles, fixed masks): {held}.
"""


def corpus_rows(corpus: dict) -> str:
    """The corpus table's rows: source, sentences, words, license, citation."""
    return "\n".join(
        f"| {desc} | {corpus['sources'][k]['sentences']:,} | {corpus['sources'][k]['words']:,} | {lic} | {cite} |"
        for k, desc, lic, cite in SOURCES if k in corpus["sources"])


def render_card(log: dict, has_png: bool) -> str:
    c, arch = log["corpus"], log["arch"]
    ex = c["excluded"]
    src_rows = corpus_rows(c)
    fertility = next((r["fertility"] for r in reversed(rounds(log)) if r.get("fertility")), {})
    commands = ", then\n".join(f"`{cmd}`" for cmd in rebuild_commands(log, "models/arabert-mini-news"))
    return f"""---
license: cc-by-nc-sa-4.0
language: ar
library_name: transformers
pipeline_tag: fill-mask
tags: [arabert, bert, mini, news, araft]
---
# arabert-mini-news

A small encoder of the AraBERT family (BERT, the shape of BERT-Mini), embedded in araft so that the
toolkit trains and runs on a fresh machine with no download. It is the masked-LM stage of araft's default
model, `models/arabert-mini-news-silver`, which continues it on CRF-tagged news (its card); the tests
use it as well. **Built by araft's build scripts**, not by AraBERT's authors: `models/{start_of(log)}` (the
project's own BERT, pretrained on redistributable news and Wikipedia text) continued with whole-word
masked language modelling on {c['train_words'] / 1e6:.0f}M words of 2015 Saudi newswire {rounds_text(log)}
(`scripts/build_news_model.py`). No person
annotated anything for it. It is small and briefly trained: use `aubmindlab/bert-base-arabertv02` for
real results.

| | |
|---|---|
| architecture | BERT (`BertForMaskedLM`), {arch['num_hidden_layers']} layers, hidden {arch['hidden_size']}, {arch['num_attention_heads']} heads, intermediate {arch['intermediate_size']}, max positions {arch['max_position_embeddings']} |
| parameters | {log['encoder_params']:,} (fp32 weights, {log['weights_mb']:.1f} MB; folder {log['folder_mb']:.1f} MB) |
| vocabulary | {c['vocab_size']:,} WordPieces (`vocab.txt`, `tokenizer.json`), arabert-tiny's |
| preprocessing | AraBERT v0.2 rules (`araft.preprocessing.WordPreprocessor("arabertv02")`), stored as `config.araft.preprocess` |
| license | **CC BY-NC-SA 4.0** (non-commercial, research use): it is pretrained on SaudiNewsNet. A model fine-tuned from it inherits these terms; `araft push` names them in its card. For a model without the NonCommercial term, use `models/arabert-tiny` (CC BY-SA 4.0). |

## Use

```python
from transformers import AutoTokenizer, AutoModelForMaskedLM
from araft.preprocessing import preprocess_text

tok = AutoTokenizer.from_pretrained("models/arabert-mini-news")
model = AutoModelForMaskedLM.from_pretrained("models/arabert-mini-news")
inputs = tok(preprocess_text("أعلن المبعوث الخاص", model.config.araft["preprocess"]), return_tensors="pt")
```

Feed text preprocessed with `config.araft["preprocess"]`: the vocabulary and the pretraining saw only
preprocessed words. With araft: `araft train model=arabert-mini-news` (NER); the claims-corpus joint and
NER experiments (`experiment=joint_claims_tiny`, `ner_claims_tiny`) were measured with it.

## Fine-tuning: ANERcorp dev entity F1

{finetune_section(log)}

### Against a CRF

{_crf_line(log)}

### Claims and obstacles

{_claims_line(log)}

## Objective: replaced-token detection against MLM, at equal compute

Both objectives trained the same encoder shape on the same text, at the same time on the same machine
(one CPU thread each, side by side, so equal wall time is equal compute), saving the encoder along the
way. Each snapshot was fine-tuned with the `make run` recipe at the time (3 epochs, lr 5e-4, seed 42)
and scored on ANERcorp dev; "paired" is RTD minus MLM on the same dev sentences (bootstrap over
sentences, as `araft compare` computes it). Two settings: from scratch (a new 24k news vocabulary,
ELECTRA-Small's factorised 128-wide embeddings, 4 layers of 256), and continuing arabert-tiny (its
shape and vocabulary). RTD's generator is a quarter of the discriminator's width and shares its
embeddings; the discriminator is what RTD keeps.

{_comparison_section(log)}
{'![dev F1 against pretraining time](curve.png)' if has_png else ''}

{comparison_round(log).get('objective_verdict', '')}

{_pretraining_section(log)}
## Corpus

| source | sentences | words | license | cite |
|---|---|---|---|---|
{src_rows}

- After AraBERT preprocessing: {c['train_sentences']:,} training sentences ({c['train_words']:,} words,
  {c['train_tokens']:,} WordPieces); held out: {c['heldout_sentences']:,} sentences of
  {ex['heldout_articles']} whole articles (so no held-out sentence has a neighbour in training).
- Held back for the claims corpus, never pretrained on: every SaudiNewsNet article dated 2015-07-23,
  2015-07-24 or 2015-08-03 ({ex['held_back_days']:,} articles, the pool the claims corpus draws new articles
  from), and {ex['held_back_claims_and_copies']} articles that are one of the {ex['claims_articles']} articles of
  `data/claims_obstacles` or a copy of one (same title, or 3% or more of their word 8-grams shared).{earlier_holdback(log)}
- {ex['duplicate_sentences_dropped']:,} repeated SaudiNewsNet sentences (wire copies across newspapers)
  dropped: each sentence once.
- Never used: the ANERcorp dev split (last 10% of train sentences, {ex['anercorp_dev_excluded']} sentences),
  {ex['newsfane_dropped_as_dev']} NewsFANE sentences overlapping it, the AQMAR test split.
- The text itself is not in the project (SaudiNewsNet may not be redistributed); only this model is, under
  SaudiNewsNet's CC BY-NC-SA 4.0. Attribution: M. Alhagri (2015), "Saudi Newspapers Arabic Corpus
  (SaudiNewsNet)", github.com/ParallelMazen/SaudiNewsNet. Article ownership stays with the newspapers.

## Vocabulary

arabert-tiny's WordPiece vocabulary ({c['vocab_size']:,} entries, learned deterministically from its own
redistributable corpus; see `models/arabert-tiny/README.md`), kept so the encoder could be continued.
Measured on this corpus: {fertility.get('kept', float('nan')):.2f} WordPieces per word, against
{fertility.get('news_24k', float('nan')):.2f} for a 24,000-entry vocabulary learned on the news
(`scripts.build_news_model prepare` without `--tokenizer`): the news vocabulary makes sequences about a fifth
shorter, but it starts every embedding from scratch, and from scratch at this compute neither objective
beat random weights (table above).

## How to rebuild

```
make news-model      # prepare (about 4 min) + {' + '.join(f"{r['pretrain_wall_s'] / 60:.0f}" for r in rounds(log))} min of pretraining
```

= `.venv/bin/python -m scripts.build_news_model prepare --tokenizer models/arabert-tiny`, then
{commands}. It needs the
shared data folder (`../shared/data`) and `models/arabert-tiny` (`make tiny-model` rebuilds that one). A
cut build resumes from its checkpoint (`<out>.work/ckpt.pt`, rewritten every 5 minutes) when rerun. The
schedule follows wall time, so a faster machine runs more steps in the same budget and gives other
weights; this build: {build_notes(log)}
"""


def _crf_line(log: dict) -> str:
    crf = log.get("crf")
    if not crf:
        return "Not measured for this build (`.venv/bin/python -m benchmarks.quality`)."
    return (f"A CRF with word, affix and context features (sklearn-crfsuite, `benchmarks/quality.py`, same train "
            f"and dev) scores **{crf['dev_f1']:.3f}** dev micro F1. {crf.get('note', '')}")


def _claims_line(log: dict) -> str:
    cl = log.get("claims")
    if not cl:
        return "Not measured for this build."
    return cl["text"]


def _folder_facts(out_dir: Path, log: dict) -> dict:
    """Architecture and sizes read from the written folder, so the card states what is really there."""
    config = json.loads((out_dir / "config.json").read_text(encoding="utf-8"))
    weights = (out_dir / "model.safetensors").stat().st_size
    others = sum(p.stat().st_size for p in out_dir.iterdir() if p.is_file() and p.name != "README.md")
    return dict(log, arch=config, weights_mb=weights / 1e6, folder_mb=(others + 14_000) / 1e6)


def write_card(out_dir: Path, log: dict) -> None:
    has_png = plot_curve(log, out_dir / "curve.png")
    (out_dir / "README.md").write_text(render_card(_folder_facts(out_dir, log), has_png), encoding="utf-8")


def rewrite_card(model_dir: Path) -> None:
    """Re-render README.md and the PNG from an existing training_log.json (edit the card, not the model)."""
    write_card(model_dir, json.loads((model_dir / "training_log.json").read_text(encoding="utf-8")))


def record(model_dir: Path, **fields) -> Path:
    """Store measured figures in the model's training_log.json and re-render its card; the log path.

    arabert-tiny's log (MLM only, no "objective") keeps its own card (tiny_card.py), and so does the
    silver stage's (silver_card.py) and the claims stage's (claims_silver_card.py)."""
    path = model_dir / "training_log.json"
    log = json.loads(path.read_text(encoding="utf-8"))
    log.update(fields)
    path.write_text(json.dumps(log, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    if log.get("stage") == "silver":
        from .silver_card import rewrite_silver_card

        rewrite_silver_card(model_dir)
    elif log.get("stage") == "claims-silver":
        from .claims_silver_card import rewrite_claims_silver_card

        rewrite_claims_silver_card(model_dir)
    elif "objective" in log:
        rewrite_card(model_dir)
    else:
        from .tiny_card import rewrite_card as rewrite_tiny_card

        rewrite_tiny_card(model_dir)
    return path
