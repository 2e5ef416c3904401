"""Hostile input: arbitrary text and bytes through every reader and every rule, and files
built to break a linter. Each ends in a clear E diagnostic, in bounded memory, and the
other files are still checked."""

from __future__ import annotations

import os
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from checker.config import Config
from checker.engine import check_document, input_diagnostic, load_selected
from checker.run import run
from checker.readers import read_bytes, read_path
from conftest import draftlint_exe, run_cli
from docxkit import docx_bytes

CONFIG = Config(Path(".").resolve()).with_values(select=("ALL",))
KNOWN, RULES = load_selected(CONFIG)
BY_CODE = {r.code: r for r in KNOWN}
PROPERTY = settings(max_examples=60, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])

# Text that looks like drafts and like Markdown, with the characters rules care about.
PIECES = st.sampled_from([
    "对照检查材料", "一、", "（一）", "(二)", "1.", "（1）", "一是", "二是", "存在的问题", "原因分析",
    "整改措施", "，", "。", "：", ",", ":", "“", "”", "《", "》", "（", "）", "【", "】", "**",
    "*", "XX", "×××", "某某", "--", "##paidbegin##", "##paidend##", "$$paidend$$", "＃＃paidbegin",
    "密码：", "wsx2023", "13912345678", "11010519491231002X", "a@b.cn", "pan.baidu.com/s/1x",
    "（此处待核实）", "【内部】", "\n", "\n\n\n", " ", "\u3000\u3000", "\u00a0", "\t", "`", "```\n",
    "~~~\n", "<!--", "-->", "<!-- draftlint-disable -->", "<!-- draftlint-enable L1 -->",
    "<!-- draftlint-disable-next-line P101 -->", "---\n", "+++\n", "# ", "## ", "- ", "> ",
    "\r\n", "\r", "\ufeff", "\x0b", "扎扎实实", "落实落实", "\U0001F600", "\u200b",
])
DRAFTY = st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=40).map("".join)


def lint_bytes(data: bytes, fmt: str) -> None:
    """Read and check; assert no rule failed and every position is inside the file."""
    result = read_bytes(data, f"d.{fmt}", fmt)
    doc = result.document
    diags = [input_diagnostic(f"d.{fmt}", p, BY_CODE) for p in result.problems]
    if doc is not None:
        diags += check_document(doc, RULES)
    assert not [d for d in diags if d.code == "E900"], [d.message for d in diags]
    for d in diags:
        assert d.message and "{" not in d.message.replace("{{", "") or d.code.startswith("E")
        assert d.line >= 1 and d.column >= 1
        assert (d.end_line, d.end_column) >= (d.line, d.column)
        if doc is None:
            continue
        if doc.source_map:  # .docx: the line is a paragraph number
            widths: dict[int, int] = {}
            for text_line, para in zip(doc.lines, doc.source_map):
                widths[para] = max(widths.get(para, 0), len(text_line))
            assert d.line in widths and d.end_line in widths, (d, doc.source_map)
            assert d.column <= widths[d.line] + 1 and d.end_column <= widths[d.end_line] + 1
        else:
            assert d.end_line <= len(doc.lines), d
            assert d.column <= len(doc.lines[d.line - 1]) + 1, d
            assert d.end_column <= len(doc.lines[d.end_line - 1]) + 1, d


@PROPERTY
@given(DRAFTY, st.sampled_from(["txt", "md"]))
def test_any_text_through_every_rule(text: str, fmt: str) -> None:
    lint_bytes(text.encode("utf-8", "surrogatepass"), fmt)


@PROPERTY
@given(st.text(max_size=300), st.sampled_from(["txt", "md"]))
def test_any_unicode_through_every_rule(text: str, fmt: str) -> None:
    lint_bytes(text.encode("utf-8", "surrogatepass"), fmt)


@PROPERTY
@given(st.binary(max_size=400), st.sampled_from(["txt", "md", "docx"]))
def test_any_bytes_through_every_reader(data: bytes, fmt: str) -> None:
    lint_bytes(data, fmt)


@PROPERTY
@given(st.lists(DRAFTY, max_size=12))
def test_any_paragraphs_as_docx(paragraphs: list[str]) -> None:
    # XML cannot hold most control characters: python-docx refuses them, so leave them out
    clean = ["".join(c for c in p if c in "\t\n" or (ord(c) >= 32 and c not in "\ufffe\uffff"
                                                    and not 0xD800 <= ord(c) <= 0xDFFF))
             for p in paragraphs]
    lint_bytes(docx_bytes(clean), "docx")


