"""The D201 stage (kind corpus-duplicate): passages copied between drafts, as diagnostics.

:func:`fingerprint` is the per-file part (pure, runs where the file is checked): the
draft's :class:`~checker.dedup.DraftPrint`, packed into one string for the cache.
:func:`stage` is the cross-document part: every draft's print goes into an in-memory
index, each checked draft's passages found elsewhere (:func:`checker.dedup.find_copies`)
become one diagnostic per passage, naming the closest other draft and line, with up to
``max-related`` other copies as related locations. The texts of drafts that share a
passage are read again to give the passage its exact extent.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

from checker.dedup import Copy, DraftPrint, MemoryIndex, Settings, find_copies, normalise
from checker.dedup import fingerprint as _print

STOCK_SETTINGS = Settings()


def settings(options: Mapping[str, Any]) -> Settings:
    """The dedup settings of a corpus-duplicate rule's options."""
    base = STOCK_SETTINGS.with_terms(tuple(options.get("extra-terms", ())))
    return Settings(k=base.k, window=base.window, min_length=options["min-length"],
                    max_gap=options["max-gap"], min_share=options["min-share"],
                    max_drafts=options["max-drafts"], max_draft_share=options["max-draft-share"],
                    fixed_terms=base.fixed_terms)


def fingerprint(text: str, lines: Sequence[int], options: Mapping[str, Any]) -> str:
    """A draft's print, packed (see :meth:`checker.dedup.DraftPrint.pack`)."""
    return _print(text, settings(options), lines).pack()


def stage(prints: Iterable[tuple[str, Any, bool]], files: Mapping[str, Path], rule: Any,
          config: Any, read: Callable[[str], str | None]) -> list[Any]:
    """The diagnostics of ``rule`` (kind corpus-duplicate) for the checked drafts.

    ``prints``: (display path, fingerprint as :func:`fingerprint` made it, checked) of
    every draft compared (one that does not unpack is left out); ``files``: the checked
    drafts' paths by display path; ``read``: a draft's text by display path, or None."""
    from checker.diagnostics import Related, as_diagnostic
    from checker.engine import render, rules_for

    conf = settings(rule.options)
    index = MemoryIndex()
    checked: list[str] = []
    for display, packed, is_checked in prints:
        try:
            index.add(display, DraftPrint.unpack(_packed(packed)))
        except (ValueError, TypeError, AttributeError):
            continue
        if is_checked and display in files:
            checked.append(display)
    if index.draft_count() < 2:
        return []
    texts: dict[str, str | None] = {}

    def text(display: str) -> str | None:
        if display not in texts:
            texts[display] = read(display)
        return texts[display]

    out = []
    most = rule.options["max-related"]
    # the drafts each draft shares 3 or more rare fingerprints with: a passage of
    # min-length characters shares more (a window in every 8 k-grams has one)
    near = index.neighbours(conf.stock_limit(index.draft_count()), 3)
    for display in checked:
        if not rules_for(files[display], [rule], config):  # per-file-ignores
            continue
        if display not in near:
            continue
        for group in _passages(find_copies(display, index.prints()[display], index, conf,
                                           text, near[display])):
            group.sort(key=lambda c: (-c.length, -c.share, c.other, c.other_line))
            first, last = min(group, key=lambda c: c.start), max(group, key=lambda c: c.end)
            best = group[0]
            message = render(rule.message, {
                "other": f"{best.other}:{best.other_line}", "length": best.length,
                "share": f"{best.share:.0%}", "drafts": len({c.other for c in group})})
            related = tuple(Related(f"{c.share:.0%}", c.other_line, c.other_column, c.other)
                            for c in group[:most])
            out.append(as_diagnostic((display, first.line, first.column, last.end_line,
                                      last.end_column, rule.code, rule.name, rule.severity,
                                      message, related, (),
                                      _handle(text(display), first.start, last.end))))
        if len(texts) > 256:  # the texts of drafts done with: memory stays bounded
            texts.clear()
    return out


def _packed(data: Any) -> str:
    """The packed print in what :func:`fingerprint` made, as it comes back from a store:
    the tuple around it, and the string itself split into characters by a store that
    made every item a tuple."""
    while isinstance(data, (tuple, list)) and len(data) == 1:
        data = data[0]
    return data if isinstance(data, str) else "".join(data)


def _handle(text: str | None, start: int, end: int) -> str:
    """The baseline's handle on a passage: a digest of its normalised text (the same
    wherever the passage moves in the draft)."""
    chars = normalise(text[start:end]).chars if text is not None else f"{start}:{end}"
    return "passage " + hashlib.blake2b(chars.encode("utf-8", "surrogatepass"),
                                        digest_size=8).hexdigest()


def _passages(found: Sequence[Copy]) -> list[list[Copy]]:
    """The copies grouped by overlapping spans of the target (one passage, many drafts)."""
    groups: list[list[Copy]] = []
    end = -1
    for copy in sorted(found, key=lambda c: (c.start, c.end)):
        if groups and copy.start < end:
            groups[-1].append(copy)
            end = max(end, copy.end)
        else:
            groups.append([copy])
            end = copy.end
    return groups


def display_path(path: Path) -> str:
    """The path as the run shows it: relative to the working directory when inside it."""
    try:
        rel = os.path.relpath(path)
        return Path(rel).as_posix() if not rel.startswith("..") else path.as_posix()
    except ValueError:
        return path.as_posix()
