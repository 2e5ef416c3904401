"""Family T: what each rule reports, and the ambiguous cases it must leave alone."""

from __future__ import annotations

import pytest

from checker.checks.whitespace import describe
from lintkit import codes, lint_text, triples


def t(text: str, select: str, suffix: str = ".txt", **config: object) -> list[tuple[int, int, str]]:
    return triples(lint_text(text, [select], suffix=suffix, **config))


# -- T101 half-width punctuation ----------------------------------------------------

@pytest.mark.parametrize("text,col", [
    ("理论联系实际不够,实际工作中", 9),
    ("现将有关情况报告如下:", 11),
    ("为什么会这样?", 7),
    ("任务还很重!", 6),
    ("存在差距;主要是", 5),
    ("工作不够到位.下一步", 7),
    ("时间:2023年", 3),  # a colon after a Chinese word before a number
    ("推动5G,加快发展", 5),  # a comma between a Latin word and Chinese
    ("学习“两个确立”,深刻领会", 9),  # after a full-width closing quote
    ("不够, 实际", 3),  # with a space typed after it
    ("精神,，实际", 3),  # next to a full-width mark
])
def test_t101_reports_halfwidth_marks_in_chinese(text: str, col: int) -> None:
    assert t(text, "T101") == [(1, col, "T101")]


@pytest.mark.parametrize("text", [
    "增长3.14%，投入1,000万元，时间10:30至12:00，比例为1:2。",
    "详见报告.docx和附件.pdf。",
    "网址见http://例子.中国/路径,参数和www.example.cn/a,b。",
    "联系邮箱wang.li@example.cn。",
    "This is English text, with commas. 中文部分。",
    "一.存在的问题",  # heading ordinal separator: the structure rules' business
    "1.加强理论学习",
    "省略号不对等等...",
    "见[附件](材料,一.md)。",
    "HTML实体&#20013;文和&nbsp;中文。",
])
def test_t101_stays_silent_when_ambiguous(text: str) -> None:
    assert t(text, "T101") == []


def test_t101_message_quotes_the_context_and_the_fix() -> None:
    (d,) = lint_text("理论联系实际不够,实际工作中", ["T101"])
    assert d.message == "half-width ',' in Chinese text '际不够,实际工'; use the full-width '，'"
    assert d.fix and d.fix[0].replacement == "，"


# -- T102 half-width parentheses --------------------------------------------------

def test_t102_reports_pairs_with_chinese_inside() -> None:
    assert t("执行《党委(党组)工作条例》", "T102") == [(1, 6, "T102")]
    assert t("(党委(党组)意见)", "T102") == [(1, 1, "T102"), (1, 4, "T102")]


@pytest.mark.parametrize("text", ["(1)加强学习", "(一)在学习方面 (a heading ordinal: S105/S106)",
                                  "国内生产总值(GDP)", "见[说明](附件(一).md)",
                                  "未闭合的(括号", "多余的)括号"])
def test_t102_silent(text: str) -> None:
    assert t(text, "T102") == []


def test_t102_fix_changes_only_the_two_marks() -> None:
    (d,) = lint_text("执行《党委(党组)工作条例》", ["T102"])
    assert [(e.start, e.end, e.replacement) for e in d.fix] == [(5, 6, "（"), (8, 9, "）")]


# -- T103 unbalanced pairs ----------------------------------------------------------

def test_t103_reports_each_unmatched_mark() -> None:
    assert t("学习“两个确立的意义", "T103") == [(1, 3, "T103")]
    assert t("学习两个确立”的意义", "T103") == [(1, 7, "T103")]
    assert t("贯彻《条例和【重点", "T103") == [(1, 3, "T103"), (1, 7, "T103")]


def test_t103_pairs_are_per_paragraph_in_text_files() -> None:
    assert t("第一段“开始\n第二段结束”", "T103") == [(1, 4, "T103"), (2, 6, "T103")]


def test_t103_list_ordinals_on_every_line_of_a_markdown_paragraph() -> None:
    md = "措施如下：\n1）加强学习\n2）改进作风\n- 3）其他\n"
    assert t(md, "T103", suffix=".md") == []


