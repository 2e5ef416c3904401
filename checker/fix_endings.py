"""--fix keeps every line ending as it was: the file's text rebuilt around the edits.

The reader turns ``\r\n`` and a lone ``\r`` into ``\n``; edits are made in that text.
Putting them back into the file's own text keeps each line break an edit does not touch,
gives a break an edit rewrites its own ending again, and a new one the file's usual
ending; an edit that would put a lone CR right before an LF (they would read as one CRLF:
a line would disappear) is left out, with the other edits of its fix.
"""

from __future__ import annotations

import re
from typing import Protocol, Sequence

from checker.model import Edit


class Source(Protocol):
    """What is needed of :class:`checker.fix.Source`: the file's decoded text, its usual
    line ending and the map from normalised offsets to offsets in that text."""

    text: str
    newline: str

    def to_source(self, offset: int) -> int: ...

_NEWLINE = re.compile(r"\r\n|\r|\n")


def assemble(source: Source, edits: Sequence[Edit]) -> tuple[str, set[int]]:
    """The file's text with ``edits`` applied, every line ending kept as it was: a line
    break an edit removes and puts back (``"  \n"`` -> ``"\n"``) keeps its own ending, a
    new one takes the file's usual ending. Also the indexes of the edits that would join
    a lone CR to a following LF (``a\r \t\nb`` without the blanks reads as one CRLF: a
    line would disappear); those must not be applied."""
    out: list[str] = []
    merged: set[int] = set()
    last = ""

    def emit(piece: str, blame: int) -> None:
        nonlocal last
        if piece:
            if last == "\r" and piece[0] == "\n":
                merged.add(max(blame, 0))
            out.append(piece)
            last = piece[-1]

    pos = 0
    for i, e in enumerate(edits):
        start, end = source.to_source(e.start), source.to_source(e.end)
        emit(source.text[pos:start], i - 1)
        emit(_with_endings(e.replacement, _NEWLINE.findall(source.text, start, end),
                           source.newline), i)
        pos = end
    emit(source.text[pos:], len(edits) - 1)
    return "".join(out), merged


def _with_endings(replacement: str, removed: list[str], usual: str) -> str:
    """``replacement`` (newlines as ``\n``) with the endings of the line breaks it replaces,
    in order, then the file's usual one."""
    if "\n" not in replacement:
        return replacement
    pieces = replacement.split("\n")
    endings = iter(removed)
    return "".join(piece + next(endings, usual) for piece in pieces[:-1]) + pieces[-1]


def keep_line_breaks(source: Source, edits: list[Edit], groups: Sequence[tuple[Edit, ...]]
                      ) -> tuple[str, list[Edit], int]:
    """(fixed text, the edits applied, groups left out): a group any of whose edits would
    join a lone CR and an LF into one line break is left out, all its edits together."""
    dropped = 0
    while True:
        fixed, merged = assemble(source, edits)
        if not merged:
            return fixed, edits, dropped
        bad = {id(edits[i]) for i in merged}
        doomed = [g for g in groups if any(id(e) in bad for e in g)]
        dropped += len(doomed)
        gone = {id(e) for g in doomed for e in g}
        edits = [e for e in edits if id(e) not in gone]
