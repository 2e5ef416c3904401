"""Kind ``paid-markers``: the paid-content markers as the CMS pairs them.

One kind, one option ``defect`` choosing which problem a rule reports, so that each
problem has its own code. The scan itself (``Document.markers``, see
:mod:`checker.markers`) is done once per document and shared by every rule of this kind.

Message arguments: ``marker`` (the marker's text) for every defect, and

* ``nested``: ``open_line``, ``close_line``, ``leak`` (what is published free);
* ``misspelled``/``extra-sigils``: ``found`` (line breaks shown as ``\\n``), ``canonical``;
* ``empty-span``: ``end_line``;
* ``mixed-style``: ``first``, ``first_line``, ``canonical``;
* ``pagebreak-in-word``: ``context`` (the characters around it).
"""

from __future__ import annotations

import bisect
from typing import Any, Iterator, Mapping

import regex

from checker.checks import Opt
from checker.model import Edit, Finding, Related
from checker.document import Document
from checker.i18n import tr
from checker.markers import Marker

DEFECTS = ("unclosed", "stray-end", "nested", "misspelled", "extra-sigils", "mid-sentence",
           "own-line", "empty-span", "mixed-style", "pagebreak-in-word")

OPTIONS = {
    "defect": Opt("str", required=True, choices=DEFECTS, doc="which marker problem to report"),
}

_WS = " \t\u3000\u00a0\u200b"
# A preview may end after these (closing quotes and brackets may follow): the marker then
# sits at a sentence boundary.
_ENDERS = "。！？!?；;…：:"
_CLOSERS = "”’」』）)》]】"
_WORD_CHAR = regex.compile(r"[\p{L}\p{N}]")


class _Line:
    """One line with every marker and misspelled marker (their extra sigils included)
    blanked, as facts looked up per marker in logarithmic time: where its non-space
    characters are, and which of them end a sentence (with closing quotes or brackets
    after the end mark). Slicing and stripping the line around each marker was quadratic
    in a line of many markers."""

    def __init__(self, doc: Document, index: int, spans: "_MarkerSpans") -> None:
        start, end = doc.line_span(index)
        raw = doc.text[start:end]
        chars = list(raw)
        for s, e in spans.overlapping(start, end):
            for i in range(max(s, start), min(e, end)):
                chars[i - start] = " "
        self.start = start
        self.indent = raw[:len(raw) - len(raw.lstrip(_WS))]
        self.solid = [i for i, c in enumerate(chars) if c not in _WS]
        self.ends_sentence: list[bool] = []
        ended = False
        for c in chars:
            ended = c in _ENDERS or (c in _CLOSERS and ended)
            self.ends_sentence.append(ended)

    def around(self, mk: Marker) -> tuple[bool, bool, bool]:
        """(text before ``mk``, text after it, the text before ends a sentence)."""
        k = bisect.bisect_left(self.solid, mk.start - self.start)
        before = k > 0
        after = bisect.bisect_left(self.solid, mk.end - self.start) < len(self.solid)
        return before, after, before and self.ends_sentence[self.solid[k - 1]]


class _MarkerSpans:
    """The spans of a draft's markers and misspellings, sorted, found by position."""

    def __init__(self, doc: Document) -> None:
        scan = doc.markers
        self.spans = sorted([(m.start, m.end) for m in scan.markers]
                            + [(m.start, m.end) for m in scan.misspelled])
        self.starts = [s for s, _e in self.spans]
        self.longest = max((e - s for s, e in self.spans), default=0)

    def overlapping(self, start: int, end: int) -> list[tuple[int, int]]:
        lo = bisect.bisect_left(self.starts, start - self.longest)
        hi = bisect.bisect_left(self.starts, end)
        return [(s, e) for s, e in self.spans[lo:hi] if e > start]


def _shown(text: str) -> str:
    return text.replace("\r", "").replace("\n", "\\n")


