"""Markdown: blank out what is not prose, keep offsets; read front matter and directives.

One pass over the lines, so that a ``<!--`` inside a code block or a fence inside a
comment is read the way a Markdown renderer reads it:

* front matter (``---`` YAML or ``+++`` TOML at the very top) is parsed into
  ``Document.front_matter`` and blanked;
* fenced code blocks (```` ``` ```` / ``~~~``, closed by a fence of the same character at
  least as long, or by the end of the file), inline code spans (closed on the same line)
  and HTML comments are blanked: replaced by spaces of the same length, newlines kept,
  and listed as masked regions. Indented code blocks are *not* blanked: Chinese drafts
  indent paragraphs with spaces, and hiding them would hide prose;
* Markdown syntax that remains (``#`` of headings, ``-``/``*``/``+`` list bullets, ``>``,
  thematic breaks, the delimiters of ``*em*``/``**strong**``/``__strong__``) is listed in
  ``markup``, not blanked, so the text and every column stay the file's;
* ``<!-- draftlint-... -->`` comments are read as suppression directives before they are
  blanked (see :func:`parse_directive`).

Emphasis is paired the simple way: a delimiter run followed by a non-space, then the
same run preceded by a non-space, on one line. Like a renderer, ``意见**条，按照**市委``
is read as bold ``条，按照``; an unpaired ``**`` (``**市委``) stays a placeholder.
"""

from __future__ import annotations

import bisect
import tomllib
from typing import Any, Iterator

import regex
import yaml

from checker.document import Suppression
from checker.i18n import tr
from checker.packs import load_yaml
from checker.readers.base import InputProblem

MAX_FRONT_MATTER = 64 * 1024  # characters; YAML parsing is slow and front matter is short

_FRONT = regex.compile(r"\A(?P<d>---|\+\+\+)[ \t]*\n(?P<body>.*?\n)?(?:(?P=d)|\.\.\.)[ \t]*(?:\n|\Z)",
                       regex.S)
_FENCE_OPEN = regex.compile(r"^ {0,3}(?P<f>`{3,}(?=[^`]*$)|~{3,})")
_HEADING = regex.compile(r"^ {0,3}#{1,6}(?:[ \t]+|$)")
_BULLET = regex.compile(r"^[ \t]*(?:>[ \t]?)*[-*+](?=[ \t])")
_QUOTE = regex.compile(r"^ {0,3}(?:>[ \t]?)+")
_BREAK = regex.compile(r"^ {0,3}(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,}|=+[ \t]*)$")
# emphasis delimiters: runs of 1-3 that open (followed by a non-space) or close (preceded
# by one); ``_`` only at word boundaries. See :func:`_emphasis_pairs`.
_STAR_OPEN = regex.compile(r"(?<![\\*])\*{1,3}(?=[^\s*])")
_STAR_CLOSE = regex.compile(r"(?<=[^\s\\*])\*{1,3}(?!\*)")
_UNDERSCORE_OPEN = regex.compile(r"(?<![\\_\w])_{1,3}(?=[^\s_])")
_UNDERSCORE_CLOSE = regex.compile(r"(?<=[^\s\\_])_{1,3}(?![_\w])")
_TICKS = regex.compile(r"(?<!`)`+(?!`)")
_DIRECTIVE = regex.compile(r"^\s*draftlint-(?P<what>[a-z-]+)\b(?P<rest>.*?)\s*$", regex.S)
_SELECTOR = regex.compile(r"^(?:[A-Z][0-9]{0,3}|[a-z][a-z0-9]*(?:-[a-z0-9]+)*|ALL)$")
DIRECTIVES = ("disable", "enable", "disable-next-line", "disable-line")


def _blank(chars: list[str], start: int, end: int) -> None:
    for i in range(start, end):
        if chars[i] != "\n":
            chars[i] = " "


def _front_matter(text: str) -> tuple[tuple[int, int] | None, dict[str, Any], list[InputProblem]]:
    m = _FRONT.match(text)
    if not m:
        return None, {}, []
    body = m.group("body") or ""
    end_line = text.count("\n", 0, m.end()) or 1
    if len(body) > MAX_FRONT_MATTER:
        return m.span(), {}, [InputProblem("E007", tr("input.front-matter-long", length=len(body),
                                                      limit=MAX_FRONT_MATTER))]
    try:
        if m.group("d") == "+++":
            loaded: Any = tomllib.loads(body)
        else:
            loaded = load_yaml(body)
    except (yaml.YAMLError, tomllib.TOMLDecodeError, RecursionError, ValueError) as exc:
        detail = " ".join(str(exc).split())[:200]
        lang = "TOML" if m.group("d") == "+++" else "YAML"
        return m.span(), {}, [InputProblem("E007", tr("input.front-matter-invalid", syntax=lang,
                                                      detail=detail), 1, 1)]
    if loaded is None:
        return m.span(), {}, []
    if not isinstance(loaded, dict):
        return m.span(), {}, [InputProblem(
            "E007", tr("input.front-matter-not-mapping", type=type(loaded).__name__,
                       line=end_line))]
    return m.span(), {str(k): v for k, v in loaded.items()}, []


