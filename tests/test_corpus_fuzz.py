"""Property tests: every reader, fed random Arabic/Latin text with marks, punctuation and random
(valid or invalid) spans, either returns valid Articles or raises DataError, nothing else."""
import json

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from araft.corpus.article import validate_article
from araft.corpus.checkthat import parse_checkworthy, parse_subjectivity
from araft.corpus.conll import dumps_conll, parse_conll
from araft.corpus.doccano import parse_doccano
from araft.corpus.jsonl import dumps_article, parse_jsonl
from araft.corpus.labelstudio import parse_labelstudio
from araft.corpus.tags import normalize_tags
from araft.errors import DataError

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Arabic letters, diacritics, tatweel, Latin, digits (both kinds), punctuation of both scripts,
# quotes, bidi/zero-width marks, an emoji, and whitespace including line breaks and tabs.
ALPHABET = ("ابتثجحخدذرسشصضطظعغفقكلمنهوىيءآأؤإئة" "\u064b\u064e\u064f\u0650\u0651\u0652\u0670ـ"
            "abcXYZ0189٠١٩" ".,:;!?؟،؛()[]«»“”\"'-…/" "\u200f\u200e\u200d\u200c\ufeff😀" "  \n\t\r\u00a0\u2028")
WORD_CHARS = "".join(c for c in ALPHABET if not c.isspace())
TEXT = st.one_of(st.text(alphabet=ALPHABET, max_size=60),
                 st.lists(st.text(alphabet=WORD_CHARS, min_size=1, max_size=8), min_size=1, max_size=10)
                 .map(" ".join))
# mostly valid labels, sometimes not
LABELS = st.sampled_from(["PERS", "LOC", "ORG", "MISC"] * 3 + ["claim", "obstacle", "", " ", "B-X"])


def _valid(articles):
    ids = [a.id for a in articles]
    assert len(ids) == len(set(ids))
    for a in articles:
        validate_article(a)
        assert all(0 <= e.start < e.end <= len(a.text) for e in a.entities)
        assert parse_jsonl(dumps_article(a), "x.jsonl") == [a]  # anything read can be written


def _either(parse, *args, **kwargs):
    try:
        articles = parse(*args, **kwargs)
    except DataError as err:
        assert str(err)  # a message, with a location where one exists
        event("DataError")
        return None
    event(f"valid, {'some' if any(a.entities for a in articles) else 'no'} entities")
    _valid(articles)
    return articles


@st.composite
def spans(draw, text):
    n = len(text)
    out = []
    for _ in range(draw(st.integers(0, 3))):
        if n and draw(st.integers(0, 3)):  # mostly a span inside the text
            start = draw(st.integers(0, n - 1))
            end = draw(st.integers(start + 1, n))
        else:  # anything: outside, reversed, empty
            start, end = draw(st.integers(-2, n + 2)), draw(st.integers(-2, n + 2))
        out.append((start, end, draw(LABELS)))
    return out


@st.composite
def article_dicts(draw):
    text = draw(TEXT)
    ents = [{"start": s, "end": e, "label": lab} for s, e, lab in draw(spans(text))]
    obj = {"id": draw(st.one_of(st.uuids().map(str), st.uuids().map(str), st.text(max_size=2),
                                st.integers(0, 3), st.none())),
           "text": text, "entities": draw(st.sampled_from([ents] * 6 + [None, "x", 5, [1]]))}
    if draw(st.booleans()):
        obj["sentences"] = [{"start": s, "end": e, "labels": draw(st.lists(LABELS, max_size=2))}
                            for s, e, _ in draw(spans(text))]
    return obj


@FAST
@given(st.lists(article_dicts(), max_size=3), st.sampled_from([None, ["PERS", "LOC"]]))
def test_jsonl_reader(objs, declared):
    _either(parse_jsonl, "\n".join(json.dumps(o, ensure_ascii=False) for o in objs), "f.jsonl",
            entity_labels=declared)


@FAST
@given(st.lists(article_dicts(), max_size=3), st.booleans())
def test_doccano_reader(objs, entity_dicts):
    lines = []
    for o in objs:
        ents = o.get("entities") if isinstance(o.get("entities"), list) else []
        if entity_dicts:
            row = {"text": o["text"], "entities": [
                {"start_offset": e.get("start"), "end_offset": e.get("end"), "label": e.get("label")}
                if isinstance(e, dict) else e for e in ents]}
        else:
            row = {"text": o["text"], "label": [[e["start"], e["end"], e["label"]] if isinstance(e, dict) else e
                                                for e in ents]}
        lines.append(json.dumps(row, ensure_ascii=False))
    _either(parse_doccano, "\n".join(lines), "d.jsonl", sentence_labels=["claim", "obstacle"])


