"""Kind ``repeated-phrase``: a long phrase or sentence that appears twice in one draft.

Copy-paste while drafting repeats whole clauses, so the search starts from clauses (text
between punctuation): a clause seen before is a candidate, and the match is extended
character by character in both directions, across punctuation but not across a line
break, as long as both copies agree. A run of at least ``min-length`` characters is
reported on the later copy, naming the line of the earlier one. Fixed terms
(习近平新时代中国特色社会主义思想 …) are blanked first, so a stock term repeated across a
draft does not count towards the length. Linear in the length of the draft.
"""

from __future__ import annotations

import re
from typing import Any, Iterator, Mapping

from checker.checks import Opt
from checker.diagnostics import Finding, Related
from checker.document import Document
from checker.segment import terms_pattern

OPTIONS = {
    "min-length": Opt("int", 16, doc="shortest repeated run reported, in characters"),
    "min-clause": Opt("int", 6, doc="shortest clause that can start a match"),
    "extra-terms": Opt("list[str]", (), doc="fixed terms blanked before matching, in addition "
                       "to rules/fixed_terms.txt (configuration key fixed-terms)"),
}

BARRIER = "\x00"
_WS = " \t\u3000\u00a0"
_PUNCT = "，。；！？：、,.;!?:" + _WS


def _shown(text: str) -> str:
    text = text.strip(_WS)
    return text if len(text) <= 16 else text[:15] + "…"


def check(doc: Document, options: Mapping[str, Any]) -> Iterator[Finding]:
    text = doc.text
    work = terms_pattern(tuple(options["extra-terms"])).sub(
        lambda m: BARRIER * len(m.group()), text)
    clause = re.compile(r"[^，。；！？：、,.;!?:\s\x00]{%d,}" % max(1, options["min-clause"]))
    first: dict[str, int] = {}
    covered = -1
    n = len(work)
    for m in clause.finditer(work):
        q = m.start()
        p = first.setdefault(m.group(), q)
        if p == q or q < covered:
            continue
        # extend left, then right; the earlier copy must end before the later one starts
        while p > 0 and work[p - 1] == work[q - 1] and work[q - 1] not in "\n" + BARRIER \
                and q - 1 >= covered:
            p, q = p - 1, q - 1
        length = m.end() - m.start() + (m.start() - q)
        while q + length < n and work[p + length] == work[q + length] \
                and work[q + length] not in "\n" + BARRIER and p + length < q:
            length += 1
        length = min(length, q - p)
        raw = work[q:q + length]
        run = raw.lstrip(_PUNCT)
        p, q = p + len(raw) - len(run), q + len(raw) - len(run)
        run = run.rstrip(_PUNCT)
        if len(run) < options["min-length"]:
            continue
        covered = q + len(run)
        line, col = doc.position(p)
        yield Finding(q, q + len(run), {"text": _shown(text[q:q + len(run)]),
                                        "length": len(run), "line": line},
                      related=(Related("first occurrence", line, col),))
