"""Markdown drafts: front matter, blanked regions, markup, inline suppression."""

from __future__ import annotations

import pytest

from checker.readers import read_bytes
from checker.readers.markdown import parse_directive, prepare
from lintkit import lint_text, triples


def md(text: str):  # type: ignore[no-untyped-def]
    return read_bytes(text.encode("utf-8"), "d.md", "md")


def test_front_matter_is_read_and_blanked() -> None:
    result = md("---\ntitle: 材料\nprice: 5\npaid: true\n---\n# 材料\n正文。\n")
    doc = result.document
    assert doc.front_matter == {"title": "材料", "price": 5, "paid": True}
    assert doc.lines[:5] == ("   ", "         ", "        ", "          ", "   ")
    assert doc.lines[5] == "# 材料"
    assert result.problems == ()


def test_toml_front_matter() -> None:
    doc = md('+++\ntitle = "材料"\nprice = 3\n+++\n正文。\n').document
    assert doc.front_matter == {"title": "材料", "price": 3}


@pytest.mark.parametrize("front, words", [
    ("title: [未闭合", "not valid YAML"),
    ("- 一\n- 二", "must be a mapping"),
    ("\n".join(f"key{i}: value" for i in range(7000)), "not read"),
])
def test_bad_front_matter_is_e007_and_the_rest_is_checked(front: str, words: str) -> None:
    diags = lint_text(f"---\n{front}\n---\n正文联系电话13912345678。\n", ["E007", "L102"],
                      suffix=".md")
    assert [d.code for d in diags] == ["E007", "L102"]
    assert words in diags[0].message


def test_front_matter_is_not_linted() -> None:
    assert lint_text("---\nnote: 密码：abc1234\n---\n正文。\n", ["L"], suffix=".md") == []


@pytest.mark.parametrize("text", [
    "正文。\n```\n密码：abc1234\n```\n",
    "正文。\n~~~~python\n密码：abc1234\n~~~\n~~~~\n",
    "正文。\n   ```\n密码：abc1234\n",                # unclosed fence runs to the end
    "正文 `密码：abc1234` 结束。\n",
    "正文 ``含`反引号 密码：abc1234`` 结束。\n",
    "正文<!-- 密码：abc1234 -->结束。\n",
    "正文<!--\n多行\n密码：abc1234\n-->结束。\n",
])
def test_code_and_comments_are_skipped(text: str) -> None:
    assert lint_text(text, ["L"], suffix=".md") == []


def test_offsets_and_columns_are_kept() -> None:
    text = "# 标题\n\n正文 `code` 之后<!-- c -->密码：abc1234\n"
    doc = md(text).document
    assert len(doc.text) == len(text) and doc.text.count("\n") == text.count("\n")
    assert triples(lint_text(text, ["L101"], suffix=".md")) == [(3, 26, "L101")]


def test_comment_inside_code_and_fence_inside_comment() -> None:
    text = "```\n<!--\n```\n密码：abc1234\n<!--\n```\n-->\n邮箱 a.b@example.com\n"
    assert triples(lint_text(text, ["L"], suffix=".md")) == [(4, 4, "L101"), (8, 4, "L104")]


def test_headings_and_lists_keep_positions() -> None:
    doc = md("# 个人对照检查材料\n\n## 一、存在的问题\n\n1. 第一项\n- 要点\n").document
    assert doc.lines[2] == "## 一、存在的问题"
    heading = doc.headings[0]
    assert (heading.level, heading.ordinal, heading.index) == (1, 1, 2)
    assert doc.text[doc.markup[0][0]:doc.markup[0][1]] == "# "


@pytest.mark.parametrize("line, markup", [
    ("**加粗**正文", ["**", "**"]),
    ("__加粗__ 正文", ["__", "__"]),
    ("*强调*正文", ["*", "*"]),
    ("***都有***", ["***", "***"]),
    ("**（一）理论学习。**后文", ["**", "**"]),
    ("按照**市委要求", []),                          # unpaired: a template blank
    ("从*发展需要", []),
    ("a ** b", []),
    (r"\*\*不是强调\*\*", []),
    ("中_文_字", []),                                 # intraword underscores are not emphasis
])
def test_emphasis_delimiters_are_markup(line: str, markup: list[str]) -> None:
    text, _masked, _front, _problems, spans, _sup = prepare(line + "\n")
    assert [text[a:b] for a, b in spans] == markup


