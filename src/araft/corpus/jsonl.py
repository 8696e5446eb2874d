"""The canonical format: Article JSON Lines, one article a line (see ANNOTATION.md)."""
from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Iterable, Mapping

from araft.corpus.article import Article
from araft.corpus.formats import check_article, read_text
from araft.corpus.tags import map_entities
from araft.errors import DataError


def parse_jsonl(text: str, source: str | None = None, *, label_map: Mapping[str, str] | None = None,
                entity_labels: Iterable[str] | None = None,
                sentence_labels: Iterable[str] | None = None, strict: bool = False) -> list[Article]:
    """Articles from JSONL text; blank lines are skipped, every article is validated, ids unique.

    ``strict`` is accepted for a uniform reader signature; JSONL is always read strictly.
    """
    articles: list[Article] = []
    first_line: dict[str, int] = {}
    # split on "\n" only: str.splitlines would also break at U+2028 inside a JSON string
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as err:
            raise DataError(f"invalid JSON: {err.msg} (column {err.colno})",
                            path=source, line=number) from None
        except RecursionError:
            raise DataError("invalid JSON: nested too deeply", path=source, line=number) from None
        try:
            article = Article.from_dict(obj)
        except DataError as err:
            raise err.at(path=source, line=number) from None
        except (TypeError, ValueError, AttributeError) as err:
            # Article.from_dict lets a few wrong shapes through to Python (e.g. a number where
            # the entity list should be, a non-numeric score): still bad data, still located
            raise DataError(f"malformed article: {err}", path=source, line=number) from None
        if article.id in first_line:
            raise DataError(f"duplicate article id (first on line {first_line[article.id]})",
                            path=source, line=number, article_id=article.id)
        first_line[article.id] = number
        if label_map:
            article = replace(article, entities=map_entities(article.entities, label_map))
        articles.append(check_article(article, path=source, line=number,
                                      entity_labels=entity_labels, sentence_labels=sentence_labels))
    return articles


def read_jsonl(path: str | Path, **options) -> list[Article]:
    """Articles from a JSONL file (see ``parse_jsonl`` for the options)."""
    return parse_jsonl(read_text(path), str(path), **options)


def dumps_article(article: Article, surface: bool = False) -> str:
    """One JSONL line (no newline), Arabic kept as is rather than \\u escapes."""
    return json.dumps(article.to_dict(surface=surface), ensure_ascii=False)


def write_jsonl(articles: Iterable[Article], path: str | Path, surface: bool = False) -> None:
    """Write one article a line, UTF-8, LF line ends."""
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        for article in articles:
            out.write(dumps_article(article, surface=surface) + "\n")
