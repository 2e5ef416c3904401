"""The structure model: Chinese numerals, heading ordinals, blocks, enumerations."""

from __future__ import annotations

import pytest

from checker.document import Document
from checker.ordinals import cn_to_int, enumerations, int_to_cn, parse_ordinal


def test_chinese_numerals_round_trip_to_ninety_nine() -> None:
    for n in range(1, 100):
        assert cn_to_int(int_to_cn(n)) == n
    assert [int_to_cn(n) for n in (1, 10, 11, 20, 23, 99)] == ["一", "十", "十一", "二十", "二十三",
                                                              "九十九"]


@pytest.mark.parametrize("bad", ["", "零", "十十", "一二", "二十十", "十零", "百"])
def test_not_a_numeral(bad: str) -> None:
    assert cn_to_int(bad) is None


@pytest.mark.parametrize("line,level,number,style", [
    ("一、存在的问题", 1, 1, "N、"),
    ("二十三、其他", 1, 23, "N、"),
    ("三.原因分析", 1, 3, "N."),
    ("（一）在理论学习方面", 2, 1, "（N）"),
    ("(十二)在理论学习方面", 2, 12, "(N)"),
    ("（二）、在理论学习方面", 2, 2, "（N）、"),
    ("1.学习不够", 3, 1, "N."),
    ("12．学习不够", 3, 12, "N．"),
    ("3、学习不够", 3, 3, "N、"),
    ("（1）学习不够", 4, 1, "（N）"),
    ("(4)学习不够", 4, 4, "(N)"),
])
def test_heading_ordinals(line: str, level: int, number: int, style: str) -> None:
    parsed = parse_ordinal(line)
    assert parsed is not None
    assert (parsed.level, parsed.number, parsed.style) == (level, number, style)
    assert line[parsed.length:] and not line[parsed.length:].startswith(("、", ")", "）"))


@pytest.mark.parametrize("line", ["2023年工作总结", "1.5万元资金到位。", "一是学习不够。",
                                  "十分重视学习。", "一，二，三。", "是争创一流", "第一，学习",
                                  "（2023年）", "零、无"])
def test_not_heading_ordinals(line: str) -> None:
    assert parse_ordinal(line) is None


def _items(text: str) -> list[tuple[str, int]]:
    return [(text[e.start:e.end], e.number) for e in enumerations(text)]


def test_enumerations() -> None:
    assert _items("在学习方面。一是学得少。二是用得少；三是想得少。") == [
        ("一是", 1), ("二是", 2), ("三是", 3)]
    assert _items("主要有：第一，学得少。第二、用得少。") == [("第一", 1), ("第二", 2)]
    assert _items("一是开头。十一是后面。") == [("一是", 1), ("十一是", 11)]
    # 统一是, 之一是, 唯一是 are words, not items; 一是否 is a question
    assert _items("思想统一是前提。问题之一是学习。这是唯一是非标准。一是否可行。") == []
    # 首先，其次， carry no number: not items (一是加强学习。其次，要改进作风。 is one list)
    assert _items("首先，要学。其次，要做。第三，要改。") == [("第三", 3)]


def test_a_list_that_repeats_or_goes_back_says_so_in_the_message_language() -> None:
    from lintkit import lint_text

    again, back = (lint_text(f"一、要求\n一是加强学习。{b}是改进作风。二是狠抓落实。\n", ["S102"])[-1]
                   for b in "二三")
    assert "二是 again" in again.message and "二是 (going back)" in back.message


def _kinds(text: str, fmt: str = "txt", **kw) -> list[tuple[str, int, int]]:
    doc = Document("d." + fmt, text, format=fmt, **kw)
    return [(b.kind, b.level, b.ordinal) for b in doc.blocks]


def test_blocks_title_subtitle_headings_markers() -> None:
    text = ("2024年度个人对照检查材料\n——在支部组织生活会上的发言\n张三\n\n"
            "　　按照要求，现将有关情况报告如下：\n##paidbegin##\n　一、存在的问题\n"
            "（一）在学习方面。一是学得少。\n##paidend##\n")
    assert _kinds(text) == [("title", 0, 0), ("title", 0, 0), ("title", 0, 0),
                            ("paragraph", 0, 0), ("marker", 0, 0), ("heading", 1, 1),
                            ("heading", 2, 1), ("marker", 0, 0)]


def test_first_line_that_is_prose_is_not_a_title() -> None:
    assert _kinds("按照要求，现将有关情况报告如下：\n一、存在的问题\n")[0] == ("paragraph", 0, 0)
    assert _kinds("同志们：\n一、存在的问题\n")[0] == ("paragraph", 0, 0)


