"""Model card (README.md) of models/arabert-mini-news-claims, written from its training_log.json.

The build (`scripts.build_news_model claims-silver`) writes the stage's counts and the starting model's
log (under "before"); the fine-tuning figures, measured with araft's own commands afterwards, are stored
as markdown under "results" by `card.record(model_dir, results=...)`.
"""
from __future__ import annotations

import json
from pathlib import Path

from .card import _folder_facts
from .rounds import rounds_text
from .silver import MAX_WORDS, MIN_WORDS
from .silver_card import passes, teacher_name, teacher_word, teachers_text

NAME = "arabert-mini-news-claims"


def _student_text(cs: dict) -> str:
    """What the student learnt and how (step 3 of the stage)."""
    what = ("The encoder, with a new multi-label sentence head over BERT's pooler, learns the scores "
            "(binary cross-entropy against the probabilities)")
    if cs.get("entity_head"):
        crf = cs["crf"]
        ents = ", ".join(f"{k} {v:,}" for k, v in crf["entities"].items())
        what = ("The encoder learns the scores and, on the same sentences, stage 2's entity tags: araft's "
                "joint model, a sentence head over BERT's pooler (binary cross-entropy against the "
                "probabilities) beside a token head (cross-entropy against the tags), so that it keeps "
                f"what stage 2 taught it. The tags come from stage 2's CRF, retrained on ANERcorp train "
                f"({crf['teacher_train_sentences']:,} sentences; ANERcorp dev {crf['teacher_dev_micro_f1']:.3f} entity "
                f"micro F1; news sentences that are ANERcorp dev sentences are left out): {ents}. "
                "Long sentences are cut into overlapping windows, as araft's joint task cuts them, "
                "each with the sentence's scores")
        if cs.get("sentence_weight", 1) != 1:
            # the weight-1 and sentences-only builds are not in this log: the docs hold their figures
            what += (f"; the sentence loss weighs {cs['sentence_weight']:g} against the tags' 1 (at 1 "
                     "the tags pulled the obstacle ranking down: docs/benchmarks.md, \"Weighing the "
                     "claims stage\")")
    cut = ("" if cs.get("entity_head") else
           f"; {cs['truncated_sentences']:,} sentences longer than 128 subwords were cut at 128")
    return (f"{what}, for one pass: lr {cs['lr']:g} with warm-up and linear decay, batch "
            f"{cs['batch_size']}, length-grouped, {cs['steps']:,} steps, {cs['train_s'] / 60:.0f} min on "
            f"{cs['machine']}{cut}.")


def _stage_section(cs: dict) -> str:
    t = cs["teacher"]
    auc = cs["dev_roc_auc"]
    return f"""## Stage 3: claim/obstacle sentences scored by TF-IDF, learnt by the encoder

1. The teacher is the claims corpus's TF-IDF baseline (`benchmarks/claims_quality.py`: word 1-2-grams and
   character 2-5-grams, one logistic regression per label with balanced class weights), trained on
   the corpus's train split ({cs['teacher_train_sentences']:,} sentences, labelled by AI agents: see
   `data/claims_obstacles/README.md`), C chosen on dev (claim C {t['claim']['C']:g}, dev F1 at its best
   threshold {t['claim']['dev_f1']:.3f}; obstacle C {t['obstacle']['C']:g}, {t['obstacle']['dev_f1']:.3f}).
2. It scores **{cs['sentences']:,} SaudiNewsNet sentences** ({cs['words']:,} words), drawn with seed
   {cs['seed']} from the {cs['eligible']:,} sentences of {MIN_WORDS}-{MAX_WORDS} words left after the exclusions of
   pretraining (the {cs['held_back_days']:,} articles of the claims corpus's days and its
   {cs['held_back_claims_and_copies']:,} articles and wire copies held back; repeated sentences dropped).
   The scores are probabilities, kept as they are (soft targets); nobody checked them. Mean score: claim
   {cs['mean_target']['claim']:.3f}, obstacle {cs['mean_target']['obstacle']:.3f}; at 0.5 or above: claim
   {cs['above_half']['claim']:,}, obstacle {cs['above_half']['obstacle']:,} sentences.
3. {_student_text(cs)}
4. Before any fine-tuning, the student ranks the corpus's dev sentences with ROC-AUC claim
   {auc['claim']['student']:.3f}, obstacle {auc['obstacle']['student']:.3f} (the teacher: {auc['claim']['teacher']:.3f},
   {auc['obstacle']['teacher']:.3f}).
5. The encoder and the trained pooler are kept; the sentence head is dropped. The masked-LM head is
   stage 1's, unchanged: use this model for fine-tuning, not fill-mask.

The corpus's test split trains and chooses nothing here: the teacher learns from train and picks C on
dev; the news sentences come from other days than the corpus's articles.

Command: `{cs['command']}`"""


