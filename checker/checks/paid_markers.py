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

from typing import Any, Iterator, Mapping

import regex

from checker.checks import Opt
from checker.model import Edit, Finding, Related
from checker.document import Document
from checker.markers import Marker

DEFECTS = ("unclosed", "stray-end", "nested", "misspelled", "extra-sigils", "mid-sentence",
           "own-line", "empty-span", "mixed-style", "pagebreak-in-word")

OPTIONS = {
    "defect": Opt("str", required=True, choices=DEFECTS, doc="which marker problem to report"),
}

_WS = " \t\u3000\u00a0\u200b"
# A preview may end after these: the marker then sits at a sentence boundary.
_SENTENCE_END = regex.compile(r"[。！？!?；;…：:][”’」』）)》\]】]*$")
_WORD_CHAR = regex.compile(r"[\p{L}\p{N}]")


def _line_of(doc: Document, offset: int) -> tuple[int, int]:
    line, _col = doc.position(offset)
    return doc.line_span(line - 1)


def _around(doc: Document, mk: Marker) -> tuple[str, str, str]:
    """(text before, text after, indentation) of ``mk`` on its line, other markers removed."""
    start, end = _line_of(doc, mk.start)
    # Other markers and misspelled ones (their extra sigils included) are not text.
    others = [(m.start, m.end) for m in doc.markers.markers
              if start <= m.start < end and m is not mk]
    others += [(m.start, m.end) for m in doc.markers.misspelled if m.start < end and start < m.end]

    def strip(a: int, b: int) -> str:
        chars = list(doc.text[a:b])
        for s, e in others:
            for i in range(max(s, a), min(e, b)):
                chars[i - a] = " "
        return "".join(chars).strip(_WS)

    line = doc.text[start:end]
    indent = line[:len(line) - len(line.lstrip(_WS))]
    return strip(start, mk.start), strip(mk.end, end), indent


def _shown(text: str) -> str:
    return text.replace("\r", "").replace("\n", "\\n")


def _inline(doc: Document, want: str) -> Iterator[Finding]:
    for mk in doc.markers.paid_markers:
        before, after, indent = _around(doc, mk)
        if not before and not after:
            continue
        mid = bool(before and after and not _SENTENCE_END.search(before))
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
            leak = (f"; the text from there to the {n.orphan.text} at line {orphan_line} is "
                    f"published free and a stray </paid> shows")
        else:
            leak = "; this begin marker is redundant"
        yield Finding(n.marker.start, n.marker.end,
                      {"marker": n.marker.text, "open_line": open_line,
                       "close_line": close_line, "leak": leak},
                      related=(Related("the paid span opens here", open_line, open_col),))


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