def test_markdown_headings() -> None:
    text = "# 对照检查材料\n\n## 一、存在的问题\n\n### 学习方面\n\n正文。\n"
    assert _kinds(text, "md") == [("title", 0, 0), ("heading", 1, 1), ("heading", 2, 0),
                                  ("paragraph", 0, 0)]
    doc = Document("d.md", text, format="md")
    heading = doc.blocks[1]
    assert doc.text[heading.body_start:heading.end] == "存在的问题"
    assert heading.md_level == 2


def test_front_matter_title_makes_first_line_body() -> None:
    kinds = _kinds("按照要求，现将情况报告如下：\n## 一、存在的问题\n", "md",
                   front_matter={"title": "对照检查材料"})
    assert kinds[0] == ("paragraph", 0, 0)


def test_outline_sections_and_lost_numeral() -> None:
    doc = Document("d.txt", "材料\n（三）在能力方面\n是争创一流不够。\n二是斗争精神不强。\n")
    outline = doc.outline
    section = outline.sections[-1]
    assert [(it.number, doc.text[it.start:it.end]) for it in section.items] == [(0, "是"),
                                                                                (2, "二是")]
    assert outline.heading_title(1) == "在能力方面"


def _apply(text: str, edits) -> str:
    for e in sorted(edits, key=lambda e: e.start, reverse=True):
        text = text[:e.start] + e.replacement + text[e.end:]
    return text


def test_fixes_restore_numeral_and_style() -> None:
    from checker.checks import numbering

    text = ("材料\n一、存在的问题\n(一)在学习方面\n是学得少。\n二是用得少。\n"
            "(二)在作风方面。调研少。\n（三）在纪律方面。提醒少。\n")
    doc = Document("d.txt", text)
    edits = [e for defect in ("lost-numeral", "mixed-style")
             for f in numbering.check(doc, {"defect": defect}) for e in f.fix]
    assert _apply(text, edits) == text.replace("是学得少", "一是学得少").replace(
        "(一)", "（一）").replace("(二)", "（二）")
    doc = Document("d.txt", text.replace("（三）", "(三)"))
    findings = list(numbering.check(doc, {"defect": "nonstandard-style"}))
    # one finding at each of the three headings, each with its own fix
    assert [doc.position(f.start) for f in findings] == [(3, 1), (6, 1), (7, 1)]
    assert all(len(f.fix) == 1 for f in findings)
    assert "(" not in _apply(doc.text, [e for f in findings for e in f.fix])


def test_docx_documents_get_the_same_structure_findings() -> None:
    """The .docx reader produces the same text lines: S checks must not depend on format."""
    from checker.engine import check_document
    from checker.packs import load_rules
    from conftest import FIXTURES

    rules = [r for r in load_rules() if r.code.startswith("S")]
    for path in sorted((FIXTURES / "structure").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        as_txt = check_document(Document("x", text, "txt"), rules)
        as_docx = check_document(Document("x", text, "docx"), rules)
        assert [(d.line, d.column, d.code, d.message) for d in as_txt] == [
            (d.line, d.column, d.code, d.message) for d in as_docx], path.name


def test_a_preview_site_s_page_counters_are_not_headings() -> None:
    """Text pasted from a document-preview site: each page of text starts with 1、 2、 3、,
    in mid-sentence. The counters after a long page that ends open are no headings (no
    S106/S101 on them); a page that ends open is a cut-off paragraph (S209)."""
    from lintkit import lint_text, triples

    page = "在全镇作风建设推进会上，大家围绕主题深入交流，结合工作实际查摆问题，提出改进措施，" * 2
    text = (f"1、{page}对问题的认识更加\n2、深刻。{page}会后请工作人员宣读表彰名\n"
            f"3、单。大家对名单有什么意见，请发表。\n")
    kinds = [(b.kind, b.ordinal) for b in Document("d.txt", text, format="txt").blocks]
    assert kinds == [("heading", 1), ("paragraph", 0), ("paragraph", 0)]
    found = triples(lint_text(text, ["S101", "S106", "S209"]))
    assert [(ln, c) for ln, _, c in found if c != "S106"] == [(2, "S209")]
    assert [(ln, c) for ln, _, c in found if c == "S106"] == [(1, "S106")]  # the first page's
    # a heading after a short or closed paragraph is still one
    outline = "一、主要做法\n我们重点抓了三项工作\n2、改进作风。\n3、狠抓落实。\n"
    assert [b.kind for b in Document("d.txt", outline, format="txt").blocks][2:] == [
        "heading", "heading"]

