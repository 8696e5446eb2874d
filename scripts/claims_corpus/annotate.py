"""Compile hand annotations (one YAML per article) into Article JSONL with exact offsets.

USAGE NOTE FOR ANNOTATORS
  1. Make a skeleton to fill in (it lists every sentence, with its full text as a comment):
       .venv/bin/python -m scripts.claims_corpus.annotate skeleton 021 --pass B
     -> data/claims_obstacles/annotations/B/021.yaml (never overwrites an existing file)
  2. Edit the YAML:
       sentences:            # every sentence, in order; do not add, drop or reorder
       - {i: 0, text: "<prefix of the sentence>", labels: []}          # title/heading: always []
       - {i: 3, text: "وقال الوزير", labels: [claim]}                   # claim, obstacle, or both
       entities:
       - {text: "روسيا", type: LOC, occ: all}     # every whole-word occurrence (proclitic و ف ب ل ك allowed before)
       - {text: "المعلم", type: PERS, occ: 2}     # the 2nd occurrence in the article (1-based)
       - {text: "المعلم", type: PERS, occ: [1, 3]}
       - {text: "عباس", type: PERS, s: 5}         # occurrence(s) inside sentence 5 only (occ counts there; default all)
       - {text: "للولايات المتحدة", type: LOC, occ: 1, raw: true}  # raw: plain substring match, no word check
     Types: PERS LOC ORG MISC. The surface is the exact span (no proclitic, no title/role).
     A surface starting with ال also matches the contracted form after ل («للأمم المتحدة» for
     «الأمم المتحدة»); that span then covers the whole word, as the clitic cannot be cut off.
     A surface starting with الل («اللجنة») contracts one letter shorter («للجنة»): that form is not
     matched; write it as found with raw: true.
     `occ: all` never overrides a longer or explicitly placed span that overlaps it (longest wins).
  3. Check and compile one pass (fails loudly, naming the file, on any unknown surface, wrong
     sentence prefix, wrong sentence count or overlapping spans):
       .venv/bin/python -m scripts.claims_corpus.annotate build --pass B
     -> data/claims_obstacles/annotations/B.jsonl ;  `check 021 --pass B` prints one article's spans.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import yaml

from araft.corpus.article import Article, Entity, Sentence, validate_article
from araft.errors import DataError
from scripts.claims_corpus.common import DATA, read_table, sentence_spans

ENTITY_TYPES = ("PERS", "LOC", "ORG", "MISC")
SENTENCE_LABELS = ("claim", "obstacle")
PROCLITICS = "وفبلك"
LICENSE = "CC BY-NC-SA 4.0 (research use only)"
SOURCE = "SaudiNewsNet (parallelfold/SaudiNewsNet)"


def _is_letter(ch: str) -> bool:
    return ch.isalpha() and ch != "ـ"  # tatweel (as in «لـ») is a separator, not a letter


def word_occurrences(text: str, surface: str, lo: int = 0, hi: int | None = None,
                     raw: bool = False) -> list[int]:
    """Start offsets of ``surface`` in text[lo:hi] as a whole word (up to proclitics before it)."""
    hi = len(text) if hi is None else hi
    out = []
    pattern = re.escape(surface)
    if not raw and surface.startswith("ال"):
        # ل + ال contracts to لل («للأمم المتحدة»): the clitic cannot be cut off, so the span
        # covers the whole contracted word (same length as the surface).
        pattern = f"(?:{pattern}|{re.escape('ل' + surface[1:])})"
    for m in re.finditer(pattern, text[lo:hi]):
        s, e = lo + m.start(), lo + m.end()
        if not raw:
            if e < len(text) and _is_letter(text[e]) and _is_letter(surface[-1]):
                continue
            k = s
            while k > 0 and text[k - 1] in PROCLITICS and k > s - 3:
                k -= 1
            if k > 0 and _is_letter(text[k - 1]) and _is_letter(surface[0]):
                continue
        out.append(s)
    return out


def load_yaml(path: Path) -> dict:
    try:
        obj = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        raise DataError(f"not valid YAML: {err}", path=str(path)) from None
    if not isinstance(obj, dict):
        raise DataError("expected a mapping with 'sentences' and 'entities'", path=str(path))
    return obj


def compile_article(idx: str, ann: dict, text: str, origin: dict, pass_name: str,
                    path: Path) -> Article:
    def fail(reason: str) -> None:
        raise DataError(reason, path=str(path), article_id=f"co_{idx}")

    spans = sentence_spans(text)
    listed = ann.get("sentences") or []
    if len(listed) != len(spans):
        fail(f"{len(listed)} sentences listed, the splitter finds {len(spans)}")
    sentences = []
    for pos, (item, (s, e)) in enumerate(zip(listed, spans)):
        if not isinstance(item, dict) or item.get("i") != pos:
            fail(f"sentence entry #{pos} must be a mapping with i: {pos}, got {item!r}")
        prefix = str(item.get("text") or "")
        if not prefix or not text[s:e].startswith(prefix):
            fail(f"sentence {pos}: prefix {prefix!r} does not match {text[s:e][:60]!r}")
        labels = item.get("labels") or []
        bad = [x for x in labels if x not in SENTENCE_LABELS]
        if bad or len(set(labels)) != len(labels):
            fail(f"sentence {pos}: bad labels {labels!r}")
        sentences.append(Sentence(s, e, tuple(x for x in SENTENCE_LABELS if x in labels)))

    placed: list[Entity] = []
    explicit, every = [], []
    for n, item in enumerate(ann.get("entities") or []):
        if not isinstance(item, dict) or not item.get("text") or item.get("type") not in ENTITY_TYPES:
            fail(f"entity entry #{n} needs text and type in {ENTITY_TYPES}: {item!r}")
        (every if item.get("occ", "all") == "all" else explicit).append(item)

    def starts(item: dict) -> list[int]:
        lo, hi = 0, len(text)
        if "s" in item:
            si = item["s"]
            if not isinstance(si, int) or not 0 <= si < len(spans):
                fail(f"entity {item['text']!r}: no sentence {si!r}")
            lo, hi = spans[si]
        found = word_occurrences(text, item["text"], lo, hi, bool(item.get("raw")))
        if not found:
            where = f" in sentence {item['s']}" if "s" in item else ""
            fail(f"entity surface {item['text']!r} ({item['type']}) not found{where}")
        return found

    def overlaps(s: int, e: int) -> bool:
        return any(s < p.end and p.start < e for p in placed)

    for item in explicit:
        found = starts(item)
        occ = item["occ"] if isinstance(item["occ"], list) else [item["occ"]]
        for k in occ:
            if not isinstance(k, int) or not 1 <= k <= len(found):
                fail(f"entity {item['text']!r}: occurrence {k!r} of {len(found)}")
            s = found[k - 1]
            e = s + len(item["text"])
            if overlaps(s, e):
                fail(f"entity {item['text']!r} occurrence {k} overlaps another explicit span")
            placed.append(Entity(s, e, item["type"]))
    for item in sorted(every, key=lambda it: -len(it["text"])):
        for s in starts(item):
            e = s + len(item["text"])
            if not overlaps(s, e):
                placed.append(Entity(s, e, item["type"]))
    placed.sort(key=lambda x: (x.start, x.end))
    art = Article(id=f"co_{idx}", text=text, entities=placed, sentences=sentences,
                  meta={"source": SOURCE, **origin, "license": LICENSE, "annotation_pass": pass_name})
    try:
        validate_article(art, entity_labels=ENTITY_TYPES, sentence_labels=SENTENCE_LABELS)
    except DataError as err:
        raise err.at(path=str(path)) from None
    return art


def selection() -> dict[str, dict]:
    """index -> where the article comes from: the first 40 from the 08-07..08-11 text file
    (selection.tsv), the rest from the 2015 JSONL with id, newspaper, date and url (pool_selection.tsv)."""
    out = {r["index"]: {"source_file": "saudinewsnet_2015-08-07_to_2015-08-11.txt",
                        "source_article_number": int(r["article_number"]), "url": None}
           for r in read_table("selection.tsv")}
    for r in read_table("pool_selection.tsv"):
        out[r["index"]] = {"source_file": "saudinewsnet_2015.jsonl", "snn_id": r["snn_id"],
                           "newspaper": r["newspaper"], "date": r["date"], "url": r["url"]}
    return out


def build_pass(pass_name: str, only: list[str] | None = None) -> list[Article]:
    numbers = selection()
    folder = DATA / "annotations" / pass_name
    out = []
    for path in sorted(folder.glob("*.yaml")):
        idx = path.stem
        if only and idx not in only:
            continue
        if idx not in numbers:
            raise DataError("not an article of selection.tsv or pool_selection.tsv", path=str(path))
        text = (DATA / "raw" / f"{idx}.txt").read_text(encoding="utf-8")
        out.append(compile_article(idx, load_yaml(path), text, numbers[idx], pass_name, path))
    return out


def _printable(text: str) -> str:
    """``text`` with the control characters YAML refuses even in a comment (a raw U+001A is in
    some source articles) written as \\xNN."""
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f]", lambda m: f"\\x{ord(m.group()):02x}", text)


def skeleton(idx: str, pass_name: str) -> Path:
    text = (DATA / "raw" / f"{idx}.txt").read_text(encoding="utf-8")
    path = DATA / "annotations" / pass_name / f"{idx}.yaml"
    if path.exists():
        raise SystemExit(f"{path} exists; not overwriting")
    lines = [f"# article {idx}, pass {pass_name}", "sentences:"]
    for i, (s, e) in enumerate(sentence_spans(text)):
        sent = text[s:e]
        lines.append(f"# [{i}] {_printable(sent)}")
        prefix = " ".join(sent.split(" ")[:4])
        lines.append(f"- {{i: {i}, text: {json.dumps(prefix, ensure_ascii=False)}, labels: []}}")
    lines.append("entities:")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("command", choices=["skeleton", "build", "check"])
    ap.add_argument("articles", nargs="*", help="article indices such as 001 (skeleton/check)")
    ap.add_argument("--pass", dest="pass_name", required=True)
    args = ap.parse_args(argv)
    if args.command == "skeleton":
        for idx in args.articles:
            print(skeleton(idx, args.pass_name))
        return 0
    try:
        arts = build_pass(args.pass_name, args.articles or None)
    except DataError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    if args.command == "check":
        for art in arts:
            for ent in art.entities:
                print(f"{art.id}\t{ent.label}\t{ent.start}\t{ent.end}\t{art.text[ent.start:ent.end]}")
            for i, s in enumerate(art.sentences or []):
                print(f"{art.id}\t[{i}]\t{','.join(s.labels) or '-'}\t{art.text[s.start:s.end][:70]}")
        return 0
    out = DATA / "annotations" / f"{args.pass_name}.jsonl"
    with out.open("w", encoding="utf-8") as fh:
        for art in arts:
            fh.write(json.dumps(art.to_dict(), ensure_ascii=False) + "\n")
    print(f"{len(arts)} articles -> {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
