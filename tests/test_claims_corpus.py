"""The claims/obstacles corpus: released files are valid and faithful; the tools fail loudly."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from araft.corpus.article import Article, validate_article
from araft.corpus.segment import split_sentences
from araft.errors import DataError
from scripts.claims_corpus import agreement, annotate, stories

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data" / "claims_obstacles"
SOURCE = REPO.parent / "shared" / "data" / "saudinewsnet" / "saudinewsnet_2015-08-07_to_2015-08-11.txt"
POOL = REPO.parent / "shared" / "data" / "saudinewsnet" / "saudinewsnet_2015.jsonl"


def _split(name: str) -> list[Article]:
    with (DATA / f"{name}.jsonl").open(encoding="utf-8") as fh:
        return [Article.from_dict(json.loads(line)) for line in fh]


def test_released_splits_are_valid_disjoint_and_faithful():
    splits = {name: _split(name) for name in ("train", "dev", "test")}
    story_split = {f"co_{r.split(chr(9))[0]}": r.split(chr(9))[2]
                   for r in (DATA / "stories.tsv").read_text(encoding="utf-8").splitlines()[1:]}
    ids = [a.id for arts in splits.values() for a in arts]
    assert len(set(ids)) == len(ids) == len(story_split) >= 150
    for name, arts in splits.items():
        for art in arts:
            assert story_split[art.id] == name  # the split stories.py gave its story
            validate_article(art, entity_labels=annotate.ENTITY_TYPES,
                             sentence_labels=annotate.SENTENCE_LABELS)
            # the text is the raw file, untouched; sentences are the project's splitter's
            assert art.text == (DATA / "raw" / f"{art.id[3:]}.txt").read_text(encoding="utf-8")
            assert [(s.start, s.end) for s in art.sentences] == split_sentences(art.text)
            assert art.meta["license"].startswith("CC BY-NC-SA 4.0")
            assert art.sentences[0].labels == ()  # the title line is a heading
            if name != "train":  # every held-out article: two passes, then adjudication
                assert art.meta["annotators"].endswith("adjudicated"), art.id
    assert sum(len(a.sentences) for a in splits["train"] + splits["dev"] + splits["test"]) >= 2500


def test_raw_texts_are_verbatim_source_articles():
    if not SOURCE.exists() or not POOL.exists():
        pytest.skip("SaudiNewsNet source not available")
    source = SOURCE.read_text(encoding="utf-8")
    pool = {}
    with POOL.open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            pool[rec["id"]] = rec
    chosen = annotate.selection()
    assert len(chosen) == len(list((DATA / "raw").glob("*.txt")))
    for idx, origin in chosen.items():
        text = (DATA / "raw" / f"{idx}.txt").read_text(encoding="utf-8")
        if "snn_id" not in origin:  # the first 40, from the 08-07..08-11 text file
            assert text in source, idx
            continue
        rec = pool[origin["snn_id"]]
        assert text == rec["title"].strip() + "\n" + rec["content"].strip(), idx
        assert (rec["date"], rec["source"], rec["url"]) == (origin["date"], origin["newspaper"], origin["url"])
        assert rec["date"] in ("2015-07-23", "2015-07-24", "2015-08-03"), idx  # the held-back pool only


def test_no_story_crosses_splits():
    """Wire copies and reports of one event share a split: the committed stories.tsv is what the
    rule gives on the raw texts, and no two articles in different splits are that similar."""
    rows = [r.split("\t") for r in (DATA / "stories.tsv").read_text(encoding="utf-8").splitlines()[1:]]
    story_of = {idx: story for idx, story, _ in rows}
    split_of = {idx: split for idx, _, split in rows}
    paths = sorted((DATA / "raw").glob("*.txt"))
    assert [p.stem for p in paths] == sorted(story_of)
    texts = [p.read_text(encoding="utf-8") for p in paths]
    forced, own = stories.chosen_by_model(), stories.own_draw()
    fit = stories.fitted_on([p.stem for p in paths], forced | own)
    assert stories.group([p.stem for p in paths], texts, fit=fit) == story_of
    assert stories.assign(story_of, forced, own) == split_of
    assert {split_of[i] for i in forced} <= {"train"}  # chosen by a model: never held out
    # the later rounds moved no earlier article: rounds 1-3 alone split the same
    early = [k for k, p in enumerate(paths) if p.stem not in forced | own]
    early_stories = stories.group([paths[k].stem for k in early], [texts[k] for k in early])
    assert stories.assign(early_stories) == {paths[k].stem: split_of[paths[k].stem] for k in early}
    sim = stories.similarity(texts, fit)
    for i, a in enumerate(paths):
        for j in range(i + 1, len(paths)):
            if split_of[a.stem] != split_of[paths[j].stem]:
                assert sim[i, j] < stories.SAME_STORY, (a.stem, paths[j].stem)


def test_model_chosen_articles_must_come_last():
    assert stories.fitted_on(["001", "002", "191"], {"191"}) == 2
    with pytest.raises(ValueError, match="after every article of rounds 1-3"):
        stories.fitted_on(["001", "191", "192"], {"001"})


def test_compile_resolves_occurrences_and_contraction():
    text = (DATA / "raw" / "001.txt").read_text(encoding="utf-8")
    spans = split_sentences(text)
    sentences = [{"i": i, "text": text[s:e][:5], "labels": []} for i, (s, e) in enumerate(spans)]
    ann = {"sentences": sentences, "entities": [
        {"text": "وليد المعلم", "type": "PERS"}, {"text": "المعلم", "type": "PERS"},
        {"text": "الأمم المتحدة", "type": "ORG"}]}
    art = annotate.compile_article("001", ann, text, {"source_article_number": 130}, "t", Path("t.yaml"))
    surfaces = [text[e.start:e.end] for e in art.entities]
    assert surfaces.count("وليد المعلم") == 4 and surfaces.count("المعلم") == 6  # longest wins
    assert "للأمم المتحدة" in surfaces  # ل + ال contracted: whole word
    assert all(text[e.start:e.end] != "معلم" for e in art.entities)


@pytest.mark.parametrize("mutate, reason", [
    (lambda a: a["entities"].append({"text": "غير موجود", "type": "LOC"}), "not found"),
    (lambda a: a["sentences"][3].update(text="خطأ"), "prefix"),
    (lambda a: a["sentences"].pop(), "sentences listed"),
    (lambda a: a["entities"].append({"text": "عُمان", "type": "LOC", "occ": 9}), "occurrence"),
])
def test_compile_fails_loudly(mutate, reason):
    text = (DATA / "raw" / "001.txt").read_text(encoding="utf-8")
    spans = split_sentences(text)
    ann = {"sentences": [{"i": i, "text": text[s:e][:5], "labels": []}
                         for i, (s, e) in enumerate(spans)], "entities": []}
    mutate(ann)
    with pytest.raises(DataError, match=reason) as info:
        annotate.compile_article("001", ann, text, {"source_article_number": 130}, "t", Path("t.yaml"))
    assert info.value.path == "t.yaml" and info.value.article_id == "co_001"


def test_cohen_kappa_known_values():
    assert agreement.cohen_kappa([1, 1, 0, 0], [1, 1, 0, 0]) == 1.0
    assert agreement.cohen_kappa([1, 0, 1, 0], [0, 1, 0, 1]) == -1.0
    # po = 0.8, pe = 0.5*0.3 + 0.5*0.7 = 0.5 -> kappa = 0.6
    assert agreement.cohen_kappa([1, 1, 1, 0, 0, 0, 1, 0, 0, 1],
                                 [1, 1, 0, 0, 0, 0, 1, 0, 0, 0]) == pytest.approx(0.6)


def test_every_article_is_adjudicated_or_re_checked():
    """The whole corpus is checked against the complete guideline: every article annotated twice is
    adjudicated, every other one re-checked (annotations/final), and the released meta says which."""
    double, single = agreement.doubly_annotated(), agreement.rechecked()
    assert not set(double) & set(single)
    articles = {a.id: a for name in ("train", "dev", "test") for a in _split(name)}
    assert {f"co_{idx}" for idx in {*double, *single}} == set(articles)
    for idx in double:
        assert (DATA / "annotations" / "final" / f"{idx}.yaml").exists()
        assert articles[f"co_{idx}"].meta["annotators"].endswith(", adjudicated")
    for idx in single:
        assert articles[f"co_{idx}"].meta["annotators"].endswith(", re-checked")


def test_review_agreement_pairs_a_single_pass_with_its_re_check():
    """Article 204 (pass H1): the re-check added one claim (sentence 11, a ministry that could not be
    reached for comment, S1) and changed nothing else."""
    [(first, second)] = agreement.load_pairs({"204"}, review=True)
    assert (first.meta["annotation_pass"], second.meta["annotation_pass"]) == ("H1", "final")
    result = agreement.agreement([(first, second)])
    assert result["count_claim"][1] == result["count_claim"][0] + 1
    assert result["count_obstacle"][0] == result["count_obstacle"][1]
    assert result["entities"]["f1"] == 1.0
    assert "claim" in second.sentences[11].labels and "claim" not in first.sentences[11].labels


def test_skeleton_is_valid_yaml_when_the_text_holds_a_control_character(tmp_path, monkeypatch):
    """Article 217's source text holds a raw U+001A: the skeleton's comment lines must still load."""
    (tmp_path / "raw").mkdir()
    text = (DATA / "raw" / "217.txt").read_text(encoding="utf-8")
    assert "\x1a" in text
    (tmp_path / "raw" / "217.txt").write_text(text, encoding="utf-8")
    monkeypatch.setattr(annotate, "DATA", tmp_path)
    path = annotate.skeleton("217", "T")
    listed = annotate.load_yaml(path)["sentences"]
    assert "\\x1a" in path.read_text(encoding="utf-8") and len(listed) == len(split_sentences(text))


def test_later_rounds_are_drawn_apart_and_model_chosen_stories_stay_in_train():
    # rounds 1-3: twenty one-article stories; round 4 (model-chosen): 021, whose story also holds 001;
    # round 5: 022-041, one-article stories drawn among themselves
    story_of = {f"{i:03d}": f"s{i:03d}" for i in range(1, 42)}
    story_of["021"] = "s001"
    forced, own = {"021"}, {f"{i:03d}" for i in range(22, 42)}
    split_of = stories.assign(story_of, forced, own)
    assert split_of["001"] == split_of["021"] == "train"  # a model-chosen article takes its story to train
    early = [i for i in story_of if i not in forced | own]
    later = sorted(own)
    # 15% each of the 20 draw-able articles of rounds 2-3 (one story is train-bound) and of round 5
    assert sum(split_of[i] == "test" for i in early) == 3 and sum(split_of[i] == "dev" for i in early) == 3
    assert sum(split_of[i] == "test" for i in later) == 3 and sum(split_of[i] == "dev" for i in later) == 3
    # a train story that later takes a model-chosen article leaves the earlier draw as it was
    alone = stories.assign({i: story_of[i] for i in early})
    assert alone["001"] == "train" and {i: split_of[i] for i in early} == alone


def test_story_reach_into_held_out_articles_is_transitive():
    from scripts.claims_corpus.pool_rounds import held_out_reach

    base = "المفاوضات بين الحكومة والمعارضة في جنيف تعثرت بسبب الخلاف على مصير المرحلة الانتقالية "
    texts = [base + "والوفد يغادر", base + "والوفد يغادر اليوم", base + "اليوم",  # a chain of copies
             "ارتفعت أسعار النفط في الأسواق العالمية بعد تقرير المخزونات الأمريكية الأسبوعي",
             "ارتفعت أسعار النفط في الأسواق العالمية بعد تقرير المخزونات الأمريكية"]
    assert held_out_reach(texts, [True, False, False, False, False], fit=len(texts)) == [
        True, True, True, False, False]
