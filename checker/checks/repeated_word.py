"""Kind ``repeated-word``: the same word twice in a row (落实落实, 推进推进, 的的).

Two steps, so that jieba runs only where it can matter:

1. a regular expression finds candidate doublings: a run of 2-4 Han characters typed
   twice, or one of the ``single-chars`` (function characters such as 的, 了) typed twice.
   A draft without a candidate never loads jieba.
2. only the sentence around each candidate is segmented. The doubling is reported when
   jieba yields the same token twice in a row. Correct reduplication is one token
   (扎扎实实, 兢兢业业, 实实在在, 看看), or no doubling at all (真管真严), or a doubling
   across two words (工作作风, 学习习近平), so it stays silent.

The ``allow`` patterns drop doublings that are correct Chinese although jieba splits them
(一个一个, 研究研究 ...). The fix deletes the second copy.
"""

from __future__ import annotations

import re
from typing import Any, Iterator, Mapping

from checker.checks import Opt
from checker.diagnostics import Edit, Finding
from checker.document import Document
from checker.segment import cut, sentence_span

OPTIONS = {
    "single-chars": Opt("str", "的了是在和与对把被将从向于及并而或也都就", doc="single "
                        "characters whose doubling is a typo when jieba splits it (的的)"),
    "allow": Opt("list[regex]", (), doc="a doubled text (e.g. 研究研究) that fully matches one "
                 "of these is correct and not reported"),
    "extra-terms": Opt("list[str]", (), doc="fixed terms added to the segmenter's dictionary "
                       "(the configuration key fixed-terms lands here)"),
}

_HAN = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
_MULTI = re.compile(rf"({_HAN}{{2,4}}?)\1")


def _candidates(text: str, single: str) -> list[tuple[int, int]]:
    spans = [m.span() for m in _MULTI.finditer(text)]
    if single:
        one = re.compile(f"([{re.escape(single)}])\\1")
        spans += [m.span() for m in one.finditer(text)]
    return spans


def check(doc: Document, options: Mapping[str, Any]) -> Iterator[Finding]:
    text = doc.text
    single = options["single-chars"]
    sentences = sorted({sentence_span(text, a, b) for a, b in _candidates(text, single)})
    if not sentences:
        return
    extra = tuple(options["extra-terms"])
    for a, b in sentences:
        tokens = cut(text[a:b], extra)
        i = 0
        while i + 1 < len(tokens):
            word, off = tokens[i]
            j = i + 1
            while j < len(tokens) and tokens[j][0] == word:
                j += 1
            if j - i >= 2 and (len(word) >= 2 or word in single) and re.match(_HAN, word):
                doubled = word * (j - i)
                if not any(p.fullmatch(doubled) for p in options["allow"]):
                    start = a + tokens[i + 1][1]
                    end = a + tokens[j - 1][1] + len(word)
                    yield Finding(start, end, {"word": word, "doubled": doubled,
                                               "times": j - i},
                                  fix=(Edit(start, end, ""),))
            i = j
