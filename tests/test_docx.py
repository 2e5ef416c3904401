"""The .docx reader: paragraphs as lines, the paragraph map, Word headings and numbering,
parity with .txt, and damaged files."""

from __future__ import annotations

import io
import tracemalloc
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from checker.readers import read_bytes, read_path
from conftest import FIXTURES
from docxkit import add_numbering, docx_bytes, numbered_paragraph, save, write_docx_like
from lintkit import lint_path


def read(data: bytes):  # type: ignore[no-untyped-def]
    return read_bytes(data, "draft.docx", "docx")


def rows(diags) -> list[tuple[int, int, str, str]]:  # type: ignore[no-untyped-def]
    return [(d.line, d.column, d.code, d.message) for d in diags]


# -- parity with .txt -------------------------------------------------------------------
def _parity(txt: Path, tmp_path: Path, heading_styles: bool) -> None:
    as_docx = write_docx_like(txt, tmp_path / (txt.stem + ".docx"), heading_styles)
    want = rows(lint_path(txt))
    got = rows(lint_path(as_docx))
    assert got == want


@pytest.mark.parametrize("heading_styles", [False, True], ids=["plain", "heading-styles"])
def test_samples_same_findings_as_txt(samples: Path, tmp_path: Path, heading_styles: bool) -> None:
    """Every rule that exists gives the same (line, column, code, message) on a .docx made
    from each sample as on the sample itself: line N of the .txt is paragraph N."""
    for txt in sorted(samples.glob("*.txt")):
        _parity(txt, tmp_path, heading_styles)


OWN_DRAFTS = sorted((FIXTURES / "leaks").glob("*.txt")) + sorted(
    p for p in FIXTURES.rglob("*.txt") if p.parent.name != "leaks")


@pytest.mark.parametrize("txt", OWN_DRAFTS, ids=[p.name for p in OWN_DRAFTS])
def test_own_drafts_same_findings_as_txt(txt: Path, tmp_path: Path) -> None:
    _parity(txt, tmp_path, heading_styles=True)


def test_leak_fixture_findings_point_to_paragraphs(tmp_path: Path) -> None:
    txt = FIXTURES / "leaks" / "secrets.txt"
    diags = lint_path(write_docx_like(txt, tmp_path / "s.docx"), ["L"])
    assert [d.code for d in diags] == ["L106", "L102", "L106", "L105", "L101", "L104", "L103",
                                       "L101"]
    assert all("qwe2024" not in d.message and "r4t7" not in d.message for d in diags)


# -- the paragraph map -----------------------------------------------------------------
def test_tables_and_breaks_map_to_paragraph_numbers(tmp_path: Path) -> None:
    d = docx.Document()
    d.add_paragraph("个人对照检查材料")                      # paragraph 1
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "姓名"                           # 2
    table.cell(0, 1).text = "李四"                           # 3
    table.cell(1, 0).text = "说明"                           # 4
    table.cell(1, 1).text = "网盘提取码：h8k2m"              # 5
    d.add_paragraph("第一行\n本文档编辑密码：zz9911")       # 6, two text lines
    d.add_paragraph("")                                      # 7
    d.add_paragraph("联系电话13700001111。")                 # 8
    path = tmp_path / "t.docx"
    path.write_bytes(save(d))
    doc = read_path(path, "t.docx", 10**7).document
    assert doc.lines == ("个人对照检查材料", "姓名", "李四", "说明", "网盘提取码：h8k2m", "第一行",
                         "本文档编辑密码：zz9911", "", "联系电话13700001111。")
    assert doc.source_map == (1, 2, 3, 4, 5, 6, 6, 7, 8)
    got = [(x.line, x.column, x.code) for x in lint_path(path, ["L"])]
    assert got == [(5, 7, "L101"), (6, 9, "L101"), (8, 5, "L102")]


def test_table_cells_do_not_outvote_the_paragraphs_indentation(tmp_path: Path) -> None:
    """A table's cells are short unindented paragraphs; before, in a 述职报告 with a table
    of figures they were the majority and T107 reported every body paragraph (study 5)."""
    d = docx.Document()
    d.add_paragraph("关于2024年度工作的述职报告")
    body = "\u3000\u3000今年以来，我认真履行岗位职责，推进各项工作落实，现将情况报告如下。"
    for _ in range(3):
        d.add_paragraph(body)
    table = d.add_table(rows=5, cols=3)
    for r in range(5):
        for c in range(3):
            table.cell(r, c).text = ("指标", "完成", "同比")[c] if r == 0 else f"{r * 7 + c}"
    d.add_paragraph(body)
    d.add_paragraph("下一步，我将继续努力，进一步提高工作水平。")  # flush left: reported
    path = tmp_path / "t.docx"
    path.write_bytes(save(d))
    assert [(x.line, x.column, x.code) for x in lint_path(path, ["T107"])] == [(21, 1, "T107")]


