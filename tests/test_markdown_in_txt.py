"""Markdown pasted into a .txt or .docx draft (study 7): L109 reports the marks, P101
leaves a bold label alone, the outline reads ``## 二、`` as the heading 二、."""

from __future__ import annotations

import pytest

from checker.checks.markdown_markup import emphasis_pairs
from docxkit import docx_bytes
from lintkit import lint_text
from test_fix import fix_text

DRAFT = "## 一、会前准备\n1. **学习研讨**：会前集中学习。\n2. **征求意见**：广泛听取意见。\n"


@pytest.mark.parametrize(("line", "pairs"), [
    ("1. **学习研讨**：会前组织党员集中学习。", ["**学习研讨**"]),
    ("2.**会议基本信息**(如适用)：写明时间。", ["**会议基本信息**"]),
    ("要素：1.**会议标题**：明确名称。2.**议程概述**，简要列出。", ["**会议标题**", "**议程概述**"]),
    ("- **谈心谈话**要做到全覆盖。", []),  # a word glued after it: a masked word is as likely
    ("先后担任**镇**村党支部书记。", []),  # one character: a masked place
    ("**县旅游局和**镇政府共同主办。", []),
    ("比如：对**村4组部分群众争夺**堰塘权属", []),
    ("“不忘**、牢记**”专题民主生活会", []),  # does not open before 、 (CommonMark)
    ("党的***五中***精神", []),
    ("李**同志、王**同志：", []),
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
