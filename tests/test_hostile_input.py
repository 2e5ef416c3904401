"""Issue 21 item 9: limits on what is decoded, YAML aliases, --fix line endings, E900.

Hostile files end in their own E diagnostic, quickly and in bounded memory; the other
files of a run are still checked. Limits are generous timeouts and a memory ceiling, not
timings (see tests/hostilekit.py).
"""

from __future__ import annotations

import io
import resource
import zipfile
from pathlib import Path

import pytest
import yaml

from checker.cache import cacheable
from checker.config import Config, load_file
from checker.deadline import RuleClock, RuleTimeout
from checker.engine import check_document, load_selected
from checker.fix import fix_data, fix_modes, load_source
from checker.model import FileResult
from checker.packs import AliasBomb, ConfigError, load_yaml
from checker.readers import MAX_LINES, read_bytes
from checker.readers.markdown import prepare
from tests.docxkit import docx_bytes
from tests.hostilekit import bounded
from tests.lintkit import lint_path

BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{b}: &{b} [{', '.join(['*' + a] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi")) + \
    "price: *i\n"


# -- YAML -----------------------------------------------------------------------------
def test_anchor_bomb_in_front_matter_is_refused_not_expanded() -> None:
    text = "---\n" + BOMB + "---\n对照检查材料\n"
    _text, _masked, front, problems, _markup, _sup = bounded(prepare, text)
    assert front == {}
    assert [p.code for p in problems] == ["E007"]
    assert "aliases" in problems[0].message


def test_anchor_bomb_is_refused_in_every_yaml_the_tool_reads(tmp_path: Path) -> None:
    with pytest.raises(AliasBomb):
        load_yaml(BOMB)
    config = tmp_path / ".draftlint.yaml"
    config.write_text("select: &s [P101]\nextend-select: *s\n" + BOMB.replace("price", "x"),
                      encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\.draftlint\.yaml"):
        load_file(config)
    pack = tmp_path / "pack.yaml"
    pack.write_text("pack: p\nrules: []\n" + BOMB.replace("price", "extra"), encoding="utf-8")
    cfg = Config(tmp_path).with_values(packs=("pack.yaml",))
    with pytest.raises(ConfigError, match="pack.yaml"):
        load_selected(cfg)


def test_small_aliases_and_recursion() -> None:
    assert load_yaml("base: &b {a: 1}\nother: *b\n") == {"base": {"a": 1}, "other": {"a": 1}}
    with pytest.raises(yaml.YAMLError):
        load_yaml("a: &a [*a]\n")


# -- line and paragraph limits --------------------------------------------------------
def test_many_short_lines_are_refused_before_any_check(tmp_path: Path) -> None:
    path = tmp_path / "log.txt"
    path.write_bytes("是\n".encode() * 2_200_000)  # 8.8 MB: under max-file-size
    other = tmp_path / "draft.txt"
    other.write_text("对照检查材料\n一、存在的问题\n学习不够,深入。\n", encoding="utf-8")
    diags = bounded(lint_path, path)
    assert [(d.code, d.line) for d in diags] == [("E017", 1)]
    assert f"{MAX_LINES:,}" in diags[0].message
    assert "T101" in [d.code for d in lint_path(other)]  # the other files are still checked


def test_diff_and_fix_apply_the_same_limits_as_check() -> None:
    config = Config(Path.cwd()).with_values(select=("ALL",))
    _known, rules = load_selected(config)
    fixable = fix_modes(rules, unsafe=False)
    data = ("##paidend##" * 1_819 + "\n").encode()  # 20,009 characters: E010 for check
    assert read_bytes(data, "a.txt", "txt").problems[0].code == "E010"
    result = bounded(fix_data, Path("a.txt"), data, rules, config, fixable)
    assert not result.changed
    many = ("第" + "##paidend##" * 3 + "\n").encode() * (MAX_LINES + 1)
    assert read_bytes(many, "a.txt", "txt").problems[0].code == "E017"
    assert not bounded(fix_data, Path("a.txt"), many, rules, config, fixable).changed


# -- .docx ----------------------------------------------------------------------------
def _with_document_xml(body: str) -> bytes:
    base = docx_bytes(["正文"])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                head, rest = data.decode().split("<w:body>", 1)
                data = (head + "<w:body>" + body + "</w:body></w:document>").encode()
            dst.writestr(info.filename, data)
    return out.getvalue()


def _read_docx(data: bytes) -> tuple[list[str], int]:
    """(problem codes, growth of the peak resident memory in MB) of reading ``data``."""
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result = read_bytes(data, "a.docx", "docx")
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) // 1024
    return [p.code for p in result.problems], grown


def test_docx_of_millions_of_empty_paragraphs() -> None:
    data = _with_document_xml("<w:p/>" * 3_000_000)  # 18 MB of XML, 30 KB zipped
    assert len(data) < 200_000
    codes, grown = bounded(_read_docx, data)
    assert codes == ["E017"] and grown < 300


def test_docx_of_millions_of_elements_in_few_paragraphs() -> None:
    data = _with_document_xml("<w:p>" + "<w:r/>" * 1_500_000 + "</w:p>")
    codes, grown = bounded(_read_docx, data)
    assert codes == ["E018"] and grown < 300


def test_docx_whose_zip_headers_understate_a_member_is_never_inflated_whole() -> None:
    buf = io.BytesIO(docx_bytes(["正文"]))
    name = "word/media/pad.bin"
    with zipfile.ZipFile(buf, "a", zipfile.ZIP_DEFLATED) as zf:
        with zf.open(name, "w", force_zip64=False) as member:
            chunk = b"\0" * (1 << 20)
            for _ in range(400):  # 400 MB of zeros, 400 KB compressed
                member.write(chunk)
    data = bytearray(buf.getvalue())
    encoded = name.encode()
    local = data.find(encoded) - 30  # local file header: sizes at +18 (compressed), +22
    central = data.rfind(encoded) - 46  # central directory entry: sizes at +20, +24
    for header, field in ((local, 22), (central, 24)):
        data[header + field:header + field + 4] = (1000).to_bytes(4, "little")
    codes, grown = bounded(_read_docx, bytes(data))
    assert codes == ["E006"] and grown < 150


def test_docx_within_the_limits_is_read() -> None:
    result = read_bytes(docx_bytes(["对照检查材料", "", "一、存在的问题"]), "a.docx", "docx")
    assert result.problems == () and result.document is not None
    assert result.document.lines == ("对照检查材料", "", "一、存在的问题")


# -- --fix keeps every line ending ----------------------------------------------------
def _fix(data: bytes) -> bytes:
    config = Config(Path.cwd()).with_values(select=("T108", "T109", "T104", "M107"))
    _known, rules = load_selected(config)
    return fix_data(Path("a.txt"), data, rules, config, fix_modes(rules, unsafe=False)).after


def test_fix_never_joins_a_lone_cr_to_the_next_lf() -> None:
    data = "第一段内容。\r \t\n第二段内容。".encode()
    after = _fix(data)
    assert load_source(after).normalised.count("\n") == 2  # no line disappears
    assert after == data  # the blanks stay: removing them would merge the two breaks


def test_fix_keeps_each_line_ending_it_does_not_remove() -> None:
    data = "甲。。\r乙  \r\n丙\n丁。。\r".encode()
    assert _fix(data) == "甲。\r乙\r\n丙\n丁。\r".encode()
    # a break a fix rewrites keeps its own ending; a new one takes the file's usual one
    data = "一是学习。##paidbegin##付费内容。\r\n二是落实。\r\n##paidend##\r\n\r\n".encode()
    after = _fix(data)
    assert after.count(b"\r\n") == after.count(b"\n") and b"\r\n##paidbegin##" in after


# -- E900 for built-in rules ----------------------------------------------------------
def test_rule_clock_stops_a_rule_that_runs_too_long() -> None:
    with RuleClock(0.05) as clock:
        clock.start()
        with pytest.raises(RuleTimeout):
            while True:
                pass
    with RuleClock(0.05) as clock:  # a rule that ends in time is not interrupted
        clock.start()
        clock.stop()


def test_a_built_in_rule_over_the_limit_is_e900_and_cached(monkeypatch: pytest.MonkeyPatch) -> None:
    from checker import deadline
    from checker.document import Document

    monkeypatch.setattr(deadline, "RULE_TIME_LIMIT", 0.01)
    _known, rules = load_selected(Config(Path.cwd()).with_values(select=("S101", "T101")))
    text = "".join(f"（{'一二三四五六七八九'[i % 9]}）标题,内容\n" for i in range(60_000))
    diags = check_document(Document("a.txt", text), rules)
    failed = [d for d in diags if d.code == "E900"]
    assert failed and all("timed out" in d.message for d in failed)
    assert cacheable(FileResult("a.txt", tuple(diags)))
