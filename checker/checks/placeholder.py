"""Kind ``placeholder``: a template blank found by a regular expression, with context.

The ``pattern`` kind's semantics (``pattern``, ``allow``, ``group``), plus:

* ``extra-allow``: more allow patterns, added to ``allow`` rather than replacing it, so
  a drafts repo extends a shipped allow-list in its configuration
  (``rules: {P103: {options: {extra-allow: ['X战队']}}}``) without copying it;
* the message argument ``context``: the placeholder with up to ``context`` characters
  on each side from its line, so the editor sees which blank is meant
  (``'XX' in '党的XX大精神'``).

Message arguments: ``match``, ``context`` and every named group of the pattern.
"""

from __future__ import annotations

from typing import Any, Iterator, Mapping

from checker.checks import Opt, pattern
from checker.model import Finding
from checker.document import Document

OPTIONS = {
    "pattern": Opt("regex", required=True, doc="what to find (regex module syntax)"),
    "allow": Opt("list[regex]", (), doc="a match covered by a match of one of these is dropped"),
    "extra-allow": Opt("list[regex]", (), doc="more allow patterns, added to allow"),
    "group": Opt("str", "0", doc="the group whose span is reported (number or name)"),
    "context": Opt("int", 3, doc="characters of context on each side in {context}"),
}

_WS = " \t\u3000\u00a0"


def context(doc: Document, start: int, end: int, width: int) -> str:
    """``text[start:end]`` with up to ``width`` characters each side, within its line."""
    text = doc.text
    left = text.rfind("\n", 0, start) + 1
    right = text.find("\n", end)
    right = len(text) if right == -1 else right
    return (text[max(left, start - width):start].lstrip(_WS) + text[start:end]
            + text[end:min(right, end + width)].rstrip(_WS))


def check(doc: Document, options: Mapping[str, Any]) -> Iterator[Finding]:
    inner = {"pattern": options["pattern"], "allow": (*options["allow"], *options["extra-allow"]),
             "group": options["group"], "fix": None, "mask": False}
    for f in pattern.check(doc, inner):
        args = dict(f.args)
        args["context"] = context(doc, f.start, f.end, options["context"])
        yield Finding(f.start, f.end, args, f.related, f.fix)
