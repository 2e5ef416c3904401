"""Passages copied between drafts: winnowed fingerprints, an index, passage matching.

One fingerprint function, used wherever drafts are compared (the D201 stage of a run,
the SQLite store, the library's Spark build and DuckDB lookup):

``fingerprint(text, settings) -> DraftPrint``
    Pure and deterministic across processes and machines. The text is normalised (Han
    characters, letters and digits kept, case and width folded; punctuation, whitespace,
    ordinals such as 一、 （一） 1. 第一， 一是 and paid markers dropped), every k-gram of
    the normalised text is hashed (a polynomial hash of its code points modulo 2**64,
    then the splitmix64 finaliser, shifted to 63 bits: a signed 64-bit column holds
    it), and the k-grams are winnowed (Schleimer, Wilkerson, Aiken, SIGMOD 2003): the
    smallest hash of each window of ``settings.window`` consecutive k-grams, so any
    passage of ``k + window - 1`` normalised characters shared by two drafts shares at
    least one fingerprint. K-grams overlapping a fixed term (``rules/fixed_terms.txt``
    and ``settings.fixed_terms``) are never selected. :class:`DraftPrint` holds, column
    by column (plain ints), each fingerprint's ``hash``, its ``position`` in the
    normalised text, its source ``start`` and ``end`` offsets, and the draft's
    ``line_starts`` (and display ``lines`` for .docx) to turn offsets into line and
    column; ``pack``/``unpack`` and ``postings(draft)`` (index rows) serialise it.
    ``settings.key()`` names what the fingerprints depend on (for cache keys).

``PrintIndex`` (protocol)
    ``lookup(hashes) -> Iterable[Posting]`` (rows of hash, draft, pos, start, end, line,
    column), ``document_frequency(hashes) -> {hash: drafts holding it}``,
    ``draft_count()``. :class:`MemoryIndex` is the in-memory one; the SQLite store and
    the library's DuckDB index answer the same three questions over Posting rows.

``find_copies(target, print_, index, settings, texts=None) -> list[Copy]``
    Every passage of the target that also occurs in another draft, one :class:`Copy` per
    passage and other draft: matching fingerprints chained along their diagonal,
    bridging small edits (``max_gap`` characters), at least ``min_length`` normalised
    characters and ``min_share`` matched. Fingerprints held by more drafts than
    ``settings.stock_limit(draft_count)`` are stock phrases and never mark a copy.
    ``texts(draft_id) -> str | None`` (optional) lets the passage be extended to the
    exact extent of the agreement and its share be counted on characters.

``find_all_copies(index, settings, texts=None, targets=None) -> {draft: [Copy]}``
    The same for every draft of a :class:`MemoryIndex` at once (the D201 stage of a run):
    the matching pairs of all drafts made and chained with array operations
    (:mod:`checker.dedup.chains`, also what ``find_copies`` chains with).

Imports nothing else of draftlint but the fixed-terms list (checker.segment); numpy is
imported when a fingerprint is made.
"""

from checker.dedup.fingerprints import (FORMAT, DraftPrint, Normalised, Posting, Settings,
                                        fingerprint, kgram_hash, normalise, shipped_terms)
from checker.dedup.corpus import find_all_copies
from checker.dedup.index import MemoryIndex, PrintIndex
from checker.dedup.passages import Copy, Texts, find_copies

__all__ = ["FORMAT", "Copy", "DraftPrint", "MemoryIndex", "Normalised", "Posting",
           "PrintIndex", "Settings", "Texts", "find_all_copies", "find_copies", "fingerprint", "kgram_hash",
           "normalise", "shipped_terms"]
