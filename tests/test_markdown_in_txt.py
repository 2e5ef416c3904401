"""Markdown pasted into a .txt or .docx draft (study 7): L109 reports the marks, P101
leaves a bold label alone, the outline reads ``## 二、`` as the heading 二、."""

from __future__ import annotations

import pytest

from checker.checks.markdown_markup import SHOWN, emphasis_pairs
from checker.ordinals import parse_blocks
from docxkit import docx_bytes
from lintkit import lint_text
from test_fix import fix_text

DRAFT = "## 一、会前准备\n1. **学习研讨**：会前集中学习。\n2. **征求意见**：广泛听取意见。\n"


@pytest.mark.parametrize(("line", "pairs"), [
    ("1. **学习研讨**：会前组织党员集中学习。", ["**学习研讨**"]),
    ("2.**会议基本信息**(如适用)：写明时间。", ["**会议基本信息**"]),
    ("要素：1.**会议标题**：明确名称。2.**议程概述**，简要列出。", ["**会议标题**", "**议程概述**"]),
    ("（需跟进事项、下次会议安排等5.**落款**:记录人签名", ["**落款**"]),  # 5. after a word
    ("**会议基本信息**：", ["**会议基本信息**"]),
    ("- **谈心谈话**要做到全覆盖。", []),  # a word glued after it: a masked word is as likely
    ("先后担任**镇**村党支部书记。", []),  # inside a sentence, 村 glued after: a masked place
    ("**县旅游局和**镇政府共同主办。", []),
    ("比如：对**村4组部分群众争夺**堰塘权属", []),
    ("“不忘**、牢记**”专题民主生活会", []),  # inside a sentence (after 不忘): no label's place
    ("党的***五中***精神", []),
    ("李**同志、王**同志：", []),
    # a colon after the pair is no label inside a sentence: masks, P101's
    ("根据**县委**：要求各村开展排查。", []),
    ("李**、王**：请于本周内报送材料。", []),
    ("**镇**：完成排查。", []),  # one character, even at a label's place
    ("1. **镇**，完成排查。", []),
    ("** 学习研讨**：会前集中学习。", []),  # white space inside: not bold in Markdown either
    ("**学习研讨 **：会前集中学习。", []),
    ("版本V2.**测试版**：暂不发布。", []),  # V2. is no ordinal
])
def test_emphasis_pairs(line: str, pairs: list[str]) -> None:
    assert [line[a:e] for a, e in emphasis_pairs(line)] == pairs


def test_fix_deletes_the_marks_and_keeps_the_words() -> None:
    after = fix_text(DRAFT, select=("L109",))
    assert after == "一、会前准备\n1. 学习研讨：会前集中学习。\n2. 征求意见：广泛听取意见。\n"
    assert fix_text(after, select=("L109",)) == after


def test_markdown_and_masked_names_are_not_fixed() -> None:
    assert fix_text(DRAFT, select=("L109",), name="draft.md") == DRAFT
    masked = "李**同志在**镇工作。\n**同志：\n"
    assert fix_text(masked, select=("L109",)) == masked


def test_docx_paragraphs_are_read_like_txt(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from lintkit import lint_path
    path = tmp_path / "draft.docx"
    path.write_bytes(docx_bytes(DRAFT.splitlines()))
    got = [(d.line, d.column, d.code) for d in lint_path(path, ["L109", "P101", "S101"])]
    assert got == [(1, 1, "L109"), (2, 4, "L109"), (3, 4, "L109")]


def test_a_restart_under_a_heading_mark_is_no_numbering_error() -> None:
    text = ("对照检查材料\n## 一、存在的问题\n1. 学习不够。\n2. 作风不实。\n"
            "## 二、整改措施\n1. 加强学习。\n2. 改进作风。\n")
    assert [d.code for d in lint_text(text, ["S101"])] == []
    assert [d.code for d in lint_text(text.replace("## 二、", "## 三、"), ["S101"])] == ["S101"]


@pytest.mark.parametrize("line", ["# # #", "###", "#", "## ##", "  #  #  "])
def test_a_separator_of_hashes_is_no_heading(line: str) -> None:
    text = f"一、基本情况\n本月完成走访四十户。\n{line}\n二、下步打算\n下月继续走访。\n"
    assert [d.code for d in lint_text(text, ["L109", "S208"])] == []
    assert fix_text(text, select=("L109",)) == text


def test_masks_before_a_colon_stay_p101_and_are_not_fixed() -> None:
    text = "根据**县委**：要求各村开展排查。\n李**、王**：请于本周内报送材料。\n**镇**：完成排查。\n"
    got = [(d.line, d.column, d.code) for d in lint_text(text, ["L109", "P101"])]
    assert got == [(1, 3, "P101"), (1, 7, "P101"), (2, 2, "P101"), (2, 6, "P101"),
                   (3, 1, "P101"), (3, 4, "P101")]
    assert fix_text(text, select=("L109",)) == text


@pytest.mark.parametrize(("heading", "shown"), [
    ("## 二、会议召开的主要程序", "## 二、会议召开的主要程序"),  # SHOWN characters: whole
    ("## 二、会议召开的主要程序和", "## 二、会议召开的主要程序…"),
    ("1. **会议召开的主要程序和要求**：", "**会议召开的主要程序和要求…"),
])
def test_a_long_line_is_shortened_in_the_message(heading: str, shown: str) -> None:
    assert len(shown.rstrip("…")) == SHOWN
    [d] = lint_text(f"{heading}\n会议由支部书记主持。\n", ["L109"])
    assert f"'{shown}'" in d.message


def test_a_heading_mark_ends_a_hard_wrapped_paragraph() -> None:
    """In a hard-wrapped .txt the ``## 二、`` line right under a paragraph that runs on is
    a heading of its own, not the paragraph's next line (starts_block)."""
    body = ("本月社区议事会围绕停车位调整和楼道照明改造两件事逐户征求意见共收集居民意见十二条"
            "其中九条已经办结剩余三条涉及物业合同需要会同街道和物业公司逐条研究后再作答复")
    wrapped = [body[i:i + 20] for i in range(0, 80, 20)]
    lines = ["## 一、议事情况", *wrapped, "## 二、下步安排", *wrapped, ""]
    starts = [sum(len(x) + 1 for x in lines[:i]) for i in range(len(lines))]
    got = [(b.index, b.kind) for b in parse_blocks(lines, starts, "txt", {})]
    assert got == [(0, "heading"), (1, "paragraph"), (5, "heading"), (6, "paragraph")]


def test_p101_leaves_a_label_to_l109_even_when_l109_is_off() -> None:
    """Documented in both rules: the exemption does not depend on L109 being on."""
    assert lint_text(DRAFT, ["P101"]) == []
    assert [d.code for d in lint_text(DRAFT, ["P101", "L109"], ignore=("L109",))] == []
