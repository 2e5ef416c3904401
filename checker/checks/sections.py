"""Kind ``sections``: what each heading and paragraph holds, whatever the template.

``defect`` chooses what a rule reports:

* ``empty``: a heading with no text before the next heading of the same or a higher
  level (or the end of the draft). A heading that carries its text on the same line
  (``（一）……方面。一是……``) is not empty; nor is a one-sentence item in a list of such
  items (``（一）加强理论学习。`` ``（二）……。``): siblings at least half of which are
  one-sentence items with nothing under them; nor is a heading whose own words are a
  sentence with a comma (a step of a host script: 一、首先，我为大家介绍……); nor are the
  items a label of a few characters introduces (讨论议题： 1、…… 2、……).
* ``truncated``: a paragraph cut off mid-sentence: it ends with ``，`` or ``、``; with
  ``；`` or ``：`` and nothing follows it in its section; or with a Chinese character and
  no end mark although it is prose (a heading's own words need no full stop, nor does a
  label: a name, a date, a field and its short value such as ``主持人：张明``, the
  particulars of minutes however long (``出席人员：……``); nor a
  heading's question answered by a dash subtitle, ``一、为什么必须抓？——……``). A sentence
  that ended with ``。`` and is followed only by a bracketed note (``……发言。（内容略）``) is
  finished.
"""

from __future__ import annotations

from typing import Any, Iterator, Mapping

import regex

from checker.checks import Opt
from checker.model import Finding
from checker.document import Document
from checker.i18n import tr
from checker.outline import IMPRINT, Outline, ends_open, pasted_twice

DEFECTS = ("empty", "truncated")
# lines of a document's apparatus, not prose: attachments, copies, contacts, signatures
_METADATA = regex.compile(r"^(?:附件|附：|抄送|抄报|主送|联系人|联系电话|签名|落款|报送|印发"
                          # a meeting's particulars in minutes: 出席人员：……（职务）……
                          r"|(?:会议)?(?:出席|列席|参加|缺席|参会)(?:人员|者|人|对象)?[：:]"
                          r"|(?:主持|记录)人?[：:])")
# a field and its short value, as in a list of names or a meeting's particulars:
# 县总工会副主席： 刘晓燕; 会议时间：2024年4月23日上午
# sentence punctuation inside a heading's text: the heading carries body text
_SENTENCE = regex.compile(r"[。！？!?；;]")
# a time of day (9:00, 14：30-15：00), whose colon is no sentence punctuation
_CLOCK = regex.compile(r"[0-9][:：][0-9]")
_LABEL_STOP = regex.compile(r"[。！？；：!?;:]")
# a line of a host script spoken by one of its speakers: 甲：……, 合：……
_SPEAKER = regex.compile(r"^(?:甲|乙|丙|丁|合|男|女|男女|齐)[：:]")
# the line that announces an attachment: 附：, 附件：, 附件1
_ATTACHED = regex.compile(r"^附(?:件[0-9一二三四五六七八九十]*)?[：:]?$")
# a paragraph that is an aside in brackets: （一审：……　二审：……）
_ASIDE = regex.compile(r"^[（(【〔][^（()）【】〔〕]*[）)】〕]$")
# a heading that names a notice's particular, whose value is the line under it:
# 二、会议地点 / 北校区行政办公楼……（二楼第三会议室）
_PARTICULAR = regex.compile(r"^(?:会议|活动|培训|报名|参会|考试|报到|集合|评议|选举)?"
                           r"(?:时间|地点|地址|人员|对象|范围)$")
# a lead-in that announces the parts after it: a notice's (现将有关事项通知如下：) before any
# part, another (其具体流程如下：) before a list that starts again at 一、
_LEAD_IN = regex.compile(r"(?P<notice>通知|通告|公告|函告|告知)?如下[：:][ \t\u3000]*$")
_FIELD = regex.compile(r"^[^，。；：！？,;:!?]{1,20}[：:][ \t\u3000]*[^，。；：！？,;:!?、]{1,16}$")
# a label that introduces a list of items, not of sections: 会议议程： 讨论议题：
_AGENDA = regex.compile(r"[^，。；：！？,;:!?、\s]{2,6}[：:][ \t\u3000]*")
# a question or exclamation answered by a dash subtitle in a heading: 为什么必须抓？——……
_ASKED = regex.compile(r"[？！?!](?=[”’」』]?[ \t\u3000]*[—－-])")
# a bracketed note after a finished sentence: ……作对照检查发言。（内容略）; not a bare
# ordinal, the start of a heading run into the paragraph (……的发挥。（三）)
_NOTE_AFTER_END = regex.compile(r"[。！？!?][”’」』]?[ \t\u3000]*[（(【〔]"
                                r"(?![零〇一二三四五六七八九十0-9]{1,3}[）)])[^（()）【】〔〕]*[）)】〕]$")

OPTIONS = {
    "defect": Opt("str", required=True, choices=DEFECTS, doc="which section problem to report"),
    "min-length": Opt("int", 30, doc="truncated: a line without end mark, shorter than this "
                      "and without sentence punctuation other than commas, is a label (a name, "
                      "a date, a heading without ordinal), not prose"),
}


def check(doc: Document, options: Mapping[str, Any]) -> Iterator[Finding]:
    outline = doc.outline
    if options["defect"] == "empty":
        yield from _empty(outline)
    else:
        yield from _truncated(outline, options["min-length"])


