"""GitHub Actions workflow commands: annotations on the pull request's files."""

from __future__ import annotations

from typing import Sequence

from checker.model import Diagnostic
from checker.packs import Rule

_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def _escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_prop(s: str) -> str:
    return _escape_data(s).replace(":", "%3A").replace(",", "%2C")


def format_github(diagnostics: Sequence[Diagnostic], rules: Sequence[Rule] = ()) -> str:
    return "".join(
        f"::{_LEVEL[str(d.severity)]} file={_escape_prop(d.path)},line={d.line},col={d.column},"
        f"endLine={d.end_line},endColumn={d.end_column},title={_escape_prop(d.code + ' ' + d.rule)}"
        f"::{_escape_data(d.code + ' ' + d.message)}\n"
        for d in diagnostics
    )
