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


def _teacher_text(sv: dict) -> str:
    """Who tags the news: the CRF, or (self-training) an araft NER model."""
    if sv.get("teacher"):
        return f"""An araft NER model, `{sv['teacher']}`, fine-tuned on bundled ANERcorp train (annotated by people:
   Benajiba et al.), tags the news in place of the CRF. On ANERcorp dev it scores
   {sv['teacher_dev_micro_f1']:.3f} entity micro F1."""
    return f"""A CRF (`benchmarks/crf.py`: word, 1-3 character prefixes and suffixes, shape, for the word and its
   +-2 neighbours; sklearn-crfsuite, L-BFGS, {sv['crf_iterations']} iterations) is trained on bundled ANERcorp
   train ({sv['teacher_train_sentences']:,} sentences, annotated by people: Benajiba et al.). On ANERcorp
   dev it scores {sv['teacher_dev_micro_f1']:.3f} entity micro F1."""


def passes(log: dict) -> list[dict]:
    """The silver passes in order: those of the model it continued (self-training), then its own."""
    return [*log.get("earlier_passes", []), log.get("silver") or {}]


def _pass_text(sv: dict) -> str:
    ents = ", ".join(f"{TYPES.get(k, k)} {v:,}" for k, v in sv["entities"].items())
    which = (f"**all {sv['sentences']:,} SaudiNewsNet sentences** ({sv['words']:,} words)"
             if sv["sentences"] == sv["eligible"] else
             f"**{sv['sentences']:,} SaudiNewsNet sentences** ({sv['words']:,} words), drawn with seed {sv['seed']}\n"
             f"   from the {sv['eligible']:,} sentences")
    return f"""1. {_teacher_text(sv)}
2. It tags {which} of {sv['min_words']}-{sv['max_words']} words left after the same exclusions as
   pretraining (the {sv['held_back_days']:,} articles of the claims corpus's days and its
   {sv['held_back_claims_and_copies']} articles and wire copies held back; repeated sentences dropped) and
   after dropping any sentence that is also an ANERcorp dev sentence. These labels are **machine-made
   ("silver")**: nobody checked them. Entities: {ents}.
3. The encoder (`{sv['init_from']}`) learns them for one pass (lr {sv['lr']:g} with warm-up and linear
   decay, batch {sv['batch_size']}, length-grouped; {sv['train_s'] / 60:.0f} min on {sv['machine']}).
   Alone, this student scores {sv['student_dev_micro_f1']:.3f} on ANERcorp dev (it never saw a gold label).
4. Its encoder is kept; its token head is dropped. The masked-LM head is stage 1's, unchanged, so
   fill-mask predictions are stage 1's head reading a changed encoder: use this model for fine-tuning.

Command: `{sv['command']}`"""


def teachers_text(done: list[dict]) -> str:
    """Who tagged the news, pass after pass, in a phrase."""
    return ", then by ".join(f"an araft NER model fine-tuned on ANERcorp (`{sv['teacher']}`)"
                             if sv.get("teacher") else "a CRF trained on ANERcorp" for sv in done)


def teacher_word(done: list[dict]) -> str:
    """What tagged the news, as the card names it: the CRF, the teacher, or the teachers."""
    return "teachers" if len(done) > 1 else ("teacher" if done[0].get("teacher") else "CRF")


def teacher_name(done: list[dict]) -> str:
    """The same, as a teacher: the CRF teacher, the teacher, or the teachers."""
    word = teacher_word(done)
    return "CRF teacher" if word == "CRF" else word


def _silver_section(log: dict) -> str:
    done = passes(log)
    learn = "learn" if len(done) > 1 else "learns"
    dev = (f"ANERcorp dev trains nothing: the {teacher_word(done)} {learn} from train only and dev sentences are "
           "removed from the news.")
    if len(done) == 1:
        return f"## Stage 2: silver NER on news\n\n{_pass_text(done[0])}\n\n{dev}"
    blocks = [f"### Pass {k}: tagged by {'`' + sv['teacher'] + '`' if sv.get('teacher') else 'the CRF'}\n\n"
              f"{_pass_text(sv)}" for k, sv in enumerate(done, 1)]
    return f"## Stage 2: silver NER on news, in {len(done)} passes\n\n" + "\n\n".join(blocks) + f"\n\n{dev}"


