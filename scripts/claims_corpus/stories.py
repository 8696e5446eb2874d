"""Group the corpus's articles into stories and split by story (deterministic).

Two articles belong to one story when the TF-IDF cosine of their texts is >= SAME_STORY (wire
copies score 0.5-0.9; reports on the same event, such as one press conference or the reopening
of Aden airport, 0.3-0.6; unrelated articles on the same war stay below 0.3), closed transitively.
Splits take whole stories: stories are ordered by the SHA-1 of their id (their first article's
index), so the draw does not favour old or new articles; test and then dev take every story of at most MAX_HELDOUT_STORY articles while it fits their size (15% of
the articles each); the rest is train.
Later rounds leave the split of rounds 1-3 as it was: the similarity weights are fitted on rounds
1-3 only, and their stories are drawn among themselves. Round-4 articles (select_model.py, chosen
by a claims model, and round 6 the same way) are train-only: every story holding one goes to train. Round 5 (select_rest.py)
draws its own stories the same way, 15% of its articles each to test and dev; a story mixing it
with earlier articles goes to train. Writes stories.tsv (index, story, split).
Usage: .venv/bin/python -m scripts.claims_corpus.stories
"""
from __future__ import annotations

import argparse
import hashlib
import sys

from sklearn.feature_extraction.text import TfidfVectorizer

from scripts.claims_corpus.common import DATA, read_table

SAME_STORY = 0.30
MAX_HELDOUT_STORY = 3
HELDOUT_SHARE = {"test": 0.15, "dev": 0.15}  # of all articles, each


def similarity(texts: list[str], fit: int | None = None):
    """Cosine similarity matrix of the texts (words of 3+ letters seen in 2+ articles). The
    weights are fitted on the first ``fit`` texts only (all by default), so that adding articles
    does not move the links between the earlier ones."""
    vec = TfidfVectorizer(token_pattern=r"[^\s\d\W_]{3,}", min_df=2, sublinear_tf=True)
    vec.fit(texts[:fit])
    x = vec.transform(texts)
    return (x @ x.T).toarray()


def group(indices: list[str], texts: list[str], threshold: float = SAME_STORY,
          fit: int | None = None) -> dict[str, str]:
    """index -> story id (the story's smallest index), by union-find over similar pairs
    (``similarity`` fitted on the first ``fit`` texts)."""
    parent = list(range(len(indices)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    sim = similarity(texts, fit)
    for i in range(len(indices)):
        for j in range(i + 1, len(indices)):
            if sim[i, j] >= threshold:
                parent[max(root(i), root(j))] = min(root(i), root(j))
    return {idx: f"s{indices[root(i)]}" for i, idx in enumerate(indices)}


def selection_rounds() -> dict[str, int]:
    """index -> selection round of every pool article (pool_selection.tsv: rounds 2-6; the 40
    articles of round 1 are not listed)."""
    return {r["index"]: int(r["round"]) for r in read_table("pool_selection.tsv")}


def selection_round(rounds: dict[str, int], article: str) -> int:
    """The selection round of one article, by index (045) or id (co_045), from
    ``selection_rounds()``, where round 1's articles are not listed."""
    return rounds.get(article.removeprefix("co_"), 1)


def chosen_by_model() -> set[str]:
    """Rounds 4 and 6 (select_model.py, topic "model" in pool_selection.tsv): train-only."""
    return {r["index"] for r in read_table("pool_selection.tsv") if r["topic"] == "model"}


def own_draw() -> set[str]:
    """Round 5 (select_rest.py): held out from its own stories."""
    return {i for i, r in selection_rounds().items() if r == 5}


def fitted_on(indices: list[str], later: set[str]) -> int:
    """How many leading articles fit the similarity weights: those of rounds 1-3 (indices sorted,
    the ``later`` rounds' articles last)."""
    n = len([i for i in indices if i not in later])
    if set(indices[n:]) != set(later) & set(indices):
        raise ValueError("round-4 and later articles must come after every article of rounds 1-3")
    return n


def _draw(members: dict[str, list[str]], stories: list[str], n_articles: int,
          split_of: dict[str, str]) -> None:
    """Test, then dev, take every story of ``stories`` of at most MAX_HELDOUT_STORY articles, in
    SHA-1 order of its id, while it fits their share of ``n_articles``; the rest is train."""
    sizes = {name: round(share * n_articles) for name, share in HELDOUT_SHARE.items()}
    filled = {name: 0 for name in sizes}
    for story in sorted(stories, key=lambda s: hashlib.sha1(s.encode()).hexdigest()):
        size = len(members[story])
        target = "train"
        if size <= MAX_HELDOUT_STORY:
            for name, cap in sizes.items():
                if filled[name] + size <= cap:
                    target = name
                    filled[name] += size
                    break
        for idx in members[story]:
            split_of[idx] = target


def assign(story_of: dict[str, str], forced_train: set[str] = frozenset(),
           own_draw: set[str] = frozenset()) -> dict[str, str]:
    """index -> split, taking whole stories. A story holding a ``forced_train`` article is train;
    the stories made only of ``own_draw`` articles are drawn among themselves (the shares count
    those articles); the stories of the other articles are drawn as before; a story mixing
    ``own_draw`` articles with others is train."""
    members: dict[str, list[str]] = {}
    for idx, story in sorted(story_of.items()):
        members.setdefault(story, []).append(idx)
    split_of = {}
    first, later = [], []
    for story, idxs in members.items():
        if forced_train.intersection(idxs):
            split_of.update({i: "train" for i in idxs})
        elif set(idxs) <= own_draw:
            later.append(story)
        elif own_draw.intersection(idxs):
            split_of.update({i: "train" for i in idxs})
        else:
            first.append(story)
    _draw(members, first, len([i for i in story_of if i not in forced_train | own_draw]), split_of)
    _draw(members, later, len([i for i in story_of if i in own_draw]), split_of)
    return split_of


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.parse_args(argv)  # no options: --help only
    paths = sorted((DATA / "raw").glob("*.txt"))
    indices = [p.stem for p in paths]
    forced, own = chosen_by_model(), own_draw()
    story_of = group(indices, [p.read_text(encoding="utf-8") for p in paths],
                     fit=fitted_on(indices, forced | own))
    split_of = assign(story_of, forced, own)
    rows = ["index\tstory\tsplit"] + [f"{i}\t{story_of[i]}\t{split_of[i]}" for i in indices]
    (DATA / "stories.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    counts = {name: sum(1 for s in split_of.values() if s == name) for name in ("train", "dev", "test")}
    print(f"{len(set(story_of.values()))} stories; articles per split {counts}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
