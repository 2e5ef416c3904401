"""Kind ``overused-word``: a word used so often that the draft reads monotonous.

A word is reported once, at its first use, when it occurs more than ``rate`` times per
1,000 characters (and at least ``min-count`` times). Stop words (the genre's own
vocabulary: 问题, 工作, 学习 …, and the terms that carry a kind of draft's subject: 党建,
巡察 …), words of the title (a 巡察 report says 巡察 throughout) or of one part heading
used mostly in that part (二、严格执行公务接待有关规定 in a report on 三公 spending: the
part's subject; a word in several part headings, or used all over the draft, is the
repetition itself), fixed terms and words whose
dictionary part of speech is listed in ``skip-pos`` (nouns by default: the subject of a
draft is not monotony) are not counted. Nor are the uses inside the title of another
document (《…》 〈…〉) or inside a quotation (“…” ‘…’ 「…」 『…』) of at least
``QUOTE_MIN`` characters or with a clause mark (，。；：？！), closed on the same line: a host
reads 《关于表彰……先进单位、先进个人的决定》 verbatim, a 党课 quotes the documents it is
about; those are not the writer's words. A short quoted term (理论武装“不够扎实”) is the
writer's own word, stressed, and counts. Blanked text still counts as characters of the
draft.

Segmentation is limited to what can matter: every occurrence of a word that reaches the
threshold contains a character pair that reaches it too, so character pairs are counted
first (no jieba), and only the blocks jieba would cut on their own (its runs of Han
characters, letters and digits: clauses, in practice) that contain a frequent pair are
segmented.
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_right
from collections import Counter
from itertools import accumulate, compress
from typing import Any, Iterator, Mapping

from checker.checks import Opt
from checker.model import Finding
from checker.document import Document
from checker.segment import (BLANK, blank_terms, block_pattern, configure_terms, cut, pos_tag,
                             tokenizer)

OPTIONS = {
    "rate": Opt("float", 5.0, doc="uses per 1,000 characters above which a word is reported"),
    "min-count": Opt("int", 10, doc="a word used fewer times is never reported"),
    "stop-words": Opt("list[str]", (), doc="words never reported"),
    "skip-pos": Opt("list[str]", ("n", "nr", "ns", "nt", "nz", "ng", "vn", "m", "q", "r"),
                    doc="jieba dictionary part-of-speech tags never reported"),
    "extra-terms": Opt("list[str]", (), doc="fixed terms never counted, in addition to "
                       "rules/fixed_terms.txt (configuration key fixed-terms)"),
}

configure = configure_terms  # the configuration's fixed-terms join extra-terms

_HAN = "\u3400-\u4dbf\u4e00-\u9fff"
_WORD = re.compile(f"[{_HAN}]+").fullmatch


def _frequent_pairs(text: str, limit: float) -> list[str]:
    """The two-character strings found at least ``limit`` times in ``text``, overlapping
    occurrences counted. In UTF-32 two characters are one 64-bit integer: counting the
    integers at even and at odd offsets is cheaper than slicing a string per position."""
    data = text.encode("utf-32-le", "surrogatepass")
    even = len(data) - len(data) % 8
    odd = 4 + (len(data) - 4) // 8 * 8 if len(data) >= 12 else 4
    counts = Counter(memoryview(data)[:even].cast("Q"))
    counts.update(memoryview(data)[4:odd].cast("Q"))
    return [v.to_bytes(8, sys.byteorder).decode("utf-32-le", "surrogatepass")
            for v in compress(counts, map(float(limit).__le__, counts.values()))]


def _candidates(text: str, pairs: set[str], limit: float, extra: tuple[str, ...],
                stop: set[str], skip: set[str]) -> set[str]:
    """The words that could be reported: jieba's words of two or more characters are
    dictionary entries (no HMM), a word used ``limit`` times starts with a pair used that
    often, and it occurs in the text at least as often as it is cut out of it. So: the
    dictionary entries starting at each use of a frequent pair that occur ``limit`` times
    and are neither stop words nor of a skipped part of speech."""
    freq = tokenizer(extra).FREQ  # jieba's table: words, and their prefixes with count 0
    seen: set[str] = set()
    for pair in pairs:
        i = text.find(pair)
        while i != -1:
            k = i + 2
            frag = pair
            while frag in freq:
                if freq[frag]:
                    seen.add(frag)
                k += 1
                if k > len(text):
                    break
                frag = text[i:k]
            i = text.find(pair, i + 1)
    return {w for w in seen if w not in stop and _WORD(w) and text.count(w) >= limit
            and pos_tag(w) not in skip}


def _alternation(words: set[str]) -> Any:
    return re.compile("|".join(map(re.escape, sorted(words))))


# the title of another document, and a quotation, closed on their line
_QUOTED = re.compile("《[^《》\n]*》|〈[^〈〉\n]*〉|“[^“”\n]*”|‘[^‘’\n]*’|「[^「」\n]*」|『[^『』\n]*』")
_CLAUSE = re.compile("[，。；：？！,.;:?!]")
QUOTE_MIN = 8  # a shorter quotation without a clause mark is a term the writer stresses
_SENTENCE_END = re.compile("[。！？；!?;]")


def _blank_quoted(m: re.Match[str]) -> str:
    quoted = m.group()
    if quoted[0] in "《〈" or len(quoted) - 2 >= QUOTE_MIN or _CLAUSE.search(quoted):
        return BLANK * len(quoted)
    return quoted


def _own_words(text: str) -> str:
    """``text`` with the titles of other documents and the quotations blanked (offsets
    kept): what is left is what the writer wrote. A short quoted term without a clause
    mark (理论武装“不够扎实”) is the writer's own word, stressed: it stays."""
    return _QUOTED.sub(_blank_quoted, text)


