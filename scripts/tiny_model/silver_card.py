"""Model card (README.md) of models/arabert-mini-news-silver, written from its training_log.json.

The build (`scripts.build_news_model silver`) writes the silver stage's counts and the starting model's
log; `python -m scripts.finetune_tiny --model models/arabert-mini-news-silver --record` adds the
fine-tuning rows; the starting model's own rows come from its log, kept under "pretraining".
"""
from __future__ import annotations

import json
from pathlib import Path

from .card import _comparison_section, _folder_facts, corpus_rows, plot_curve
from .finetune_table import finetune_section
from .rounds import comparison_round, rounds_text, start_of

TYPES = {"PERS": "person", "LOC": "location", "ORG": "organisation", "MISC": "miscellaneous"}


def _silver_section(sv: dict) -> str:
    ents = ", ".join(f"{TYPES.get(k, k)} {v:,}" for k, v in sv["entities"].items())
    return f"""## Stage 2: silver NER on news

1. A CRF (`benchmarks/crf.py`: word, 1-3 character prefixes and suffixes, shape, for the word and its
   +-2 neighbours; sklearn-crfsuite, L-BFGS, {sv['crf_iterations']} iterations) is trained on bundled ANERcorp
   train ({sv['teacher_train_sentences']:,} sentences, annotated by people: Benajiba et al.). On ANERcorp
   dev it scores {sv['teacher_dev_micro_f1']:.3f} entity micro F1.
2. It tags **{sv['sentences']:,} SaudiNewsNet sentences** ({sv['words']:,} words), drawn with seed {sv['seed']}
   from the {sv['eligible']:,} sentences of {sv['min_words']}-{sv['max_words']} words left after the same exclusions as
   pretraining (the {sv['held_back_days']:,} articles of the claims corpus's days and its
   {sv['held_back_claims_and_copies']} articles and wire copies held back; repeated sentences dropped) and
   after dropping any sentence that is also an ANERcorp dev sentence. These labels are **machine-made
   ("silver")**: nobody checked them. Entities: {ents}.
3. The encoder learns them for one pass (lr {sv['lr']:g} with warm-up and linear decay, batch
   {sv['batch_size']}, length-grouped; {sv['train_s'] / 60:.0f} min on {sv['machine']}).
   Alone, this student scores {sv['student_dev_micro_f1']:.3f} on ANERcorp dev (it never saw a gold label).
4. Its encoder is kept; its token head is dropped. The masked-LM head is stage 1's, unchanged, so
   fill-mask predictions are stage 1's head reading a changed encoder: use this model for fine-tuning.

ANERcorp dev trains nothing: the CRF learns from train only and dev sentences are removed from the news.

Command: `{sv['command']}`"""


def _recipe(row: dict) -> str:
    """Epochs, learning rate and batch of a fine-tuning row (`scripts.finetune_tiny` records them)."""
    r = row["recipe"]
    return f"{r['epochs']:g} epochs, lr {r['lr']:g}, batch {r['batch_size']}"


def _compare_section(log: dict) -> str:
    """This model, its starting model (with the recipe recorded in that model's log), random weights,
    the silver-only student and the CRF, on the same ANERcorp dev."""
    sv, rows = log["silver"], []
    mine = log.get("finetune") or []
    start = (log.get("pretraining") or {}).get("finetune") or []

    def line(name: str, r: dict) -> str:
        per = ", ".join(f"{x:.3f}" for x in r["dev_f1_per_seed"])
        return f"| {name} | {_recipe(r)} | **{r['dev_f1_mean']:.3f}** ({per}) |"

    if mine:
        rows.append(line("arabert-mini-news-silver (this model), fine-tuned", mine[0]))
    if start:
        rows.append(line(f"{sv['init_from']} (stage 1 alone), fine-tuned", start[0]))
    if len(mine) > 1:
        rows.append(line("the same architecture from random weights", mine[1]))
    rows.append(f"| the silver-only student (stage 2, before fine-tuning) | none: CRF labels only | "
                f"{sv['student_dev_micro_f1']:.3f} (seed {sv['seed']}) |")
    rows.append(f"| the CRF teacher (`benchmarks/crf.py`, the CRF of `benchmarks/quality.py`) | "
                f"{sv['crf_iterations']} L-BFGS iterations | {sv['teacher_dev_micro_f1']:.3f} (deterministic) |")
    head = ["| model | fine-tuning | dev entity micro F1, mean over seeds (per seed) |", "|---|---|---|"]
    return "\n".join(head + rows)