def test_t103_markdown_paragraph_may_wrap() -> None:
    assert t("第一行“开始\n第二行结束”。\n", "T103", suffix=".md") == []
    assert t("第一段“开始\n\n第二段结束”。\n", "T103", suffix=".md") == [(1, 4, "T103"),
                                                                       (3, 6, "T103")]


# a draft pasted from a PDF: each paragraph broken at the same width, a title and a
# quotation cut at a line end
WRAPPED = ("按照县委关于开好本年度民主生活会的通知要求，班子成员认真学习了\n"
           "规定篇目，围绕“推动高质量发展，提升群众满意\n"
           "度”的主题深入查摆问题，并对照《关于召开年度民主生\n"
           "活会的通知》逐条梳理了整改清单中需要落实的事项，\n"
           "形成了对照检查材料。\n"
           "会后各支部要抓好传达学习，对“两个确立的决定性\n"
           "意义”认识不深的问题要开展专题研讨，确保学习取得\n"
           "实效，并把研讨成果转化为推动各项工作落实的动力。\n")


def test_t103_pairs_of_a_hard_wrapped_paragraph_are_matched_across_its_lines() -> None:
    assert t(WRAPPED, "T103") == []
    # a mark really missing in a wrapped paragraph is still found, at its line
    broken = WRAPPED.replace("意义”", "意义")
    assert t(broken, "T103") == [(6, 15, "T103")]
    (found,) = lint_text(broken, ["T103"])
    assert "“两个确立的决定性'" in found.message and "\n" not in found.message


def test_t103_pairs_a_quotation_across_a_preview_site_s_page_counter() -> None:
    page = "会上大家结合思想和工作实际作了深入交流，普遍认为这次集中学习收获很大，" * 2
    text = f"1、{page}正如一位老同志所说：“未来的文盲\n2、不再是不识字的人。”{page}\n"
    assert t(text, "T103") == []
    assert t(text.replace("人。”", "人。"), "T103") == [(1, 83, "T103")]  # still missing


@pytest.mark.parametrize("text", [
    "“第一段引文，\n“第二段引文，\n“第三段结束。”",  # GB/T 15834 4.1.3.3
    "1）加强学习\n一）改进作风\na）其他",
    "参阅People’s Daily的报道",
    "“学”和“思”，《条例》（试行）【内部】",
])
def test_t103_silent(text: str) -> None:
    assert t(text, "T103") == []


def test_t103_continued_quotation_needs_the_next_paragraph_to_open_it() -> None:
    assert t("“第一段引文，\n第二段没有引号。", "T103") == [(1, 1, "T103")]


# -- T104 / T105 doubled and conflicting marks ---------------------------------------

def test_t104_and_t105() -> None:
    assert t("不够，，实际。。", "T104") == [(1, 3, "T104"), (1, 7, "T104")]
    assert t("不够，。实际；。", "T105") == [(1, 3, "T105"), (1, 7, "T105")]
    assert t("不够，，。", "T104") == []  # a mixed run is T105's
    assert t("不够，，。", "T105") == [(1, 3, "T105")]


@pytest.mark.parametrize("text", ["等等……", "这是——决定性的", "难道不是吗？！", "真的吗？？",
                                  "省略号打错了。。。", "“好”，“坏”。"])
def test_t104_t105_silent(text: str) -> None:
    assert t(text, "T104") == [] and t(text, "T105") == []


# -- T106 space between Chinese characters ------------------------------------------

def test_t106_in_sentences_only() -> None:
    assert t("认真学习 贯彻精神，查找问题。", "T106") == [(1, 5, "T106")]
    assert t("认真学习\u3000贯彻精神。", "T106") == [(1, 5, "T106")]
    assert t("参会人员 张三 李四\n王  五\n关于 2023年 的报告", "T106") == []


def test_t106_leaves_section_numbers_and_spaced_out_headings_alone() -> None:
    """A table of contents run into one line (a handbook saved from a web page)."""
    toc = "目 录 第一节 入党申请书……1，第二节 思想汇报……2，第十一节 预备党员的转正。"
    assert t(toc, "T106") == [(1, 4, "T106")]  # only where 目录 meets 第一节: a lost break
    assert t("党员工作指南 目 录 第一节 入党申请书……1。", "T106") == [(1, 7, "T106"), (1, 11, "T106")]
    assert t("第三部分 工作措施，认真落实。", "T106") == []
    assert t("党的建 设工作要加强，认真落实。", "T106") == [(1, 4, "T106")]
    # a sentence pasted from a PDF with a space after every character is still reported
    assert len(t("学 习 贯 彻 ， 深 入 查 找 问 题 。", "T106")) == 8


