"""Ruff's concise style: ``path:line:col: CODE message``; optionally the source line."""

from __future__ import annotations

import unicodedata
from collections import Counter
from typing import Collection, Sequence

from checker.i18n import tr
from checker.model import Diagnostic
from checker.packs import Rule


_CONTROL = {c: f"\\x{c:02x}" for c in (*range(0x20), 0x7F)} | {
    ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t",
    0x85: "\\x85", 0x2028: "\\u2028", 0x2029: "\\u2029"}


_IN_SOURCE = {k: v for k, v in _CONTROL.items() if k != ord("\t")}


def printable(text: str) -> str:
    """``text`` with control characters and line breaks escaped (``\\n``, ``\\x1b``): a
    file named with a newline must not forge a diagnostic line, nor one with an escape
    sequence drive the terminal."""
    return text.translate(_CONTROL)


_BOLD, _RESET = "\x1b[1m", "\x1b[0m"
_SEVERITY_COLOUR = {3: "\x1b[1;31m", 2: "\x1b[1;33m", 1: "\x1b[1;36m"}  # red, yellow, cyan


def _line(d: Diagnostic, colour: bool = False) -> str:
    if colour:
        return (f"{_BOLD}{printable(d.path)}{_RESET}:{d.line}:{d.column}: "
                f"{_SEVERITY_COLOUR[int(d.severity)]}{d.code}{_RESET} {printable(d.message)}\n")
    return f"{printable(d.path)}:{d.line}:{d.column}: {d.code} {printable(d.message)}\n"


def format_concise(diagnostics: Sequence[Diagnostic], rules: Sequence[Rule] = (),
                   colour: bool = False) -> str:
    return "".join(_line(d, colour) for d in diagnostics)


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _pad(text: str, width: int) -> str:
    """``text`` right-aligned in ``width`` terminal columns."""
    return " " * max(0, width - _width(text)) + text


def format_full(diagnostics: Sequence[Diagnostic], lines_of: dict[str, Sequence[str]],
                colour: bool = False) -> str:
    """Concise line, then the offending source line and a caret under the span
    (East Asian wide characters count two columns, as a terminal shows them)."""
    out = []
    for d in diagnostics:
        out.append(_line(d, colour))
        lines = lines_of.get(d.path)
        if lines and 0 < d.line <= len(lines):
            src = lines[d.line - 1]
            src = src.translate(_IN_SOURCE)
            gutter = f"{d.line:>4} | "
            end = d.end_column if d.end_line == d.line and d.end_column > d.column else d.column + 1
            pad = _width(src[: d.column - 1])
            carets = max(1, _width(src[d.column - 1: end - 1]))
            out.append(f"{gutter}{src}\n{' ' * (len(gutter) - 2)}| {' ' * pad}{'^' * carets}\n")
    return "".join(out)


def summary(diagnostics: Sequence[Diagnostic], files: int,
            unsafe: Collection[str] = ()) -> str:
    """The closing line; fixable counts split by what --fix applies and what only
    --unsafe-fixes does (``unsafe``: the codes of such rules)."""
    n = len(diagnostics)
    counted = tr("count.files", n=files)
    if n == 0:
        return tr("summary.passed", files=counted) + "\n"
    risky = sum(1 for d in diagnostics if d.fix and d.code in unsafe)
    fixable = sum(1 for d in diagnostics if d.fix) - risky
    notes = ([tr("summary.fixable-with-fix", n=fixable)] if fixable else []) + (
        [tr("summary.unsafe-fixable", n=risky)] if risky else [])
    tail = tr("summary.fixable", notes=tr("summary.separator").join(notes)) if notes else ""
    return tr("summary.found", problems=tr("count.problems", n=n), files=counted,
              fixable=tail) + "\n"


def statistics(diagnostics: Sequence[Diagnostic]) -> str:
    counts = Counter((d.code, d.rule, str(d.severity)) for d in diagnostics)
    rows = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return "".join(f"{n:>6}  {code}  " + tr("statistics.rule", rule=rule,
                                             severity=tr(f"statistics.{sev}")) + "\n"
                   for (code, rule, sev), n in rows)


def file_statistics(diagnostics: Sequence[Diagnostic]) -> str:
    """A table of findings per file (most first): errors, warnings, info, total."""
    counts: dict[str, list[int]] = {}
    for d in diagnostics:
        row = counts.setdefault(d.path, [0, 0, 0])
        row[3 - int(d.severity)] += 1
    if not counts:
        return ""
    rows = sorted(counts.items(), key=lambda kv: (-sum(kv[1]), kv[0]))
    heads = {k: _pad(tr(f"statistics.{k}"), width)
             for k, width in (("error", 6), ("warning", 7), ("info", 6), ("total", 6))}
    out = [tr("statistics.header", **heads) + "\n"]
    out += [f"{e:>6} {w:>7} {i:>6} {e + w + i:>6}  {printable(path)}\n"
            for path, (e, w, i) in rows]
    return "".join(out)
