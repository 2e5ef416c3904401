"""Kind ``paid-markers``: the paid-content markers as the CMS pairs them.

One kind, one option ``defect`` choosing which problem a rule reports, so that each
problem has its own code. The scan itself (``Document.markers``) is done once per
document and shared by every rule of this kind.
"""

from __future__ import annotations

from typing import Any, Iterator, Mapping

from checker.checks import Opt
from checker.diagnostics import Finding
from checker.document import Document

DEFECTS = ("unclosed", "stray-end", "nested")

OPTIONS = {
    "defect": Opt("str", required=True, choices=DEFECTS, doc="which marker problem to report"),
}


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
        for mk in scan.nested:
            yield Finding(mk.start, mk.end, {"marker": mk.text})
