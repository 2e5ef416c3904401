"""What checks yield (Finding) and what the engine emits (Diagnostic)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any, Mapping


class Severity(IntEnum):
    INFO = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, name: str) -> "Severity":
        return cls[name.upper()]

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``text[start:end]`` with ``replacement``."""

    start: int
    end: int
    replacement: str


@dataclass(frozen=True, slots=True)
class Related:
    """Another place a finding refers to (the earlier occurrence, the other file)."""

    message: str
    line: int
    column: int
    path: str | None = None  # None: the same file


@dataclass(frozen=True, slots=True)
class Finding:
    """A problem a check found: offsets into Document.text and message arguments."""

    start: int
    end: int
    args: Mapping[str, Any] = field(default_factory=dict)
    related: tuple[Related, ...] = ()
    fix: tuple[Edit, ...] = ()


@dataclass(frozen=True, slots=True, order=True)
class Diagnostic:
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    code: str
    rule: str = field(compare=False)
    severity: Severity = field(compare=False)
    message: str = field(compare=False)
    related: tuple[Related, ...] = field(default=(), compare=False)
    fix: tuple[Edit, ...] = field(default=(), compare=False)
    # The offending text, used to match baseline entries independently of line numbers.
    snippet: str = field(default="", compare=False)

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