def _title(doc: Document) -> str:
    """The draft's title lines (and its front matter's title): words the draft is about."""
    lines = [b.text for b in doc.blocks if b.kind == "title"]
    front = doc.front_matter.get("title")
    return "\n".join([*lines, front] if isinstance(front, str) else lines)


def _parts(doc: Document) -> list[tuple[str, int, int]]:
    """Each part: its heading's text (一、…, up to a sentence end: a paragraph run into
    the heading is not part of it), and the offsets where the part starts and ends."""
    heads = [b for b in doc.headings if b.level == 1]
    ends = [b.start for b in heads[1:]] + [len(doc.text)]
    return [(_SENTENCE_END.split(b.text[b.body_start - b.start:], 1)[0], b.start, end)
            for b, end in zip(heads, ends)]


def _part_subject(word: str, text: str, parts: list[tuple[str, int, int]]) -> bool:
    """Whether ``word`` is the subject of one part: named in its heading only (a word in
    several part headings, 一、学习不够深入 二、作风不够扎实, is the repetition itself)
    and used mostly inside that part (公务接待 in 二、严格执行公务接待有关规定); a word
    used all over the draft is not one part's subject."""
    named = [(start, end) for heading, start, end in parts if word in heading]
    return len(named) == 1 and 2 * text.count(word, *named[0]) >= text.count(word)


def check(doc: Document, options: Mapping[str, Any]) -> Iterator[Finding]:
    extra = tuple(options["extra-terms"])
    text = _own_words(blank_terms(doc.text, extra))
    size = len("".join(text.split()))  # characters other than whitespace
    limit = max(options["min-count"], options["rate"] * size / 1000)
    stop = set(options["stop-words"])
    pairs = {p for p in _frequent_pairs(text, limit) if p not in stop and _WORD(p)}
    if not pairs:
        return
    skip = set(options["skip-pos"])
    title, parts = _title(doc), _parts(doc)
    words = {w for w in _candidates(text, pairs, limit, extra, stop, skip)
             if block_pattern().fullmatch(w)  # jieba never cuts a word out of a gap
             and w not in title  # the draft's topic: 巡察 in a 巡察 report
             and not _part_subject(w, text, parts)}  # a part's topic: 公务接待
    if not words:
        return
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    # jieba cuts a text block by block (its runs of Han characters and ASCII letters and
    # digits) and each block on its own: so only the blocks holding a candidate need
    # cutting, and the tokens are those of cutting the whole text. The candidates are
    # made of block characters, so each match of their alternation lies in one block and
    # every block holding a candidate holds a match: the blocks to cut are those around
    # the matches (the text split on the blocks alternates gaps and blocks).
    parts = block_pattern().split(text)
    ends = list(accumulate(map(len, parts)))
    done = -1
    for m in _alternation(words).finditer(text):
        i = bisect_right(ends, m.start())
        if i <= done:
            continue
        done = i
        start = ends[i - 1]
        for tok, off in cut(parts[i], extra):
            if tok in words:
                counts[tok] += 1
                first.setdefault(tok, start + off)
    for word, count in counts.items():
        if count >= limit:
            start = first[word]
            yield Finding(start, start + len(word), {
                "word": word, "count": count, "rate": f"{count * 1000 / size:.1f}",
                "limit": f"{options['rate']:g}"})