def _inline(doc: Document, want: str) -> Iterator[Finding]:
    spans = _MarkerSpans(doc)
    line: _Line | None = None
    index = -1
    for mk in doc.markers.paid_markers:
        at = doc.position(mk.start)[0] - 1
        if line is None or at != index:
            line, index = _Line(doc, at, spans), at
        before, after, ends_sentence = line.around(mk)
        if not before and not after:
            continue
        indent = line.indent
        mid = before and after and not ends_sentence
        if want == "mid-sentence" and mid:
            yield Finding(mk.start, mk.end, {"marker": mk.text})
        elif want == "own-line" and not mid:
            edits = []
            if before:
                edits.append(Edit(mk.start, mk.start, "\n"))
            if after:
                edits.append(Edit(mk.end, mk.end, "\n" + indent))
            yield Finding(mk.start, mk.end, {"marker": mk.text}, fix=tuple(edits))


def _nested(doc: Document) -> Iterator[Finding]:
    for n in doc.markers.nested:
        open_line, open_col = doc.position(n.opener.start)
        close_line, _ = doc.position(n.closer.start)
        if n.orphan is not None:
            orphan_line, _ = doc.position(n.orphan.start)
            leak = tr("words.leak", marker=n.orphan.text, line=orphan_line)
        else:
            leak = tr("words.redundant-begin")
        yield Finding(n.marker.start, n.marker.end,
                      {"marker": n.marker.text, "open_line": open_line,
                       "close_line": close_line, "leak": leak},
                      related=(Related(tr("words.paid-span-opens"), open_line, open_col),))


def _empty(doc: Document) -> Iterator[Finding]:
    for begin, end in doc.markers.spans:
        inside = doc.text[begin.end:end.start].replace("##pagebreak##", "")
        if not inside.strip(_WS + "\n"):
            end_line, end_col = doc.position(end.start)
            yield Finding(begin.start, begin.end, {"marker": begin.text, "end_line": end_line},
                          related=(Related("the span ends here", end_line, end_col),))


def _mixed(doc: Document) -> Iterator[Finding]:
    paid = doc.markers.paid_markers
    if not paid:
        return
    first = paid[0]
    line, col = doc.position(first.start)
    for mk in paid[1:]:
        if mk.style != first.style:
            canonical = f"{first.style * 2}paid{mk.kind}{first.style * 2}"
            yield Finding(mk.start, mk.end,
                          {"marker": mk.text, "first": first.text, "first_line": line,
                           "canonical": canonical},
                          related=(Related(f"the first marker, {first.text}", line, col),),
                          fix=(Edit(mk.start, mk.end, canonical),))


def _pagebreaks(doc: Document) -> Iterator[Finding]:
    text = doc.text
    for mk in doc.markers.pagebreaks:
        before = text[mk.start - 1] if mk.start > 0 else ""
        after = text[mk.end] if mk.end < len(text) else ""
        if before and after and _WORD_CHAR.match(before) and _WORD_CHAR.match(after):
            context = text[max(0, mk.start - 2):mk.start] + mk.text + text[mk.end:mk.end + 2]
            yield Finding(mk.start, mk.end, {"marker": mk.text, "context": context})


def check(doc: Document, options: Mapping[str, Any]) -> Iterator[Finding]:
    scan = doc.markers
    defect = options["defect"]
    if defect == "unclosed":
        for mk in scan.unclosed:
            yield Finding(mk.start, mk.end, {"marker": mk.text})
    elif defect == "stray-end":
        for mk in scan.stray_ends:
            yield Finding(mk.start, mk.end, {"marker": mk.text})
    elif defect == "nested":
        yield from _nested(doc)
    elif defect in ("misspelled", "extra-sigils"):
        for ms in scan.misspelled:
            if ms.recognised == (defect == "extra-sigils"):
                yield Finding(ms.start, ms.end,
                              {"marker": ms.canonical, "found": _shown(ms.text),
                               "canonical": ms.canonical},
                              fix=(Edit(ms.start, ms.end, ms.canonical),))
    elif defect in ("mid-sentence", "own-line"):
        yield from _inline(doc, defect)
    elif defect == "empty-span":
        yield from _empty(doc)
    elif defect == "mixed-style":
        yield from _mixed(doc)
    elif defect == "pagebreak-in-word":
        yield from _pagebreaks(doc)
