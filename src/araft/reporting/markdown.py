"""report.md / compare.md: the document model as GitHub-flavoured markdown.

Plain markdown only (no inline HTML), so it reads the same in a terminal, a diff and on a forge.
In example sentences gold spans are bracketed ⟦…⟧ and predicted spans ⟨…⟩; both brackets are
Bidi_Mirrored, so they still open and close the right way inside right-to-left Arabic text.
"""
from __future__ import annotations

from araft.reporting.doc import Document, Example, Examples, Figure, Mark, Table, Text, fmt

GOLD = ("⟦", "⟧")
PRED = ("⟨", "⟩")


def _cell(value) -> str:
    return fmt(value).replace("|", "\\|").replace("\n", " ")


def table(t: Table) -> list[str]:
    out = [f"*{t.caption}*", ""] if t.caption else []
    out.append("| " + " | ".join(_cell(c) for c in t.columns) + " |")
    out.append("|" + "|".join("---" for _ in t.columns) + "|")
    out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in t.rows]
    if not t.rows:
        out.append("| " + " | ".join(["–"] * len(t.columns)) + " |")
    return out


def bracketed(ex: Example) -> str:
    """The sentence with ⟦gold⟧ and ⟨predicted⟩ brackets inserted at the span boundaries, properly
    nested: at one offset the longer span opens first and closes last (pred outside gold on a tie)."""
    opens: dict[int, list[Mark]] = {}
    closes: dict[int, list[Mark]] = {}
    for m in ex.marks:
        opens.setdefault(m.start, []).append(m)
        closes.setdefault(m.end, []).append(m)
    text, out = ex.sentence, []
    for i in range(len(text) + 1):
        for m in sorted(closes.get(i, ()), key=lambda m: (m.end - m.start, m.kind != "gold")):
            out.append((GOLD if m.kind == "gold" else PRED)[1])
        for m in sorted(opens.get(i, ()), key=lambda m: (m.start - m.end, m.kind != "pred")):
            out.append((GOLD if m.kind == "gold" else PRED)[0])
        if i < len(text):
            out.append(text[i])
    return " ".join("".join(out).split())


def examples(block: Examples) -> list[str]:
    out = [f"**{block.caption}**", ""]
    if not block.items:
        return out + ["None.", ""]
    for k, ex in enumerate(block.items, 1):
        out.append(f"{k}. **{ex.title}** — " + "; ".join(f"{a}: {b}" for a, b in ex.details))
        out.append(f"   > {bracketed(ex)}")
        out.append("")
    return out


def render_markdown(doc: Document) -> str:
    lines = [f"# {doc.title}", ""]
    if doc.subtitle:
        lines += [f"_{doc.subtitle}_", ""]
    if any(isinstance(b, Examples) for s in doc.sections for b in s.blocks):
        lines += [f"In example sentences: {GOLD[0]}gold{GOLD[1]} and {PRED[0]}predicted{PRED[1]} spans.", ""]
    for sec in doc.sections:
        lines += ["#" * sec.level + f" {sec.title}", ""]
        for block in sec.blocks:
            if isinstance(block, Text):
                lines += [block.text, ""]
            elif isinstance(block, Table):
                lines += table(block) + [""]
            elif isinstance(block, Figure):
                lines += [f"![{block.caption}]({block.path})", ""]
            elif isinstance(block, Examples):
                lines += examples(block)
    return "\n".join(lines).rstrip() + "\n"