def test_merged_cells_are_read_once(tmp_path: Path) -> None:
    d = docx.Document()
    table = d.add_table(rows=1, cols=3)
    merged = table.cell(0, 0).merge(table.cell(0, 1))
    merged.text = "合并单元格"
    table.cell(0, 2).text = "右侧"
    doc = read(save(d)).document
    assert doc.lines == ("合并单元格", "右侧")


def test_tracked_deletion_is_left_out_and_reported() -> None:
    d = docx.Document()
    p = d.add_paragraph("整改")
    p._p.append(parse_xml(f'<w:del {nsdecls("w")} w:id="1" w:author="a"><w:r><w:delText>'
                          f'不</w:delText></w:r></w:del>'))
    p._p.append(parse_xml(f'<w:ins {nsdecls("w")} w:id="2" w:author="a"><w:r><w:t>到位'
                          f'</w:t></w:r></w:ins>'))
    result = read(save(d))
    assert result.document.text == "整改到位"
    assert [x.code for x in result.problems] == ["E016"]


def test_word_comments_are_reported() -> None:
    d = docx.Document()
    p = d.add_paragraph("全年开展调研12次。")
    d.add_comment(p.runs, text="此处数据待核实", author="编辑")
    result = read(save(d))
    assert [x.code for x in result.problems] == ["E015"]
    assert "此处数据待核实" not in result.document.text


# -- headings and numbering ------------------------------------------------------------
def test_heading_style_without_ordinal_is_a_heading() -> None:
    d = docx.Document()
    d.add_paragraph("个人对照检查材料", style="Title")
    d.add_paragraph("按照要求，现将有关情况报告如下：")
    d.add_paragraph("存在的问题", style="Heading 1")
    d.add_paragraph("一是学习不够。")
    doc = read(save(d)).document
    assert doc.word_levels == {2: 1}
    kinds = [(b.kind, b.level, b.ordinal) for b in doc.blocks]
    assert kinds == [("title", 0, 0), ("paragraph", 0, 0), ("heading", 1, 0), ("paragraph", 0, 0)]


def test_auto_numbers_are_prefixed_like_typed_ordinals() -> None:
    d = docx.Document()
    d.add_paragraph("个人对照检查材料")
    num = add_numbering(d, [("chineseCounting", "%1、", 1), ("chineseCounting", "（%2）", 1),
                            ("decimal", "%3.", 1)])
    numbered_paragraph(d, "存在的问题", num, 0)
    numbered_paragraph(d, "理论学习方面", num, 1)
    numbered_paragraph(d, "学习不深", num, 2)
    numbered_paragraph(d, "学习不透", num, 2)
    numbered_paragraph(d, "作风方面", num, 1)
    numbered_paragraph(d, "学习不实", num, 2)       # restarts at 1 under a new （二）
    d.add_paragraph("正文段落，不打断编号。")
    numbered_paragraph(d, "原因分析", num, 0)       # continues: 二、
    numbered_paragraph(d, "主观原因", num, 1)       # restarts: （一）
    doc = read(save(d)).document
    assert doc.lines == ("个人对照检查材料", "一、存在的问题", "（一）理论学习方面", "1.学习不深",
                         "2.学习不透", "（二）作风方面", "1.学习不实", "正文段落，不打断编号。",
                         "二、原因分析", "（一）主观原因")
    headings = [(b.level, b.ordinal) for b in doc.headings]
    assert headings == [(1, 1), (2, 1), (3, 1), (3, 2), (2, 2), (3, 1), (1, 2), (2, 1)]


def test_start_override_restarts_a_list() -> None:
    d = docx.Document()
    first = add_numbering(d, [("chineseCounting", "%1、", 1)], abstract_id=91, num_id=91)
    numbered_paragraph(d, "甲", first)
    numbered_paragraph(d, "乙", first)
    again = add_numbering(d, [], abstract_id=91, num_id=92, start_override={0: 1},
                          reuse_abstract=True)
    numbered_paragraph(d, "丙", again)
    same = add_numbering(d, [], abstract_id=91, num_id=93, reuse_abstract=True)
    numbered_paragraph(d, "丁", same)               # no override: continues the abstract list
    assert read(save(d)).document.lines == ("一、甲", "二、乙", "一、丙", "二、丁")


