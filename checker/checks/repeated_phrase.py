"""Kind ``repeated-phrase``: a long phrase or sentence that appears twice in one draft.

A repeated run of ``min-length`` characters or more contains a repeated ``min-length``
character slice, so one set of slices decides the common case (nothing repeated) at C
speed. Otherwise each repeated slice is extended to the right, across punctuation but
not across a line break, as long as both copies agree, and the run is reported on the
later copy, naming the line of the earlier one. Fixed terms
(习近平新时代中国特色社会主义思想 …) are blanked first (:func:`checker.segment.blank_terms`),
so a stock term repeated across a draft does not count towards the length, and text that
repeats a heading (a paragraph echoing the wording of its heading) is not reported unless
``after-headings`` is set. One finding per pair of lines: the first repeated run of a
line that copies several runs of the same earlier line. Linear in the length of the
draft; no segmentation.
"""

from __future__ import annotations

import re
from itertools import compress
from operator import ne
from typing import Any, Iterator, Mapping

from checker.checks import Opt
from checker.model import Finding, Related
from checker.document import Document
from checker.i18n import tr
from checker.segment import BLANK, blank_terms, configure_terms

OPTIONS = {
    "min-length": Opt("int", 16, doc="shortest repeated run reported, in characters"),
    "after-headings": Opt("bool", False, doc="also report text that repeats a heading (a "
                          "paragraph echoing the wording of its heading is normal style)"),
    "extra-terms": Opt("list[str]", (), doc="fixed terms blanked before matching, in addition "
                       "to rules/fixed_terms.txt (configuration key fixed-terms)"),
}

configure = configure_terms  # the configuration's fixed-terms join extra-terms

_WS = " \t\u3000\u00a0"
_PUNCT = "，。；！？：、,.;!?:" + _WS
_STOP = "\n" + BLANK
_PIECES = re.compile("[" + _STOP + "]").split


def _shown(text: str) -> str:
    text = text.strip(_WS)
    return text if len(text) <= 16 else text[:15] + "…"


def check(doc: Document, options: Mapping[str, Any]) -> Iterator[Finding]:
    k = max(2, options["min-length"])
    work = blank_terms(doc.text, tuple(options["extra-terms"]))
    n = len(work)
    # every repeated run of k or more characters contains a repeated k-gram: the common
    # case (no repeated k-gram at all) is decided by one dict of slices. A run never
    # crosses a line break or a blanked term, so only the k-grams inside the pieces
    # between those are taken, each with its position.
    grams: list[str] = []
    where: list[int] = []
    at = 0
    for piece in _PIECES(work):
        m = len(piece) - k + 1
        if m > 0:
            grams += [piece[i:i + k] for i in range(m)]
            where += range(at, at + m)
        at += len(piece) + 1
    # the first position of each k-gram (later positions overwrite, so read them backwards)
    first = dict(zip(reversed(grams), reversed(where)))
    if len(first) == len(grams):
        return
    origin = list(map(first.__getitem__, grams))
    covered = -1
    headings: set[int] | None = None
    pairs: set[tuple[int, int]] = set()  # (later line, earlier line): one finding each
    # the positions whose k-gram appeared before, in order
    for j in compress(range(len(origin)), map(ne, origin, where)):
        p, q = origin[j], where[j]
        if q < covered or p + k > q or work[q] in _PUNCT:
            # a reported run starts with a word, never with punctuation or a space: the
            # extension from each position of a long run of commas was quadratic
            continue
        length = k
        while q + length < n and p + length < q and work[p + length] == work[q + length] \
                and work[q + length] not in _STOP:
            length += 1
        raw = work[q:q + length]
        run = raw.lstrip(_PUNCT)
        shift = len(raw) - len(run)
        run = run.rstrip(_PUNCT)
        if len(run) < options["min-length"]:
            continue
        start = q + shift
        covered = start + len(run)
        line, col = doc.position(p + shift)
        later = doc.position(start)[0]
        if (later, line) in pairs:
            continue
        if headings is None:
            # headings proper (one sentence at most): a paragraph that begins with an
            # ordinal and goes on (（三）进取精神不足。有时……) is body text
            headings = set() if options["after-headings"] else {
                b.index for b in doc.headings if not re.search(r"[。！？；]\S", b.text)}
        if line - 1 in headings:
            continue
        pairs.add((later, line))
        yield Finding(start, start + len(run), {"text": _shown(doc.text[start:start + len(run)]),
                                                "length": len(run), "line": line},
                      related=(Related(tr("words.first-occurrence"), line, col),))