def parse_directive(body: str) -> tuple[str, tuple[str, ...]] | str | None:
    """``(directive, selectors)`` of a comment body, an error message, or None."""
    m = _DIRECTIVE.match(body)
    if not m:
        return None
    what = m.group("what")
    if what not in DIRECTIVES:
        return tr("input.unknown-directive", what=what,
                  known=", ".join(f"draftlint-{d}" for d in DIRECTIVES))
    selectors = tuple(s for s in regex.split(r"[\s,]+", m.group("rest")) if s)
    bad = [s for s in selectors if not _SELECTOR.match(s)]
    if bad:
        return tr("input.bad-selector", what=what, selector=bad[0])
    return what, tuple("" if s == "ALL" else s for s in selectors)


class _Directives:
    """Turns the directives, in file order, into line ranges."""

    def __init__(self, last_line: int) -> None:
        self.last_line = last_line
        self.open: dict[str, tuple[int, int, int]] = {}  # selector -> (first line, line, col)
        self.out: list[Suppression] = []
        self.problems: list[InputProblem] = []

    def add(self, body: str, line: int, end_line: int, column: int) -> None:
        parsed = parse_directive(body)
        if parsed is None:
            return
        if isinstance(parsed, str):
            self.problems.append(InputProblem("E014", tr("input.comment-ignored", problem=parsed),
                                              line, column))
            return
        what, selectors = parsed
        if what == "disable-next-line":
            self.out.append(Suppression(selectors, end_line + 1, end_line + 1, line, column))
        elif what == "disable-line":
            self.out.append(Suppression(selectors, line, end_line, line, column))
        elif what == "disable":
            for sel in selectors or ("",):
                self.open.setdefault(sel, (end_line + 1, line, column))
        else:  # enable
            for sel in list(self.open) if not selectors else selectors:
                if sel not in self.open:
                    self.problems.append(InputProblem(
                        "E014", tr("input.enable-without-disable", selector=sel), line, column))
                    continue
                first, dline, dcol = self.open.pop(sel)
                self.out.append(Suppression((sel,) if sel else (), first, line - 1, dline, dcol))

    def finish(self) -> tuple[tuple[Suppression, ...], list[InputProblem]]:
        for sel, (first, dline, dcol) in self.open.items():
            self.out.append(Suppression((sel,) if sel else (), first, self.last_line, dline, dcol))
        return tuple(self.out), self.problems


def prepare(text: str) -> tuple[str, tuple[tuple[int, int], ...], dict[str, Any],
                                tuple[InputProblem, ...], tuple[tuple[int, int], ...],
                                tuple[Suppression, ...]]:
    """(lintable text, masked spans, front matter, problems, markup spans, suppressions)."""
    masked: list[tuple[int, int]] = []
    markup: list[tuple[int, int]] = []
    front_span, front, problems = _front_matter(text)
    pos = 0
    if front_span:
        masked.append(front_span)
        pos = front_span[1]
    lines_total = text.count("\n") + 1
    directives = _Directives(lines_total)
    fence: str | None = None
    fence_start = 0
    comment_start: int | None = None
    comment_at = (0, 0)  # (line, column) of the open comment, 1-based
    line_no = text.count("\n", 0, pos)  # 0-based index of the line at pos
    n = len(text)
    while pos < n:
        eol = text.find("\n", pos)
        if eol == -1:
            eol = n
        line = text[pos:eol]
        if fence is not None:  # inside a fenced code block
            close = regex.match(r"^ {0,3}" + regex.escape(fence[0]) + "{" + str(len(fence))
                                + r",}[ \t]*$", line)
            if close:
                masked.append((fence_start, eol))
                fence = None
            pos, line_no = eol + 1, line_no + 1
            continue
        col = 0
        if comment_start is not None:
            end = line.find("-->")
            if end == -1:
                pos, line_no = eol + 1, line_no + 1
                continue
            col = end + 3
            _end_comment(text, comment_start, pos + col, comment_at, line_no + 1, masked,
                          directives)
            comment_start = None
        elif (m := _FENCE_OPEN.match(line)) is not None:
            fence, fence_start = m.group("f"), pos
            pos, line_no = eol + 1, line_no + 1
            continue
        else:
            for pattern in (_HEADING, _BULLET, _QUOTE, _BREAK):
                mm = pattern.match(line)
                if mm and mm.end() > 0:
                    markup.append((pos + mm.start(), pos + mm.end()))
        # the rest of the line: code spans, comments, emphasis
        prose_from = col
        runs: _TickRuns | None = None
        open_c = -2  # the next "<!--" at or after col (-1: none), found again only when passed
        while col < len(line):
            tick = line.find("`", col)
            if open_c == -2 or 0 <= open_c < col:
                open_c = line.find("<!--", col)
            if open_c != -1 and (tick == -1 or open_c < tick):
                _emphasis(line, pos, prose_from, open_c, markup)
                end = line.find("-->", open_c + 4)
                if end == -1:
                    comment_start = pos + open_c
                    comment_at = (line_no + 1, open_c + 1)
                    col = len(line)
                    prose_from = col
                    break
                _end_comment(text, pos + open_c, pos + end + 3, (line_no + 1, open_c + 1),
                             line_no + 1, masked, directives)
                col = prose_from = end + 3
                continue
            if tick != -1:
                if runs is None:
                    runs = _TickRuns(line)
                width = runs.width_at(tick)
                close = runs.close_after(tick, width)
                if close is not None:
                    _emphasis(line, pos, prose_from, tick, markup)
                    stop = close + width
                    masked.append((pos + tick, pos + stop))
                    col = prose_from = stop
                    continue
                col = tick + width
                continue
            break
        if comment_start is None:
            _emphasis(line, pos, prose_from, len(line), markup)
        pos, line_no = eol + 1, line_no + 1
    if fence is not None:
        masked.append((fence_start, n))
    if comment_start is not None:
        _end_comment(text, comment_start, n, comment_at, lines_total, masked, directives)
    suppressions, directive_problems = directives.finish()
    chars = list(text)
    for start, end in masked:
        _blank(chars, start, end)
    return ("".join(chars), tuple(sorted(masked)), front, (*problems, *directive_problems),
            tuple(sorted(markup)), suppressions)


