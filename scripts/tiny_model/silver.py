"""The silver stage of the embedded model's build: news labelled by the CRF, learnt by the encoder.

The CRF of benchmarks/crf.py, trained on bundled ANERcorp train, tags SaudiNewsNet sentences (the
pretraining text's pool: held-back days and the claims corpus's articles out, see news_corpus.py). The
encoder then learns those machine labels ("silver" annotation: nobody checked them) for one pass, and
its encoder weights, not the token head, become the new model. Fine-tuning on gold ANERcorp afterwards
keeps what the CRF knows about words (names, affixes) and adds the encoder's context.

ANERcorp dev never trains anything here: the CRF learns from train only, and a news sentence that is
also a dev sentence is dropped before sampling.
"""
from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

MIN_WORDS, MAX_WORDS = 4, 100  # headlines, bylines and run-on lists out


def read_news(data_dir: Path, claims_dir: Path) -> tuple[list[list[str]], dict]:
    """SaudiNewsNet's sentences as pretraining reads them (held-back articles out, repeats dropped), and
    how many articles and sentences were left out."""
    from . import news_corpus

    articles = news_corpus.read_articles(data_dir / news_corpus.SNN_JSONL)
    kept, notes = news_corpus.select_articles(articles, claims_dir)
    news, dropped = news_corpus.dedupe(news_corpus.article_sentences(kept))
    return news, {**notes, "duplicate_sentences_dropped": dropped}


def eligible_sentences(sentences: list, exclude: set[str], words=lambda s: s) -> list:
    """Sentences of MIN_WORDS..MAX_WORDS words whose text (words joined by spaces) is not in ``exclude``
    (``words`` gives a sentence's word list: by default the sentence is one)."""
    return [s for s in sentences
            if MIN_WORDS <= len(words(s)) <= MAX_WORDS and " ".join(words(s)) not in exclude]


def sample(sentences: list[list[str]], n: int, seed: int) -> list[list[str]]:
    """``n`` sentences drawn without replacement, the same for the same input, ``n`` and seed."""
    if n > len(sentences):
        raise ValueError(f"asked for {n} silver sentences but only {len(sentences)} are eligible")
    order = list(range(len(sentences)))
    random.Random(seed).shuffle(order)
    return [sentences[i] for i in sorted(order[:n])]


def write_silver(sentences: list[list[str]], tags: list[list[str]], path: Path) -> dict:
    """A CoNLL file (word TAB tag, blank line between sentences) and its counts."""
    if len(sentences) != len(tags):
        raise ValueError(f"{len(sentences)} sentences but {len(tags)} tag sequences")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as f:
        for n, (words, seq) in enumerate(zip(sentences, tags)):
            if len(words) != len(seq):
                raise ValueError(f"silver sentence {n}: {len(words)} words but {len(seq)} tags")
            for w, t in zip(words, seq):
                if not w or any(c.isspace() for c in w):
                    raise ValueError(f"silver sentence {n}: word {w!r} is empty or holds whitespace")
                f.write(f"{w}\t{t}\n")
            f.write("\n")
    return {"sentences": len(sentences), "words": sum(map(len, sentences)), "entities": count_entities(tags)}


def count_entities(tags: list[list[str]]) -> dict[str, int]:
    """Entities per type (B- tags) in IOB2 tag sequences, types sorted."""
    entities: dict[str, int] = {}
    for seq in tags:
        for t in seq:
            if t.startswith("B-"):
                entities[t[2:]] = entities.get(t[2:], 0) + 1
    return dict(sorted(entities.items()))


def fit_crf(train_conll: Path, dev_conll: Path, iterations: int = 100):
    """The CRF teacher trained on ``train_conll``, and its figures: iterations, train sentences and its
    entity micro F1 on ``dev_conll``."""
    from benchmarks.crf import gold, sentence_features, strict_f1, train_crf

    train_words, train_tags = gold(train_conll)
    dev_words, dev_tags = gold(dev_conll)
    crf = train_crf(train_words, train_tags, iterations)
    dev = strict_f1(dev_tags, crf.predict([sentence_features(ws) for ws in dev_words]))
    return crf, {"crf_iterations": iterations, "teacher_train_sentences": len(train_words),
                 "teacher_dev_micro_f1": round(dev["micro_f1"], 4)}


def in_chunks(tag, sentences: list[list[str]], chunk: int = 5_000) -> list[list[str]]:
    """``tag(part, start)`` over ``chunk`` sentences at a time, the tags joined: whatever a tagger
    builds per sentence then stays small (the CRF's feature dicts of all 226k eligible news sentences
    at once took more than the machine's 24 GB; the build was killed)."""
    tags: list[list[str]] = []
    for start in range(0, len(sentences), chunk):
        tags.extend(tag(sentences[start:start + chunk], start))
    return tags


def tag_sentences(crf, sentences: list[list[str]], chunk: int = 5_000) -> list[list[str]]:
    """The CRF's tags for every sentence, ``chunk`` sentences at a time (in_chunks)."""
    from benchmarks.crf import sentence_features

    return in_chunks(lambda part, _: [list(t) for t in crf.predict([sentence_features(ws) for ws in part])],
                     sentences, chunk)


