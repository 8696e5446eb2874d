"""`araft data validate | convert | stats`: check, convert and describe corpus files.

The work is done by plain functions (``validate_file``, ``convert_file``, ``stats_file``) that
return data; the argparse layer only parses and prints. Bad data raises DataError, which the
`araft` dispatcher prints as ``araft data: error: <file:line: reason>`` with exit status 2.
"""
from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path
from typing import Any

from araft.corpus.formats import FORMATS, detect_format, read_articles, write_articles
from araft.corpus.stats import corpus_stats, render_stats
from araft.corpus.tags import SCHEMES, parse_label_map


def _labels(spec: str | None) -> list[str] | None:
    return None if spec is None else [x.strip() for x in spec.split(",") if x.strip()]


def validate_file(path: str | Path, format: str | None = None, *, strict: bool = False,
                  label_map: str | dict | None = None, entity_labels: list[str] | None = None,
                  sentence_labels: list[str] | None = None, scheme: str | None = None) -> dict[str, Any]:
    """Read and validate a file; a summary of what it holds (DataError on the first problem)."""
    fmt = format or detect_format(path)
    articles = read_articles(path, fmt, strict=strict, label_map=parse_label_map(label_map) or None,
                             entity_labels=entity_labels, sentence_labels=sentence_labels,
                             scheme=scheme)
    return {
        "path": str(path),
        "format": fmt,
        "articles": len(articles),
        "entities": dict(sorted(Counter(e.label for a in articles for e in a.entities).items())),
        "sentence_labels": dict(sorted(Counter(
            x for a in articles for s in a.sentences or [] for x in s.labels).items())),
    }


def convert_file(src: str | Path, dst: str | Path, from_format: str | None = None,
                 to_format: str | None = None, *, label_map: str | dict | None = None,
                 strict: bool = False, scheme: str | None = None) -> dict[str, Any]:
    """Read ``src`` (validated, label map applied) and write it to ``dst``; what was done."""
    fmt_in = from_format or detect_format(src)
    articles = read_articles(src, fmt_in, strict=strict, scheme=scheme,
                             label_map=parse_label_map(label_map) or None)
    write_articles(articles, dst, to_format)
    return {"from": str(src), "to": str(dst), "from_format": fmt_in,
            "to_format": to_format or Path(dst).suffix.lstrip("."), "articles": len(articles)}


def stats_file(path: str | Path, format: str | None = None, *,
               label_map: str | dict | None = None) -> dict[str, Any]:
    """``corpus_stats`` of a file, with its path and format."""
    fmt = format or detect_format(path)
    articles = read_articles(path, fmt, label_map=parse_label_map(label_map) or None)
    return {"path": str(path), "format": fmt, **corpus_stats(articles)}


def _validate(args: argparse.Namespace) -> int:
    summary = validate_file(args.file, args.format, strict=args.strict, label_map=args.label_map,
                            entity_labels=_labels(args.entity_labels),
                            sentence_labels=_labels(args.sentence_labels), scheme=args.scheme)
    ents = ", ".join(f"{k} {v}" for k, v in summary["entities"].items()) or "none"
    sents = ", ".join(f"{k} {v}" for k, v in summary["sentence_labels"].items()) or "none"
    print(f"{summary['path']}: ok ({summary['format']}): {summary['articles']} articles; "
          f"entities: {ents}; sentence labels: {sents}")
    return 0


def _convert(args: argparse.Namespace) -> int:
    done = convert_file(args.input, args.output, args.from_format, args.to_format,
                        label_map=args.label_map, strict=args.strict, scheme=args.scheme)
    print(f"wrote {done['articles']} articles from {done['from']} ({done['from_format']}) "
          f"to {done['to']}")
    return 0


def _stats(args: argparse.Namespace) -> int:
    stats = stats_file(args.file, args.format, label_map=args.label_map)
    if args.json:
        print(json.dumps(stats, ensure_ascii=False, indent=2))
    else:
        print(render_stats(stats, title=f"{stats['path']} ({stats['format']})"))
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("data", help="validate, convert and describe corpus files",
                                   description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="action", required=True)
    formats = sorted(FORMATS)

    def common(p: argparse.ArgumentParser, flag: str = "--format", dest: str = "format") -> None:
        p.add_argument(flag, dest=dest, choices=formats,
                       help="input format (default: detected from extension and content)")
        p.add_argument("--label-map", help="rename entity types on read, e.g. PER=PERS,MIS=MISC")

    val = sub.add_parser("validate", help="check a file; exit 2 with file:line: reason if bad")
    val.add_argument("file")
    common(val)
    val.add_argument("--strict", action="store_true", help="a broken I- tag is an error, not a repair")
    val.add_argument("--scheme", choices=SCHEMES, help="CoNLL tag scheme (default: auto)")
    val.add_argument("--entity-labels", help="declared entity types, e.g. PERS,LOC,ORG,MISC")
    val.add_argument("--sentence-labels", help="declared sentence labels, e.g. claim,obstacle")
    val.set_defaults(func=_validate)

    conv = sub.add_parser("convert", help="convert between formats (validated on the way)")
    conv.add_argument("input")
    conv.add_argument("output")
    common(conv, "--from", "from_format")
    conv.add_argument("--to", dest="to_format", choices=formats,
                      help="output format (default: from the output extension)")
    conv.add_argument("--strict", action="store_true", help="a broken I- tag is an error, not a repair")
    conv.add_argument("--scheme", choices=SCHEMES, help="CoNLL tag scheme of the input (default: auto)")
    conv.set_defaults(func=_convert)

    st = sub.add_parser("stats", help="counts of articles, sentences, words, entities, labels")
    st.add_argument("file")
    common(st)
    st.add_argument("--json", action="store_true", help="print JSON instead of a table")
    st.set_defaults(func=_stats)