@PROPERTY
@given(st.binary(min_size=1, max_size=64), st.integers(min_value=0, max_value=10**6))
def test_corrupted_docx_bytes(noise: bytes, where: int) -> None:
    data = bytearray(docx_bytes(["个人对照检查材料", "一、存在的问题", "本文档编辑密码：abc1234"]))
    at = where % len(data)
    data[at:at + len(noise)] = noise
    lint_bytes(bytes(data), "docx")


# -- files built to break a linter -----------------------------------------------------
def peak_memory(fn):  # type: ignore[no-untyped-def]
    tracemalloc.start()
    try:
        result = fn()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_100_mb_file_is_not_read(tmp_path: Path) -> None:
    big = tmp_path / "huge.txt"
    with open(big, "wb") as fh:  # sparse: no 100 MB written to disk, but stat says 100 MB
        fh.write("对照检查材料\n".encode())
        fh.truncate(100 * 1024 * 1024)
    result, peak = peak_memory(lambda: read_path(big, "huge.txt", 10_000_000))
    assert result.document is None
    assert [p.code for p in result.problems] == ["E004"]
    assert "104,857,600 bytes" in result.problems[0].message
    assert peak < 1_000_000


def test_one_megabyte_single_line(tmp_path: Path) -> None:
    path = tmp_path / "oneline.txt"
    path.write_text("对照检查材料，" * 150_000, encoding="utf-8")  # 1,050,000 characters
    result, peak = peak_memory(lambda: read_path(path, "oneline.txt", 10_000_000))
    assert result.document is None
    assert [(p.code, p.line) for p in result.problems] == [("E010", 1)]
    assert "1,050,000 characters" in result.problems[0].message
    assert peak < 40_000_000


@pytest.mark.parametrize("data", [
    b"\x00\x01\x02\x03",
    "对照检查材料\n".encode() + b"\x00",
    "对照检查材料\n".encode() * 2000 + b"\x00",  # past the first 8 KB
])
def test_nul_bytes(data: bytes) -> None:
    result = read_bytes(data, "d.txt", "txt")
    assert result.document is None and [p.code for p in result.problems] == ["E002"]


def test_control_characters_are_reported_and_the_file_still_checked() -> None:
    result = read_bytes("对照检查材料\n正文\x0b第二\x1b行。\n".encode(), "d.txt", "txt")
    assert result.document is not None
    assert [(p.code, p.line, p.column) for p in result.problems] == [("E013", 2, 3)]
    assert "U+000B (2 in the file)" in result.problems[0].message


def test_control_characters_are_looked_for_only_when_asked(tmp_path: Path) -> None:
    data = "对照检查材料\n正文\x0b第二行。\n".encode()
    unasked = read_bytes(data, "d.txt", "txt", controls=False)
    assert unasked.problems == () and unasked.document.lines[1] == "正文\x0b第二行。"
    # the check asks when E013 is selected, not otherwise
    (tmp_path / "d.txt").write_bytes(data)
    e013 = run_cli("check", "-q", "--no-cache", "--select", "E013", "d.txt", cwd=tmp_path)
    assert e013.stdout == "d.txt:2:3: E013 invisible control character U+000B, left by a " \
                          "copy from another program; delete it\n"
    assert run_cli("check", "-q", "--no-cache", "--select", "P", "d.txt", cwd=tmp_path).stdout == ""
    # a per-file ignore of E013 for the file: not looked for, not reported
    (tmp_path / ".draftlint.yaml").write_text("per-file-ignores:\n  'd.txt': [E013]\n",
                                              encoding="utf-8")
    ignored = run_cli("check", "-q", "--no-cache", "--select", "E013", "d.txt", cwd=tmp_path)
    assert (ignored.returncode, ignored.stdout) == (0, ""), ignored.stderr


@pytest.mark.parametrize("data, lines", [
    ("标题\r\n正文\r第三行\n".encode(), ["标题", "正文", "第三行", ""]),  # CRLF, a lone CR
    ("标题\n正文\n第三行".encode(), ["标题", "正文", "第三行"]),
])
def test_line_ends(data: bytes, lines: list[str]) -> None:
    assert list(read_bytes(data, "d.txt", "txt").document.lines) == lines


@pytest.mark.parametrize("text", ["", " ", "\u3000\u3000\r\n", "\t\n\n", "\u00a0"])
def test_blank_files_are_empty(text: str) -> None:
    result = read_bytes(text.encode(), "d.txt", "txt")
    assert result.document is None and [p.code for p in result.problems] == ["E005"]


@pytest.mark.parametrize("name, data, words", [
    ("draft.txt", None, "zip archive"),           # a .docx saved as .txt
    ("draft.md", b"%PDF-1.4\n", "PDF"),
    ("draft.docx", "个人对照检查材料\n正文。\n".encode(), "plain text"),
])
def test_content_does_not_match_extension(tmp_path: Path, name: str, data: bytes | None,
                                          words: str) -> None:
    path = tmp_path / name
    path.write_bytes(data if data is not None else docx_bytes(["正文"]))
    result = read_path(path, name, 10_000_000)
    assert result.document is None
    assert [p.code for p in result.problems] == ["E009"] and words in result.problems[0].message


