"""Kind ``corpus-duplicate``: near-duplicate paragraphs between different files.

A cross-document kind (``CORPUS = True``): the per-document loop skips it; instead
:func:`fingerprint` runs where each file is checked (a pure function: it can run in a
worker process, its result is small and picklable) and :mod:`checker.corpus` matches the
fingerprints of every file of the repo at the end of the run.

A paragraph (one line of the draft, at least ``min-length`` characters once its leading
ordinal and indentation are dropped) is fingerprinted as

* ``digest``: a 64-bit hash of its text (CRC-32 and Adler-32: verbatim copies), and
* ``features``: the set of CRC-32 hashes of its clauses (text between ，。；！？：). The
  similarity of two paragraphs is the Jaccard index of their clause sets: a copy with one
  clause reworded out of ten scores 9/11 = 0.82, reordered clauses do not lower it.

Clause hashing keeps the per-paragraph work in C (one split, one map): fingerprinting
runs at tens of MB/s, faster than reading the files.
"""

from __future__ import annotations

import re
import zlib
from typing import Any, Iterator, Mapping, NamedTuple

from checker.checks import Opt
from checker.model import Finding
from checker.document import Document

CORPUS = True
VERSION = 2  # bump when the fingerprint changes: it is part of the cache key

OPTIONS = {
    "threshold": Opt("float", 0.7, doc="lowest similarity (Jaccard index of the clause sets, "
                     "0-1) reported"),
    "min-length": Opt("int", 60, doc="shortest paragraph compared, in characters"),
    "scope": Opt("str", "repo", choices=("repo", "paths"), doc="compare the checked files "
                 "with every draft under the configuration root (repo; only when a "
                 "configuration file was found) or only with each other (paths)"),
    "max-related": Opt("int", 3, doc="other locations listed with each diagnostic"),
}

WS = " \t\u3000\u00a0\r"
_ORDINAL = re.compile(r"[（(]?[一二三四五六七八九十\d]{1,3}[)）、.．]|[一二三四五六七八九十]{1,3}是|第[一二三四五六七八九十]{1,3}[，、,]")
_ORDINAL_START = frozenset("（(一二三四五六七八九十第0123456789")
# the clause separators: every other one becomes the first, then one str.split (twice as
# fast as re.split over the class on these texts; the same clauses once empty ones go)
_SEPARATOR, _OTHER_SEPARATORS = "，", "。；！？：,;!?:"
_MARKERS = re.compile(r"[#$]{2}paid(?:begin|end)[#$]{2}")


class ParaPrint(NamedTuple):
    """The layout of one paragraph's fingerprint. :func:`fingerprint` returns plain tuples
    in this order (cheaper to build than the named tuple; marshal/pickle friendly)."""

    line: int  # display line (paragraph number for .docx)
    column: int
    end_column: int
    length: int
    digest: int
    features: tuple[int, ...]


def fingerprint(doc: Document, options: Mapping[str, Any]) -> list[tuple]:
    """Fingerprints (:class:`ParaPrint` layout) of the paragraphs of ``doc`` long enough
    to compare."""
    min_len = options["min-length"]
    crc, adler, enc = zlib.crc32, zlib.adler32, str.encode
    smap = doc.source_map
    out = []
    for idx, raw in enumerate(doc.lines):
        if len(raw) < min_len:
            continue
        text = raw.strip(WS)
        skip = len(raw) - len(raw.lstrip(WS))
        if text[:1] in _ORDINAL_START:
            m = _ORDINAL.match(text)
            if m:
                text, skip = text[m.end():], skip + m.end()
        if "paid" in text:
            text = _MARKERS.sub("", text)
        if len(text) < min_len:
            continue
        data = enc(text)
        clauses = text
        for sep in _OTHER_SEPARATORS:
            if sep in clauses:
                clauses = clauses.replace(sep, _SEPARATOR)
        out.append((smap[idx] if smap else idx + 1, skip + 1, len(raw.rstrip(WS)) + 1,
                    len(text), crc(data) << 32 | adler(data),
                    tuple(set(map(crc, map(enc, filter(None, clauses.split(_SEPARATOR))))))))
    return out


def check(doc: Document, options: Mapping[str, Any]) -> Iterator[Finding]:
    """Nothing per document: see :mod:`checker.corpus`."""
    return iter(())
