"""The shared types of a run: what checks yield, what the engine emits, what a file gives.

Imports nothing of draftlint's: every other module may import it, it imports none of them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from enum import IntEnum
from operator import itemgetter
from types import MappingProxyType
from typing import Any, Callable, Iterable, Mapping, NamedTuple


class Severity(IntEnum):
    INFO = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, name: str) -> "Severity":
        return cls[name.upper()]

    def __str__(self) -> str:
        return self.name.lower()


class Edit(NamedTuple):
    """Replace ``text[start:end]`` with ``replacement``."""

    start: int
    end: int
    replacement: str


class Related(NamedTuple):
    """Another place a finding refers to (the earlier occurrence, the other file)."""

    message: str
    line: int
    column: int
    path: str | None = None  # None: the same file


NO_ARGS: Mapping[str, Any] = MappingProxyType({})


class Finding(NamedTuple):
    """A problem a check found: offsets into Document.text and message arguments."""

    start: int
    end: int
    args: Mapping[str, Any] = NO_ARGS
    related: tuple[Related, ...] = ()
    fix: tuple[Edit, ...] = ()


class Diagnostic(NamedTuple):
    """One reported problem. Sort with :data:`ORDER` (place, then code), never by the
    whole tuple: the fields after ``code`` are not meant to be compared."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    code: str
    rule: str
    severity: Severity
    message: str
    related: tuple[Related, ...] = ()
    fix: tuple[Edit, ...] = ()
    # The offending text (masked for secrets), to match baseline entries independently
    # of line numbers.
    snippet: str = ""

    def to_json(self) -> dict[str, Any]:
        """The documented JSON contract (version 1): exactly these keys."""
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "code": self.code,
            "rule": self.rule,
            "severity": str(self.severity),
            "message": self.message,
        }


#: The order of diagnostics in every output: path, line, column, end, code (a sort key).
ORDER = itemgetter(0, 1, 2, 3, 4, 5)
# how the cross-document stage maps over many items: checker.run.parallel_map with the
# run's jobs, (fn, items, batched=False) -> [fn(item) ...] (``map`` will do without a pool)
Pool = Callable[..., Iterable[Any]]


@dataclass(frozen=True)
class FileResult:
    """What checking one file yields: the unit of work of the process pool and of the
    result cache.

    ``extras`` maps the code of each cross-document rule active for the file to the data
    its kind's ``fingerprint(doc, options)`` returned: ``bytes`` (kept by the result
    cache beside the row; a result read from the cache holds a :class:`Stored` in their
    place) or plain lists, tuples, ints and strings (kept in the row's JSON). The
    cross-document stage matches those over all files.
    """

    path: str
    diagnostics: tuple[Diagnostic, ...] = ()
    extras: Mapping[str, Any] = field(default_factory=dict)


class Stored(NamedTuple):
    """Bytes of a file's result that the result cache keeps beside its row (``key``: the
    file's absolute path, ``name``: the rule code, ``digest``: :func:`digest` of the
    bytes), read only when needed."""

    key: str
    name: str
    digest: str


def digest(data: bytes) -> str:
    """The BLAKE2 digest the cache names a file's bytes and kept bytes by."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


@dataclass
class RunResult:
    """What a run gives the command line."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: int = 0
    results: list[FileResult] = field(default_factory=list)  # one per file, discovery order
    cached: int = 0  # files answered by the result cache without checking
    warnings: list[str] = field(default_factory=list)  # e.g. the cache could not be used
