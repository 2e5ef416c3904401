"""The outline of a draft: title, opening, headings with their parents, sections and
inline enumerations. Built once per Document (``Document.outline``) from its blocks and
shared by the structure checks; pure and linear in the number of blocks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping, Protocol, Sequence

import regex

from checker.ordinals import Block, Enumeration, enumerations


class Drafted(Protocol):
    """What an outline is built from (a Document, which imports this module)."""

    @property
    def text(self) -> str: ...
    @property
    def blocks(self) -> tuple[Block, ...]: ...
    @property
    def front_matter(self) -> Mapping[str, Any]: ...

_END_PUNCT = "。！？!?；;：:，,、…"
_CLOSERS = "”’」』》）)】〕\"'"
# A sentence end followed by more text: the heading carries its body on the same line.
_INLINE_BODY = regex.compile(r"[。！？!?：:；;][”’」』》）)]?[ \t\u3000]*\S")
# A paragraph whose ordinal was lost: it starts with 是 where 一是/二是 … was meant.
_LOST = regex.compile(r"^是(?![否非的])\S")
_TITLE_END = regex.compile(r"[。！？!?：:；;]")
_HAN = regex.compile(r"\p{Han}")


@dataclass(frozen=True, slots=True)
class Item:
    """An enumeration item (``一是``, ``第一，``) or a paragraph that lost its numeral
    (``number`` 0). ``block`` indexes ``Outline.blocks``."""

    block: int
    start: int  # absolute offsets of the item's ordinal
    end: int
    number: int
    style: str
    at_block_start: bool


@dataclass(frozen=True, slots=True)
class Section:
    """A heading (or the top of the draft, ``heading`` -1) and the blocks up to the next
    heading of any level; ``items`` are the enumeration items in its text."""

    heading: int  # index into Outline.blocks, or -1
    first: int  # first block index after the heading
    stop: int  # one past the last block index
    items: tuple[Item, ...]


class Outline:
    def __init__(self, doc: Drafted) -> None:
        self.doc = doc
        self.blocks: tuple[Block, ...] = tuple(doc.blocks)
        blocks = self.blocks
        self.titles = tuple(i for i, b in enumerate(blocks) if b.kind == "title")
        self.headings = tuple(i for i, b in enumerate(blocks) if b.kind == "heading")
        # parent[i]: the nearest earlier heading of a lower level (-1: none), per block
        parents: dict[int, int] = {}
        stack: list[int] = []
        for i in self.headings:
            level = blocks[i].level
            while stack and blocks[stack[-1]].level >= level:
                stack.pop()
            parents[i] = stack[-1] if stack else -1
            stack.append(i)
        self.parent = parents
        context, current = [], 0
        for b in blocks:
            if b.kind == "heading":
                current = b.level
            context.append(current)
        self._context = tuple(context)
        self.sections = tuple(self._sections())
        self._memo: dict[str, Any] = {}

    def memo(self, key: str, compute: Callable[["Outline"], Any]) -> Any:
        """``compute(self)``, once per outline: analyses shared by several rules of one
        kind (the rules run one after the other over the same Document)."""
        if key not in self._memo:
            self._memo[key] = compute(self)
        return self._memo[key]

    # -- text helpers ---------------------------------------------------------------
    def body(self, i: int) -> str:
        """The text of block ``i`` after its ordinal (a heading) or all of it."""
        b = self.blocks[i]
        return b.text[b.body_start - b.start:]

    def has_inline_body(self, i: int) -> bool:
        """A heading line that goes on after its heading sentence (``（一）……方面。一是……``)."""
        return bool(_INLINE_BODY.search(self.body(i)))

    def heading_title(self, i: int) -> str:
        """The heading's own words: its body up to the first sentence end, no end mark."""
        text = self.body(i)
        m = _TITLE_END.search(text)
        if m:
            text = text[:m.start()]
        return text.strip(" \t\u3000" + _END_PUNCT)

    @property
    def opening(self) -> int | None:
        """The first paragraph after the title lines and before any heading."""
        for i, b in enumerate(self.blocks):
            if b.kind == "heading":
                return None
            if b.kind == "paragraph":
                return i
        return None

    def next_content(self, i: int) -> int | None:
        """The next block after ``i`` that is not a paid marker or a private note."""
        for j in range(i + 1, len(self.blocks)):
            if self.blocks[j].kind not in ("marker", "note"):
                return j
        return None

    def level_of(self, i: int) -> int:
        """The heading level a block belongs to: its own for a heading, else that of the
        heading above it (0 at the top of the draft)."""
        return self._context[i]

    # -- sections -------------------------------------------------------------------
    def _sections(self) -> list[Section]:
        bounds = [-1, *self.headings]
        out = []
        for k, h in enumerate(bounds):
            stop = bounds[k + 1] if k + 1 < len(bounds) else len(self.blocks)
            first = h + 1
            items: list[Item] = []
            for i in ([h] if h >= 0 else []) + list(range(first, stop)):
                b = self.blocks[i]
                if b.kind not in ("heading", "paragraph"):
                    continue
                text = self.body(i)
                if _LOST.match(text):
                    items.append(Item(i, b.body_start, b.body_start + 1, 0, "N是", True))
                for e in enumerations(text):
                    items.append(_item(b, i, e, text))
            out.append(Section(h, first, stop, tuple(items)))
        return out


def _item(b: "Block", i: int, e: Enumeration, text: str) -> Item:
    at_start = not text[:e.start].strip(" \t\u3000")
    skip = b.body_start - b.start  # the body's offset in the block's text
    return Item(i, b.offset(skip + e.start), b.offset(skip + e.end), e.number, e.style,
                at_start)


def pasted_twice(blocks: Sequence[Block], i: int) -> bool:
    """Block ``i`` repeats the block before it word for word (paid markers and private
    notes between them aside): a line pasted twice, such as a heading (三、评议结果 twice)."""
    j = i - 1
    while j >= 0 and blocks[j].kind in ("marker", "note"):
        j -= 1
    return j >= 0 and blocks[j].kind == blocks[i].kind and blocks[j].text == blocks[i].text


# the marks that end a sentence (not ； or ：, which end a clause or a list item)
SENTENCE_MARKS = "。！？!?"
SENTENCE_END = regex.compile(f"[{SENTENCE_MARKS}]")

# the imprint at the foot of a notice (版记): ……2024年10月9日印发, 共印20份
IMPRINT = regex.compile(r"(?:[0-9〇零一二三四五六七八九十]日印发|共印[0-9一二三四五六七八九十百]+份)$")


def ends_open(text: str) -> str | None:
    """The end mark that leaves ``text`` unfinished (``，`` ``、`` ``；`` ``：``), ``""``
    when it ends in a Chinese character without any end mark, or None if it ends well."""
    core = text.rstrip(" \t\u3000" + _CLOSERS)
    if not core:
        return None
    last = core[-1]
    if last in "，,、；;：:":
        return last
    if last in "。！？!?…—-.":
        return None
    if _HAN.match(last):
        return ""
    return None

