"""Copy the redistributable NER corpora from ../shared/data into data/, with license and README.

    python -m scripts.bundle_data [--shared ../shared/data] [--out data] [--dev-fraction 0.1]

- data/anercorp/: ANERcorp (CAMeL-style reconstructed train part, CC BY-SA 4.0). ANERcorp has no
  dev split, so the last ``--dev-fraction`` of its sentences, in file order, become dev.conll and
  the rest train.conll. Sentence blocks are copied byte for byte: the cut is the only change.
- data/aqmar/: AQMAR (CC BY-SA 3.0), its train/dev/test split (by article) copied unchanged. Its
  tags keep AQMAR's names PER and MIS; readers map them with the label map PER=PERS,MIS=MISC.
README.md (attribution, counts, how the split was made) and LICENSE are written next to the data,
so that one run of this script rebuilds the folders exactly.
"""
from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TYPES_ANERCORP = ("PERS", "LOC", "ORG", "MISC")
TYPES_AQMAR = ("PER", "LOC", "ORG", "MIS")


def sentence_blocks(text: str) -> list[str]:
    """The sentences of a CoNLL file, each its token lines joined by "\\n", exactly as in the file."""
    blocks, current = [], []
    for line in text.split("\n"):
        if line.strip():
            current.append(line)
        elif current:
            blocks.append("\n".join(current))
            current = []
    if current:
        blocks.append("\n".join(current))
    return blocks


def write_blocks(blocks: list[str], path: Path) -> None:
    path.write_text("\n\n".join(blocks) + "\n", encoding="utf-8", newline="\n")


def counts(blocks: list[str], types: tuple[str, ...]) -> dict[str, int]:
    """Sentences, tokens and entities per type (entities counted as IOB2 after repair: a chunk
    starts at B-X or at an I-X that does not continue X)."""
    ents: Counter[str] = Counter()
    tokens = i_first = 0
    for block in blocks:
        prev = "O"
        i_first += block.split("\n")[0].split()[-1].startswith("I-")
        for line in block.split("\n"):
            tag = line.split()[-1]
            tokens += 1
            if tag.startswith("B-") or (tag.startswith("I-") and prev[2:] != tag[2:]):
                ents[tag[2:]] += 1
            prev = tag
    return {"sentences": len(blocks), "tokens": tokens, **{t: ents[t] for t in types},
            "starting_with_I": i_first}


def table(rows: dict[str, dict[str, int]], types: tuple[str, ...]) -> str:
    head = "| split | sentences | tokens | " + " | ".join(types) + " |"
    rule = "|---" * (3 + len(types)) + "|"
    body = [f"| {name} | {c['sentences']:,} | {c['tokens']:,} | "
            + " | ".join(f"{c[t]:,}" for t in types) + " |" for name, c in rows.items()]
    return "\n".join([head, rule, *body])


ANERCORP_LICENSE = """\
ANERcorp (CAMeL Lab train/test split recipe; this folder holds a reconstruction of the train part)
Copyright: Yassine Benajiba, Paolo Rosso, José Miguel Benedí (ANERcorp, 2007);
split by the CAMeL Lab, New York University Abu Dhabi.

License: Creative Commons Attribution-ShareAlike 4.0 International (CC BY-SA 4.0)
https://creativecommons.org/licenses/by-sa/4.0/

The full legal text of the license is at
https://creativecommons.org/licenses/by-sa/4.0/legalcode

The license is the one stated for ANERcorp by the CAMeL Lab's distribution page
(https://camel.abudhabi.nyu.edu/anercorp/), as recorded in LLMeBench's dataset metadata.
Changes from the source: see README.md in this folder. These files are shared under the same
license (ShareAlike); the rest of araft is under the Apache License 2.0.
"""


def anercorp_readme(source: Path, n_dev: int, fraction: float, rows: dict[str, dict[str, int]]) -> str:
    return f"""# ANERcorp (train part, CAMeL Lab split recipe) with a dev split

Arabic newswire named entities, types PERS, LOC, ORG, MISC in IOB2 (`token<TAB>tag`, one token a
line, a blank line between sentences, UTF-8). Written by `scripts/bundle_data.py` from
`../shared/data/{source.parent.name}/{source.name}`.

## Attribution

- Corpus: Y. Benajiba, P. Rosso and J. M. Benedí (2007), "ANERsys: An Arabic Named Entity
  Recognition System Based on Maximum Entropy", CICLing 2007. Please cite it.
- Split recipe and clean-up steps: the CAMeL Lab ("ANERcorp -- CAMeL Lab Train/Test Splits"),
  O. Obeid et al. (2020), "CAMeL Tools: An Open Source Python Toolkit for Arabic Natural Language
  Processing", LREC 2020. Please cite it too.
- Source file: GitHub `ITE-5th/arabic-ner`, `data/ANERCorp` at commit
  `5d9f998629d3157d8e7bcb6761e21732da1d6bc7`, cleaned and split by the CAMeL README's steps
  (U+200F marks removed, `·`/`•` turned into `.`, one merged line split, sentence boundaries after
  period tokens, the first 5/6 of words to train). This is a **reconstruction**: the official
  CAMeL train part has 125,102 words, this one 125,088. The ANERcorp test part is not here.
- License: CC BY-SA 4.0 (see LICENSE), https://creativecommons.org/licenses/by-sa/4.0/.

## Splits here

ANERcorp has no dev split. The last {fraction:.0%} of the train sentences, by sentence order (not
at random: neighbouring sentences come from the same article), are `dev.conll` ({n_dev:,}
sentences); the rest are `train.conll`. Sentences are copied byte for byte; nothing else changed.

{table(rows, TYPES_ANERCORP)}

Entities are counted as IOB2 chunks. {rows['train']['starting_with_I']} sentences of train and
{rows['dev']['starting_with_I']} of dev start with an I- tag, because the
recipe puts a sentence boundary after every period token, also inside dotted acronyms such as
`إيه . دي . سي`; araft's CoNLL reader turns such a tag into B- with a warning (or rejects it with
`strict`), and the counts above count them as entities.
"""