def _recipe(row: dict) -> str:
    """Epochs, learning rate and batch of a fine-tuning row (`scripts.finetune_tiny` records them)."""
    r = row["recipe"]
    return f"{r['epochs']:g} epochs, lr {r['lr']:g}, batch {r['batch_size']}"


def _compare_section(log: dict) -> str:
    """This model, each earlier silver pass and its starting model (with the recipe recorded in their
    logs), random weights, each pass's silver-only student and teacher, on the same ANERcorp dev."""
    done, rows = passes(log), []
    mine = log.get("finetune") or []
    start = (log.get("pretraining") or {}).get("finetune") or []

    def line(name: str, r: dict) -> str:
        per = ", ".join(f"{x:.3f}" for x in r["dev_f1_per_seed"])
        return f"| {name} | {_recipe(r)} | **{r['dev_f1_mean']:.3f}** ({per}) |"

    if mine:
        rows.append(line("arabert-mini-news-silver (this model), fine-tuned", mine[0]))
    for k, sv in reversed(list(enumerate(done[:-1], 1))):
        if sv.get("finetune"):
            rows.append(line(f"after silver pass {k} alone, fine-tuned", sv["finetune"][0]))
    if start:
        rows.append(line(f"{done[0]['init_from']} (stage 1 alone), fine-tuned", start[0]))
    if len(mine) > 1:
        rows.append(line("the same architecture from random weights", mine[1]))
    for k, sv in enumerate(done, 1):
        which = f"pass {k}" if len(done) > 1 else "stage 2"
        rows.append(f"| the silver-only student ({which}, before fine-tuning) | none: silver labels only | "
                    f"{sv['student_dev_micro_f1']:.3f} (seed {sv['seed']}) |")
        if sv.get("teacher"):
            rows.append(f"| the teacher of {which}, `{sv['teacher']}` | its own recipe | "
                        f"{sv['teacher_dev_micro_f1']:.3f} |")
        else:
            rows.append(f"| the CRF teacher of {which} (`benchmarks/crf.py`, the CRF of `benchmarks/quality.py`) | "
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
    done = passes(log)
    teachers = teachers_text(done)
    in_passes = f" in {len(done)} passes" if len(done) > 1 else ""
    word = teacher_word(done)
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
2. The silver stage below: the same news, tagged with entities by {teachers}, learnt by
   the encoder{in_passes}.

No person annotated anything for this model; the only human labels behind it are ANERcorp's, through the
{word}. It is small and briefly trained: use `aubmindlab/bert-base-arabertv02` for real results.

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

### Against the starting model and the {word}

{_compare_section(log)}

## Claim/obstacle sentences

{(log.get("claims") or {}).get("text") or "Not measured for this build."}

{_silver_section(log)}

{_stage1_section(pre, has_png)}

## Data and attribution

- SaudiNewsNet (Alhagri, 2015), CC BY-NC-SA 4.0: the news text of both stages. The text is not in the
  model or in araft.
- ANERcorp (Benajiba, Rosso & Benedí, 2007; CAMeL Lab split, Obeid et al., 2020), CC BY-SA 4.0: trains
  the {teacher_name(done)}.
- Stage 1 also read AQMAR (train and dev) and NewsFANE Gold (minus ANERcorp dev): see
  `models/arabert-mini-news/README.md`.

## Limitations

- The silver labels carry the errors of the {word} and ANERcorp's conventions (its four types, its
  tokenisation).
- A fine-tuned model scores well above the starting model on ANERcorp-style news; on other domains or
  label sets the NER stage may help less.
"""


def write_silver_card(out_dir: Path, log: dict) -> None:
    has_png = plot_curve(log.get("pretraining") or {}, out_dir / "curve.png")
    (out_dir / "README.md").write_text(render_silver_card(_folder_facts(out_dir, log), has_png),
                                       encoding="utf-8")


def rewrite_silver_card(model_dir: Path) -> None:
    write_silver_card(model_dir, json.loads((model_dir / "training_log.json").read_text(encoding="utf-8")))
