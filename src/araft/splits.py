"""The data of a run: train/dev/test and extra evaluation sets, read and validated once."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from araft.config import DataConfig
from araft.corpus.article import Article, validate_article
from araft.errors import ConfigError, DataError


@dataclass
class Splits:
    train: list[Article]
    dev: list[Article] | None
    test: list[Article] | None
    extra: dict[str, list[Article]] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)  # split name -> path
    # more train files (data.extra_train), keyed "train_<name>" as in ``files``
    extra_train: dict[str, list[Article]] = field(default_factory=dict)

    def evaluation_sets(self) -> dict[str, list[Article]]:
        out = {}
        if self.dev is not None:
            out["dev"] = self.dev
        if self.test is not None:
            out["test"] = self.test
        out.update(self.extra)
        return out


def read_split(path: str, data: DataConfig, *, detect: bool = False) -> list[Article]:
    """One file of the data config, validated against its label sets. ``detect``: ignore
    data.format and detect the file's own (extra evaluation sets may be in another format)."""
    from araft.corpus.formats import read_articles

    if not Path(path).is_file():
        raise ConfigError(f"data file not found: {path} (data config {data.name!r})")
    options = {"label_map": dict(data.label_map)} if data.label_map else {}
    articles = read_articles(path, None if detect else data.format, **options)
    for art in articles:
        try:
            validate_article(art, entity_labels=data.entity_labels,
                             sentence_labels=data.sentence_labels)
        except DataError as err:
            raise err.at(path=path) from None
    return articles


def load_splits(data: DataConfig) -> Splits:
    files = {"train": data.train}
    if data.dev:
        files["dev"] = data.dev
    if data.test:
        files["test"] = data.test
    for name, path in data.extra_eval.items():
        files[name] = path
    for name, path in data.extra_train.items():
        files[f"train_{name}"] = path
    cache: dict[tuple[str, bool], list[Article]] = {}

    def get(path: str, detect: bool = False) -> list[Article]:
        if (path, detect) not in cache:
            cache[path, detect] = read_split(path, data, detect=detect)
        return cache[path, detect]

    return Splits(
        train=get(data.train),
        dev=get(data.dev) if data.dev else None,
        test=get(data.test) if data.test else None,
        extra={name: get(path, detect=True) for name, path in data.extra_eval.items()},
        files=files,
        extra_train={f"train_{name}": get(path, detect=True) for name, path in data.extra_train.items()},
    )
