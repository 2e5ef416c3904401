"""Kind ``private-note``: notes to the writing team left in a draft (L106).

Two forms, each reported once:

* a whole line that is a note (``备注：数据请办公室核对后再定稿，不对外。``, ``内部参考``):
  the parser makes it a ``note`` block (:mod:`checker.notes` decides), reported as a
  whole, and structure checks skip it;
* a note inside a line, found by ``pattern`` (``（此处待核实）``, ``（发布前删除）``, ``TODO``);
  a match inside a note line is not reported again.

Message argument: ``match``, the note.
"""

from __future__ import annotations

from typing import Any, Iterator, Mapping

from checker.checks import Opt, pattern
from checker.model import Finding
from checker.document import Document

OPTIONS = {
    "pattern": Opt("regex", required=True, doc="a note inside a line (regex module syntax)"),
    "allow": Opt("list[regex]", (), doc="a match covered by a match of one of these is dropped"),
}


def check(doc: Document, options: Mapping[str, Any]) -> Iterator[Finding]:
    notes = [(b.start, b.end) for b in doc.blocks if b.kind == "note"]
    inline = pattern.check(doc, {"pattern": options["pattern"], "allow": options["allow"],
                                 "group": "0", "fix": None, "mask": False})
    found = [Finding(s, e, {"match": doc.text[s:e]}) for s, e in notes]
    found += [f for f in inline if not any(s <= f.start < e for s, e in notes)]
    yield from sorted(found, key=lambda f: f.start)
