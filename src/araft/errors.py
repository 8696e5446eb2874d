"""The project's own error types: every bad input ends in one of these, with a location."""
from __future__ import annotations


class AraftError(Exception):
    """Base class for every error araft raises on purpose."""


class DataError(AraftError):
    """Bad input data: says which file, line and article, and what is wrong."""

    def __init__(self, reason: str, *, path: str | None = None, line: int | None = None,
                 article_id: str | None = None):
        self.reason = reason
        self.path = None if path is None else str(path)
        self.line = line
        self.article_id = article_id
        super().__init__(self._format())

    def _format(self) -> str:
        where = []
        if self.path is not None:
            where.append(self.path if self.line is None else f"{self.path}:{self.line}")
        elif self.line is not None:
            where.append(f"line {self.line}")
        if self.article_id is not None:
            where.append(f"article {self.article_id!r}")
        return f"{', '.join(where)}: {self.reason}" if where else self.reason

    def at(self, *, path: str | None = None, line: int | None = None,
           article_id: str | None = None) -> "DataError":
        """The same error with missing location parts filled in."""
        return DataError(self.reason, path=self.path or path, line=self.line or line,
                         article_id=self.article_id or article_id)


class ConfigError(AraftError):
    """A configuration that cannot work (unknown mode, missing model files, bad combination)."""