def _end_comment(text: str, start: int, end: int, at: tuple[int, int], end_line: int,
                 masked: list[tuple[int, int]], directives: _Directives) -> None:
    masked.append((start, end))
    closed = text.endswith("-->", 0, end) and end - start >= 7
    body = text[start + 4: end - 3 if closed else end]
    if closed:
        directives.add(body, at[0], end_line, at[1])


class _TickRuns:
    """The backtick runs of one line, by width: a code span opened by a run of N
    backticks closes at the next run of exactly N. Found with one scan of the line and a
    binary search per run (a regular-expression search from each run was cubic in the
    length of a line of backtick runs)."""

    def __init__(self, line: str) -> None:
        self.width: dict[int, int] = {}
        self.by_width: dict[int, list[int]] = {}
        for m in _TICKS.finditer(line):
            self.width[m.start()] = m.end() - m.start()
            self.by_width.setdefault(m.end() - m.start(), []).append(m.start())

    def width_at(self, start: int) -> int:
        return self.width.get(start, 1)

    def close_after(self, start: int, width: int) -> int | None:
        """Start of the first run of exactly ``width`` backticks after ``start + width``."""
        same = self.by_width.get(width, [])
        k = bisect.bisect_left(same, start + width)
        return same[k] if k < len(same) else None


def _emphasis(line: str, base: int, start: int, end: int, markup: list[tuple[int, int]]) -> None:
    if start >= end or ("*" not in line[start:end] and "_" not in line[start:end]):
        return
    for (a, b), (c, d) in _emphasis_pairs(line[start:end]):
        markup.append((base + start + a, base + start + b))
        markup.append((base + start + c, base + start + d))


def _emphasis_pairs(segment: str) -> Iterator[tuple[tuple[int, int], tuple[int, int]]]:
    """The delimiter spans of ``*em*``, ``**strong**``, ``__strong__`` … in ``segment``:
    an opening run followed by a non-space, closed by the next run of the same character
    and length preceded by a non-space (``_``: not inside a word), left to right: the
    pairs a single expression with a lazy ``.+?`` between the runs finds, without its
    search from every opening run to the end of the line (quadratic on ``*甲 *乙 *丙 …``)."""
    closers: dict[tuple[str, int], list[int]] = {}
    for pattern in (_STAR_CLOSE, _UNDERSCORE_CLOSE):
        for m in pattern.finditer(segment):
            closers.setdefault((m.group()[0], m.end() - m.start()), []).append(m.start())
    if not closers:
        return
    openers = sorted(m.span() for pattern in (_STAR_OPEN, _UNDERSCORE_OPEN)
                     for m in pattern.finditer(segment))
    pos = 0
    for a, b in openers:
        if a < pos:
            continue
        width = b - a
        same = closers.get((segment[a], width), [])
        k = bisect.bisect_left(same, b + 1)  # at least one character between
        if k < len(same):
            c = same[k]
            yield (a, b), (c, c + width)
            pos = c + width
