"""The P rules: what counts as a blank in context, Markdown asterisks, extensible allow-lists."""

from __future__ import annotations

import pytest

from lintkit import lint_text, triples


def codes_in(text: str, select=("P",), suffix: str = ".txt", **config) -> list[str]:
    return [d.code for d in lint_text(text, list(select), suffix=suffix, **config)]


@pytest.mark.parametrize("text, code, col", [
    ("按照**市委要求", "P101", 3),
    ("征集意见**条", "P101", 5),
    ("对**村4组", "P101", 2),
    ("从*发展需要", "P102", 2),
    ("从＊发展需要", "P102", 2),
    ("第X巡视组", "P103", 2),
    ("党的XX大精神", "P103", 3),
    ("XX镇", "P103", 1),
    ("面对XXX综合体", "P103", 3),
    ("20XX年", "P103", 3),
    ("xx县委", "P103", 1),
    ("ＸＸ市", "P103", 1),
    ("××市", "P104", 1),
    ("×××同志", "P104", 1),
    ("某某同志", "P105", 1),
    ("○○县", "P106", 1),
    ("□□镇", "P107", 1),
    ("【请填写】", "P108", 1),
    ("【姓名】同志", "P108", 1),
    ("<填写单位名称>", "P108", 1),
    ("{{姓名}}", "P109", 1),
    ("{{ unit }}", "P109", 1),
    ("十九届--全会", "P110", 4),
    ("学习A新时代", "P111", 3),
    ("第____次", "P112", 2),
])
def test_placeholder_found_at_the_blank(text: str, code: str, col: int) -> None:
    assert triples(lint_text(text + "\n", ["P"])) == [(1, col, code)]


@pytest.mark.parametrize("text", [
    "推动GDP增长", "5G基站", "政务APP", "PPT汇报", "Windows XP系统", "iPhone X手机",
    "X光检查", "X射线", "XX世纪", "World War II", "Chapter XX", "3×4米", "长×宽×高",
    "a × b", "二〇〇八年", "二○○○年", "张某某案件", "某些问题", "□是 □否", "A股", "B超",
    "C位", "K线", "T恤", "U盘", "3A景区", "AAA级", "Z世代", "维生素C", "【典型案例】",
    "（2023年12月）", "主题教育--以学铸魂", "2021--2023年", "3*4", "__init__",
    "* 第一项", "*注：数据截至年底", "***", "* * *", "——", "XXL码",
])
def test_legitimate_text_is_silent(text: str) -> None:
    assert codes_in(text + "\n") == []


# -- Markdown asterisks --------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "**理论学习**不够深入", "对*新思想*的学习", "***重点问题***", "**粗体 *嵌套斜体***",
    "* 列表项", "  * 嵌套列表项", "> * 引用里的列表", "`a*b` 与 `**`", "\\*转义", "***",
    "**“两个确立”**的认识",
])
def test_markdown_emphasis_is_silent(text: str) -> None:
    assert codes_in(text + "\n", suffix=".md") == []


@pytest.mark.parametrize("text, expected", [
    ("按照**市委要求", [(1, 3, "P101")]),
    ("从*发展需要", [(1, 2, "P102")]),
    ("**粗体**，意见**条", [(1, 10, "P101")]),
    ("从＊发展", [(1, 2, "P102")]),  # the full-width asterisk is never Markdown
])
def test_markdown_unpaired_asterisks(text: str, expected) -> None:
    assert triples(lint_text(text + "\n", ["P"], suffix=".md")) == expected


def test_plain_text_asterisks_pair_nothing() -> None:
    # In .txt, ** is not syntax: both runs of 对**村4组部分群众争夺**堰塘 are blanks.
    assert triples(lint_text("对**村4组部分群众争夺**堰塘\n", ["P101"])) == [
        (1, 2, "P101"), (1, 13, "P101")]


def test_markdown_code_block_is_not_checked() -> None:
    draft = "# 标题\n\n```\n按照**市委 XX镇 某某\n```\n"
    assert codes_in(draft, suffix=".md") == []


# -- messages and configuration ------------------------------------------------------------

def test_message_quotes_the_blank_with_its_context() -> None:
    (d,) = lint_text("学习贯彻党的XX大精神\n", ["P103"])
    assert d.message.startswith("'XX' in '彻党的XX大精神'")
    assert (d.line, d.column, d.end_column) == (1, 7, 9)


def test_extra_allow_extends_the_shipped_list() -> None:
    text = "参加X战队活动，拍摄X光片。\n"
    assert codes_in(text, ["P103"]) == ["P103"]
    config = {"rules": {"P103": {"options": {"extra-allow": ["X战队"]}}}}
    assert codes_in(text, ["P103"], **config) == []


def test_allow_can_be_replaced_by_a_repo() -> None:
    config = {"rules": {"P111": {"options": {"allow": []}}}}
    assert codes_in("投资A股市场\n", ["P111"], **config) == ["P111"]


def test_every_placeholder_reported_once() -> None:
    draft = "××市某某同志于X月X日在【请填写】召开第____次会议，学习十九届--全会精神。\n"
    got = triples(lint_text(draft, ["P"]))
    assert len(got) == len(set((ln, col) for ln, col, _ in got))
    assert sorted({c for _, _, c in got}) == ["P103", "P104", "P105", "P108", "P110", "P112"]


def test_p103_x_numbers_need_chinese_text_beside_them() -> None:
    """XX.XX 亿元, 增长x.x%, 占 XX% are blanks in Chinese text; in English, formulas or
    codes they are not."""
    from lintkit import lint_text, triples

    assert triples(lint_text("实现 GDP 达 XX.XX 亿元，增长x.x%，占 XX%。", ["P103"])) == [
        (1, 10, "P103"), (1, 21, "P103"), (1, 28, "P103")]
    for text in ("The x% figure was high.", "In the formula, x.y and x.x are variables.",
                 "坐标（x.x，y.y）", "ABC-XX.XX 规格"):
        assert lint_text(text, ["P103"]) == [], text
    assert triples(lint_text("落实XXXXXXXXXXXX的举措", ["P103"])) == [(1, 3, "P103")]



def test_blanks_of_minutes_and_dashed_years() -> None:
    """Study 5: the name fields of minutes written as x-runs before a bracketed post
    (主持人：xx（管委会主任）), and a year left as 20--年; a single x before a bracket
    (a formula's variable) and a range of years (2024--2025) stay silent."""
    text = ("会议记录\n主持人：xx（管委会主任）\n记录人：xxx(办公室)\n"
            "20--年全县教育工作会议召开。\n"
            "公式：x（单位：米）表示长度。\n2024--2025学年度第一学期工作计划。\n")
    assert triples(lint_text(text, ["P103", "P110"])) == [
        (2, 5, "P103"), (3, 5, "P103"), (4, 3, "P110")]
