"""What the D201 stage found last time, kept in the result cache's SQLite database, so a
run with few drafts changed matches only the drafts whose passages can have changed.

Two tables (plain text and JSON columns: nothing read back runs code):

``stage_state``
    one row per key (the cache's settings key and the rule): JSON of the stock limit the
    results were found with, each draft's print digest, the drafts changed since the last
    run that matched every draft (a *full match*), and the stock hashes (held by more
    drafts than the limit) in three lists: the *settled* ones (held, at the last full
    match, by more than the limit plus :data:`WIDTH`: stock until the next), the
    *boundary* (held then by more than the limit and at most :data:`WIDTH` more) and
    the others stock at the last run;
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

MARGIN = 8  # more drafts changed in one run than this: every draft is matched again
WIDTH = 64  # more drafts changed since the last full match: every draft matched again
_TABLES = (
    "CREATE TABLE IF NOT EXISTS stage_state (key TEXT PRIMARY KEY, state TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS stage_results (key TEXT NOT NULL, draft TEXT NOT NULL, "
    "body TEXT NOT NULL, others TEXT NOT NULL, PRIMARY KEY (key, draft))",
)


class State(NamedTuple):
    """The stage's last run (see the module's docstring; the hashes sorted)."""

    limit: int
    drafts: dict[str, str]
    settled: list[int]
    boundary: list[int]
    stock: list[int]  # the stock hashes that are not settled
    since: set[str]


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
                      *(_hashes(data[k]) for k in ("settled", "boundary", "stock")),
                      {str(d) for d in data["since"]})
        kept = Kept({}, {})
        for draft, body, others in conn.execute(
                "SELECT draft, body, others FROM stage_results WHERE key = ?", (key,)):
            kept.diagnostics[draft] = [_decode(row, draft) for row in json.loads(body)]
            kept.others[draft] = {str(o) for o in json.loads(others)}
        return state, kept
    except (sqlite3.Error, ValueError, TypeError, KeyError, AttributeError, OverflowError,
            RecursionError):  # a row that does not load, however it is damaged
        return None


def _hashes(values: Any) -> list[int]:
    """A kept list of hashes, sorted; ValueError unless each fits in 8 signed bytes."""
    out = sorted(int(h) for h in values)
    if out and (out[0] < -2**63 or out[-1] >= 2**63):
        raise ValueError("not a hash")
    return out


def save(conn: sqlite3.Connection, key: str, state: State,
         found: Mapping[str, tuple[Sequence[Diagnostic], Collection[str]]],
         drop: Iterable[str]) -> None:
    """Keep ``state``, the diagnostics and the other drafts of their copies of the
    drafts matched (``found``: every draft matched, with or without any) and forget the
    drafts in ``drop``."""
    body = json.dumps({"limit": state.limit, "drafts": state.drafts, "settled": state.settled,
                       "boundary": state.boundary, "stock": state.stock,
                       "since": sorted(state.since)}, separators=(",", ":"))
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


def full(limit: int, drafts: Mapping[str, str], index: MemoryIndex) -> State:
    """The state after a full match of the drafts of ``index``."""
    c = index.columns()
    near = c.uniq[(c.counts > limit) & (c.counts <= limit + WIDTH)].tolist()
    return State(limit, dict(drafts), c.uniq[c.counts > limit + WIDTH].tolist(), near, near,
                 set())


class Affected(NamedTuple):
    """The drafts to match again: ``sure`` ones, and ``maybe`` ones, to match again only
    if they now share a passage with one of the ``changed`` drafts; ``index``: every
    posting of the hashes counted (see :func:`affected`); ``state``: the state to keep
    after the run."""

    sure: set[str]
    maybe: set[str]
    changed: set[str]
    index: MemoryIndex
    state: State

    def stock(self) -> Any:
        """Every stock hash now (sorted, int64)."""
        import numpy as np

        return np.union1d(np.array(self.state.settled, dtype=np.int64),
                          np.array(self.state.stock, dtype=np.int64))


def affected(state: State, kept: Kept, digests: Mapping[str, str], limit: int,
             index: MemoryIndex) -> Affected | None:
    """The drafts to match again, or None for all of them (``digests``: each draft's print
    digest now; ``index``: the drafts now).

    A draft's passages can change only when it changed or was added; when it named a
    draft that changed or went; when it holds a hash whose stock status flipped; or
    (maybe) when it holds a rare hash of a changed draft's new print: then only if it now
    shares a passage with that draft. Only these hashes are counted: the boundary, those
    stock at the last run, and those the drafts changed since the last full match hold
    now (but the settled ones). Any other hash is held by no more drafts than at the last
    full match, and by fewer by at most the drafts changed since, which are at most
    :data:`WIDTH`: it was not stock then, or is settled, and is what it was. A new
    limit, more than :data:`MARGIN` drafts changed in this run or more than
    :data:`WIDTH` since the last full match: all of them."""
    import numpy as np

    changed = {d for d, g in digests.items() if state.drafts.get(d) != g}
    gone = set(state.drafts) - set(digests)
    since = state.since | changed | gone
    if state.limit != limit or len(changed) + len(gone) > MARGIN or len(since) > WIDTH:
        return None
    # int64 arrays before any set operation: numpy makes floats of an empty list's union
    settled, boundary, stock = (np.array(v, dtype=np.int64)
                                for v in (state.settled, state.boundary, state.stock))
    counted = np.union1d(np.union1d(index.distinct(since, settled), boundary), stock)
    part = index.restrict(counted)
    c = part.columns()
    now = c.uniq[c.counts > limit]
    sure = set(changed) | {d for d, names in kept.others.items() if names & (changed | gone)}
    sure |= part.holders(np.setxor1d(now, stock).tolist())
    sure &= index.prints().keys()  # not the drafts gone
    maybe = part.holders(index.distinct(changed, settled).tolist(), limit) - sure
    return Affected(sure, maybe, changed, part, State(limit, dict(digests), state.settled,
                                                       state.boundary, now.tolist(), since))
