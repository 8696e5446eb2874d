"""CoNLL / BIO files: one ``token<sep>tag`` line per word, a blank line between sentences.

Reading: the separator is a tab when the first token line has one, else runs of spaces; the last
column is the tag, the first the token, any columns between are ignored but must be as many on
every line. ``-DOCSTART-`` lines start a new document: a file with them gives one Article per
document, a file without gives one Article per sentence (id ``<stem>-<index:05d>``, from 0).
An Article's text is its tokens joined by single spaces, sentences joined by "\\n"; its sentence
spans are recorded (without labels) and ``meta["tokenization"] = "whitespace"`` tells the
segmenter to give back exactly these tokens, so CoNLL -> Article -> CoNLL is lossless.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping

from araft.corpus.article import Article, Sentence
from araft.corpus.formats import check_article, read_text
from araft.corpus.segment import Word, article_sentences, article_words
from araft.corpus.tags import detect_scheme, normalize_tags, spans_to_tags, split_tag, tags_to_spans
from araft.errors import DataError

log = logging.getLogger(__name__)
DOCSTART = "-DOCSTART-"


@dataclass
class _Unit:
    """A document (or a sentence, in files without -DOCSTART-) as read: tokens, tags, lines."""
    line: int
    sentences: list[list[tuple[str, str, int]]] = field(default_factory=list)


def _split_lines(text: str, source: str | None) -> tuple[list[_Unit], bool]:
    """Group token lines into documents of sentences; check columns and tokens as we go."""
    docs: list[_Unit] = []
    current: _Unit | None = None
    sentence: list[tuple[str, str, int]] = []
    tab: bool | None = None  # separator, decided by the first token line
    ncols = 0
    has_docstart = False

    def close_sentence() -> None:
        nonlocal sentence
        if sentence:
            assert current is not None
            current.sentences.append(sentence)
            sentence = []

    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.rstrip("\r")
        if not line.strip():
            close_sentence()
            continue
        if line.lstrip().startswith(DOCSTART) and line.split()[0] == DOCSTART:
            close_sentence()
            current = _Unit(number)
            docs.append(current)
            has_docstart = True
            continue
        if tab is None:
            tab = "\t" in line
            ncols = len(line.split("\t") if tab else line.split())
            if ncols < 2:
                raise DataError("expected a token and a tag separated by a tab or a space",
                                path=source, line=number)
        cols = [c.strip() for c in line.split("\t")] if tab else line.split()
        if len(cols) != ncols:
            raise DataError(f"{len(cols)} columns, but the file's first line has {ncols}",
                            path=source, line=number)
        token, tag = cols[0], cols[-1]
        if not token or len(token.split()) != 1:  # split() sees the same whitespace as isspace()
            raise DataError(f"token {token!r} is empty or holds whitespace", path=source, line=number)
        try:
            split_tag(tag)
        except DataError as err:
            raise err.at(path=source, line=number) from None
        if current is None:
            current = _Unit(number)
            docs.append(current)
        if not sentence and not current.sentences:
            current.line = number
        sentence.append((token, tag, number))
    close_sentence()
    return [doc for doc in docs if doc.sentences], has_docstart


def parse_conll(text: str, source: str | None = None, *, label_map: Mapping[str, str] | None = None,
                entity_labels: Iterable[str] | None = None,
                sentence_labels: Iterable[str] | None = None, strict: bool = False,
                scheme: str = "auto") -> list[Article]:
    """Articles from CoNLL text; tags become IOB2 (``scheme`` of the file: auto-detected over the
    whole file by default) with ``label_map`` applied. ``strict``: a broken I- is an error."""
    docs, has_docstart = _split_lines(text, source)
    if scheme == "auto":
        # detect over the whole file (one short sentence says little), sentences kept apart by O
        all_tags = [t for d in docs for s in d.sentences for t in ["O"] + [x[1] for x in s]]
        scheme = detect_scheme(all_tags)
        if scheme != "iob2":
            log.info("%s: tags read as %s, converted to IOB2", source or "CoNLL input", scheme.upper())
    declared = None if entity_labels is None else set(entity_labels)
    stem = Path(source).stem if source else "conll"
    meta_source = Path(source).name if source else None

    repairs: list[str] = []
    units = docs if has_docstart else [_Unit(s[0][2], [s]) for d in docs for s in d.sentences]
    articles = []
    for index, unit in enumerate(units):
        words: list[Word] = []
        tags: list[str] = []
        sentences: list[Sentence] = []
        offset = 0
        for sent in unit.sentences:
            start = offset
            for token, _, _ in sent:
                words.append(Word(offset, offset + len(token), token))
                offset += len(token) + 1
            sentences.append(Sentence(start, offset - 1, ()))
            tags += normalize_tags([x[1] for x in sent], scheme=scheme, strict=strict,
                                   where=[(source, x[2]) for x in sent], label_map=label_map,
                                   repairs=repairs)
            if declared is not None:
                for tag, (_, _, number) in zip(tags[-len(sent):], sent):
                    if tag != "O" and tag[2:] not in declared:
                        raise DataError(f"unknown entity label {tag[2:]!r} "
                                        f"(declared: {', '.join(sorted(declared))})",
                                        path=source, line=number)
        text_out = "\n".join(" ".join(x[0] for x in sent) for sent in unit.sentences)
        meta = {"tokenization": "whitespace"}
        if meta_source:
            meta["source"] = meta_source
        article = Article(id=f"{stem}-{index:05d}", text=text_out,
                          entities=tags_to_spans(words, tags), sentences=sentences, meta=meta)
        articles.append(check_article(article, path=source, line=unit.line,
                                      entity_labels=declared, sentence_labels=sentence_labels))
    _log_repairs(repairs, source)
    return articles


def _log_repairs(repairs: list[str], source: str | None, shown: int = 5) -> None:
    """The first few repairs one by one, then a count (a big file should not flood the log)."""
    for message in repairs[:shown]:
        log.warning("%s", message)
    if len(repairs) > shown:
        log.warning("%s: %d more I- tags that did not continue an entity were repaired to B- "
                    "(read with strict=True to list them as errors)",
                    source or "CoNLL input", len(repairs) - shown)


def read_conll(path: str | Path, **options) -> list[Article]:
    """Articles from a CoNLL file (see ``parse_conll`` for the options)."""
    return parse_conll(read_text(path), str(path), **options)


def article_conll(article: Article) -> list[list[tuple[str, str]]]:
    """(word, IOB2 tag) per word, per sentence, by the project's segmentation of the article."""
    out = []
    covered: set[int] = set()
    for start, end in sorted(article_sentences(article)):
        words = article_words(article, start, end)
        if not words:
            continue
        out.append(list(zip((w.text for w in words), spans_to_tags(words, article.entities))))
        covered.update(i for i, e in enumerate(article.entities)
                       if e.start < end and start < e.end
                       and any(w.start < e.end and e.start < w.end for w in words))
    if len(covered) < len(article.entities):
        # CoNLL has no place for text outside sentences: say so rather than drop silently
        log.warning("article %r: %d entit(ies) outside every sentence are not in the CoNLL output",
                    article.id, len(article.entities) - len(covered))
    return out


def dumps_conll(articles: Iterable[Article], docstart: bool | None = None) -> str:
    """CoNLL text (tab separated): ``docstart`` None writes -DOCSTART- lines only when some
    article has several sentences (so sentence-per-article corpora come back as they were)."""
    docs = [article_conll(a) for a in articles]
    if docstart is None:
        docstart = any(len(d) > 1 for d in docs)
    blocks = []
    for doc in docs:
        sentences = ["\n".join(f"{word}\t{tag}" for word, tag in sent) for sent in doc]
        if docstart:
            sentences.insert(0, f"{DOCSTART}\tO")
        blocks.extend(sentences)
    return "\n\n".join(blocks) + "\n" if blocks else ""


def write_conll(articles: Iterable[Article], path: str | Path, docstart: bool | None = None) -> None:
    """Write CoNLL (see ``dumps_conll``), UTF-8, LF line ends."""
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        out.write(dumps_conll(articles, docstart))
