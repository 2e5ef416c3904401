"""--fix / --diff: safe edits, byte-exact round trips, atomic writes, idempotence."""

from __future__ import annotations

import codecs
import functools
import os
import stat
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.config import Config
from checker.model import Edit
from checker.engine import load_selected
from checker.fix import (FileFix, Unfixable, fix_data, fix_paths, load_source, unified_diff,
                         write_atomic)
from checker.fix_endings import assemble
from conftest import run_cli


@functools.lru_cache(maxsize=None)
def _setup(root: Path, select: tuple[str, ...]) -> tuple[Config, tuple, dict[str, bool]]:
    cfg = Config(root).with_values(select=select)
    _known, selected = load_selected(cfg)
    return cfg, selected, {r.code: r.fixable for r in selected}


def fix_bytes(data: bytes, select=("T",), name: str = "draft.txt", root: Path | None = None,
              **config: object) -> FileFix:
    base = (root or Path.cwd()).resolve()
    if config:
        cfg = Config(base).with_values(select=tuple(select), **config)
        _known, selected = load_selected(cfg)
        fixable = {r.code: r.fixable for r in selected}
    else:
        cfg, selected, fixable = _setup(base, tuple(select))
    return fix_data(base / name, data, selected, cfg, fixable)


def fix_text(text: str, **kw: object) -> str:
    return fix_bytes(text.encode("utf-8"), **kw).after.decode("utf-8")


def skeleton(text: str) -> list[str]:
    """The characters a fix must never change: Chinese characters, digits, letters."""
    return [c for c in text if c.isalnum()]


# -- what gets fixed ---------------------------------------------------------------

def test_fixes_punctuation_and_whitespace() -> None:
    before = "标题  \n理论联系实际不够,实际工作中，，运用不够。\n(一)在学习方面\n\n\n\n\n结尾。\n"
    after = fix_text(before, select=("T", "S106"))  # (一) as a heading ordinal is S106's
    assert after == "标题\n理论联系实际不够，实际工作中，运用不够。\n（一）在学习方面\n\n\n结尾。\n"


def test_fixes_that_enable_other_fixes_reach_a_fixed_point() -> None:
    # pass 1: the pair and the commas become full-width; pass 2: T104 sees '，，'
    out = fix_bytes("学习(一,二)的精神,，实际\n".encode())
    assert out.after.decode() == "学习（一，二）的精神，实际\n"
    assert out.fixed == 4


def test_overlapping_edits_wait_for_the_next_pass() -> None:
    # T108 (trailing) lies inside the T109 deletion: one is taken, the other dropped
    out = fix_bytes("甲\n \n \n \n \n乙\n".encode())
    assert out.after.decode() == "甲\n\n\n乙\n"


def test_second_run_changes_nothing() -> None:
    text = "对照材料 \n不够,实际。。还有(二)差距: \n\n\n\n\n\u00a0\n"
    once = fix_text(text)
    assert once != text
    assert fix_text(once) == once


def test_only_fixable_rules_and_selected_rules() -> None:
    text = "不够,实际工作(一)中\n"
    assert fix_text(text, select=("T102",)) == "不够,实际工作（一）中\n"
    assert fix_text(text, select=("T",), ignore=("T101",)) == "不够,实际工作（一）中\n"
    # T110 is not fixable: full-width digits stay
    assert fix_text("２０２３年\n", select=("T110",)) == "２０２３年\n"


def test_per_file_ignores_apply(tmp_path: Path) -> None:
    out = fix_bytes("不够,实际\n".encode(), root=tmp_path, name="old/draft.txt",
                    **{"per_file_ignores": {"old/*": ["T101"]}})
    assert not out.changed


