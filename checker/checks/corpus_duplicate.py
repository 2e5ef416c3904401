"""Kind ``corpus-duplicate``: passages copied between drafts (D201).

A cross-document kind (``CORPUS = True``): the per-document loop skips it; instead
:func:`fingerprint` runs where each file is checked (pure, picklable result: the draft's
winnowed fingerprints packed as bytes, see :mod:`checker.dedup`) and
:func:`checker.copies.run_stage` matches the fingerprints of every draft of the repo at the
end of the run.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Iterator, Mapping

from checker.checks import Opt
from checker.dedup import Settings
from checker.dedup import fingerprint as draft_print
from checker.model import Finding
from checker.document import Document
from checker.segment import configure_terms

CORPUS = True
VERSION = 3  # bump when the fingerprint changes: it is part of the cache key

STOCK_SETTINGS = Settings()  # the defaults of the options below: one place

OPTIONS = {
    "min-length": Opt("int", STOCK_SETTINGS.min_length, doc="shortest passage reported, in "
                      "characters (Han characters, letters and digits: punctuation and spaces "
                      "do not count)"),
    "min-share": Opt("float", STOCK_SETTINGS.min_share, doc="lowest share (0-1) of a passage "
                     "the other draft holds: below it, scattered common words rather than a copy"),
    "max-gap": Opt("int", STOCK_SETTINGS.max_gap, doc="characters that differ (a changed word, "
                   "a clause added or dropped) bridged inside one passage"),
    "max-drafts": Opt("int", STOCK_SETTINGS.max_drafts, doc="text in more drafts than this and "
                      "than max-draft-share of the repo is a stock phrase of the repo, never a "
                      "copy"),
    "max-draft-share": Opt("float", STOCK_SETTINGS.max_draft_share, doc="see max-drafts"),
    "extra-terms": Opt("list[str]", (), doc="fixed terms never taken for a copy, in addition "
                       "to rules/fixed_terms.txt (configuration key fixed-terms)"),
    "scope": Opt("str", "repo", choices=("repo", "paths"), doc="compare the checked files "
                 "with every draft under the configuration root (repo; only when a "
                 "configuration file was found) or only with each other (paths)"),
    "max-related": Opt("int", 3, doc="other drafts listed with each diagnostic"),
}

configure = configure_terms  # the configuration's fixed-terms join extra-terms


def settings(options: Mapping[str, Any]) -> Settings:
    """The dedup settings of a rule's options."""
    base = STOCK_SETTINGS.with_terms(tuple(options.get("extra-terms", ())))
    return replace(base, min_length=options["min-length"], max_gap=options["max-gap"],
                   min_share=options["min-share"], max_drafts=options["max-drafts"],
                   max_draft_share=options["max-draft-share"])


def fingerprint(doc: Document, options: Mapping[str, Any]) -> bytes:
    """The draft's winnowed fingerprints, packed as bytes: see
    :meth:`checker.dedup.DraftPrint.pack`."""
    return draft_print(doc.text, settings(options), doc.source_map or ()).pack()


def check(doc: Document, options: Mapping[str, Any]) -> Iterator[Finding]:
    """Nothing per document: see :mod:`checker.copies`."""
    return iter(())
