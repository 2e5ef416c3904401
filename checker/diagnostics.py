"""What checks yield (Finding) and what the engine emits (Diagnostic)."""

from __future__ import annotations

import marshal
from enum import IntEnum
from functools import partial
from itertools import count
from operator import itemgetter
from types import MappingProxyType
from typing import Any, Iterable, Mapping, NamedTuple, Sequence


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


#: A Diagnostic from a tuple of its fields, built in C (a named tuple's own ``__new__`` is
#: Python): the cache and the cross-document stage make hundreds of thousands of them.
as_diagnostic = partial(tuple.__new__, Diagnostic)

# Diagnostics as bytes, for the cross-document stage's output in the result cache
# (151,642 diagnostics on the 10,000-draft benchmark corpus). By columns through marshal:
# one tuple per field, the Related and Edit tuples once each in a table. Writing is a
# handful of C-level passes instead of pickle's per-object memo (0.6 s -> 0.3 s there);
# reading builds every object in C.
_SEVERITY = {int(s): s for s in Severity}.__getitem__
_as_related = partial(tuple.__new__, Related)
_as_edit = partial(tuple.__new__, Edit)


def _table(column: Sequence[tuple]) -> tuple[list[tuple], list[int]]:
    """The distinct objects of ``column`` (by identity: shared tuples stay shared) as
    plain tuples of plain tuples, and each row's index into them."""
    ids = list(map(id, column))
    distinct = dict(zip(ids, column))
    where = dict(zip(distinct, count()))
    return (list(map(tuple, map(partial(map, tuple), distinct.values()))),
            list(map(where.__getitem__, ids)))


def encode_diagnostics(diagnostics: Iterable[Diagnostic]) -> bytes:
    rows = list(diagnostics)
    if not rows:
        return marshal.dumps(())
    (paths, lines, columns, end_lines, end_columns, codes, names, severities, messages,
     related, fixes, snippets) = zip(*rows)
    return marshal.dumps((paths, lines, columns, end_lines, end_columns, codes, names,
                          tuple(map(int, severities)), messages, *_table(related),
                          *_table(fixes), snippets))


def decode_diagnostics(payload: bytes) -> tuple[Diagnostic, ...]:
    data = marshal.loads(payload)
    if not data:
        return ()
    (paths, lines, columns, end_lines, end_columns, codes, names, severities, messages,
     related, related_at, fixes, fixes_at, snippets) = data
    related = [tuple(map(_as_related, r)) for r in related]
    fixes = [tuple(map(_as_edit, f)) for f in fixes]
    return tuple(map(as_diagnostic, zip(
        paths, lines, columns, end_lines, end_columns, codes, names,
        map(_SEVERITY, severities), messages, map(related.__getitem__, related_at),
        map(fixes.__getitem__, fixes_at), snippets)))
