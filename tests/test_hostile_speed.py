"""Issue 21 item 9: every check near-linear in its input.

Each input is large enough that the quadratic (or cubic) code this replaced would run for
minutes; the limit is a generous timeout (:data:`tests.hostilekit.HANG`) that only such
behaviour trips. The checks run directly on a Document (the readers' line limits would
refuse some of these inputs before any check sees them: that is tested elsewhere), and
each test also asserts what the check finds, so a check that gave up would fail too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from checker.checks import kind_module
from checker.config import Config
from checker.document import Document
from checker.engine import check_document, load_selected
from checker.readers import markdown
from tests.hostilekit import bounded


def _rule_findings(code: str, text: str, fmt: str = "txt") -> list[tuple[int, int]]:
    _known, rules = load_selected(Config(Path.cwd()).with_values(select=(code,)))
    (rule,) = rules
    doc = Document(f"draft.{fmt}", text, fmt)
    return [(f.start, f.end) for f in kind_module(rule.kind).check(doc, rule.options)]


def _codes(text: str, select: tuple[str, ...], fmt: str = "txt") -> list[tuple[str, int]]:
    _known, rules = load_selected(Config(Path.cwd()).with_values(select=select))
    doc = Document(f"draft.{fmt}", text, fmt)
    return sorted((d.code, d.line) for d in check_document(doc, rules))


def _prepare(text: str) -> Any:
    return markdown.prepare(text)


def test_code_span_search_is_linear_in_backtick_runs() -> None:
    # runs of 1, 2, 3 … 600 backticks, none closed: each search used to scan the rest of
    # the line once per width (cubic in the run length: about 180 KB here)
    line = "".join("`" * width + "文" for width in range(1, 600))
    text, masked, *_ = bounded(_prepare, line)
    assert masked == () and text == line
    # one run of 100,000 backticks, then a closed span further on
    line = "`" * 100_000 + "文`代码`文"
    text, masked, *_ = bounded(_prepare, line)
    assert masked == ((100_001, 100_005),)


def test_code_spans_closed_by_the_next_run_of_the_same_width() -> None:
    text, masked, *_ = markdown.prepare("甲``乙`丙``丁`戊`")
    assert masked == ((1, 8), (9, 12))
    assert text == "甲" + " " * 7 + "丁" + " " * 3


def test_unclosed_emphasis_openers_are_linear() -> None:
    line = " *甲" * 60_000  # every * opens, none closes (each searched to the line's end)
    _text, _masked, _front, _problems, markup, _sup = bounded(_prepare, line)
    assert markup == ()
    _t, _m, _f, _p, markup, _s = markdown.prepare("这是**重点**内容")
    assert markup == ((2, 4), (6, 8))


def test_repeated_phrase_on_a_long_run_of_one_punctuation_mark() -> None:
    assert bounded(_rule_findings, "D103", "，" * 60_000) == []
    assert bounded(_rule_findings, "D103", "对" + " " * 60_000 + "对") == []
    assert bounded(_rule_findings, "D103", "<!--" + " " * 60_000 + "-->", "md") == []
    # still found: a sentence copied after a long run of commas
    sentence = "各支部要把整改任务逐项分解到具体责任人并按期销号"  # 24 characters
    found = _rule_findings("D103", sentence + "。" + "，" * 500 + sentence + "。")
    assert found == [(525, 549)]


def test_heading_level_check_on_many_sibling_headings() -> None:
    # 60,000 headings （一） … under one 一、: each looked back over all its siblings
    text = "一、总体情况\n"
    text += "".join(f"（{'一二三四五六七八九'[i % 9]}）标题\n" for i in range(60_000))
    # 1. directly under 二、, which goes on with （一）: level 2 skipped for one item
    text += "二、下步打算\n1.加强学习\n（一）改进作风\n"
    assert bounded(_codes, text, ("S104",)) == [("S104", 60_003)]


def test_paid_markers_on_many_lines_and_on_one_line() -> None:
    text = "##paidbegin##\n##paidend##\n" * 20_000
    assert bounded(_codes, text, ("M101", "M102", "M103", "M114")) == []
    line = "文##paidend##" * 10_000  # one line: mid-sentence markers, all stray ends
    found = bounded(_codes, line, ("M102", "M106", "M107"))
    assert found.count(("M102", 1)) == 10_000 and found.count(("M106", 1)) == 9_999
    assert ("M107", 1) in found


def test_masked_and_markup_lookups_on_many_code_blocks() -> None:
    # 30,000 code blocks: each line of only a space looked up every masked region
    text = "```\n \n```\n" * 15_000
    doc_text, masked, *_ = markdown.prepare(text)
    assert bounded(_codes_md_prepared, doc_text, masked) == []


def _codes_md_prepared(text: str, masked: tuple[tuple[int, int], ...]) -> list[str]:
    _known, rules = load_selected(Config(Path.cwd()).with_values(select=("T108", "T109")))
    doc = Document("draft.md", text, "md", masked=masked)
    return [d.code for d in check_document(doc, rules)]


def test_halfwidth_skip_spans_after_long_latin_runs() -> None:
    # an e-mail address was tried from every letter of a run: quadratic in the run
    text = "联系" + "a" * 100_000 + "@,中文,\n" + "x@" + "a-" * 50_000 + "中文,说明\n"
    found = bounded(_codes, text, ("T101",))
    assert found == [("T101", 1), ("T101", 2)]
    assert _rule_findings("T101", "请联系a.b@c.cn,或致电。") == [(11, 12)]


def test_lone_asterisks_on_a_long_line() -> None:
    # each lone * searched the whole line before it for a formula (3*4): quadratic
    found = bounded(_rule_findings, "P102", "从*发展" * 30_000)
    assert len(found) == 30_000 and found[0] == (1, 2)
    assert _rule_findings("P102", "面积3*4米，从*发展需要") == [(8, 9)]


def test_web_page_text_line_forms_on_long_lines() -> None:
    # L107's line forms look to the end of their line (a breadcrumb's separators, a file
    # size or a button alone on its line): one scan per line, never one per position
    spaces = " " * 100_000
    assert bounded(_rule_findings, "L107", spaces + "\n" + "首页|" * 30_000) == [(100_001, 190_001)]
    cases = [
        ("报告大全 > 社会报告 > " + spaces + "x", (0, 100_015)),  # a breadcrumb
        ("- " + "1" * 50_000 + " KB" + spaces, (0, 50_005)),  # a file size alone
        ("购物车" + spaces, (0, 3)),  # a button alone
        ("2022-07-05 12:20:02 来源：" + spaces + "x", (0, 100_024)),  # a date line
    ]
    for line, span in cases:
        assert bounded(_rule_findings, "L107", "文" + spaces + line) == [], line[:12]
        assert bounded(_rule_findings, "L107", line) == [span], line[:12]
    # a page counter is found inside a line too (a document site prints it mid-sentence)
    assert bounded(_rule_findings, "L107", "文" + spaces + "第1页共2页" + spaces + "标题") == [
        (100_001, 100_007)]
    # after other text on the line (above), or with more after them, they stay silent
    assert bounded(_rule_findings, "L107", "购物车" + spaces + "等" + "\n" + "我的足迹") == []


def test_a_hard_wrapped_paragraph_of_many_lines_is_joined_in_linear_time() -> None:
    # lines of one width that end open are one hard-wrapped paragraph; its joined length
    # was summed again for every line added (40,000 lines: about 20 s in every S rule)
    line = "学习贯彻党的二十大精神推进高质量发展" * 4
    assert bounded(_rule_findings, "S209", (line + "\n") * 80_000) == [(5_839_998, 5_839_999)]


def test_sentence_spans_of_many_candidate_doublings() -> None:
    # D101 found each candidate's sentence by nine scans to the end of the text
    # (two titles in turn: the same line twice in a row would be one more finding each)
    found = bounded(_rule_findings, "D101", "党课讲稿 党课讲稿\n讲话提纲 讲话提纲\n" * 40_000)
    assert len(found) == 80_000 and found[0] == (5, 9)
