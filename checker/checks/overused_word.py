"""Kind ``overused-word``: a word used so often that the draft reads monotonous.

A word is reported once, at its first use, when it occurs more than ``rate`` times per
1,000 characters (and at least ``min-count`` times). Stop words (the genre's own
vocabulary: 问题, 工作, 学习 …), fixed terms and words whose dictionary part of speech is
listed in ``skip-pos`` (nouns by default: the subject of a draft is not monotony) are not
counted.

Segmentation is limited to what can matter: every occurrence of a word that reaches the
threshold contains a character pair that reaches it too, so character pairs are counted
first (no jieba), and only the sentences that contain a frequent pair are segmented.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any, Iterator, Mapping

from checker.checks import Opt
from checker.diagnostics import Finding
from checker.document import Document
from checker.segment import cut, pos_tag, terms_pattern, configure_terms

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
_PAIR = re.compile(f"(?=([{_HAN}]{{2}}))")
_SENTENCE = re.compile(r"[^。！？；!?;\n]+")
_NONSPACE = re.compile(r"\S")


def check(doc: Document, options: Mapping[str, Any]) -> Iterator[Finding]:
    extra = tuple(options["extra-terms"])
    text = terms_pattern(extra).sub(lambda m: "\x00" * len(m.group()), doc.text)
    size = len(_NONSPACE.findall(text))
    limit = max(options["min-count"], options["rate"] * size / 1000)
    stop = set(options["stop-words"])
    pairs = {p for p, k in Counter(_PAIR.findall(text)).items() if k >= limit and p not in stop}
    if not pairs:
        return
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    for m in _SENTENCE.finditer(text):
        sent = m.group()
        if not any(p in sent for p in pairs):
            continue
        for tok, off in cut(sent, extra):
            if len(tok) >= 2 and tok not in stop and re.fullmatch(f"[{_HAN}]+", tok):
                counts[tok] += 1
                first.setdefault(tok, m.start() + off)
    skip = set(options["skip-pos"])
    for word, count in counts.items():
        if count >= limit and pos_tag(word) not in skip:
            start = first[word]
            yield Finding(start, start + len(word), {
                "word": word, "count": count, "rate": f"{count * 1000 / size:.1f}",
                "limit": f"{options['rate']:g}"})
