"""The seed gold annotation (seeds/seed.jsonl): well-formed, faithful to the text and the guideline,
and reproducible from scripts.make_seed_gold."""
from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from araft.corpus.article import Article, validate_article
from scripts import make_seed_gold as script

REPO = Path(__file__).resolve().parents[1]
SEED_TXT = REPO / "seeds" / "000_2a0c97e50c8b63d1.txt"
SEED_JSONL = REPO / "seeds" / "seed.jsonl"

# Expected surfaces per type (independent of the script, so the two check each other).
SURFACES = {
    "PERS": {"كيريل دميترييف", "دميترييف", "فولوديمير زيلينسكي", "زيلينسكي"},
    "LOC": {"روسيا", "الولايات المتحدة", "أوكرانيا", "ميامي", "موسكو", "واشنطن", "تركيا",
            "الصين", "شبه جزيرة القرم", "القرم"},
    "ORG": {"وزارة الخارجية الأمريكية", "الناتو"},
    "MISC": {"الحرب الروسية الأوكرانية"},
}
TOTALS = {"PERS": 4, "LOC": 36, "ORG": 2, "MISC": 1}
N_SENTENCES, N_HEADINGS = 34, 3
N_CLAIM, N_OBSTACLE, N_BOTH = 8, 11, 2
CLITICS = "وفبلك"
# Nationality adjectives that occur in the seed; they may only appear inside these names.
ADJECTIVE = re.compile(r"(?<!\w)(?:ال)?(?:روسي|روسية|أمريكي|أمريكية|أوكراني|أوكرانية|أوروبي|أوروبية)"
                       r"(?!\w)")
NAMES_WITH_ADJECTIVES = {"وزارة الخارجية الأمريكية", "الحرب الروسية الأوكرانية"}


@pytest.fixture(scope="module")
def text() -> str:
    with open(SEED_TXT, encoding="utf-8", newline="") as fh:
        return fh.read()


@pytest.fixture(scope="module")
def article() -> Article:
    lines = SEED_JSONL.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1
    return Article.from_dict(json.loads(lines[0]))


def test_valid_and_identified(article: Article) -> None:
    validate_article(article, entity_labels=set(SURFACES), sentence_labels={"claim", "obstacle"})
    assert article.id == "000_2a0c97e50c8b63d1"
    assert article.meta["source"] == "seed"
    assert article.meta["file"] == SEED_TXT.name
    assert "fixture" in article.meta["license"]


def test_text_is_the_file_byte_for_byte(article: Article) -> None:
    assert article.text.encode("utf-8") == SEED_TXT.read_bytes()
    assert article.text.endswith("\n\n\n\n\n\n\n")  # trailing newlines kept


def test_entity_surfaces_and_totals(article: Article) -> None:
    for ent in article.entities:
        assert article.text[ent.start:ent.end] in SURFACES[ent.label], ent
    assert Counter(e.label for e in article.entities) == TOTALS
    by_surface = Counter(article.text[e.start:e.end] for e in article.entities)
    assert by_surface["روسيا"] == 9 and by_surface["أوكرانيا"] == 10
    assert by_surface["الولايات المتحدة"] == 7 and by_surface["ميامي"] == 3


def test_every_plain_occurrence_is_tagged(article: Article, text: str) -> None:
    # Each occurrence of a listed surface as a whole word (clitics allowed before it) is covered.
    spans = [(e.start, e.end) for e in article.entities]
    for surfaces in SURFACES.values():
        for surface in surfaces:
            pattern = rf"(?<![^\W{CLITICS}]){re.escape(surface)}(?!\w)"
            for m in re.finditer(pattern, text):
                assert any(s <= m.start() and m.end() <= e for s, e in spans), (surface, m.start())


def test_sentence_counts(article: Article) -> None:
    sents = article.sentences or []
    assert len(sents) == N_SENTENCES
    assert sum("claim" in s.labels for s in sents) == N_CLAIM
    assert sum("obstacle" in s.labels for s in sents) == N_OBSTACLE
    assert sum(set(s.labels) == {"claim", "obstacle"} for s in sents) == N_BOTH
    for s in sents:
        assert list(s.labels) == sorted(s.labels)  # canonical order: claim before obstacle


def test_guideline_examples(article: Article) -> None:
    labels = {article.text[s.start:s.end]: set(s.labels) for s in article.sentences or []}
    assert labels["ووفقًا لدميترييف، فإن المناقشات حتى الآن تسير بشكل “بناء”."] == {"claim"}
    assert labels["بالإضافة إلى ذلك، هناك انعدام الثقة المتبادل بين الجانبين، مما يجعل من الصعب "
                  "تحقيق أي تقدم حقيقي."] == {"obstacle"}
    assert labels["أوكرانيا والولايات المتحدة ترفضان الاعتراف بالضم الروسي، بينما تصر موسكو على أن "
                  "القرم جزء لا يتجزأ من أراضيها."] == {"claim", "obstacle"}
    optimism = [t for t in labels if t.startswith("هناك تفاؤل حذر")]
    assert len(optimism) == 1 and labels[optimism[0]] == set()