@FAST
@given(st.lists(article_dicts(), max_size=3), st.booleans())
def test_labelstudio_reader(objs, with_text):
    tasks = []
    for i, o in enumerate(objs):
        ents = o.get("entities") if isinstance(o.get("entities"), list) else []
        result = []
        for e in ents:
            if not isinstance(e, dict):
                result.append(e)
                continue
            value = {"start": e["start"], "end": e["end"], "labels": [e["label"]]}
            if with_text:
                value["text"] = o["text"][e["start"]:e["end"]]
            kind = "choices" if e["label"] in ("claim", "obstacle") else "labels"
            if kind == "choices":
                value["choices"] = value.pop("labels")
            result.append({"type": kind, "value": value})
        tasks.append({"id": i, "data": {"text": o["text"]}, "annotations": [{"result": result}]})
    _either(parse_labelstudio, json.dumps(tasks, ensure_ascii=False), "l.json")


TOKENS = st.one_of(st.text(alphabet=WORD_CHARS, min_size=1, max_size=6),
                   st.text(alphabet=WORD_CHARS, min_size=1, max_size=6),
                   st.text(alphabet=ALPHABET, max_size=6))
TAGS = st.sampled_from(["O"] * 8 + ["B-PERS", "I-PERS", "B-LOC", "I-LOC"] * 2
                       + ["E-LOC", "S-ORG", "IO", "B-", "X"])


@FAST
@given(st.lists(st.lists(st.tuples(TOKENS, TAGS), min_size=1, max_size=6), min_size=1, max_size=4),
       st.sampled_from(["\t", " "]), st.booleans(), st.booleans())
def test_conll_reader_and_round_trip(sentences, sep, docstart, strict):
    body = "\n\n".join("\n".join(f"{tok}{sep}{tag}" for tok, tag in sent) for sent in sentences)
    text = ("-DOCSTART-\tO\n\n" if docstart else "") + body + "\n"
    articles = _either(parse_conll, text, "c.conll", strict=strict)
    if articles is None or any(tok.split() != [tok] for sent in sentences for tok, _ in sent):
        return  # whitespace in a token: extra columns or stripped, a different file (still read)
    # what was read is written back token for token, with its tags in IOB2
    got = [ln.split("\t") for ln in dumps_conll(articles, docstart=False).split("\n") if ln.strip()]
    want = []
    for sent in sentences:
        norm = normalize_tags([t for _, t in sent], scheme="iob2", repairs=[])
        want += [[tok, tag] for (tok, _), tag in zip(sent, norm)]
    if all(t[:2] not in ("E-", "S-") for s in sentences for _, t in s):
        assert got == want
    else:
        assert [g[0] for g in got] == [w[0] for w in want]


FIELD = st.one_of(st.text(alphabet=WORD_CHARS + " ", min_size=1, max_size=12),
                  st.text(alphabet=ALPHABET + "\"", max_size=12))
ROWS = st.lists(st.one_of(st.uuids().map(lambda u: [str(u), "u", "x"]),
                          st.lists(FIELD, min_size=3, max_size=3),
                          st.lists(FIELD, min_size=2, max_size=5)), max_size=4)


@FAST
@given(ROWS, st.sampled_from(["Yes", "No", "OBJ", "SUBJ", "maybe"]))
def test_checkthat_readers(rows, label):
    for header, parse in (("tweet_id\ttweet_url\ttweet_text\tclass_label", parse_checkworthy),
                          ("sentence_id\tsentence\tlabel", parse_subjectivity)):
        width = header.count("\t") + 1
        lines = [header] + ["\t".join(([r[0]] + ["u"] * (width - 3) + r[1:])[:width - 1] + [label])
                            if len(r) == 3 else "\t".join(r[:-1] + [label]) for r in rows]
        _either(parse, "\n".join(lines) + "\n", "t.tsv")


@FAST
@given(st.text(alphabet=ALPHABET + "{}[]\":,0123456789", max_size=80))
@pytest.mark.parametrize("parse", [parse_jsonl, parse_conll, parse_doccano, parse_labelstudio,
                                   parse_checkworthy, parse_subjectivity])
def test_any_text_into_any_reader(parse, text):
    _either(parse, text, "any.txt")
