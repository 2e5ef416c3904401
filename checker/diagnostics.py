"""What checks yield (Finding) and what the engine emits (Diagnostic)."""

from __future__ import annotations

from enum import IntEnum
from operator import itemgetter
from types import MappingProxyType
from typing import Any, Mapping, NamedTuple


class Severity(IntEnum):
    INFO = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, name: str) -> "Severity":
        return cls[name.upper()]

    def __str__(self) -> str:
        return self.name.lower()


# Plain named tuples, not dataclasses: a large repo makes hundreds of thousands of these
# (10,000 synthetic drafts: 256,289 diagnostics), and a tuple is built, pickled into the
# result cache and loaded back several times faster than a frozen dataclass.
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
    # The offending text, used to match baseline entries independently of line numbers.
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