def test_t106_leaves_a_blank_to_write_a_number_in_alone() -> None:
    """A host's script leaves room for the counts read out at the meeting."""
    text = "本次会议应到代表86名，因事请假      名，实到      名，符合法定人数。"
    assert t(text, "T106") == []
    # one space before a unit that ends the clause: the number left out too (P114)
    assert triples(lint_text("实到代表 名，符合法定人数。", ["T106", "P114"])) == [(1, 5, "P114")]


def test_t107_leaves_a_flush_left_salutation_alone() -> None:
    body = "\u3000\u3000本次会议的主要任务是传达上级会议精神，部署下一阶段工作。\n"
    for salutation in ("各位代表：", "同志们：", "尊敬的各位领导、各位来宾：", "老师们、同学们："):
        text = f"会议主持词\n{salutation}\n{body}{body}{body}"
        assert t(text, "T107") == [], salutation
    # a paragraph ending in a colon, or opening with a form of address, is still one
    for line in ("下面，我就做好今年的工作讲三点意见：", "各位党员要切实做到以下几点：",
                 "同志们：今天我们召开全体党员大会。"):
        text = f"会议主持词\n{line}\n{body}{body}{body}"
        assert t(text, "T107") == [(2, 1, "T107")], line


def test_t107_leaves_laid_out_short_lines_alone() -> None:
    """Study 5: an addressee and a minutes' label flush left, a date pushed right, an
    attachment's title, a tab-separated table row: short lines without sentence
    punctuation, laid out rather than indented; they neither vote nor are reported."""
    body = "\u3000\u3000本次会议的主要任务是传达上级会议精神，部署下一阶段工作。\n"
    for line in ("区人大常委会：", "各股室、各直属单位：", "讨论议题：", " " * 40 + "二〇二四年五月六日",
                 "专题民主生活会征求意见表", "指标\t完成\t同比"):
        assert t(f"会议主持词\n{body}{line}\n{body}{body}", "T107") == [], line
    table = "".join(f"项目{n}\t{n}\t{n * 3}\n" for n in range(6))
    assert t(f"情况报告\n{body}{table}{body}同意，下一步继续推进。\n", "T107") == [(10, 1, "T107")]


def test_t106_leaves_a_quoted_list_of_keywords_alone() -> None:
    assert t("本次培训的主题为“理想 责任 忠诚”，共五讲。", "T106") == []
    assert t("校训是「勤学 修德 明辨 笃实」。", "T106") == []
    # a stray space inside an ordinary quotation is still one
    assert t("要坚持“以人民 为中心的发展思想”，认真落实。", "T106") == [(1, 8, "T106")]
    assert t("深刻领会“两个 确立”的决定性意义。", "T106") == [(1, 8, "T106")]  # two: a slip


def test_t106_leaves_a_quoted_name_of_two_parallel_halves_alone() -> None:
    """A branch project's official name (study 4, 21:5:190)."""
    assert t("二是深入开展“先锋张浦 乐居如意”书记项目，用活载体。", "T106") == []
    assert t("开展“新时代 新征程”主题活动，用好\u3000“红色领航\u3000幸福同行”品牌。", "T106") == []
    # halves of unequal length: a PDF's line break inside a quotation (study 4, 15:7:508)
    assert t("要警惕“温水 煮青蛙”，做到“持之以恒正 风肃纪”。", "T106") == [
        (1, 7, "T106"), (1, 21, "T106")]
    # a fixed term cut apart, two spaces, a quotation over 20 characters, no quotation
    assert t("深刻领会“学习 贯彻”的要求，开展“先锋张浦  乐居如意”项目。", "T106") == [
        (1, 8, "T106"), (1, 23, "T106")]
    assert t("开展“党建引领乡村振兴先锋 幸福和美家园建设示范”项目，用活载体。", "T106") == [
        (1, 14, "T106")]
    assert t("深入开展先锋张浦 乐居如意书记项目，认真学习 贯彻精神。", "T106") == [
        (1, 9, "T106"), (1, 23, "T106")]
    # a sentence pasted from a PDF with a space after every character, inside quotes
    assert t("他说：“学 习 贯 彻 ， 落 实 精 神”。", "T106") == [
        (1, 6, "T106"), (1, 8, "T106"), (1, 10, "T106"), (1, 16, "T106"), (1, 18, "T106"),
        (1, 20, "T106")]


