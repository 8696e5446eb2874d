"""AraBERT preprocessing per word, with the mode travelling in the model's config.

Each distinct word is preprocessed once (cached): news text repeats words heavily, and
ArabertPreprocessor's regex pipeline dominates the data path otherwise. Preprocessing a word never
moves an offset: the Article text is untouched, only the model sees the preprocessed form.

``many`` preprocesses new words in chunks: the words joined by " · " go through ArabertPreprocessor
once, and the output is cut at the "·" tokens. ArabertPreprocessor's fixed cost per call (about 20
regex passes) is about half the time for one word, so this is about twice as fast (0.47 s -> 0.22 s
for ANERcorp train's 27,551 distinct words, benchmarks/data_path.py). It gives exactly
the per-word result because, in the non-Farasa pipeline, every step is local to a run of
non-space characters, except HTML markup and entities: words with "<", ">", "&", whitespace or the
separator itself are therefore done one by one. tests/test_preprocessing_batch.py checks the
equality on every word of the bundled corpora and on generated strings.
"""
from __future__ import annotations

from typing import Iterable

from araft.errors import ConfigError

# mode -> the model name ArabertPreprocessor knows; None means "feed words as they are".
MODES: dict[str, str | None] = {
    "arabertv02": "bert-base-arabertv02",
    "arabertv02-twitter": "bert-base-arabertv02-twitter",
    "arabertv2": "bert-base-arabertv2",  # needs Farasa segmentation
    "araelectra": "araelectra-base-discriminator",
    "none": None,  # models with no AraBERT preprocessing (CAMeLBERT)
}
FARASA_MODES = {"arabertv2"}
# modes whose ArabertPreprocessor runs the second-generation pipeline without Farasa
_CHUNKABLE_MODES = {"arabertv02", "arabertv02-twitter", "araelectra"}
SEPARATOR = "\u00b7"  # "·": kept and spaced out by every second-generation AraBERT rule set
_ONE_BY_ONE = frozenset("<>&" + SEPARATOR)  # markup and entities may reach across words
CHUNK = 256


class WordPreprocessor:
    """Callable word -> preprocessed word for one mode; raises ConfigError on an unusable mode."""

    def __init__(self, mode: str):
        if mode not in MODES:
            raise ConfigError(f"unknown preprocessing mode {mode!r}; known modes: "
                              f"{', '.join(sorted(MODES))}")
        self.mode = mode
        self._cache: dict[str, str] = {}
        self._impl = None
        if MODES[mode] is not None:
            if mode in FARASA_MODES:
                _check_farasa(mode)
            from arabert.preprocess import ArabertPreprocessor

            try:
                self._impl = ArabertPreprocessor(MODES[mode])
            except Exception as err:  # farasapy starts Java here: without its jar, Java may exit
                if mode not in FARASA_MODES:  # before the first write (a BrokenPipeError)
                    raise
                raise farasa_unusable(mode, err) from err
            if self._impl.model_name != MODES[mode]:  # arabert falls back silently; we do not
                raise ConfigError(f"arabert does not know model {MODES[mode]!r} for mode {mode!r}")
            if mode in FARASA_MODES:
                _probe_farasa(self._impl, mode)

    def __call__(self, word: str) -> str:
        out = self._cache.get(word)
        if out is None:
            out = word if self._impl is None else self._impl.preprocess(word)
            self._cache[word] = out
        return out

    def many(self, words: Iterable[str]) -> list[str]:
        """The preprocessed form of each word (new distinct words done in chunks)."""
        words = list(words)
        together, chunkable = [], self._chunkable()
        for w in dict.fromkeys(words):
            if w in self._cache:
                continue
            if chunkable and not _ONE_BY_ONE.intersection(w) and len(w.split()) == 1:
                together.append(w)
            else:
                self(w)
        for i in range(0, len(together), CHUNK):
            self._chunk(together[i:i + CHUNK])
        return [self._cache[w] for w in words]

    def _chunkable(self) -> bool:
        """Farasa segments whole texts (its output depends on neighbours): word by word only."""
        return self.mode in _CHUNKABLE_MODES

    def _chunk(self, words: list[str]) -> None:
        out = self._impl.preprocess(f" {SEPARATOR} ".join(words))
        groups: list[list[str]] = [[]]
        for token in out.split():
            if token == SEPARATOR:
                groups.append([])
            else:
                groups[-1].append(token)
        if len(groups) != len(words):  # cannot happen for safe words; never guess
            for w in words:
                self(w)
            return
        for w, g in zip(words, groups):
            self._cache[w] = " ".join(g)

    @property
    def cache_size(self) -> int:
        return len(self._cache)


def _check_farasa(mode: str) -> None:
    """AraBERT v2 was pretrained on Farasa-segmented text; without Farasa its input is wrong."""
    try:
        from farasa.segmenter import FarasaSegmenter  # noqa: F401
    except ImportError as err:
        raise ConfigError(
            f"preprocessing mode {mode!r} needs Farasa segmentation: install it with "
            "`pip install farasapy` and a Java runtime (e.g. `apt-get install default-jre`); "
            "farasapy downloads its jar on first use, so run once with network access"
        ) from err
    import shutil

    if shutil.which("java") is None:
        raise ConfigError(f"preprocessing mode {mode!r} needs Farasa, which needs a Java runtime: "
                          "install one (e.g. `apt-get install default-jre`)")


FARASA_PROBE = "والولايات"


def _probe_farasa(impl, mode: str) -> None:
    """farasapy logs its failures (no jar, no network, broken pipe) and returns an empty string;
    an AraBERT v2 model fed empty strings trains on nothing, so a broken Farasa is an error."""
    try:
        out = impl.preprocess(FARASA_PROBE)
    except Exception as err:  # farasapy raises assorted errors from its Java subprocess
        out, cause = "", err
    else:
        cause = None
    if not out.strip():
        raise farasa_unusable(mode, cause, f"it returned nothing for {FARASA_PROBE!r}") from cause


def farasa_unusable(mode: str, cause: BaseException | None,
                    what: str = "it could not be started") -> ConfigError:
    return ConfigError(
        f"preprocessing mode {mode!r} needs a working Farasa segmenter, and {what}. farasapy "
        "downloads its jar (farasa_bin.zip) on first use: run once with network access, or "
        "install the jar into farasapy's bin folder, and make sure `java -version` works"
        + (f" ({cause})" if cause else ""))


def preprocess_text(text: str, mode: str) -> str:
    """Public helper: the text as the model of ``mode`` expects it, words joined by spaces.

    Use it to feed a pushed araft checkpoint to plain ``transformers.pipeline``.
    """
    from araft.corpus.segment import split_words

    pre = WordPreprocessor(mode)
    return " ".join(p for p in (pre(w.text) for w in split_words(text)) if p)