def label_news(news: list[list[str]], train_conll: Path, dev_conll: Path, n: int, seed: int,
               out: Path, iterations: int = 100, teacher: Path | None = None) -> dict:
    """Tag ``n`` eligible news sentences and write them to ``out``: with a CRF trained on
    ``train_conll``, or with ``teacher``, an araft NER model (encoder_teacher.py)."""
    from benchmarks.crf import gold

    pool = eligible_sentences(news, {" ".join(ws) for ws in gold(dev_conll)[0]})
    chosen = sample(pool, n, seed)
    if teacher is None:
        crf, figures = fit_crf(train_conll, dev_conll, iterations)
        tags = tag_sentences(crf, chosen)
    else:
        from .encoder_teacher import encoder_labels

        tags, figures = encoder_labels(teacher, chosen, dev_conll)
    counts = write_silver(chosen, tags, out)
    return {**counts, "eligible": len(pool), "min_words": MIN_WORDS, "max_words": MAX_WORDS,
            "seed": seed, **figures}


def load_student(student_dir: Path):
    """A saved student as the class its config names (``architectures``): a token or sequence
    classifier, or araft's joint model; in fp32."""
    import torch
    import transformers
    from transformers import AutoConfig

    from araft.tasks.joint.model import load_joint

    arch = (AutoConfig.from_pretrained(str(student_dir)).architectures or [""])[0]
    if arch == "JointModel":
        return load_joint(student_dir).float()
    return getattr(transformers, arch).from_pretrained(str(student_dir), dtype=torch.float32)


def export_encoder(student_dir: Path, init_dir: Path, out: Path) -> int:
    """``init_dir``'s masked-LM model with the encoder of the student saved in ``student_dir``
    (``load_student``; its heads dropped), saved with fp16 weights (it loads in fp32: the config says
    float32) and ``init_dir``'s tokenizer. A student with a pooler (a sentence head) keeps it beside
    the encoder, so a sentence head fine-tuned from the export starts from a trained pooler (a
    masked-LM or token model ignores those two weights). Returns the parameter count."""
    import torch
    from safetensors.torch import load_file, save_file
    from transformers import AutoModelForMaskedLM, AutoTokenizer

    student = load_student(student_dir)
    shutil.rmtree(out, ignore_errors=True)  # a folder from an earlier export is replaced, not mixed in
    model = AutoModelForMaskedLM.from_pretrained(str(init_dir), dtype=torch.float32)
    base = model.base_model_prefix
    encoder = getattr(student, base).state_dict()
    pooler = {f"{base}.{k}": v for k, v in encoder.items() if k.startswith("pooler.")}
    getattr(model, base).load_state_dict({k: v for k, v in encoder.items() if not k.startswith("pooler.")},
                                         strict=True)
    model.save_pretrained(str(out))
    weights = out / "model.safetensors"
    save_file({k: v.half() if v.is_floating_point() else v
               for k, v in {**load_file(str(weights)), **pooler}.items()},
              str(weights), metadata={"format": "pt"})
    AutoTokenizer.from_pretrained(str(init_dir)).save_pretrained(str(out))
    if (init_dir / "vocab.txt").is_file():  # the WordPiece list, as the starting model ships it
        shutil.copy(init_dir / "vocab.txt", out / "vocab.txt")
    return sum(p.numel() for p in model.parameters()) + sum(v.numel() for v in pooler.values())


def relative_to_root(path: Path, root: Path) -> Path:
    """``path`` resolved, relative to ``root`` where it lies inside it (as a card shows it)."""
    path = path.resolve()
    return path.relative_to(root) if path.is_relative_to(root) else path


def publish(work: Path, out: Path, log: dict, write_card) -> None:
    """A stage's end: its log and card (``write_card(folder, log)``) written into ``work/final``, and
    that folder copied to ``out`` in place of what was there."""
    (work / "final" / "training_log.json").write_text(json.dumps(log, ensure_ascii=False, indent=1) + "\n",
                                                   encoding="utf-8")
    write_card(work / "final", log)
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(work / "final", out)


def stage_log(start: dict, this_pass: dict) -> dict:
    """The silver stage's log. The starting model's log stays apart under "pretraining", so the card never
    shows the starting model's measurements as its own. A pass that continues an earlier silver pass
    (self-training) keeps that pass, with its fine-tuning figures, under "earlier_passes", and the
    masked-LM stage's log stays under "pretraining"."""
    if start.get("stage") != "silver":
        return {"stage": "silver", "pretraining": start, "silver": this_pass}
    done = {**start["silver"], "finetune": start.get("finetune") or []}
    return {"stage": "silver", "pretraining": start.get("pretraining") or {},
            "earlier_passes": [*start.get("earlier_passes", []), done], "silver": this_pass}


def read_log(folder: Path) -> dict:
    path = folder / "training_log.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
