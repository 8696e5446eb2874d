"""An araft NER model as the silver stage's teacher, in place of the CRF (``build_news_model silver
--teacher RUN``): any NER run or model folder trained without ANERcorp dev, for example ``make run``'s
recipe on an earlier silver encoder (self-training: measured in docs/benchmarks.md, not adopted) or a
base-size model fine-tuned on a GPU. Dev itself is never tagged (silver.eligible_sentences)."""
from __future__ import annotations

from pathlib import Path

from araft.corpus.conll import parse_conll
from araft.corpus.tags import repair_iob2

from .silver import in_chunks


def load_teacher(path: Path, batch_size: int = 128):
    """The NER predictor of a saved araft model folder or run directory."""
    from araft.tasks.ner.predictor import NerPredictor

    return NerPredictor.from_pretrained(path, batch_size=batch_size)


def teacher_dev_f1(teacher, dev_conll: Path) -> float:
    """The teacher's entity micro F1 on ``dev_conll``, scored as silver.fit_crf scores the CRF."""
    from benchmarks.crf import gold, strict_f1

    words, tags = gold(dev_conll)
    return strict_f1(tags, teacher_tags(teacher, words))["micro_f1"]


def words_as_articles(sentences: list[list[str]], source: str) -> list:
    """One Article per sentence, as a CoNLL file of these words would read (tags all O)."""
    text = "\n\n".join("\n".join(f"{w}\tO" for w in words) for words in sentences) + "\n"
    articles = parse_conll(text, source=source)
    if len(articles) != len(sentences):
        raise ValueError(f"{source}: {len(sentences)} sentences read back as {len(articles)}")
    return articles


def teacher_tags(teacher, sentences: list[list[str]], chunk: int = 5_000) -> list[list[str]]:
    """The teacher's IOB2 tags (repaired as araft repairs its output) for every sentence, ``chunk``
    sentences at a time. One CoNLL token per word, so each sentence gets one tag per word."""
    def tag(part: list[list[str]], start: int) -> list[list[str]]:
        predicted = teacher.predict_words(words_as_articles(part, f"silver sentences {start}-"))
        return [repair_iob2(seq) for seq in predicted.tags]

    return in_chunks(tag, sentences, chunk)


def encoder_labels(teacher_path: Path, sentences: list[list[str]], dev_conll: Path
                   ) -> tuple[list[list[str]], dict]:
    """The teacher's tags for ``sentences`` and its figures: its dev entity micro F1 (``dev_conll``)."""
    teacher = load_teacher(teacher_path)
    figures = {"teacher_dev_micro_f1": round(teacher_dev_f1(teacher, dev_conll), 4)}
    return teacher_tags(teacher, sentences), figures
