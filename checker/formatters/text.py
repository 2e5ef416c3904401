"""Ruff's concise style: ``path:line:col: CODE message``; optionally the source line."""

from __future__ import annotations

import unicodedata
from collections import Counter
from typing import Sequence

from checker.model import Diagnostic
from checker.packs import Rule


def format_concise(diagnostics: Sequence[Diagnostic], rules: Sequence[Rule] = ()) -> str:
    return "".join(f"{d.path}:{d.line}:{d.column}: {d.code} {d.message}\n" for d in diagnostics)


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def format_full(diagnostics: Sequence[Diagnostic], lines_of: dict[str, Sequence[str]]) -> str:
    """Concise line, then the offending source line and a caret under the span
    (East Asian wide characters count two columns, as a terminal shows them)."""
    out = []
    for d in diagnostics:
        out.append(f"{d.path}:{d.line}:{d.column}: {d.code} {d.message}\n")
        lines = lines_of.get(d.path)
        if lines and 0 < d.line <= len(lines):
            src = lines[d.line - 1]
            gutter = f"{d.line:>4} | "
            end = d.end_column if d.end_line == d.line and d.end_column > d.column else d.column + 1
            pad = _width(src[: d.column - 1])
            carets = max(1, _width(src[d.column - 1: end - 1]))
            out.append(f"{gutter}{src}\n{' ' * (len(gutter) - 2)}| {' ' * pad}{'^' * carets}\n")
    return "".join(out)


def summary(diagnostics: Sequence[Diagnostic], files: int) -> str:
    n = len(diagnostics)
    if n == 0:
        return f"All checks passed ({files} file{'s' if files != 1 else ''} checked).\n"
    fixable = sum(1 for d in diagnostics if d.fix)
    tail = f" ({fixable} fixable with --fix)" if fixable else ""
    return f"Found {n} problem{'s' if n != 1 else ''} in {files} file{'s' if files != 1 else ''} checked{tail}.\n"


def statistics(diagnostics: Sequence[Diagnostic]) -> str:
    counts = Counter((d.code, d.rule, str(d.severity)) for d in diagnostics)
    rows = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return "".join(f"{n:>6}  {code}  {rule} ({sev})\n" for (code, rule, sev), n in rows)


def file_statistics(diagnostics: Sequence[Diagnostic]) -> str:
    """A table of findings per file (most first): errors, warnings, info, total."""
    counts: dict[str, list[int]] = {}
    for d in diagnostics:
        row = counts.setdefault(d.path, [0, 0, 0])
        row[3 - int(d.severity)] += 1
    if not counts:
        return ""
    rows = sorted(counts.items(), key=lambda kv: (-sum(kv[1]), kv[0]))
    out = [f"{'error':>6} {'warning':>7} {'info':>6} {'total':>6}  file\n"]
    out += [f"{e:>6} {w:>7} {i:>6} {e + w + i:>6}  {path}\n" for path, (e, w, i) in rows]
    return "".join(out)
