"""Benchmark 1, the data path: ANERcorp CoNLL -> model-ready NER features.

Baseline, the AraBERT NER notebook way: read the CoNLL lines into sentences, run
``ArabertPreprocessor.preprocess`` on every word, tokenize each sentence with
``is_split_into_words=True`` and put each word's label on its first subword (``word_ids``).
Two changes so that both sides produce the same features, neither of which costs time: an I- tag
that starts an entity becomes B- (``araft.corpus.tags.repair_iob2``, as araft's CoNLL reader repairs
it), and a word that preprocesses to nothing becomes the unknown token (araft keeps a position for
every word).

araft: ``read_articles`` -> ``ner_features`` (sentence_words, WordEncoder per distinct word,
encode_words, a ``datasets.Dataset``), first without the datasets disk cache ("araft"), then with
the cache already written ("araft-warm": a first, untimed run in the same process writes it). Sentences are not windowed on either side (no length
limit), so the features must be identical on every sentence, and the benchmark asserts it.
"""
from __future__ import annotations

import pickle
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import common

MODULE = "benchmarks.data_path"
MODE = "arabertv02"
NO_LIMIT = 1_000_000  # max_length: one window per sentence, as the baseline tokenizes
QUICK_SENTENCES = 600


def label2id() -> dict[str, int]:
    from araft.tasks.ner import tag_list

    return {t: i for i, t in enumerate(tag_list(common.ENTITY_TYPES))}


# -- baseline --------------------------------------------------------------------------------
def read_conll(path: Path) -> list[tuple[list[str], list[str]]]:
    """The notebook's reader: ``token<TAB>tag`` lines, blank lines between sentences."""
    sents, words, tags = [], [], []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if not line:
                if words:
                    sents.append((words, tags))
                    words, tags = [], []
                continue
            token, tag = line.split("\t")
            words.append(token)
            tags.append(tag)
    if words:
        sents.append((words, tags))
    return sents


def baseline_features(path: Path, tokenizer, prep, l2i: dict[str, int]) -> list[tuple[list, list]]:
    from araft.corpus.tags import repair_iob2  # loaded already (label2id), so not timed

    feats = []
    for words, tags in read_conll(path):
        tags = repair_iob2(tags)
        pre = [prep.preprocess(w) for w in words]
        pre = [p if p.strip() else tokenizer.unk_token for p in pre]
        enc = tokenizer(pre, is_split_into_words=True)
        labels, prev = [], None
        for wid in enc.word_ids():
            labels.append(-100 if wid is None or wid == prev else l2i[tags[wid]])
            prev = wid
        feats.append((enc["input_ids"], labels))
    return feats


def side_baseline(args) -> dict:
    from arabert.preprocess import ArabertPreprocessor
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(common.TINY_MODEL)
    prep = ArabertPreprocessor("bert-base-arabertv02")
    l2i = label2id()
    with common.Meter() as m:
        feats = baseline_features(args.conll, tok, prep, l2i)
    dump(args, "baseline", feats)
    return m.result(n_sentences=len(feats), stages=baseline_stages(args.conll, tok, prep, l2i))


def baseline_stages(path: Path, tok, prep, l2i: dict[str, int]) -> dict[str, list[float]]:
    """The baseline again, one stage at a time; stage -> [wall s, cpu s]."""
    lap = Laps()
    sents = read_conll(path)
    lap("read CoNLL lines")
    pre = [[prep.preprocess(w) for w in words] for words, _ in sents]
    lap(f"preprocess {sum(map(len, pre))} words (every occurrence)")
    for words in pre:
        tok(words, is_split_into_words=True).word_ids()
    lap("tokenize sentences (is_split_into_words) + word_ids")
    return lap.out


class Laps:
    """``lap(name)`` records [wall, cpu] seconds since the previous lap."""

    def __init__(self) -> None:
        self.out: dict[str, list[float]] = {}
        self.t, self.c = time.perf_counter(), time.process_time()

    def __call__(self, name: str) -> None:
        now, cnow = time.perf_counter(), time.process_time()
        self.out[name] = [now - self.t, cnow - self.c]
        self.t, self.c = now, cnow


