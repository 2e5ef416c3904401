"""Kind ``repeated-word``: the same word twice in a row (落实落实, 推进推进, 的的).

Two steps, so that jieba runs only where it can matter:

1. a regular expression finds candidate doublings: a run of 2-8 Han characters typed
   twice (one of 4-8 also with a space between the copies: a title typed twice; a whole
   line of 9 or more characters typed twice, with or without the space), or one of the
   ``single-chars`` (function characters such as 的, 了) typed twice.
   (A heading or a line of 9 or more characters pasted twice, on two lines in a row, is
   reported without jieba: :func:`_pasted_lines`.)
   A draft without a candidate never loads jieba.
2. only the sentence around each candidate is segmented. The doubling is reported when
   jieba puts a word boundary between the two copies, and before the first or after the
   second (推进|推进, 贯彻落实|落实, 工作|工作作风). Correct reduplication is one token (扎扎实实, 兢兢业业,
   实实在在, 看看), or no doubling at all (真管真严), or a doubling across two words
   (工作作风, 学习习近平, 是不是|不够), so it stays silent.

The ``allow`` patterns drop doublings that are correct Chinese although jieba splits them
(一个一个, 研究研究 ...). The fix deletes the second copy.
"""

from __future__ import annotations

import re
from typing import Any, Iterator, Mapping

from checker.checks import Opt
from checker.model import Edit, Finding
from checker.document import Document
from checker.outline import pasted_twice
from checker.segment import cut, sentence_span, configure_terms

OPTIONS = {
    "single-chars": Opt("str", "的了是在和与对把被将从向于及并而或也都就", doc="single "
                        "characters whose doubling is a typo when jieba splits it (的的)"),
    "allow": Opt("list[regex]", (), doc="a doubled text (e.g. 研究研究) that fully matches one "
                 "of these is correct and not reported"),
    "extra-terms": Opt("list[str]", (), doc="fixed terms added to the segmenter's dictionary "
                       "(the configuration key fixed-terms lands here)"),
}

configure = configure_terms  # the configuration's fixed-terms join extra-terms

_HAN = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
_MULTI = re.compile(rf"({_HAN}{{2,8}}?)\1")
_WORDY_CHAR = r"[\u4e00-\u9fffA-Za-z]"  # a line with one is text, not a separator
_WORDY = re.compile(_WORDY_CHAR)
_SPACED = re.compile(rf"({_HAN}{{4,8}}?)[ \u3000]\1")  # a title typed twice: 党课讲稿 党课讲稿
# a whole line typed twice, with or without a space: a long title pasted again
# (with a Han character or a letter in it: a separator line of one mark is not a title)
_LINE = re.compile(rf"(?m)^[ \t\u3000]*(?=\S*?{_WORDY_CHAR})(\S{{9,80}}?)([ \u3000]?)\1"
                   r"[ \t\u3000]*$")


def _candidates(text: str, single: str) -> list[tuple[int, int, int]]:
    """(start, unit length, gap between the copies) of every doubling worth asking jieba
    about."""
    spans = [(m.start(), len(m.group(1)), 0) for m in _MULTI.finditer(text)]
    spans += [(m.start(), len(m.group(1)), 1) for m in _SPACED.finditer(text)]
    spans += [(m.start(1), len(m.group(1)), len(m.group(2))) for m in _LINE.finditer(text)]
    if single:
        one = re.compile(f"([{re.escape(single)}])\\1")
        spans += [(m.start(), 1, 0) for m in one.finditer(text)]
    return spans


def _pasted_lines(doc: Document) -> Iterator[Finding]:
    """A heading, or a line of 9 or more characters with a Han character or a letter, the
    same as the line before it: pasted twice (三、评议结果 / 三、评议结果). The fix deletes
    the second line."""
    blocks = doc.blocks
    for i, b in enumerate(blocks):
        if pasted_twice(blocks, i) and b.index and (
                b.kind == "heading" or len(b.text) >= 9 and _WORDY.search(b.text)):
            line = b.text if len(b.text) <= 20 else b.text[:20] + "…"
            yield Finding(b.start, b.end, {"word": line, "doubled": f"{line} {line}"},
                          fix=(Edit(doc.line_starts[b.index] - 1, b.end, ""),))


def check(doc: Document, options: Mapping[str, Any]) -> Iterator[Finding]:
    yield from _pasted_lines(doc)
    text = doc.text
    by_sentence: dict[tuple[int, int], list[tuple[int, int, int]]] = {}
    for start, k, gap in _candidates(text, options["single-chars"]):
        by_sentence.setdefault(sentence_span(text, start, start + 2 * k + gap), []).append(
            (start, k, gap))
    extra = tuple(options["extra-terms"])
    for (a, b), cands in sorted(by_sentence.items()):
        tokens = cut(text[a:b], extra)
        bounds = {a + off for _, off in tokens} | {b}
        ends = {a + off: a + off + len(w) for w, off in tokens}  # word start -> its end
        for start, k, gap in sorted(cands):
            end = start + 2 * k + gap
            # a doubling, not reduplication: jieba puts a word boundary between the two
            # copies, and before the first or after the second (推进|推进, 贯彻落实|落实,
            # 工作|工作作风); not so for 扎扎实实 (one word) or 是不是|不够
            if start + k not in bounds or (start not in bounds and end not in bounds):
                continue
            # the verb reduplication A一A and a word starting with 一 (聊一聊|一个, 议一议|一件),
            # not 聊一 twice; 统一统一 still counts, and so does 五个表五个表率
            if k == 2 and text[end - 1] == "一" and ends.get(end - 1, end) > end:
                continue
            word = text[start:start + k]
            doubled = text[start:end]
            if any(p.fullmatch(doubled) for p in options["allow"]):
                continue
            s = start + k
            yield Finding(s + gap, end, {"word": word, "doubled": doubled},
                          fix=(Edit(s, end, ""),))
