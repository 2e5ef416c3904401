"""Hard-wrapped drafts: lines broken at a fixed width, joined back into paragraphs.

Text pasted from a PDF, or exported at a fixed width, breaks every paragraph over
several lines of about the same width, most of them ending without sentence
punctuation. Read line by line, each of those lines would look like a paragraph cut off
mid-sentence (in a .docx too: text pasted from a PDF into Word makes a paragraph of every
line). :func:`logical_lines` finds such a draft and joins the lines of each
paragraph, once, where the Document's blocks are built (:func:`checker.ordinals.parse_blocks`);
every check sees whole paragraphs, and positions stay those of the original lines
(``Block.offset`` maps an offset in a joined paragraph back to the file).

A draft is hard-wrapped when at least :data:`MIN_LINES` of its lines end open (without
sentence punctuation) and make at least half of its lines, and most of those (
:data:`CLUSTER`) have about the same display width (a Chinese character counts two
columns, as on the page), at least :data:`MIN_WIDTH` columns. A line is joined to the
next when it ends open and is about that wide; a line that starts with a heading
ordinal or a paid marker, or an empty line, always starts a new paragraph.

Text extracted from a PDF is also recognised by the spaces it leaves where it ran the
page's lines together (中国共 产党人: :func:`pdf_spaced`); its lines have any width, so
there a line of at least :data:`MIN_SPACED_LINE` characters that ends open goes on in
the next one, also across one blank line (such text often has one after every line).
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from typing import Callable, Iterator, NamedTuple, Sequence

MIN_LINES = 4
MIN_WIDTH = 30  # display columns: 15 Chinese characters
CLUSTER = 0.7  # share of the open lines that must be about as wide as their median
NEAR = 0.15  # "about as wide": within this share of the median width
MIN_SPACED = 5  # PDF text run together: this many 中 文 spaces at least …
SPACED_EVERY = 300  # … and one in this many characters
MIN_SPACED_LINE = 20  # in such text, a line this long (in characters) that ends open goes on
_SPACED = re.compile(r"[\u3400-\u9fff] [\u3400-\u9fff]")
_END = "。！？!?；;：:…"
_CLOSERS = "”’」』》）)】〕\"' \t\u3000"


class Line(NamedTuple):
    """One paragraph of the draft: ``index`` is its first line, ``start``/``end`` the
    offsets of its stripped text, ``text`` its lines' stripped text joined, ``joins`` the
    (offset in ``text``, offset in the file) where each further line begins."""

    index: int
    start: int
    end: int
    text: str
    joins: tuple[tuple[int, int], ...] = ()


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def ends_open(text: str) -> bool:
    """The line ends without sentence punctuation (closing quotes skipped)."""
    core = text.rstrip(_CLOSERS)
    return bool(core) and core[-1] not in _END


def wrap_width(lines: Sequence[str]) -> int | None:
    """The median display width of the open lines when ``lines`` (stripped, non-empty)
    are hard-wrapped, else None."""
    open_widths = [display_width(s) for s in lines if ends_open(s)]
    if len(open_widths) < MIN_LINES or 2 * len(open_widths) < len(lines):
        return None
    median = statistics.median(open_widths)
    if median < MIN_WIDTH:
        return None
    near = sum(1 for w in open_widths if abs(w - median) <= NEAR * median)
    return int(median) if near >= CLUSTER * len(open_widths) else None


def pdf_spaced(lines: Sequence[str]) -> bool:
    """Text extracted from a PDF with its lines run together by spaces (中国共 产党人):
    :data:`MIN_SPACED` such spaces or more, one in :data:`SPACED_EVERY` characters."""
    size = sum(map(len, lines))
    spaced = sum(len(_SPACED.findall(s)) for s in lines)
    return spaced >= MIN_SPACED and spaced * SPACED_EVERY >= size


def logical_lines(lines: Sequence[str], starts: Sequence[int], strip: str,
                  starts_block: Callable[[str], bool]) -> Iterator[Line]:
    """The draft's paragraphs: one per non-empty line, or, in a hard-wrapped draft, the
    lines of a paragraph joined. ``starts_block(text)`` is True for a line that always
    begins a new paragraph (a heading, a marker line)."""
    stripped = [raw.strip(strip) for raw in lines]
    present = [s for s in stripped if s]
    width = wrap_width(present)
    spaced = width is None and pdf_spaced(present)
    if spaced:  # lines of any width: a long line that ends open goes on in the next one
        width = 2 * MIN_SPACED_LINE
    top = next((i for i, text in enumerate(stripped) if text), 0)
    current: list | None = None  # [index, start, end, parts, joins, length of parts]
    for index, (raw, text) in enumerate(zip(lines, stripped)):
        if not text:
            # in PDF text with a blank line after each line, one blank line is no break
            if current is not None and not (spaced and index + 1 < len(lines)
                                            and stripped[index + 1]):
                yield _line(current)
                current = None
            continue
        start = starts[index] + len(raw) - len(raw.lstrip(strip))
        if current is not None and not starts_block(text):
            current[4].append((current[5], start))  # the joined text's length so far
            current[3].append(text)
            current[2] = start + len(text)
            current[5] += len(text)
        else:
            if current is not None:
                yield _line(current)
            current = [index, start, start + len(text), [text], [], len(text)]
        first = index == top  # the first line: a title, usually set apart
        if width is None or not ends_open(text) or not _goes_on(text, width, spaced, first):
            yield _line(current)
            current = None
    if current is not None:
        yield _line(current)


def _goes_on(text: str, width: int, spaced: bool, first: bool) -> bool:
    """A line that ends open goes on in the next one when it is about as wide as the
    draft's lines (in PDF text run together: at least :data:`MIN_SPACED_LINE` characters);
    the first line (a title, usually set apart) only at full width."""
    least = width if first else 0
    if spaced:
        return display_width(text) >= max(least, width)
    return display_width(text) >= max(least, (1 - NEAR) * width)


def _line(current: list) -> Line:
    index, start, end, parts, joins, _length = current
    return Line(index, start, end, "".join(parts), tuple(joins))