# -- T107 mixed indentation -----------------------------------------------------------

def test_t107_reports_minority_lines_once() -> None:
    text = "标题\n\u3000\u3000一段。\n\u3000\u3000二段。\n三段。\n\u00a0四段。\n"
    diags = lint_text(text, ["T107"])
    assert triples(diags) == [(4, 1, "T107"), (5, 1, "T107")]
    assert "no indentation" in diags[0].message and "2 of the 4" in diags[0].message


def test_t107_ignores_unindented_title_marker_lines_and_ties() -> None:
    assert t("标题\n\u3000\u3000一段。\n##paidbegin##\n\u3000\u3000二段。\n##paidend##", "T107") == []
    assert t("标题\n\u3000\u3000一段。\n二段。", "T107") == []  # 1 against 1: no majority
    assert t("标题\n    一段。\n    二段。\n三段。", "T107", suffix=".md") == []


def test_t107_indented_title_counts() -> None:
    assert t("\u00a0标题\n一段。\n二段。", "T107") == [(1, 1, "T107")]


def test_describe() -> None:
    assert describe("") == "no indentation"
    assert describe("\u3000\u3000") == "2 full-width spaces (U+3000)"
    assert describe("\u00a0") == "1 no-break space (U+00A0)"
    assert describe("\t\t") == "2 tabs"
    assert describe("\u3000 ") == "mixed whitespace (full-width space + ASCII space)"


# -- T108 trailing whitespace -----------------------------------------------------------

def test_t108() -> None:
    assert t("一段。 \n二段。\t\u3000\n\u00a0\n三段。", "T108") == [(1, 4, "T108"), (2, 4, "T108"),
                                                               (3, 1, "T108")]


def test_t108_markdown_hard_break_and_masked_regions() -> None:
    md = "一段。  \n二段。\n<!-- 注释 --> \n文字 <!-- 注释 -->\n```\n代码   \n```\n"
    assert t(md, "T108", suffix=".md") == [(3, 12, "T108")]


# -- T109 blank-line runs -----------------------------------------------------------

def test_t109() -> None:
    assert t("甲\n\n\n乙", "T109") == []
    assert t("甲\n\n\n\n乙", "T109") == [(4, 1, "T109")]
    assert t("甲\n \n\u3000\n\t\n乙", "T109") == [(4, 1, "T109")]  # whitespace-only lines
    assert t("甲\n\n\n\n\n", "T109") == [(4, 1, "T109")]  # at the end of the file
    assert t("甲\n\n乙", "T109", rules={"T109": {"options": {"max-blank-lines": 0}}}) == [
        (2, 1, "T109")]


def test_t109_masked_code_is_not_blank() -> None:
    md = "甲\n\n```\n\n\n\n```\n\n乙\n"
    assert t(md, "T109", suffix=".md") == []


# -- T110 full-width digits and letters -------------------------------------------------

def test_t110() -> None:
    assert t("２０２３年推动ＧＤＰ增长ａ", "T110") == [(1, 1, "T110"), (1, 8, "T110"), (1, 13, "T110")]
    assert t("2023年推动GDP增长", "T110") == []


# -- robustness -----------------------------------------------------------------------

def test_one_long_line_with_many_candidates() -> None:
    """A 1 MB single line full of marks the rules must look at and reject: no finding,
    no timeout (E900)."""
    unit = "3,000.5 学习“好”（是）a:b (GDP) 中 a "
    line = unit * (1_000_000 // len(unit)) + "学习，"
    assert len(line) >= 990_000
    assert codes(lint_text(line, ["T"])) == []
