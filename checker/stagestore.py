"""What the D201 stage found last time, kept in the result cache's SQLite database, so a
run with few drafts changed matches only the drafts whose passages can have changed.

Two tables (plain text and JSON columns: nothing read back runs code):

``stage_state``
    one row per key (the cache's settings key and the rule): JSON of the stock limit the
    results were found with, each draft's print digest, and the *boundary*: every hash
    held by between ``limit - MARGIN + 1`` and ``limit + MARGIN`` drafts, with that count;
``stage_results``
    one row per key and draft with diagnostics: the draft's diagnostics (as the cache
    encodes a file's result) and the other drafts they name.

:func:`affected` says which drafts to match again (see its docstring); a row that does
not load, or a state that makes no sense, means: match them all.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any, Collection, Iterable, Mapping, NamedTuple, Sequence

from checker.dedup import MemoryIndex
from checker.model import Diagnostic, Related, Severity

MARGIN = 8  # more drafts changed than this: every draft is matched again
_TABLES = (
    "CREATE TABLE IF NOT EXISTS stage_state (key TEXT PRIMARY KEY, state TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS stage_results (key TEXT NOT NULL, draft TEXT NOT NULL, "
    "body TEXT NOT NULL, others TEXT NOT NULL, PRIMARY KEY (key, draft))",
)


class State(NamedTuple):
    """The stage's last run: stock limit, print digest by draft, boundary hash -> drafts."""

    limit: int
    drafts: dict[str, str]
    boundary: dict[int, int]


class Kept(NamedTuple):
    """The kept diagnostics of each draft, and the other drafts each names."""

    diagnostics: dict[str, list[Diagnostic]]
    others: dict[str, set[str]]


def load(conn: sqlite3.Connection, key: str) -> tuple[State, Kept] | None:
    """The state and results kept under ``key``; None when there are none or they do not
    load."""
    try:
        for statement in _TABLES:
            conn.execute(statement)
        row = conn.execute("SELECT state FROM stage_state WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        data = json.loads(row[0])
        state = State(int(data["limit"]), {str(d): str(g) for d, g in data["drafts"].items()},
                      {int(h): int(n) for h, n in data["boundary"]})
        kept = Kept({}, {})
        for draft, body, others in conn.execute(
                "SELECT draft, body, others FROM stage_results WHERE key = ?", (key,)):
            kept.diagnostics[draft] = [_decode(row, draft) for row in json.loads(body)]
            kept.others[draft] = {str(o) for o in json.loads(others)}
        return state, kept
    except (sqlite3.Error, ValueError, TypeError, KeyError, AttributeError):
        return None


def save(conn: sqlite3.Connection, key: str, state: State,
         found: Mapping[str, tuple[Sequence[Diagnostic], Collection[str]]],
         drop: Iterable[str]) -> None:
    """Keep ``state``, the diagnostics and the other drafts of their copies of the
    drafts matched (``found``: every draft matched, with or without any) and forget the
    drafts in ``drop``."""
    body = json.dumps({"limit": state.limit, "drafts": state.drafts,
                       "boundary": sorted(state.boundary.items())}, separators=(",", ":"))
    try:
        with conn:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("INSERT OR REPLACE INTO stage_state VALUES (?, ?)", (key, body))
            conn.executemany("DELETE FROM stage_results WHERE key = ? AND draft = ?",
                             [(key, d) for d in (*drop, *found)])
            conn.executemany("INSERT INTO stage_results VALUES (?, ?, ?, ?)", [
                (key, draft, json.dumps([_encode(d) for d in diags], ensure_ascii=False),
                 json.dumps(sorted(others))) for draft, (diags, others) in found.items()
                if diags or others])
    except sqlite3.Error:
        pass  # not kept: the next run matches every draft again


def _encode(d: Diagnostic) -> list[Any]:
    """A D201 diagnostic as JSON (without its path: the row's draft; it has no fix)."""
    return [d.line, d.column, d.end_line, d.end_column, d.code, d.rule, int(d.severity),
            d.message, [list(r) for r in d.related], d.snippet]


def _decode(row: Any, path: str) -> Diagnostic:
    """The inverse of :func:`_encode`; raises ValueError/TypeError on anything else."""
    line, column, end_line, end_column, code, rule, severity, message, related, snippet = row
    if not all(type(v) is int for v in (line, column, end_line, end_column)) or not all(
            type(v) is str for v in (code, rule, message, snippet)):
        raise ValueError("not a diagnostic")
    return Diagnostic(path, line, column, end_line, end_column, code, rule,
                      Severity(severity), message,
                      tuple(Related(str(m), int(n), int(c), None if p is None else str(p))
                            for m, n, c, p in related), (), snippet)


def forget(conn: sqlite3.Connection, key: str) -> None:
    """Drop everything kept under ``key`` (before a run that matches every draft)."""
    try:
        with conn:
            for statement in _TABLES:
                conn.execute(statement)
            conn.execute("DELETE FROM stage_results WHERE key = ?", (key,))
            conn.execute("DELETE FROM stage_state WHERE key = ?", (key,))
    except sqlite3.Error:
        pass


def boundary(uniq: Any, counts: Any, limit: int) -> dict[int, int]:
    """The hashes (``uniq``, held by ``counts`` drafts) whose stock status one of
    :data:`MARGIN` changed drafts can flip."""
    import numpy as np

    near = np.flatnonzero((counts > limit - MARGIN) & (counts <= limit + MARGIN))
    return dict(zip(uniq[near].tolist(), counts[near].tolist()))


class Affected(NamedTuple):
    """The drafts to match again: ``sure`` ones, and ``maybe`` ones, to match again only
    if they now share a passage with one of the ``changed`` drafts."""

    sure: set[str]
    maybe: set[str]
    changed: set[str]


def affected(state: State, kept: Kept, digests: Mapping[str, str], limit: int,
             index: MemoryIndex) -> Affected | None:
    """The drafts to match again, or None for all of them (``digests``: each draft's print
    digest now; ``index``: the drafts now).

    A draft's passages can change only when it changed or was added; when it named a
    draft that changed or went; when it holds a fingerprint whose stock status flipped
    (one changed draft moves a count by one, so only boundary hashes can flip); or (maybe)
    when it holds a rare fingerprint of a changed draft's new print: then only if it now
    shares a passage with that draft. A new limit, or more than :data:`MARGIN` drafts
    changed: all of them."""
    changed = {d for d, g in digests.items() if state.drafts.get(d) != g}
    gone = set(state.drafts) - set(digests)
    if state.limit != limit or len(changed) + len(gone) > MARGIN:
        return None
    if not changed and not gone:
        return Affected(set(), set(), changed)
    out = set(changed)
    out |= {d for d, names in kept.others.items() if names & (changed | gone)}
    now = index.document_frequency(state.boundary)
    flipped = [h for h, n in state.boundary.items() if (n > limit) != (now.get(h, 0) > limit)]
    out |= index.holders(flipped)
    prints = index.prints()
    maybe = index.holders({h for d in changed for h in prints[d].hashes}, limit) - out
    return Affected(out, maybe, changed)

