"""Kind ``pattern``: a regular expression with context, allow-lists and an optional fix.

Vale's ``existence`` rule, for Chinese: ``pattern`` is searched over the whole lintable
text (use look-arounds for context). A match is dropped when one of the ``allow``
patterns matches a span that covers it (e.g. ``GDP`` around a capital letter). The
reported span is ``group`` of the match; message arguments are ``match`` (that span,
masked when ``mask`` is set) and every named group.
"""

from __future__ import annotations

from typing import Any, Iterator, Mapping, Sequence

import regex

from checker.checks import Opt
from checker.i18n import tr
from checker.model import Edit, Finding
from checker.document import Document

REGEX_TIMEOUT = 2.0  # seconds per rule and document: a pathological pattern cannot hang a commit

OPTIONS = {
    "pattern": Opt("regex", required=True, doc="what to find (regex module syntax)"),
    "also": Opt("list[regex]", (), doc="more patterns, each searched on its own; a match "
                "overlapping one found before it is dropped (for a form that can start at "
                "any character, which would make one alternation slow)"),
    "allow": Opt("list[regex]", (), doc="a match covered by a match of one of these is dropped"),
    "group": Opt("str", "0", doc="the group whose span is reported (number or name)"),
    "fix": Opt("str", None, doc="replacement template for the reported span (\\g<name> allowed)"),
    "mask": Opt("bool", False, doc="mask the matched text in messages (secrets)"),
}


def mask(value: str, keep: int = 0) -> str:
    """The whole value masked (``wsx2023`` -> ``*******``), or all but its first ``keep``
    characters (the configuration's ``secret-prefix``)."""
    keep = max(0, min(keep, len(value) - 1))
    return value[:keep] + "*" * (len(value) - keep)


def configure(options: Mapping[str, Any], config: Any) -> dict[str, Any]:
    """Bind ``secret-prefix`` (how much of a masked value a message may show)."""
    return {**options, "keep": config["secret-prefix"]}


_TEMPLATE_GROUP = regex.compile(r"\\g<([^>]*)>|\\(\d+)")


def check_options(options: Mapping[str, Any]) -> str | None:
    """A problem of the options together, or None: every regex (``pattern`` and each of
    ``also``) must have the group ``group`` reports and those ``fix`` names."""
    groups = {options["group"]}
    if options["fix"] is not None:
        groups |= {a or b for a, b in _TEMPLATE_GROUP.findall(options["fix"])}
    for option, found in (("pattern", [options["pattern"]]), ("also", options["also"])):
        for r in found:
            for g in sorted(groups):
                if not (g.isdigit() and int(g) <= r.groups or g in r.groupindex):
                    return tr("error.no-group", option=option, regex=r.pattern, group=g)
    return None


def _group(spec: str) -> int | str:
    return int(spec) if spec.isdigit() else spec


class AllowList:
    """The spans of a rule's ``allow`` patterns in one text, searched only when first
    needed (most documents have no match to excuse)."""

    def __init__(self, patterns: Sequence[Any], text: str) -> None:
        self._patterns, self._text = patterns, text
        self._spans: list[tuple[int, int]] | None = None

    def covers(self, start: int, end: int) -> bool:
        if not self._patterns:
            return False
        if self._spans is None:
            self._spans = [a.span() for p in self._patterns
                           for a in p.finditer(self._text, timeout=REGEX_TIMEOUT)]
        return any(a <= start and end <= b for a, b in self._spans)


def _matches(pattern: Any, also: Sequence[Any], text: str) -> Iterator[Any]:
    """The matches of ``pattern`` and of each of ``also``, in text order, leaving out a
    match that starts inside one kept before it (at one start, the longest is kept)."""
    found = pattern.finditer(text, timeout=REGEX_TIMEOUT)
    if not also:
        yield from found
        return
    every = [*found, *(m for p in also for m in p.finditer(text, timeout=REGEX_TIMEOUT))]
    end = -1
    for m in sorted(every, key=lambda m: (m.start(), -m.end())):
        if m.start() >= end:
            end = max(m.end(), m.start() + 1)
            yield m


def check(doc: Document, options: Mapping[str, Any]) -> Iterator[Finding]:
    text = doc.text
    group = _group(options["group"])
    allowed = AllowList(options["allow"], text)
    for m in _matches(options["pattern"], options.get("also", ()), text):
        start, end = m.span(group)
        if start < 0 or allowed.covers(start, end):
            continue
        found = m.group(group)
        args: dict[str, Any] = {k: v for k, v in m.groupdict().items() if v is not None}
        keep = options.get("keep", 0)
        args["match"] = mask(found, keep) if options["mask"] else found
        if options["mask"]:
            args = {k: (mask(v, keep) if isinstance(v, str) else v) for k, v in args.items()}
        fix = ()
        if options["fix"] is not None:
            fix = (Edit(start, end, m.expand(options["fix"])),)
        yield Finding(start, end, args, fix=fix)