def test_underivable_numbering_adds_nothing() -> None:
    d = docx.Document()
    num = add_numbering(d, [("someFutureFormat", "%1)", 1), ("bullet", "•", 1)])
    numbered_paragraph(d, "第一项", num, 0)
    numbered_paragraph(d, "要点", num, 1)
    doc = read(save(d)).document
    assert doc.lines == ("第一项", "要点")
    assert doc.numbered == {0: ""}


def test_builtin_list_number_style() -> None:
    d = docx.Document()
    d.add_paragraph("甲项", style="List Number")
    d.add_paragraph("乙项", style="List Number")
    assert read(save(d)).document.lines == ("1.甲项", "2.乙项")


# -- damaged and hostile files ---------------------------------------------------------
def good_docx() -> bytes:
    return docx_bytes(["个人对照检查材料", "一、存在的问题"])


@pytest.mark.parametrize("data, code, words", [
    (b"\xef\xbb\xbf\xe4\xb8\xaa\xe4\xba\xba\xe5\xaf\xb9\xe7\x85\xa7\n", "E009", "plain text"),
    (b"%PDF-1.7\n%\xe2\xe3\n", "E009", "PDF"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "E009", "Word 97-2003"),
    (b"PK\x03\x04" + bytes(30), "E006", "truncated or damaged"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "E006", "truncated or damaged"),
    (b"", "E006", "truncated or damaged"),
])
def test_not_a_docx(data: bytes, code: str, words: str) -> None:
    result = read(data)
    assert result.document is None
    assert [(p.code, words in p.message) for p in result.problems] == [(code, True)]


@pytest.mark.parametrize("cut", [0.1, 0.5, 0.9, 0.99])
def test_truncated_docx(cut: float) -> None:
    data = good_docx()
    result = read(data[: int(len(data) * cut)])
    assert result.document is None
    assert [p.code for p in result.problems] == ["E006"]


def _rezip(data: bytes, change: dict[str, bytes | None]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w",
                                                                  zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename in change:
                if change[info.filename] is not None:
                    dst.writestr(info.filename, change[info.filename])
                continue
            dst.writestr(info, src.read(info))
    return out.getvalue()


@pytest.mark.parametrize("change, words", [
    ({"word/document.xml": None}, "cannot read this .docx"),
    ({"word/document.xml": b"<w:document><w:body><w:p>"}, "cannot read this .docx"),
    ({"[Content_Types].xml": None}, "without [Content_Types].xml"),
    ({"word/document.xml": b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
                           b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><d>&b;</d>'},
     "cannot read this .docx"),
])
def test_damaged_parts(change: dict[str, bytes | None], words: str) -> None:
    result = read(_rezip(good_docx(), change))
    assert result.document is None
    assert len(result.problems) == 1 and result.problems[0].code == "E006"
    assert words in result.problems[0].message


def test_deeply_nested_xml_is_an_error_not_a_crash() -> None:
    body = b"<w:tbl><w:tr><w:tc>" * 3000 + b"</w:tc></w:tr></w:tbl>" * 3000
    xml = (b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
           b'wordprocessingml/2006/main"><w:body>' + body + b"</w:body></w:document>")
    result = read(_rezip(good_docx(), {"word/document.xml": xml}))
    assert result.document is None and [p.code for p in result.problems] == ["E006"]


def zip_bomb(tmp_path: Path, megabytes: int = 80) -> Path:
    """A real zip bomb: a .docx whose document.xml inflates to ``megabytes`` MB of zeros."""
    path = tmp_path / "bomb.docx"
    chunk = bytes(1024 * 1024)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", b"<Types/>")
        with zf.open("word/document.xml", "w", force_zip64=True) as fh:
            for _ in range(megabytes):
                fh.write(chunk)
    return path


def test_zip_bomb_is_not_inflated(tmp_path: Path) -> None:
    bomb = zip_bomb(tmp_path)
    assert bomb.stat().st_size < 200_000
    tracemalloc.start()
    try:
        result = read_path(bomb, "bomb.docx", 10_000_000)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.document is None
    assert [p.code for p in result.problems] == ["E008"]
    assert "zip bomb" in result.problems[0].message
    assert peak < 5_000_000


def test_empty_docx() -> None:
    result = read(docx_bytes(["", "  "]))
    assert result.document is None and [p.code for p in result.problems] == ["E005"]