def test_sentence_spans_follow_the_boundary_rule(article: Article, text: str) -> None:
    sents = article.sentences or []
    covered = set()
    for s in sents:
        chunk = text[s.start:s.end]
        assert chunk == chunk.strip() and "\n" not in chunk
        body = chunk.rstrip("“”«»\"")
        assert not any(ch in ".!?؟" for ch in body[:-1]), chunk
        if body[-1] not in ".!?؟":  # a heading: a whole line, no labels
            assert s.labels == ()
            assert text[s.end] == "\n" and (s.start == 0 or text[s.start - 1] == "\n")
        covered.update(range(s.start, s.end))
    uncovered = {i for i, ch in enumerate(text) if not ch.isspace()} - covered
    assert not uncovered
    assert sum(text[s.end - 1] not in ".!?؟" for s in sents) == N_HEADINGS


def test_every_entity_lies_in_one_sentence(article: Article) -> None:
    for ent in article.entities:
        inside = [s for s in article.sentences or [] if s.start <= ent.start and ent.end <= s.end]
        assert len(inside) == 1, ent


def test_no_proclitic_left_in_a_span(article: Article, text: str) -> None:
    all_surfaces = set().union(*SURFACES.values())
    for ent in article.entities:
        span = text[ent.start:ent.end]
        # A span starting with a clitic letter is fine only when that letter belongs to the name
        # (واشنطن, فولوديمير, كيريل): what follows it must not itself be a listed name.
        if span[0] in CLITICS:
            assert span[1:] not in all_surfaces, span
            assert not any(span[1:].startswith(s) for s in all_surfaces), span
        # Whatever precedes the span inside its word is only proclitics (at most two).
        word_start = ent.start
        while word_start > 0 and text[word_start - 1].isalpha():
            word_start -= 1
        prefix = text[word_start:ent.start]
        assert len(prefix) <= 2 and all(ch in CLITICS for ch in prefix), (span, prefix)
        assert ent.end == len(text) or not text[ent.end].isalpha(), span
    # The cases the brief names explicitly.
    starts = {ent.start for ent in article.entities}
    for word, cut in [("لدميترييف", 1), ("والولايات المتحدة", 1), ("وروسيا", 1), ("وواشنطن", 1),
                      ("لزيلينسكي", 1), ("والناتو", 1), ("والصين", 1), ("وأوكرانيا", 1)]:
        for m in re.finditer(re.escape(word), text):
            assert m.start() not in starts and m.start() + cut in starts, word


def test_no_standalone_nationality_adjective(article: Article, text: str) -> None:
    for ent in article.entities:
        assert not ADJECTIVE.fullmatch(text[ent.start:ent.end])
    for m in ADJECTIVE.finditer(text):
        for ent in article.entities:
            if ent.start < m.end() and m.start() < ent.end:
                assert text[ent.start:ent.end] in NAMES_WITH_ADJECTIVES, m.group()
    # «المفاوضات الروسية الأمريكية» (twice) and «الأزمة الأوكرانية» are not names.
    for phrase in ("الروسية الأمريكية", "الأزمة الأوكرانية", "الأمن الأوروبي", "المجتمع الدولي"):
        for m in re.finditer(phrase, text):
            assert not any(e.start < m.end() and m.start() < e.end for e in article.entities)


def test_script_reproduces_the_file(text: str, tmp_path: Path) -> None:
    assert script.read_seed_text() == text
    assert script.render(script.build_article(text)) == SEED_JSONL.read_text(encoding="utf-8")
    out = tmp_path / "seed.jsonl"
    assert script.main(["--out", str(out)]) == 0
    assert out.read_bytes() == SEED_JSONL.read_bytes()


def test_script_refuses_a_changed_text(text: str) -> None:
    # One mention fewer must stop the script: counts are asserted, nothing is silently dropped.
    with pytest.raises(AssertionError, match="ميامي"):
        script.build_article(text.replace("في ميامي لعدة", "في المدينة لعدة"))


def test_segmenter_agrees_with_gold(article: Article) -> None:
    if not (REPO / "src" / "araft" / "corpus" / "segment.py").exists():
        pytest.skip("araft.corpus.segment not written yet")
    from araft.corpus.segment import split_sentences

    gold = [(s.start, s.end) for s in article.sentences or []]
    assert [tuple(span) for span in split_sentences(article.text)] == gold