def test_unsafe_fix_of_a_user_rule_is_refused(tmp_path: Path) -> None:
    (tmp_path / "pack.yaml").write_text(
        "pack: mine\nrules:\n"
        "  - {code: X101, name: word-fix, kind: pattern, severity: warning, fixable: true,\n"
        "     message: m, docs: 'rewrites a word, which --fix must refuse to do automatically',\n"
        "     options: {pattern: '登陆', fix: '登录'}, examples: {bad: [登陆], good: [登录]}}\n"
        "  - {code: X102, name: not-fixable, kind: pattern, severity: warning,\n"
        "     message: m, docs: 'carries a fix but is not marked fixable, so it is never applied',\n"
        "     options: {pattern: '；', fix: ';'}, examples: {bad: [；], good: [a]}}\n",
        encoding="utf-8")
    out = fix_bytes("请登陆系统；\n".encode(), select=("X",), root=tmp_path, packs=("pack.yaml",))
    assert not out.changed
    assert out.refused == 1


# -- encodings, BOM, newlines --------------------------------------------------------

@pytest.mark.parametrize("encoding,bom", [
    ("utf-8", codecs.BOM_UTF8),
    ("gb18030", b""),
    ("gb18030", "\ufeff".encode("gb18030")),  # GB18030's own BOM stays a character
    ("utf-16-le", codecs.BOM_UTF16_LE),
    ("utf-16-be", codecs.BOM_UTF16_BE),
])
def test_encoding_bom_and_crlf_round_trip(encoding: str, bom: bytes) -> None:
    before = "对照检查材料\r\n理论学习不够,实际工作中 \r\n\r\n\r\n\r\n\r\n（一）在学习方面。\r\n"
    after = "对照检查材料\r\n理论学习不够，实际工作中\r\n\r\n\r\n（一）在学习方面。\r\n"
    out = fix_bytes(bom + before.encode(encoding))
    assert out.after == bom + after.encode(encoding)
    assert fix_bytes(out.after).after == out.after


def test_mixed_newlines_keep_their_own_style() -> None:
    before = "标题\r\n不够,实际\n结尾 \r\n最后\r末行\n"
    out = fix_bytes(before.encode())
    assert out.after.decode() == "标题\r\n不够，实际\n结尾\r\n最后\r末行\n"


def test_offsets_map_through_crlf() -> None:
    src = load_source("ab\r\ncd\r\nef".encode())
    assert src.normalised == "ab\ncd\nef"
    assert [src.to_source(k) for k in (0, 2, 3, 5, 6, 8)] == [0, 2, 4, 6, 8, 10]
    assert assemble(src, [Edit(2, 3, "\n\n")])[0] == "ab\r\n\r\ncd\r\nef"


def test_bytes_that_would_not_round_trip_are_left_alone(monkeypatch) -> None:
    # No GB18030 byte pair fails to round-trip in CPython; simulate a decoder that loses
    # information to prove the guard holds.
    import checker.fix as fix_module

    monkeypatch.setattr(fix_module.text_reader, "decode",
                        lambda data: ("不够,实际\n", "gb18030", ()))
    with pytest.raises(Unfixable):
        load_source(b"\xa2\xe3")
    out = fix_bytes(b"\xa2\xe3")
    assert not out.changed and "not fixed" in out.note


def test_undecodable_file_is_left_alone() -> None:
    out = fix_bytes(b"\xff\xfe\xfd not text \x81")
    assert not out.changed


# -- Markdown masked regions -------------------------------------------------------

def test_never_edits_inside_masked_regions() -> None:
    md = ("---\ntitle: 草稿,未定   \n---\n# 标题\n\n正文不够,实际。\n\n"
          "```\n代码,不改   \n\n\n\n\n```\n<!-- 备注,不改 -->  \n行尾两个空格是换行  \n")
    out = fix_text(md, name="draft.md")
    assert out == md.replace("正文不够,实际", "正文不够，实际")


# -- writing -------------------------------------------------------------------------

def test_write_keeps_permissions_and_leaves_no_temp_file(tmp_path: Path) -> None:
    path = tmp_path / "d.txt"
    path.write_bytes("不够,实际\n".encode())
    path.chmod(0o640)
    write_atomic(path, "不够，实际\n".encode(), "不够,实际\n".encode())
    assert path.read_text(encoding="utf-8") == "不够，实际\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert os.listdir(tmp_path) == ["d.txt"]