GOOD = "个人对照检查材料\n本文档编辑密码：abc1234\n"


def _codes_by_file(result) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    out: dict[str, list[str]] = {}
    for d in result.diagnostics:
        out.setdefault(Path(d.path).name, []).append(d.code)
    return out


def test_deeply_nested_directories(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    (root / "good.txt").write_text(GOOD, encoding="utf-8")
    # 300 levels: deeper than PATH_MAX allows through full paths, so build it with dir_fd
    fd = os.open(root, os.O_RDONLY)
    try:
        for _ in range(300):
            os.mkdir("d", dir_fd=fd)
            new = os.open("d", os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = new
        leaf = os.open("deep.txt", os.O_WRONLY | os.O_CREAT, dir_fd=fd)
        os.write(leaf, GOOD.encode())
        os.close(leaf)
    finally:
        os.close(fd)
    (root / "d" / "shallow.txt").write_text(GOOD, encoding="utf-8")
    result = run([root], CONFIG, RULES, KNOWN)
    by_file = _codes_by_file(result)
    assert by_file["good.txt"] == ["L101"] and by_file["shallow.txt"] == ["L101"]
    assert by_file["d"] == ["E011"]
    assert "deep.txt" not in by_file
    assert result.files == 2


def test_symlink_loops(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    (root / "sub").mkdir(parents=True)
    (root / "good.txt").write_text(GOOD, encoding="utf-8")
    os.symlink("self.txt", root / "self.txt")
    os.symlink("b.txt", root / "a.txt")
    os.symlink("a.txt", root / "b.txt")
    os.symlink("..", root / "sub" / "up")          # a directory loop: never followed
    os.symlink("../good.txt", root / "sub" / "same.txt")  # the same file twice: checked once
    result = run([root], CONFIG, RULES, KNOWN)
    by_file = _codes_by_file(result)
    assert by_file == {"a.txt": ["E012"], "b.txt": ["E012"], "good.txt": ["L101"],
                       "self.txt": ["E012"]}


def test_cli_named_loop_and_other_files(tmp_path: Path) -> None:
    os.symlink("loop.txt", tmp_path / "loop.txt")
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "fake.docx").write_text("正文。\n", encoding="utf-8")
    proc = run_cli("check", "--select", "L,E", "loop.txt", "fake.docx", "good.txt", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("fake.docx:1:1: E009 not a .docx")
    assert lines[1].startswith("good.txt:2:9: L101") and "abc1234" not in proc.stdout
    assert lines[2].startswith("loop.txt:1:1: E012 symbolic link loop")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_fifo_is_not_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    result = run([tmp_path], CONFIG, RULES, KNOWN)  # would block forever if opened
    by_file = _codes_by_file(result)
    assert by_file == {"good.txt": ["L101"], "pipe.txt": ["E001"]}


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_fifo_is_not_opened_to_be_hashed_for_the_cache(tmp_path: Path) -> None:
    """The result cache hashes each file before checking it: that read opened a FIFO too,
    and the CLI's default run blocked for ever."""
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    proc = subprocess.run([*draftlint_exe(), "check", "--select", "L101,E001", "."],
                          cwd=tmp_path, capture_output=True, text=True, encoding="utf-8",
                          timeout=60)
    assert [line.split(" ")[:2] for line in proc.stdout.splitlines()[:2]] == [
        ["good.txt:2:9:", "L101"], ["pipe.txt:1:1:", "E001"]]
    assert (tmp_path / ".draftlint_cache").is_dir()  # the cache was on


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0,
                    reason="root reads any directory")
def test_unreadable_directory(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    locked.chmod(0)
    try:
        by_file = _codes_by_file(run([tmp_path], CONFIG, RULES, KNOWN))
    finally:
        locked.chmod(0o755)
    assert by_file == {"good.txt": ["L101"], "locked": ["E001"]}


def test_secret_never_printed_in_any_format(tmp_path: Path) -> None:
    (tmp_path / "d.txt").write_text(GOOD + "身份证号11010519491231002X\n", encoding="utf-8")
    for args in (["--format", "text", "--show-source"], ["--format", "json"],
                 ["--format", "sarif"], ["--format", "github"]):
        proc = run_cli("check", "--select", "L", *args, "d.txt", cwd=tmp_path)
        assert proc.returncode == 1
        assert "*******" in proc.stdout  # the whole value masked (issue 21)
        assert "abc1234" not in proc.stdout and "19491231002X" not in proc.stdout, args