def _stage1_section(pre: dict, has_png: bool) -> str:
    """Stage 1's corpus, objective comparison and curve, from its log (details in its own card)."""
    if not pre.get("corpus"):
        return "## Stage 1: news pretraining\n\nNo log of the starting model."
    curve = "![dev F1 against pretraining time](curve.png)\n\n" if has_png else ""
    return f"""## Stage 1: news pretraining (`models/arabert-mini-news`)

Whole-word MLM from {start_of(pre)} {rounds_text(pre)}; every
figure and the exclusions in full: `models/arabert-mini-news/README.md`.

| source | sentences | words | license | cite |
|---|---|---|---|---|
{corpus_rows(pre['corpus'])}

Objective{' (chosen in the first round)' if pre.get('earlier_rounds') else ''}, at equal compute (each snapshot fine-tuned with the `make run` recipe of the time, seed 42,
ANERcorp dev):

{_comparison_section(pre)}

{curve}{comparison_round(pre).get('objective_verdict', '')}"""


def render_silver_card(log: dict, has_png: bool) -> str:
    sv, pre, arch = log["silver"], log.get("pretraining") or {}, log["arch"]
    corpus = pre.get("corpus") or {}
    mlm = f"\n   {rounds_text(pre)}" if pre.get("steps") else ""
    return f"""---
license: cc-by-nc-sa-4.0
language: ar
library_name: transformers
pipeline_tag: feature-extraction
tags: [arabert, bert, mini, news, ner, araft]
---
# arabert-mini-news-silver

The default encoder of araft's `make run` (and the start of the claims recipes' encoder,
`models/arabert-mini-news-claims`): a small BERT of the AraBERT family (the
shape of BERT-Mini), **built by araft's build scripts** in two stages, neither by AraBERT's authors:

1. `models/arabert-mini-news` (its own card): the project's arabert-tiny continued with whole-word masked
   language modelling on {corpus.get('train_words', 0):,} words of 2015 Saudi newswire{mlm}.
2. The silver stage below: the same news, tagged with entities by a CRF trained on ANERcorp, learnt by
   the encoder.

No person annotated anything for this model; the only human labels behind it are ANERcorp's, through the
CRF. It is small and briefly trained: use `aubmindlab/bert-base-arabertv02` for real results.

| | |
|---|---|
| architecture | BERT (`BertForMaskedLM`), {arch['num_hidden_layers']} layers, hidden {arch['hidden_size']}, {arch['num_attention_heads']} heads, intermediate {arch['intermediate_size']}, max positions {arch['max_position_embeddings']} |
| parameters | {log['encoder_params']:,} (fp16 weights on disk, {log['weights_mb']:.1f} MB; they load in fp32, as `config.dtype` says; folder {log['folder_mb']:.1f} MB) |
| vocabulary | {arch['vocab_size']:,} WordPieces, arabert-tiny's |
| preprocessing | AraBERT v0.2 rules, stored as `config.araft.preprocess` |
| license | **CC BY-NC-SA 4.0** (non-commercial, research use): it learnt from SaudiNewsNet. A model fine-tuned from it inherits these terms; `araft push` names them in its card. |

## Use

```python
from transformers import AutoTokenizer, AutoModelForTokenClassification
from araft.preprocessing import preprocess_text

tok = AutoTokenizer.from_pretrained("models/arabert-mini-news-silver")
model = AutoModelForTokenClassification.from_pretrained("models/arabert-mini-news-silver", num_labels=9)
inputs = tok(preprocess_text("أعلن المبعوث الخاص", model.config.araft["preprocess"]), return_tensors="pt")
```

The token head is new (it is not saved here): fine-tune before use. With araft: `make run`
(`araft train experiment=anercorp_tiny`), `araft train experiment=claims_obstacles_tiny`.

## Fine-tuning: ANERcorp dev entity F1

{finetune_section(log)}

### Against the starting model and the CRF

{_compare_section(log)}

## Claim/obstacle sentences

{(log.get("claims") or {}).get("text") or "Not measured for this build."}

{_silver_section(sv)}

{_stage1_section(pre, has_png)}

## Data and attribution

- SaudiNewsNet (Alhagri, 2015), CC BY-NC-SA 4.0: the news text of both stages. The text is not in the
  model or in araft.
- ANERcorp (Benajiba, Rosso & Benedí, 2007; CAMeL Lab split, Obeid et al., 2020), CC BY-SA 4.0: trains
  the CRF teacher.
- Stage 1 also read AQMAR (train and dev) and NewsFANE Gold (minus ANERcorp dev): see
  `models/arabert-mini-news/README.md`.

## Limitations

- The silver labels carry the CRF's errors and ANERcorp's conventions (its four types, its tokenisation).
- A fine-tuned model scores well above the starting model on ANERcorp-style news; on other domains or
  label sets the NER stage may help less.
"""


def write_silver_card(out_dir: Path, log: dict) -> None:
    has_png = plot_curve(log.get("pretraining") or {}, out_dir / "curve.png")
    (out_dir / "README.md").write_text(render_silver_card(_folder_facts(out_dir, log), has_png),
                                       encoding="utf-8")


def rewrite_silver_card(model_dir: Path) -> None:
    write_silver_card(model_dir, json.loads((model_dir / "training_log.json").read_text(encoding="utf-8")))
