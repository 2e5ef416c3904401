"""The Document model: one draft, parsed once, immutable.

Every check reads a :class:`Document` and nothing else. Offsets are indexes into
``Document.text`` (Unicode code points); :meth:`Document.position` turns them into
1-based line/column pairs the way editors count them.

``text`` is the *lintable* text: line endings are normalised to ``\\n`` and a BOM is
dropped, and regions that are not prose (Markdown front matter, code blocks, HTML
comments) are blanked with spaces of the same length, so offsets, lines and columns
stay those of the source file. ``masked`` lists those regions; the engine drops any
finding that starts inside one.

Markdown syntax that stays in the text (``**`` of bold, list bullets, ``#`` of headings,
thematic breaks) is listed in ``markup``: the engine drops a finding that lies entirely
inside one such span (``**`` of ``**bold**`` is not a placeholder), while the characters
stay so that every column is the file's. ``suppressions`` are the inline
``<!-- draftlint-disable ... -->`` directives of a Markdown draft (see
:class:`Suppression`). For .docx, ``word_levels`` maps a 0-based line index to the Word
heading level (1-9) of its paragraph style or outline level, and ``numbered`` maps the
line index of a Word auto-numbered paragraph to the number text prefixed to its line
(``""`` when the number could not be derived; see ``checker/readers/docx.py``).
"""

from __future__ import annotations

import bisect
import itertools
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Mapping

from checker.markers import MarkerScan, scan_markers
from checker.ordinals import Block, parse_blocks
from checker.outline import Outline
from checker.packs import selector_names

__all__ = ["Block", "Document", "Suppression"]


@dataclass(frozen=True, slots=True)
class Suppression:
    """Codes switched off on lines ``first``..``last`` (1-based, inclusive).

    ``selectors`` are codes, code prefixes or rule names, as in ``--ignore``; empty means
    every rule. ``line``/``column`` locate the directive itself.
    """

    selectors: tuple[str, ...]
    first: int
    last: int
    line: int = 0
    column: int = 0

    def covers(self, code: str, name: str, line: int) -> bool:
        if not self.first <= line <= self.last:
            return False
        return not self.selectors or any(selector_names(s, code, name)
                                         for s in self.selectors)


@dataclass(frozen=True)
class Document:
    path: str
    text: str
    format: str = "txt"  # txt | md | docx
    encoding: str = "utf-8"
    front_matter: Mapping[str, Any] = field(default_factory=dict)
    masked: tuple[tuple[int, int], ...] = ()
    # For .docx: line i of ``text`` is paragraph ``source_map[i]`` of the file.
    source_map: tuple[int, ...] | None = None
    markup: tuple[tuple[int, int], ...] = ()
    suppressions: tuple[Suppression, ...] = ()
    word_levels: Mapping[int, int] = field(default_factory=dict)
    numbered: Mapping[int, str] = field(default_factory=dict)

    # -- positions ---------------------------------------------------------------
    @cached_property
    def line_starts(self) -> tuple[int, ...]:
        starts = [0]
        find = self.text.find
        i = find("\n")
        while i != -1:
            starts.append(i + 1)
            i = find("\n", i + 1)
        return tuple(starts)

    @cached_property
    def lines(self) -> tuple[str, ...]:
        return tuple(self.text.split("\n"))

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of ``offset``; column counts code points."""
        offset = max(0, min(offset, len(self.text)))
        idx = bisect.bisect_right(self.line_starts, offset) - 1
        return idx + 1, offset - self.line_starts[idx] + 1

    def line_span(self, index: int) -> tuple[int, int]:
        """Offsets (start, end) of 0-based line ``index`` without its newline."""
        start = self.line_starts[index]
        return start, start + len(self.lines[index])

    def is_masked(self, offset: int) -> bool:
        return _SpanIndex.of(self, "masked").reaches(offset, offset + 1)

    def is_markup(self, start: int, end: int) -> bool:
        """True when ``start..end`` lies inside one Markdown syntax span."""
        return _SpanIndex.of(self, "markup").reaches(start, max(end, start + 1))

    def is_suppressed(self, code: str, name: str, line: int) -> bool:
        if not self.suppressions:
            return False
        index = self._suppressed.get((code, name))
        if index is None:
            index = _SpanIndex([(s.first, s.last + 1) for s in self.suppressions
                                if s.covers(code, name, s.first)])
            self._suppressed[(code, name)] = index
        return index.reaches(line, line + 1)

    @cached_property
    def _suppressed(self) -> dict[tuple[str, str], "_SpanIndex"]:
        """Per (code, name), the line ranges switched off for it (built when first asked)."""
        return {}

    # -- structure ----------------------------------------------------------------
    @cached_property
    def blocks(self) -> tuple[Block, ...]:
        blocks = tuple(parse_blocks(self.lines, self.line_starts, self.format,
                                    self.front_matter))
        if not self.word_levels:
            return blocks
        return tuple(Block(b.index, b.start, b.end, "heading", b.text,
                           min(4, self.word_levels[b.index]), 0, "", b.body_start)
                     if b.kind == "paragraph" and b.index in self.word_levels else b
                     for b in blocks)

    @cached_property
    def headings(self) -> tuple[Block, ...]:
        return tuple(b for b in self.blocks if b.kind == "heading")

    @cached_property
    def outline(self) -> Outline:
        """Sections, heading siblings and enumerations (see :mod:`checker.outline`)."""
        return Outline(self)

    @cached_property
    def markers(self) -> MarkerScan:
        return scan_markers(self.text)


class _SpanIndex:
    """Spans ``[a, b)``, sorted by start with the running maximum of their ends, to answer
    "does one span hold ``[start, end)``" in logarithmic time (a scan of every span per
    finding was quadratic in a Markdown draft of many code blocks or comments)."""

    __slots__ = ("starts", "reach")

    def __init__(self, spans: Any) -> None:
        ordered = sorted(spans)
        self.starts = [a for a, _b in ordered]
        self.reach = list(itertools.accumulate((b for _a, b in ordered), max))

    @staticmethod
    def of(doc: Document, attribute: str) -> "_SpanIndex":
        cached = doc.__dict__.get("_index_" + attribute)
        if cached is None:
            cached = _SpanIndex(getattr(doc, attribute))
            doc.__dict__["_index_" + attribute] = cached
        return cached

    def reaches(self, start: int, end: int) -> bool:
        """True when some span ``[a, b)`` has ``a <= start`` and ``end <= b``."""
        k = bisect.bisect_right(self.starts, start)
        return k > 0 and self.reach[k - 1] >= end
