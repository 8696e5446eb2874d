"""`araft predict MODEL_OR_RUN_OR_HUB_ID INPUT [--output OUT] [--format jsonl|conll|text] [--no-tfidf]`.

INPUT is a ``.txt`` article (the whole file is one article, its id the file stem), any corpus file
araft reads (Article JSONL, CoNLL, doccano, ...), or ``-`` for text on stdin. The output holds the
model's predictions on the ORIGINAL text offsets: entity spans with their surface text and score
(NER), or sentence spans with their labels and per-label scores (claims). The layer the model does
not predict is passed through as given (no scores), so NER and claims predictions can be chained.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, Sequence

from araft.corpus.article import Article
from araft.errors import AraftError, ConfigError, DataError
from araft.tasks.registry import task_named

OUTPUT_FORMATS = ("jsonl", "conll", "text")
STDIN = "-"


def text_article(text: str, article_id: str, *, source: str | None = None) -> Article:
    """One Article whose text is ``text`` exactly; blank text is refused (nothing to predict)."""
    if not text.strip():
        raise DataError("empty input: nothing to predict", path=source)
    meta = {"source": Path(source).name} if source and source != STDIN else {}
    return Article(article_id, text, meta=meta)


def load_inputs(source: str | Path, *, input_format: str | None = None,
                stdin_text: str | None = None) -> list[Article]:
    """The articles to predict on.

    ``source`` ``-`` means ``stdin_text`` (read by the caller: library code reads no global
    state). A ``.txt`` file, or ``input_format="text"``, is one article; anything else goes through
    araft's corpus readers (format detected unless given)."""
    if str(source) == STDIN:
        if stdin_text is None:
            raise DataError("input '-' needs the text from stdin")
        return [text_article(stdin_text, "stdin", source=STDIN)]
    path = Path(source)
    if input_format == "text" or (input_format is None and path.suffix.lower() == ".txt"):
        from araft.corpus.formats import read_text

        return [text_article(read_text(path), path.stem, source=str(path))]
    from araft.corpus.formats import read_articles

    return read_articles(path, input_format)


def load_predictor(model: Any, *, batch_size: int = 32, tfidf: bool = True):
    """A Predictor from a run directory, a model folder or a Hub id (or one already loaded).
    ``tfidf=False``: a claims or joint model that blends its sentence scores with TF-IDF scores
    and decides with its encoder alone (``--no-tfidf``)."""
    from araft.inference import Predictor

    if hasattr(model, "predict_articles"):
        return model if tfidf else model.without_tfidf(str(model))
    try:
        return Predictor.from_pretrained(model, batch_size=batch_size, tfidf=tfidf)
    except OSError as err:  # transformers' "not found / no network" for a Hub id or a bad folder
        raise ConfigError(f"cannot load model {str(model)!r}: {str(err).rstrip('.')}. A Hub id needs "
                          "the network (or the model in the local cache); a folder needs "
                          "config.json, the weights and the tokenizer") from None


def predict_file(model: Any, source: str | Path, *, input_format: str | None = None,
                 batch_size: int = 32, stdin_text: str | None = None,
                 tfidf: bool = True) -> list[Article]:
    """Predictions for every article of ``source`` (see ``load_inputs``), batched across
    sentences and articles by the Predictor; ``model`` is a path, a Hub id or a Predictor."""
    articles = load_inputs(source, input_format=input_format, stdin_text=stdin_text)
    return list(load_predictor(model, batch_size=batch_size, tfidf=tfidf).predict_articles(articles))


# -- output ---------------------------------------------------------------------------------------
def render(articles: Sequence[Article], fmt: str = "jsonl", *, task: str | None = None) -> str:
    """The predictions as text in one of OUTPUT_FORMATS (``task``: the model's task name)."""
    if fmt == "jsonl":
        from araft.corpus.jsonl import dumps_article

        return "".join(dumps_article(a, surface=True) + "\n" for a in articles)
    if fmt == "conll":
        if task is not None and not task_named(task).writes_word_tags:
            raise AraftError(f"--format conll writes word tags, but a {task} model predicts "
                             "sentence labels: use --format jsonl or text")
        from araft.corpus.conll import dumps_conll

        return dumps_conll(articles)
    if fmt == "text":
        return "\n".join(_listing(a) for a in articles)
    raise AraftError(f"unknown output format {fmt!r} (choose from {', '.join(OUTPUT_FORMATS)})")


def _short(text: str, width: int = 80) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[:width - 1] + "…"


def _listing(article: Article) -> str:
    """A readable block: the article id, its entities, then its labelled sentences."""
    lines = [f"# {article.id}"]
    for e in sorted(article.entities, key=lambda e: (e.start, e.end)):
        score = "" if e.score is None else f"  {e.score:.3f}"
        lines.append(f"  {e.label:<6} [{e.start}, {e.end}){score}  {article.text[e.start:e.end]}")
    for s in article.sentences or []:
        labels = ", ".join(s.labels) or "-"
        scores = "" if not s.scores else "  (" + ", ".join(
            f"{k} {v:.3f}" for k, v in sorted(s.scores.items())) + ")"
        lines.append(f"  [{s.start}, {s.end}) {labels}{scores}  {_short(article.text[s.start:s.end])}")
    if len(lines) == 1:
        lines.append("  (nothing found)")
    return "\n".join(lines) + "\n"


def write_output(text: str, output: str | Path | None, stream) -> None:
    """Write to ``output`` (parent folders made), or to ``stream`` when no output is given."""
    if output is None or str(output) == STDIN:
        stream.write(text)
        stream.flush()
        return
    path = Path(output)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        out.write(text)


def _run(args: argparse.Namespace) -> int:
    stdin_text = sys.stdin.read() if args.input == STDIN else None
    # read the input before loading the model: a bad file is reported without the wait
    inputs = load_inputs(args.input, input_format=args.input_format, stdin_text=stdin_text)
    predictor = load_predictor(args.model, batch_size=args.batch_size, tfidf=args.tfidf)
    articles = predictor.predict_articles(inputs)
    write_output(render(articles, args.format, task=predictor.settings.task), args.output,
                 sys.stdout)
    if args.output not in (None, STDIN):
        print(f"{len(articles)} article(s) predicted -> {args.output}", file=sys.stderr)
    return 0


def register(sub) -> None:
    p = sub.add_parser("predict", help="predict entities / sentence labels on text or articles")
    p.add_argument("model", help="run directory, model folder, or Hub id")
    p.add_argument("input", help=".txt article, a corpus file araft reads (jsonl, conll, ...), "
                                 "or - for text on stdin")
    p.add_argument("--output", "-o", default=None, help="output file (default: stdout)")
    p.add_argument("--format", default="jsonl", choices=OUTPUT_FORMATS,
                   help="output format (default: Article JSONL with surface text and scores)")
    p.add_argument("--input-format", default=None,
                   help="input format: text, or a corpus format (detected when omitted)")
    p.add_argument("--batch-size", type=int, default=32)
    add_tfidf_switch(p)
    p.set_defaults(func=_run)


def add_tfidf_switch(p) -> None:
    p.add_argument("--no-tfidf", dest="tfidf", action="store_false",
                   help="claims and joint models with a TF-IDF blend: score sentences with the encoder "
                        "alone, decided with the thresholds dev chose for it (araft.encoder_thresholds)")