# -- araft -----------------------------------------------------------------------------------
def araft_features(path: Path, tokenizer, encoder, l2i: dict[str, int], cache_dir: str | None):
    """araft's path as prepare_ner runs it: read, fingerprint, ner_features."""
    from araft.corpus.formats import read_articles
    from araft.features import file_digest, fingerprint, tokenizer_digest
    from araft.tasks.ner.train import ner_features

    articles = read_articles(path)
    key = fingerprint("bench-ner", file_digest(path), tokenizer_digest(tokenizer), MODE,
                      NO_LIMIT, 16, True, l2i)
    feats, tags = ner_features(articles, encoder, l2i, max_length=NO_LIMIT, stride=16,
                               label_all=True, key=key, cache_dir=cache_dir, desc="features")
    return feats, sum(len(t) for t in tags)


def side_araft(args, name: str) -> dict:
    from transformers import AutoTokenizer

    import araft.corpus.conll  # noqa: F401  imports are not data-path work: load them untimed
    import araft.features  # noqa: F401
    import araft.tasks.ner.train  # noqa: F401
    import datasets  # noqa: F401
    from araft.encoding import WordEncoder
    from araft.preprocessing import WordPreprocessor

    tok = AutoTokenizer.from_pretrained(common.TINY_MODEL)
    l2i = label2id()
    extra = {}
    cache_dir = None
    if name == "araft-warm":  # a first run writes the datasets cache; the timed run reads it
        cache_dir = str(args.workdir / "cache" / str(time.time_ns()))
        with common.Meter() as fill:
            araft_features(args.conll, tok, WordEncoder(tok, WordPreprocessor(MODE)), l2i, cache_dir)
        extra["fill_wall_s"] = fill.wall_s
    encoder = WordEncoder(tok, WordPreprocessor(MODE))
    with common.Meter() as m:
        feats, n_words = araft_features(args.conll, tok, encoder, l2i, cache_dir)
    dump(args, name, list(zip(feats["input_ids"], feats["labels"])))
    if name == "araft":
        extra["stages"] = stages(args.conll, tok, l2i)
    return m.result(n_sentences=len(feats), n_words=n_words, **extra)


def stages(path: Path, tok, l2i: dict[str, int]) -> dict[str, list[float]]:
    """Where araft's time goes: the path again, one stage at a time (fresh caches);
    stage -> [wall s, cpu s]."""
    from araft.corpus.formats import read_articles
    from araft.encoding import WordEncoder, encode_words
    from araft.features import build_features
    from araft.preprocessing import CHUNK, WordPreprocessor
    from araft.tasks.ner import sentence_words

    lap = Laps()

    articles = read_articles(path)
    lap("read_articles (parse + validate CoNLL)")
    sents = sentence_words(articles, with_gold=True)
    lap("sentence_words (words + gold IOB2)")
    words = [[w.text for w in s.words] for s in sents]
    distinct = list(dict.fromkeys(w for ws in words for w in ws))
    pre = WordPreprocessor(MODE)
    pre.many(distinct)
    lap(f"preprocess {len(distinct)} distinct words (chunks of {CHUNK})")
    encoder = WordEncoder(tok, pre)
    encoder.ids(distinct)
    lap("tokenize distinct words (one pre-tokenized batch)")
    records = [{"words": ws, "tags": [l2i[g] for g in s.gold]} for ws, s in zip(words, sents)]

    def encode_batch(batch: dict) -> dict:
        cols: dict[str, list] = {"input_ids": [], "labels": []}
        for ids, tags in zip(encoder.sentence_ids(batch["words"]), batch["tags"]):
            for f in encode_words(ids, tags, max_length=NO_LIMIT, stride=16,
                                  cls_id=tok.cls_token_id, sep_id=tok.sep_token_id, label_all=True):
                cols["input_ids"].append(f["input_ids"])
                cols["labels"].append(f["labels"])
        return cols

    encode_batch({"words": [r["words"] for r in records], "tags": [r["tags"] for r in records]})
    lap("encode_words (cached ids -> features, plain lists)")
    build_features(records, encode_batch, key="stages", cache_dir=None, desc="stages")
    lap("datasets from_list + map (incl. encode_words again)")
    return lap.out


