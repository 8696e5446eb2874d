"""report.html / compare.html: one self-contained file (CSS inline, figures as base64 PNG, no
script, nothing fetched), readable offline and attachable to a review.

The page is `<html lang="ar" dir="ltr">`: the chrome is English, left to right; every Arabic
snippet sits in an element with dir="rtl" (sentences) or in a <bdi> (table cells), so the browser
lays it out right to left and isolates it from the surrounding left-to-right text.
"""
from __future__ import annotations

import base64
import re
from html import escape
from pathlib import Path

from araft.reporting.doc import Document, Example, Examples, Figure, Table, Text, fmt, segments

_AR = "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff"
# A run starts and ends on an Arabic character; spaces and punctuation may sit inside it.
_ARABIC_RUN = re.compile(f"[{_AR}](?:[{_AR}\\s\\u200c\\u200d.,:!?\"'«»“”()-]*[{_AR}])?")

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans","Noto Naskh Arabic","DejaVu Sans",sans-serif;
margin:0;color:#1f2328;background:#fff;line-height:1.45}
main{max-width:1150px;margin:0 auto;padding:1.2rem 1.6rem 3rem}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{border-bottom:1px solid #d0d7de;padding-bottom:.2rem;margin-top:2rem}
.subtitle{color:#57606a;margin-top:0}nav a{margin-right:.9rem}
table{border-collapse:collapse;margin:.4rem 0 1.2rem;font-size:.9rem}
caption{caption-side:top;text-align:left;font-style:italic;color:#57606a;padding:.2rem 0}
th,td{border:1px solid #d0d7de;padding:.25rem .55rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}td.num{text-align:right;font-variant-numeric:tabular-nums}
figure{margin:.6rem 0 1.4rem}figure img{max-width:100%;height:auto;border:1px solid #eaeef2}
figcaption{color:#57606a;font-size:.9rem}
.examples{margin:.4rem 0 1.6rem}.examples h3{font-size:1rem;margin:.8rem 0 .3rem}
.example{border:1px solid #d0d7de;border-radius:6px;padding:.5rem .8rem;margin:.5rem 0}
.example .title{font-weight:600;font-size:.9rem}
.sentence{font-size:1.2rem;line-height:2.1;margin:.3rem 0;text-align:right;unicode-bidi:isolate}
.example dl{display:grid;grid-template-columns:max-content auto;gap:.05rem .8rem;margin:.2rem 0;font-size:.85rem}
.example dt{color:#57606a}.example dd{margin:0}
mark{background:transparent;color:inherit;padding:0 .05rem;border-radius:2px}
mark.gold{border-bottom:3px solid #2da44e}mark.pred{background:#ffd8a8}
mark.focus{outline:2px solid #cf222e;outline-offset:1px}
.legend mark{font-size:.9rem}
"""


def _text(value) -> str:
    """Escaped text; each Arabic run (Arabic letters, and the spaces and punctuation between
    them) isolated in a right-to-left <bdi>, so "كيريل دميترييف (PERS)" keeps its reading order."""
    s = fmt(value)
    out, last = [], 0
    for m in _ARABIC_RUN.finditer(s):
        out.append(escape(s[last:m.start()]))
        out.append(f'<bdi lang="ar" dir="rtl">{escape(m.group())}</bdi>')
        last = m.end()
    out.append(escape(s[last:]))
    return "".join(out)


def _is_num(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def table(t: Table) -> str:
    head = "".join(f"<th>{_text(c)}</th>" for c in t.columns)
    body = "".join("<tr>" + "".join(
        f'<td class="num">{_text(c)}</td>' if _is_num(c) else f"<td>{_text(c)}</td>" for c in row)
        + "</tr>" for row in t.rows)
    cap = f"<caption>{escape(t.caption)}</caption>" if t.caption else ""
    return f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def figure(f: Figure, base: Path) -> str:
    data = base64.b64encode((base / f.path).read_bytes()).decode("ascii")
    return (f'<figure><img src="data:image/png;base64,{data}" alt="{escape(f.caption)}">'
            f"<figcaption>{escape(f.caption)}</figcaption></figure>")


def sentence(ex: Example) -> str:
    parts = []
    for piece, marks in segments(ex.sentence, ex.marks):
        if not marks:
            parts.append(escape(piece))
            continue
        kinds = sorted({m.kind for m in marks})
        classes = kinds + (["focus"] if any(m.focus for m in marks) else [])
        title = " · ".join(f"{'gold' if m.kind == 'gold' else 'predicted'} {m.label}" for m in marks)
        data = "".join(f' data-{m.kind}="{escape(m.label)}"' for m in marks)
        parts.append(f'<mark class="{" ".join(classes)}" title="{escape(title)}"{data}>'
                     f"{escape(piece)}</mark>")
    return f'<p class="sentence" lang="ar" dir="rtl">{"".join(parts)}</p>'


def examples(block: Examples) -> str:
    items = []
    for ex in block.items:
        details = "".join(f"<dt>{escape(a)}</dt><dd>{_text(b)}</dd>" for a, b in ex.details)
        items.append(f'<div class="example"><div class="title">{escape(ex.title)}</div>'
                     f"{sentence(ex)}<dl>{details}</dl></div>")
    body = "".join(items) or "<p>None.</p>"
    return f'<div class="examples"><h3>{escape(block.caption)}</h3>{body}</div>'


def _anchor(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def render_html(doc: Document, base: Path) -> str:
    """The whole page; `base` is the directory the figures' relative paths start from."""
    out = []
    nav = " ".join(f'<a href="#{_anchor(s.title)}">{escape(s.title)}</a>' for s in doc.sections)
    for sec in doc.sections:
        h = f"h{sec.level}"
        out.append(f'<section id="{_anchor(sec.title)}"><{h}>{escape(sec.title)}</{h}>')
        for block in sec.blocks:
            if isinstance(block, Text):
                out.append(f"<p>{_text(block.text)}</p>")
            elif isinstance(block, Table):
                out.append(table(block))
            elif isinstance(block, Figure):
                out.append(figure(block, base))
            elif isinstance(block, Examples):
                out.append(examples(block))
        out.append("</section>")
    legend = ""
    if any(isinstance(b, Examples) for s in doc.sections for b in s.blocks):
        legend = ('<p class="legend">In example sentences: <mark class="gold">gold span</mark> · '
                  '<mark class="pred">predicted span</mark> · '
                  '<mark class="gold pred">both</mark> · '
                  '<mark class="pred focus">the error shown</mark></p>')
    return (f'<!DOCTYPE html>\n<html lang="ar" dir="ltr">\n<head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(doc.title)}</title><style>{CSS}</style></head>\n"
            f'<body><main lang="en"><h1>{escape(doc.title)}</h1>'
            f'<p class="subtitle">{escape(doc.subtitle)}</p><nav>{nav}</nav>{legend}'
            + "\n".join(out) + "</main></body>\n</html>\n")