def test_bold_is_not_a_finding_but_a_blank_is() -> None:
    """A pattern that finds asterisks (like a placeholder rule) is silenced by markup only
    where the asterisks are Markdown syntax."""
    from checker.document import Document

    text = "**加粗**正文，按照**市委要求。\n* 列表项\n"
    doc = md(text).document
    assert isinstance(doc, Document)
    import regex
    found = [m.span() for m in regex.finditer(r"\*+", doc.text)]
    kept = [s for s in found if not doc.is_markup(*s)]
    assert [doc.text[a:b] for a, b in kept] == ["**"]
    assert kept[0][0] == text.index("**市委")


# -- suppression directives --------------------------------------------------------------
@pytest.mark.parametrize("body, parsed", [
    (" draftlint-disable P101 D ", ("disable", ("P101", "D"))),
    ("draftlint-disable", ("disable", ())),
    ("draftlint-enable", ("enable", ())),
    ("draftlint-disable-next-line leaked-password,L104", ("disable-next-line",
                                                          ("leaked-password", "L104"))),
    ("draftlint-disable-line ALL", ("disable-line", ("",))),
    ("just a comment", None),
])
def test_parse_directive(body: str, parsed: object) -> None:
    assert parse_directive(body) == parsed


@pytest.mark.parametrize("body", ["draftlint-disabel P101", "draftlint-disable P10!"])
def test_bad_directive_is_a_message(body: str) -> None:
    assert isinstance(parse_directive(body), str)


LEAKY = "邮箱 a.b@example.com 密码：abc1234\n"


def test_disable_enable_region() -> None:
    text = LEAKY + "<!-- draftlint-disable L104 -->\n" + LEAKY + "<!-- draftlint-enable -->\n" + LEAKY
    got = triples(lint_text(text, ["L"], suffix=".md"))
    assert got == [(1, 4, "L104"), (1, 23, "L101"), (3, 23, "L101"), (5, 4, "L104"),
                   (5, 23, "L101")]


def test_disable_without_codes_and_without_enable_runs_to_the_end() -> None:
    text = LEAKY + "<!-- draftlint-disable -->\n" + LEAKY + LEAKY
    assert triples(lint_text(text, ["L"], suffix=".md")) == [(1, 4, "L104"), (1, 23, "L101")]


def test_disable_by_prefix_and_by_name() -> None:
    text = "<!-- draftlint-disable L1 -->\n" + LEAKY + "<!-- draftlint-enable L1 -->\n" \
        "<!-- draftlint-disable leaked-password -->\n" + LEAKY
    assert triples(lint_text(text, ["L"], suffix=".md")) == [(5, 4, "L104")]


def test_disable_next_line_and_disable_line() -> None:
    text = ("<!-- draftlint-disable-next-line L101 -->\n" + LEAKY + LEAKY.strip()
            + "<!-- draftlint-disable-line L104 -->\n")
    assert triples(lint_text(text, ["L"], suffix=".md")) == [(2, 4, "L104"), (3, 23, "L101")]


def test_enable_without_disable_is_reported() -> None:
    diags = lint_text("正文。\n<!-- draftlint-enable L101 -->\n", ["E014"], suffix=".md")
    assert triples(diags) == [(2, 1, "E014")]


def test_suppression_does_not_apply_to_txt() -> None:
    text = "<!-- draftlint-disable L101 -->\n" + LEAKY
    assert [d.code for d in lint_text(text, ["L101"], suffix=".txt")] == ["L101"]


def test_per_file_ignores_for_formats_without_comments(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from lintkit import lint_path

    path = tmp_path / "public" / "draft.txt"
    path.parent.mkdir()
    path.write_text(LEAKY, encoding="utf-8")
    assert [d.code for d in lint_path(path, ["L"])] == ["L104", "L101"]
    assert [d.code for d in lint_path(path, ["L"], per_file_ignores={"*.txt": ["L104"]})] \
        == ["L101"]
