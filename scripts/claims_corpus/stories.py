"""Group the corpus's articles into stories and split by story (deterministic).

Two articles belong to one story when the TF-IDF cosine of their texts is >= SAME_STORY (wire
copies score 0.5-0.9; reports on the same event, such as one press conference or the reopening
of Aden airport, 0.3-0.6; unrelated articles on the same war stay below 0.3), closed transitively.
Splits take whole stories: stories are ordered by the SHA-1 of their id (their first article's
index), so the draw does not favour old or new articles; test and then dev take every story of at most MAX_HELDOUT_STORY articles while it fits their size (15% of
the articles each); the rest is train. Writes stories.tsv (index, story, split).
Usage: .venv/bin/python -m scripts.claims_corpus.stories
"""
from __future__ import annotations

import argparse
import hashlib
import sys

from sklearn.feature_extraction.text import TfidfVectorizer

from scripts.claims_corpus.common import DATA

SAME_STORY = 0.30
MAX_HELDOUT_STORY = 3
HELDOUT_SHARE = {"test": 0.15, "dev": 0.15}  # of all articles, each


def similarity(texts: list[str]):
    """Cosine similarity matrix of the texts (words of 3+ letters seen in 2+ articles)."""
    vec = TfidfVectorizer(token_pattern=r"[^\s\d\W_]{3,}", min_df=2, sublinear_tf=True)
    x = vec.fit_transform(texts)
    return (x @ x.T).toarray()


def group(indices: list[str], texts: list[str], threshold: float = SAME_STORY) -> dict[str, str]:
    """index -> story id (the story's smallest index), by union-find over similar pairs."""
    parent = list(range(len(indices)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    sim = similarity(texts)
    for i in range(len(indices)):
        for j in range(i + 1, len(indices)):
            if sim[i, j] >= threshold:
                parent[max(root(i), root(j))] = min(root(i), root(j))
    return {idx: f"s{indices[root(i)]}" for i, idx in enumerate(indices)}


def assign(story_of: dict[str, str]) -> dict[str, str]:
    """index -> split, taking whole stories."""
    members: dict[str, list[str]] = {}
    for idx, story in sorted(story_of.items()):
        members.setdefault(story, []).append(idx)
    order = sorted(members, key=lambda s: hashlib.sha1(s.encode()).hexdigest())
    sizes = {name: round(share * len(story_of)) for name, share in HELDOUT_SHARE.items()}
    split_of, filled = {}, {name: 0 for name in sizes}
    for story in order:
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
    return split_of


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.parse_args(argv)  # no options: --help only
    paths = sorted((DATA / "raw").glob("*.txt"))
    indices = [p.stem for p in paths]
    story_of = group(indices, [p.read_text(encoding="utf-8") for p in paths])
    split_of = assign(story_of)
    rows = ["index\tstory\tsplit"] + [f"{i}\t{story_of[i]}\t{split_of[i]}" for i in indices]
    (DATA / "stories.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    counts = {name: sum(1 for s in split_of.values() if s == name) for name in ("train", "dev", "test")}
    print(f"{len(set(story_of.values()))} stories; articles per split {counts}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
