"""Corpus statistics and their text rendering."""
from pathlib import Path

from araft.corpus.article import Article, Entity, Sentence
from araft.corpus.conll import parse_conll
from araft.corpus.stats import corpus_stats, render_stats

SEED = Path(__file__).resolve().parents[1] / "seeds" / "000_2a0c97e50c8b63d1.txt"


def test_counts_on_small_corpus():
    arts = parse_conll("محمد\tB-PERS\nعلي\tI-PERS\nفي\tO\nعمان\tB-LOC\n\nقال\tO\n.\tO\n", "s.conll")
    arts.append(Article("x", "قال الوزير. ورفضت موسكو.", [Entity(18, 23, "LOC")],
                        [Sentence(0, 11, ("claim",)), Sentence(12, 24, ("claim", "obstacle"))]))
    stats = corpus_stats(arts)
    assert stats["articles"] == 3 and stats["sentences"] == 4
    assert stats["words"] == 4 + 2 + 3 + 3
    assert stats["entities"] == {"LOC": 2, "PERS": 1} and stats["entities_total"] == 3
    assert stats["sentence_labels"] == {"claim": 2, "obstacle": 1} and stats["sentences_with_labels"] == 2
    length = stats["sentence_length"]
    assert (length["min"], length["max"], length["median"]) == (2, 4, 3)
    assert length["histogram"]["1-4"] == 4 and sum(length["histogram"].values()) == 4
    text = render_stats(stats, title="s.conll")
    assert text.startswith("s.conll\narticles") and "obstacle" in text and "1-4" in text


def test_unsegmented_article_uses_the_splitter():
    text = SEED.read_text(encoding="utf-8")
    stats = corpus_stats([Article("seed", text)])
    assert stats["articles_without_sentence_spans"] == 1
    assert stats["sentences"] > 5 and stats["words"] > 100
    assert "split by the segmenter" in render_stats(stats)


def test_empty_corpus():
    stats = corpus_stats([])
    assert stats["articles"] == 0 and stats["sentence_length"]["max"] == 0
    render_stats(stats)