def test_write_refuses_a_file_changed_meanwhile(tmp_path: Path) -> None:
    path = tmp_path / "d.txt"
    path.write_bytes(b"changed by someone else\n")
    with pytest.raises(Unfixable):
        write_atomic(path, b"new\n", b"what we read\n")
    assert path.read_bytes() == b"changed by someone else\n"
    assert os.listdir(tmp_path) == ["d.txt"]


def test_symlink_is_kept_and_its_target_fixed(tmp_path: Path) -> None:
    target = tmp_path / "real.txt"
    target.write_text("不够,实际\n", encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    cfg = Config(tmp_path.resolve()).with_values(select=("T",))
    known, selected = load_selected(cfg)
    fix_paths([link], cfg, selected, known, write=True)
    assert link.is_symlink()
    assert target.read_text(encoding="utf-8") == "不够，实际\n"


def test_docx_is_reported_never_written(tmp_path: Path, monkeypatch) -> None:
    from checker.document import Document
    from checker.readers import ReadResult, docx

    # the .docx reader is built elsewhere; stand in for it with a Document of its own
    monkeypatch.setattr(docx, "read", lambda data, display, **_: ReadResult(
        Document(display, "不够,实际\n", "docx")))
    path = tmp_path / "w.docx"
    path.write_bytes(b"PK\x03\x04 binary")
    cfg = Config(tmp_path.resolve()).with_values(select=("T",))
    known, selected = load_selected(cfg)
    run = fix_paths([path], cfg, selected, known, write=True)
    assert path.read_bytes() == b"PK\x03\x04 binary"
    assert run.changed == []
    assert run.notes == [f"{path.as_posix()}: 1 fixable problem not fixed: .docx files are "
                         f"never modified (report only)"]


def test_diff_is_unified_and_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "d.txt"
    path.write_bytes("标题\n不够,实际".encode())
    cfg = Config(tmp_path.resolve()).with_values(select=("T",))
    known, selected = load_selected(cfg)
    run = fix_paths([path], cfg, selected, known, write=False)
    assert path.read_bytes() == "标题\n不够,实际".encode()
    diff = unified_diff(run.changed[0])
    assert diff.splitlines()[:3] == [f"--- {path.as_posix()}", f"+++ {path.as_posix()}",
                                     "@@ -1,2 +1,2 @@"]
    assert "-不够,实际" in diff and "+不够，实际" in diff
    assert "\\ No newline at end of file" in diff


# -- the CLI -------------------------------------------------------------------------

def test_cli_fix_diff_and_exit_codes(tmp_path: Path) -> None:
    path = tmp_path / "d.txt"
    docx = tmp_path / "w.docx"
    original = "对照检查材料\r\n理论学习不够,实际工作中。 \r\n（一）在学习方面。\r\n".encode("gb18030")
    path.write_bytes(original)
    docx.write_bytes(b"PK\x03\x04 not really a word file, never to be written")

    diff = run_cli("check", str(tmp_path), "--select", "T", "--diff")
    assert diff.returncode == 1, diff.stderr
    assert "+理论学习不够，实际工作中。" in diff.stdout
    assert "would fix 2 problems in 1 file" in diff.stderr
    assert path.read_bytes() == original

    both = run_cli("check", str(path), "--fix", "--diff")
    assert both.returncode == 2

    fixed = run_cli("check", str(tmp_path), "--select", "T", "--fix")
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert "fixed 2 problems in 1 file" in fixed.stderr
    assert path.read_bytes() == ("对照检查材料\r\n理论学习不够，实际工作中。\r\n（一）在学习方面。\r\n"
                                 .encode("gb18030"))
    assert docx.read_bytes() == b"PK\x03\x04 not really a word file, never to be written"

    again = run_cli("check", str(tmp_path), "--select", "T", "--diff")
    assert again.returncode == 0 and again.stdout == ""


def test_cli_fix_reports_what_remains(tmp_path: Path) -> None:
    path = tmp_path / "d.txt"
    path.write_text("标题\n不够,实际，２０２３年\n", encoding="utf-8")
    res = run_cli("check", str(path), "--select", "T", "--fix")
    assert res.returncode == 1
    assert "T110" in res.stdout and "T101" not in res.stdout
    assert path.read_text(encoding="utf-8") == "标题\n不够，实际，２０２３年\n"


# -- the samples -------------------------------------------------------------------

def test_fixing_the_samples_changes_only_punctuation_and_whitespace(samples: Path,
                                                                     tmp_path: Path) -> None:
    copies = []
    for src in sorted(samples.glob("*.txt")):
        dst = tmp_path / src.name
        dst.write_bytes(src.read_bytes())
        copies.append((src, dst))
    res = run_cli("check", str(tmp_path), "--fix", "--quiet")
    assert "Traceback" not in res.stderr
    changed = 0
    for src, dst in copies:
        before, after = src.read_text(encoding="utf-8"), dst.read_text(encoding="utf-8")
        assert [c.casefold() for c in skeleton(before)] == [c.casefold() for c in skeleton(after)]
        removed = set(before) - set(after)
        assert all(unicodedata.category(c)[0] in "PZC" for c in removed), removed
        changed += before != after
    assert changed >= 1
    again = run_cli("check", str(tmp_path), "--diff")
    assert again.returncode == 0 and again.stdout == ""


# -- properties ----------------------------------------------------------------------

# Tokens, not single characters: uniform characters almost never put a half-width mark
# between two Chinese characters, which is where most fixes happen.
_WORDS = st.sampled_from(["学习", "不够", "实际", "一", "二", "十", "中文", "问题", "ＧＤＰ", "２０"])
_MARKS = st.sampled_from(list(",.:;?!()") + list("，。、；：？！（）“”‘’《》【】…—"))
_SPACE = st.sampled_from([" ", "  ", "\t", "\u3000", "\u3000\u3000", "\u00a0", "\n", "\r\n",
                          "\n\n\n\n"])
_OTHER = st.sampled_from(list("0123456789abcXYZ#$*-_/@") + [
    "##paidbegin##", "##paid begin##", "##PaidEnd##", "http://例.中国/a,b", "a@b.cn",
    "(一)", "不够,实际", "如下:", "，，", "。。。", "3.14", "1,000", "People’s"])
TEXTS = st.lists(st.one_of(_WORDS, _WORDS, _MARKS, _SPACE, _OTHER), max_size=60).map("".join)


@settings(max_examples=300, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_fixing_keeps_every_chinese_character_digit_and_letter(text: str) -> None:
    data = text.encode("utf-8")
    out = fix_bytes(data, select=("T",))
    after = out.after.decode("utf-8")
    assert skeleton(after) == skeleton(text)
    assert fix_bytes(out.after, select=("T",)).after == out.after  # idempotent


@settings(max_examples=150, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_all_fixable_rules_keep_characters_up_to_letter_case(text: str) -> None:
    out = fix_bytes(text.encode("utf-8"), select=("ALL",))
    after = out.after.decode("utf-8")
    assert [c.casefold() for c in skeleton(after)] == [c.casefold() for c in skeleton(text)]
    assert fix_bytes(out.after, select=("ALL",)).after == out.after


@settings(max_examples=100, deadline=None, derandomize=True)
@given(TEXTS, st.sampled_from(["utf-8-sig", "gb18030", "utf-16"]))
def test_round_trip_in_any_supported_encoding(text: str, encoding: str) -> None:
    data = text.replace("\n", "\r\n").encode(encoding)
    out = fix_bytes(data, select=("T",))
    decoded = out.after.decode(encoding)
    assert "\n" not in decoded.replace("\r\n", "")  # every newline is still CRLF
    assert skeleton(decoded) == skeleton(text)