def aqmar_readme(rows: dict[str, dict[str, int]]) -> str:
    return f"""# AQMAR Arabic Wikipedia Named Entity Corpus

Arabic Wikipedia named entities (28 articles), types PER, LOC, ORG, MIS in IOB2
(`token<TAB>tag`, blank line between sentences, UTF-8), split by article into train/dev/test.
Copied unchanged by `scripts/bundle_data.py` from `../shared/data/aqmar/*.conll`.

## Attribution

- B. Mohit, N. Schneider, R. Bhowmick, K. Oflazer and N. A. Smith (2012), "Recall-Oriented
  Learning of Named Entities in Arabic Wikipedia", EACL 2012. Please cite it.
  http://www.cs.cmu.edu/~ark/ArabicNER/
- Split files: GitHub `LiyuanLucasLiu/ArabicNER`, `data/{{train,dev,test}}.txt` at commit
  `fe8509663453920e5f9d41b3fb39503cb8f39cd0`, with a TAB instead of the space separator.
- License: CC BY-SA 3.0 Unported (see LICENSE), https://creativecommons.org/licenses/by-sa/3.0/.

## Tag names

The files keep AQMAR's own names **PER** and **MIS**; ANERcorp and araft's guideline say PERS and
MISC. Map them on read with the label map `PER=PERS,MIS=MISC` (e.g.
`araft data validate data/aqmar/train.conll --label-map PER=PERS,MIS=MISC`, or `label_map` in the
data config). AQMAR's MIS is broader than ANERcorp's MISC (it covers many named concepts of a
Wikipedia article), so pooled scores on MISC are not like for like.

## Splits

{table(rows, TYPES_AQMAR)}

Domain: Wikipedia (science, sport, history, technology), not news; no text overlaps ANERcorp.
"""


def bundle_anercorp(shared: Path, out: Path, fraction: float) -> dict[str, dict[str, int]]:
    source = shared / "anercorp_camellab_recon" / "train.conll"
    blocks = sentence_blocks(source.read_text(encoding="utf-8"))
    n_dev = round(len(blocks) * fraction)
    train, dev = blocks[:-n_dev], blocks[-n_dev:]
    out.mkdir(parents=True, exist_ok=True)
    write_blocks(train, out / "train.conll")
    write_blocks(dev, out / "dev.conll")
    rows = {"train": counts(train, TYPES_ANERCORP), "dev": counts(dev, TYPES_ANERCORP)}
    (out / "README.md").write_text(anercorp_readme(source, n_dev, fraction, rows), encoding="utf-8")
    (out / "LICENSE").write_text(ANERCORP_LICENSE, encoding="utf-8")
    return rows


def bundle_aqmar(shared: Path, out: Path) -> dict[str, dict[str, int]]:
    out.mkdir(parents=True, exist_ok=True)
    rows = {}
    for split in ("train", "dev", "test"):
        text = (shared / "aqmar" / f"{split}.conll").read_text(encoding="utf-8")
        (out / f"{split}.conll").write_text(text, encoding="utf-8", newline="\n")
        rows[split] = counts(sentence_blocks(text), TYPES_AQMAR)
    (out / "README.md").write_text(aqmar_readme(rows), encoding="utf-8")
    # NewsFANE Gold ships the full CC BY-SA 3.0 Unported legal code; copy it from its "License" line
    legal = (shared / "newsfane_gold" / "License.txt").read_text(encoding="utf-8")
    legal = legal[legal.index("\nLicense\n") + 1:]
    (out / "LICENSE").write_text(
        "AQMAR Arabic Wikipedia Named Entity Corpus\n"
        "Copyright: Behrang Mohit, Nathan Schneider, Rishav Bhowmick, Kemal Oflazer, Noah A. Smith (2012)\n\n"
        "License: Creative Commons Attribution-ShareAlike 3.0 Unported (CC BY-SA 3.0)\n"
        "https://creativecommons.org/licenses/by-sa/3.0/\n"
        "Official legal code: https://creativecommons.org/licenses/by-sa/3.0/legalcode\n"
        "The text below is that legal code.\n\n" + legal, encoding="utf-8")
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=ROOT / "data")
    parser.add_argument("--dev-fraction", type=float, default=0.1)
    args = parser.parse_args(argv)
    for name, rows in (("anercorp", bundle_anercorp(args.shared, args.out / "anercorp", args.dev_fraction)),
                       ("aqmar", bundle_aqmar(args.shared, args.out / "aqmar"))):
        print(name, rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