def _short(text: str, width: int = 16) -> str:
    text = text.lstrip("#").strip(" \t\u3000")
    return text if len(text) <= width else text[:width] + "…"


def _is_empty(outline: Outline, i: int) -> bool:
    if outline.has_inline_body(i) or "，" in outline.heading_title(i):
        return False  # its text is on its line (a step of a host script: 一、首先，我……)
    nxt = outline.next_content(i)
    blocks = outline.blocks
    return nxt is None or (blocks[nxt].kind == "heading" and blocks[nxt].level <= blocks[i].level)


def _is_item(text: str) -> bool:
    return text.rstrip("”’」』》）)").endswith(("。", "！", "？", "；", ";"))


def _empty(outline: Outline) -> Iterator[Finding]:
    blocks = outline.blocks
    empty = {i: _is_empty(outline, i) for i in outline.headings}
    # per group of siblings: (members, empty one-sentence items)
    groups: dict[tuple[int, int], list[int]] = {}  # members, items, the first member
    for i in outline.headings:
        counts = groups.setdefault((outline.parent[i], blocks[i].level), [0, 0, i])
        counts[0] += 1
        counts[1] += empty[i] and _is_item(blocks[i].text)
    for i in outline.headings:
        if not empty[i]:
            continue
        b = blocks[i]
        members, items, first = groups[(outline.parent[i], b.level)]
        if _is_item(b.text) and 2 * items >= members:
            continue  # a list of one-sentence items (the last may run on), not sections
        if first and _AGENDA.fullmatch(blocks[first - 1].text):
            continue  # items a label introduces (会议议程： 1、…… 2、……), not sections
        nxt = outline.next_content(i)
        if nxt is not None and pasted_twice(blocks, nxt):
            continue  # the heading pasted twice (D101's), not an empty section
        found = (tr("words.quoted", text=_short(blocks[nxt].text)) if nxt is not None
                 else tr("words.end-of-draft"))
        yield Finding(b.start, b.end, {"heading": _short(b.text), "found": found})


def _truncated(outline: Outline, min_length: int) -> Iterator[Finding]:
    blocks = outline.blocks
    for i, b in enumerate(blocks):
        if b.kind not in ("paragraph", "heading"):
            continue
        text = outline.body(i) if b.kind == "heading" else b.text
        mark = ends_open(text)
        if mark is None:
            continue
        if b.kind == "heading" and mark == "" and not _SENTENCE.search(_ASKED.sub("", text)):
            continue  # a heading's own words (一、高擎旗帜：坚守……的“恒心”, 一、为何要改？——……)
        if mark == "" and _NOTE_AFTER_END.search(text):
            continue  # the sentence ended; a stage note follows it (……发言。（内容略）)
        if mark in ("；", ";", "：", ":") and _followed(outline, i, mark in ("；", ";")):
            continue
        lead_in = _LEAD_IN.search(text) if b.kind == "paragraph" else None
        if lead_in and _announces(outline, i, bool(lead_in.group("notice"))):
            continue  # ……通知如下： and the notice's next part: what it announces
        if mark == "" and b.kind == "paragraph" and (
                _METADATA.match(text) or _FIELD.match(text) or _ASIDE.match(text)
                or (i and _ATTACHED.match(blocks[i - 1].text))  # the attachment's title
                or _SPEAKER.match(text) or IMPRINT.search(text)
                or (i and len(text) <= 60 and blocks[i - 1].kind == "heading"
                    and _PARTICULAR.match(outline.body(i - 1).strip()))
                or (len(text) < min_length and not _LABEL_STOP.search(_CLOCK.sub("", text)))):
            continue  # a label: a name, a date, a time and what happens then, a heading
            # without ordinal, 附件：……, 职务：姓名, an aside in brackets, a host's line,
            # the imprint, the value under a heading such as 二、会议地点
        tail = text.rstrip(" \t\u3000")[-10:]
        if mark in ("；", ";"):
            expected = tr("words.expect-list-end")
        elif mark in ("：", ":"):
            expected = tr("words.expect-introduced")
        else:
            expected = tr("words.expect-sentence-end")
        problem = tr("words.ends-with", mark=mark) if mark else tr("words.ends-unpunctuated")
        end = b.end
        yield Finding(end - 1, end, {"problem": problem, "tail": ("…" if len(text) > 10 else "")
                                     + tail, "expected": expected})


def _announces(outline: Outline, i: int, notice: bool) -> bool:
    """The lead-in of block ``i`` (a notice's: ``notice``) is followed by the parts it
    announces: any heading after a notice's, a list starting again (一、, （一）) after
    another's."""
    nxt = outline.next_content(i)
    if nxt is None or outline.blocks[nxt].kind != "heading":
        return False
    return notice or outline.blocks[nxt].ordinal == 1


def _followed(outline: Outline, i: int, list_item: bool) -> bool:
    """Block ``i`` (ending with ``：`` or, for a list item, ``；``) is followed by what it
    introduces: a paragraph, or a heading one level deeper (a list item also by its next
    sibling)."""
    nxt = outline.next_content(i)
    if nxt is None:
        return False
    b = outline.blocks[nxt]
    if b.kind != "heading":
        return b.kind == "paragraph"
    own = outline.level_of(i)
    if list_item and outline.blocks[i].kind == "heading":
        return b.level >= own
    return b.level > own
