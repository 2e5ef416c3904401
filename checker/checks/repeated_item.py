"""Kind ``repeated-list-item``: an item repeated within one enumeration (真学、真懂、真学).

An enumeration is a run of items separated by ``、`` inside one clause, or a run of clauses
separated by ``，`` inside one sentence. Items strictly between two separators are compared
as they are. The first item of a ``、`` run usually carries the words before the list
(在真学) and the last one the words after it (笃用上), so they count as an item only where
they end (first) or start (last) with an item of the same enumeration. Quotes and spaces
around items are ignored. Items holding a blank (XX, ××, **, 某某) are slots the P rules
report, never copies. The diagnostic sits on the later copy; no jieba is needed.
"""

from __future__ import annotations

import re
from typing import Any, Iterator, Mapping

from checker.checks import Opt
from checker.model import Finding, Related
from checker.document import Document
from checker.i18n import tr

OPTIONS = {
    "max-item-length": Opt("int", 12, doc="longest item of a 、 list, in characters"),
    "min-clause-length": Opt("int", 4, doc="shortest clause compared in a ， list"),
    "allow": Opt("list[regex]", (), doc="items that fully match one of these may repeat"),
}

_SENTENCE = re.compile(r"[^。！？；!?;\n]+")
_CLAUSE = re.compile(r"[^，,：:（）()《》【】。！？；!?;\n]+")
_STRIP = " \t\u3000“”‘’\"'「」『』"
# a name or number left blank (XXX、XXX、XXX三位同志, **、**): a slot the P rules report,
# not a copy (a Markdown **bold** item is not one)
_SLOT = re.compile(r"[XxＸｘ×╳✕]{2,}|[*＊]{2,}|某某|[○□_＿]{2,}")
_BOLD = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")  # Markdown **bold**, __bold__
# a rank before an item, or 助理 after it, makes another role, not a copy: 总监票人、监票人,
# 常务副县长、副县长, 副县长、县长、县长助理 (study 7); 在真学、真懂、真学 is a copy, and so
# is 严格执行纪律、规矩、纪律 (执行 and 代理 are verbs more often than ranks)
_RANK = re.compile(r"(?:总|副|常务|首席|名誉|第一)+$")
_AIDE = "助理"  # right after the item the last one starts with (县长助理)


def _item(text: str, start: int, end: int) -> tuple[str, int, int]:
    """(item, start, end) with quotes and spaces around it dropped."""
    s = text[start:end]
    left = len(s) - len(s.lstrip(_STRIP))
    right = len(s.rstrip(_STRIP))
    return s[left:right], start + left, start + right


def _may_repeat(clause: str) -> bool:
    """False when no item of this 、 clause can repeat, decided without building the items:
    a repeated item is an inner item found twice in the clause, or the first item equal to
    the last one (as a whole, or as their shared end and start as long as an inner item)."""
    parts = [p.strip(_STRIP) for p in clause.split("、")]
    head, tail, middle = parts[0], parts[-1], parts[1:-1]
    return head == tail or any(clause.count(t) > 1 for t in middle if t) or any(
        0 < len(t) <= min(len(head), len(tail)) and head[-len(t):] == tail[:len(t)]
        for t in middle)


def _dun_lists(text: str, a: int, b: int, max_len: int,
               quick: bool = True) -> Iterator[list[tuple[str, int, int]]]:
    """The item lists of the 、 enumerations in ``text[a:b]``; with ``quick``, only those
    that may hold a repeated item."""
    for m in _CLAUSE.finditer(text, a, b):
        clause = m.group()
        if "、" not in clause:
            continue
        if quick and not _may_repeat(clause):
            continue
        cuts = [m.start()] + [m.start() + i for i, c in enumerate(m.group()) if c == "、"]
        bounds = [(cuts[0], cuts[1])] + [(cuts[k] + 1, cuts[k + 1]) for k in range(1, len(cuts) - 1)]
        bounds.append((cuts[-1] + 1, m.end()))
        raw = [_item(text, s, e) for s, e in bounds]
        inner = raw[1:-1]
        known = {t for t, _, _ in inner if t}
        items = []
        first, fs, fe = raw[0]
        last, ls, le = raw[-1]
        lengths = {len(k) for k in known}
        # the first item ends, and the last item starts, with an item of the list; when
        # they repeat each other, with a shared part as long as an inner item
        shared = max((first[-n:] for n in lengths
                      if n <= min(len(first), len(last)) and first[-n:] == last[:n]),
                     key=len, default="")
        fit = max((k for k in known if first.endswith(k)), key=len, default="") or shared
        rank = _RANK.search(first, 0, len(first) - len(fit)) if fit else None
        if rank:
            fit = first[rank.start():]
        if fit:
            items.append((fit, fe - len(fit), fe))
        elif first and len(first) <= max_len:
            items.append(raw[0])
        items += [it for it in inner if it[0] and len(it[0]) <= max_len]
        if rank:  # 由副县长、县长、副县长……: the last item may repeat the whole first
            known.add(fit)
        fit = max((k for k in known if last.startswith(k)), key=len, default="") or shared
        if fit and last.startswith(_AIDE, len(fit)):
            fit = last[:len(fit) + len(_AIDE)]
        if fit:
            items.append((fit, ls, ls + len(fit)))
        elif last and len(last) <= max_len:
            items.append(raw[-1])
        yield items


def _comma_lists(text: str, a: int, b: int, min_len: int) -> Iterator[list[tuple[str, int, int]]]:
    parts = [p.strip(_STRIP) for p in text[a:b].split("，")]
    if len(set(parts)) == len(parts):
        return  # no clause repeats: the common case
    pieces = []
    pos = a
    for part in text[a:b].split("，"):
        item = _item(text, pos, pos + len(part))
        if len(item[0]) >= min_len and not re.search(r"[、：:（）()《》]", item[0]):
            pieces.append(item)
        pos += len(part) + 1
    if len(pieces) >= 2:
        yield pieces


def check(doc: Document, options: Mapping[str, Any]) -> Iterator[Finding]:
    text = doc.text
    allow = options["allow"]
    for sent in _SENTENCE.finditer(text):
        a, b = sent.span()
        lists = [*_comma_lists(text, a, b, options["min-clause-length"])]
        if "、" in sent.group():
            lists += _dun_lists(text, a, b, options["max-item-length"])
        for items in lists:
            seen: dict[str, int] = {}
            for item, s, e in items:
                if item in seen and not _SLOT.search(_BOLD.sub(r"\2", item)) \
                        and not any(p.fullmatch(item) for p in allow):
                    line, col = doc.position(seen[item])
                    yield Finding(s, e, {"item": item},
                                  related=(Related(tr("words.first-item", item=item), line, col),))
                else:
                    seen.setdefault(item, s)