def render_claims_silver_card(log: dict) -> str:
    cs, arch = log["claims_silver"], log["arch"]
    beside = " beside the same sentences' entity tags from stage 2's CRF" if cs.get("entity_head") else ""
    pre = (log.get("before") or {}).get("pretraining") or {}
    done = passes(log.get("before") or {})
    word = teacher_word(done)
    mlm = f" {rounds_text(pre)}" if pre.get("steps") else ""
    return f"""---
license: cc-by-nc-sa-4.0
language: ar
library_name: transformers
pipeline_tag: feature-extraction
tags: [arabert, bert, mini, news, claims, ner, araft]
---
# {NAME}

The encoder of araft's claim/obstacle recipe (`experiment=claims_obstacles_tiny`) and of its joint model
(`experiment=joint_claims_tiny`, entities and sentence labels in one pass: see below): a small BERT of the
AraBERT family (the shape of BERT-Mini), **built by araft's build scripts** in three stages, none by
AraBERT's authors:

1. `models/arabert-mini-news`: the project's arabert-tiny continued with whole-word masked language
   modelling on 2015 Saudi newswire{mlm};
2. `models/arabert-mini-news-silver` (the default encoder of `make run`): the same news tagged with
   entities by {teachers_text(done)}, learnt by the encoder;
3. the stage below: news sentences scored as claims and obstacles by a TF-IDF model trained on
   araft's claims corpus, learnt by the encoder{beside}.

No person annotated anything for this model. The human labels behind it are ANERcorp's (through the
{word}); the claims corpus behind stage 3 was annotated by AI agents. It is small and briefly trained: use
`aubmindlab/bert-base-arabertv02` for real results.

| | |
|---|---|
| architecture | BERT (`BertForMaskedLM`, plus a trained pooler), {arch['num_hidden_layers']} layers, hidden {arch['hidden_size']}, {arch['num_attention_heads']} heads, intermediate {arch['intermediate_size']}, max positions {arch['max_position_embeddings']} |
| parameters | {log['encoder_params']:,} (fp16 weights on disk, {log['weights_mb']:.1f} MB; they load in fp32, as `config.dtype` says; folder {log['folder_mb']:.1f} MB) |
| vocabulary | {arch['vocab_size']:,} WordPieces, arabert-tiny's |
| preprocessing | AraBERT v0.2 rules, stored as `config.araft.preprocess` |
| license | **CC BY-NC-SA 4.0** (non-commercial, research use): it learnt from SaudiNewsNet and from a corpus of its articles. A model fine-tuned from it inherits these terms; `araft push` names them in its card. |

## Use

```python
from transformers import AutoTokenizer, AutoModelForSequenceClassification
from araft.preprocessing import preprocess_text

tok = AutoTokenizer.from_pretrained("models/{NAME}")
model = AutoModelForSequenceClassification.from_pretrained(
    "models/{NAME}", num_labels=2, problem_type="multi_label_classification")
inputs = tok(preprocess_text("ورفضت الحكومة المقترح", model.config.araft["preprocess"]), return_tensors="pt")
```

The pooler is trained (stage 3), the classification head is new: fine-tune before use. With araft:
`araft train experiment=claims_obstacles_tiny`. Loaded as a masked-LM or token model, the two pooler
weights are reported as unused; that is expected.

## Fine-tuning results

{log.get("results") or "Not measured for this build."}

{_stage_section(cs)}

## Data and attribution

- SaudiNewsNet (Alhagri, 2015), CC BY-NC-SA 4.0: the news text of every stage and the claims corpus's
  articles. The text is not in the model.
- araft's claims/obstacles corpus (`data/claims_obstacles`, CC BY-NC-SA 4.0; annotated by AI agents):
  its train split trains the stage-3 teacher, its dev split chooses the teacher's C.
- ANERcorp (Benajiba, Rosso & Benedí, 2007; CAMeL Lab split, Obeid et al., 2020), CC BY-SA 4.0: trains
  stage 2's {teacher_name(done)}. Stage 1 also read AQMAR and NewsFANE Gold: see `models/arabert-mini-news/README.md`.

## Limitations

- The stage-3 scores carry a bag-of-n-grams model's errors and the corpus's conventions; the corpus
  itself is silver standard (agents, not people, annotated it).
- The claims corpus's articles are political and diplomatic news from the summer of 2015; stage 3
  teaches the encoder what that corpus calls a claim or an obstacle.
"""


def write_claims_silver_card(out_dir: Path, log: dict) -> None:
    (out_dir / "README.md").write_text(render_claims_silver_card(_folder_facts(out_dir, log)), encoding="utf-8")


def rewrite_claims_silver_card(model_dir: Path) -> None:
    write_claims_silver_card(model_dir, json.loads((model_dir / "training_log.json").read_text(encoding="utf-8")))
