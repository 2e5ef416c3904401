"""Output formats: pure functions from diagnostics to text. No checks live here."""

from __future__ import annotations

from typing import Callable, Sequence

from checker.model import Diagnostic
from checker.packs import Rule

Formatter = Callable[[Sequence[Diagnostic], Sequence[Rule]], str]


def get(name: str) -> Formatter:
    from checker.formatters import github, json_format, sarif, text

    return {
        "text": text.format_concise,
        "json": json_format.format_json,
        "sarif": sarif.format_sarif,
        "github": github.format_github,
    }[name]


FORMATS = ("text", "json", "sarif", "github")
