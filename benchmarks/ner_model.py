"""The NER model the inference benchmarks run, and the batches araft's Predictor builds.

Speed does not depend on what the weights learned, so by default the model is the embedded
arabert-mini-news with a randomly initialised token-classification head (seeded), saved with araft's
settings; ``--model`` points at a trained araft model (a run's ``model/`` folder) instead.
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from benchmarks import common

WARMUP_TEXT = "أعلن المبعوث الخاص عن بدء محادثات بين روسيا والولايات المتحدة في ميامي."


def random_head_model(dest: Path) -> Path:
    """The embedded model + a seeded random NER head, saved with araft settings; returns the folder."""
    import torch
    from transformers import AutoModelForTokenClassification, AutoTokenizer

    from araft.modelio import ModelSettings, attach_settings
    from araft.tasks.ner import tag_list

    torch.manual_seed(0)
    tags = tag_list(common.ENTITY_TYPES)
    model = AutoModelForTokenClassification.from_pretrained(
        common.TINY_MODEL, num_labels=len(tags), id2label=dict(enumerate(tags)),
        label2id={t: i for i, t in enumerate(tags)})
    attach_settings(model.config, ModelSettings(task="ner", preprocess="arabertv02",
                                                max_length=128, stride=16))
    model.save_pretrained(dest)
    AutoTokenizer.from_pretrained(common.TINY_MODEL).save_pretrained(dest)
    return dest


def model_dir(args, work: Path) -> tuple[Path, str]:
    """(model folder, how to describe it)."""
    if args.model is not None:
        return Path(args.model), f"trained model {args.model}"
    return random_head_model(work / "model"), "arabert-mini-news with a random (seeded) NER head"


def predictor_batches(predictor, articles) -> tuple[list, list[dict], dict[str, float]]:
    """The batches ``NerPredictor.predict_words`` feeds the model, built the same way (sentences ->
    windows -> araft.inference.length_order -> padded), with the seconds each stage took."""
    from araft.encoding import encode_words
    from araft.inference import length_order
    from araft.tasks import ner

    times: dict[str, float] = {}
    t = time.perf_counter()
    sents = ner.sentence_words(articles, with_gold=False)
    times["sentence_words"] = time.perf_counter() - t
    t = time.perf_counter()
    ids = [predictor.encoder.ids([w.text for w in sw.words]) for sw in sents]
    times["preprocess + tokenize (WordEncoder)"] = time.perf_counter() - t
    t = time.perf_counter()
    feats = []
    tok = predictor.tokenizer
    for word_ids in ids:
        feats += encode_words(word_ids, None, max_length=predictor.settings.max_length,
                              stride=predictor.settings.stride, cls_id=tok.cls_token_id,
                              sep_id=tok.sep_token_id, label_all=False)
    order = length_order(feats, predictor.batch_size)
    times["encode_words + sort"] = time.perf_counter() - t
    t = time.perf_counter()
    batches = [predictor.collate([{"input_ids": feats[k]["input_ids"]} for k in rows]) for rows in order]
    times["collate (pad)"] = time.perf_counter() - t
    return sents, batches, times


def forward_all(model, batches: list[dict[str, Any]]) -> None:
    import torch

    with torch.inference_mode():
        for batch in batches:
            model(**batch)


def load_predictor(path: Path, batch_size: int):
    """A Predictor whose one-time costs (first forward, regex compilation) are already paid,
    with an empty word cache."""
    from araft.inference import Predictor

    warm = Predictor.from_pretrained(path, batch_size=batch_size, device="cpu")
    warm.predict(WARMUP_TEXT)
    return Predictor.for_task(warm.model, warm.tokenizer, warm.settings, batch_size=batch_size,
                              device="cpu")