def dump(args, name: str, feats) -> None:
    """The first run of a side leaves its features for the parent's identity check."""
    path = args.workdir / f"{name}.pkl"
    if not path.exists():
        with open(path, "wb") as fh:
            pickle.dump([(list(i), list(l)) for i, l in feats], fh)


# -- comparison ------------------------------------------------------------------------------
def subset(src: Path, dst: Path, n: int) -> Path:
    """The first ``n`` sentences of a CoNLL file (quick size)."""
    blocks = src.read_text(encoding="utf-8").strip("\n").split("\n\n")[:n]
    dst.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")
    return dst


def check_identical(workdir: Path, names: list[str]) -> int:
    feats = {n: pickle.loads((workdir / f"{n}.pkl").read_bytes()) for n in names}
    ref = feats[names[0]]
    for name in names[1:]:
        other = feats[name]
        if len(other) != len(ref):
            raise AssertionError(f"{name}: {len(other)} sentences, baseline {len(ref)}")
        for k, (a, b) in enumerate(zip(ref, other)):
            if a != b:
                raise AssertionError(f"sentence {k}: {name} differs from the baseline\n"
                                     f"  baseline input_ids {a[0]}\n  {name} input_ids {b[0]}\n"
                                     f"  baseline labels {a[1]}\n  {name} labels {b[1]}")
    print(f"   IDENTICAL features (input_ids and labels) on {len(ref)}/{len(ref)} sentences: "
          f"{' = '.join(names)}")
    return len(ref)


def parent(args) -> dict:
    with tempfile.TemporaryDirectory(prefix="araft-bench-data-") as tmp:
        work = Path(tmp)
        conll = common.ANER_TRAIN
        if args.quick:
            conll = subset(conll, work / "train.conll", QUICK_SENTENCES)
        argv = ["--workdir", str(work), "--conll", str(conll)]
        n = common.repeats(args)
        common.header("data path: ANERcorp train CoNLL -> NER features",
                      f"{conll.name}{' (first %d sentences)' % QUICK_SENTENCES if args.quick else ''}"
                      f", embedded model tokenizer, {MODE}; best of {n}")
        res = common.measure_sides(MODULE, ["baseline", "araft", "araft-warm"], argv, n)
        n_words = res["araft"]["n_words"]
        for r in res.values():
            r["words_per_s"] = n_words / r["wall_s"]
        common.table(res, "words_per_s", "words/s")
        print(f"   {res['araft']['n_sentences']} sentences, {n_words} words; araft-warm: the "
              f"run before it, which wrote the cache, took {res['araft-warm']['fill_wall_s']:.2f} s")
        n_sent = check_identical(work, ["baseline", "araft", "araft-warm"])
        for side in ("baseline", "araft"):
            print(f"   {side} stages (one extra pass; wall s, cpu s):")
            for stage, (wall, cpu) in res[side]["stages"].items():
                print(f"     {wall:7.2f} {cpu:7.2f}  {stage}")
        speed = res["araft"]["words_per_s"] / res["baseline"]["words_per_s"]
        warm = res["araft-warm"]["words_per_s"] / res["baseline"]["words_per_s"]
        cpu = res["baseline"]["cpu_s"] / res["araft"]["cpu_s"]
        print(f"   cpu-time ratio (baseline/araft): {cpu:.2f}x; warm cache: {warm:.2f}x words/s")
        met = common.ratio_line("data_path", speed, "araft/baseline words/s (no cache)", 5.0)
        return {"benchmark": "data_path", "quick": args.quick, "repeats": n, "results": res,
                "ratio": speed, "ratio_warm": warm, "ratio_cpu": cpu, "target_met": met,
                "identical_sentences": n_sent, "load_average": common.load_average()}


def main(argv: list[str] | None = None) -> int:
    p = common.parser(__doc__.splitlines()[0])
    p.add_argument("--conll", type=Path, default=common.ANER_TRAIN, help="CoNLL file to encode")
    args = p.parse_args(argv)
    sides = {"baseline": side_baseline,
             "araft": lambda a: side_araft(a, "araft"),
             "araft-warm": lambda a: side_araft(a, "araft-warm")}
    return common.run_main(args, sides, parent)


if __name__ == "__main__":
    sys.exit(main())
