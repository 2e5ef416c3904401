"""Kind ``paid-preview``: the free preview's share of the text, against a repo's range.

The free preview is everything outside the hidden ``<paid>`` spans, as the CMS pairs
them (:mod:`checker.markers`). The share counts characters that are not white space,
the markers themselves left out. Only drafts with at least one hidden span are measured
(a draft without one is M101's or M112's business, one whose spans hide nothing M108's). The finding points at the first
paid-begin marker; message arguments: ``share``, ``min``, ``max`` (whole percentages),
``free`` and ``total`` (characters).
"""

from __future__ import annotations

from bisect import bisect_left
from itertools import accumulate
from typing import Any, Iterator, Mapping

from checker.checks import Opt
from checker.model import Finding
from checker.document import Document
from checker.i18n import tr

OPTIONS = {
    "min-share": Opt("float", 0.05, doc="smallest free share allowed, 0.0-1.0"),
    "max-share": Opt("float", 0.9, doc="largest free share allowed, 0.0-1.0"),
}


def shares(doc: Document) -> tuple[int, int]:
    """(free characters, all characters): non-space text, markers excluded."""
    scan = doc.markers
    text = doc.text
    starts = [mk.start for mk in scan.markers]  # sorted
    lengths = list(accumulate((mk.end - mk.start for mk in scan.markers), initial=0))

    def nonspace(start: int, end: int) -> int:
        """Non-space characters of text[start:end], markers left out (they hold no space)."""
        inside = lengths[bisect_left(starts, end)] - lengths[bisect_left(starts, start)]
        return len("".join(text[start:end].split())) - inside

    total = nonspace(0, len(text))
    hidden = sum(nonspace(b.start, e.end) for b, e in scan.spans)
    return total - hidden, total


def check(doc: Document, options: Mapping[str, Any]) -> Iterator[Finding]:
    lo, hi = options["min-share"], options["max-share"]
    if not (0.0 <= lo <= hi <= 1.0):
        raise ValueError(tr("check.share-range", lo=lo, hi=hi))
    scan = doc.markers
    if not scan.spans:
        return
    free, total = shares(doc)
    if not total or free == total:
        return  # nothing hidden: empty spans are M108's
    share = free / total
    if lo <= share <= hi:
        return
    first = scan.spans[0][0]
    yield Finding(first.start, first.end,
                  {"share": round(share * 100), "min": round(lo * 100), "max": round(hi * 100),
                   "free": free, "total": total, "marker": first.text})
