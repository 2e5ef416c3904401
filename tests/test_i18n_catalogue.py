"""Every string the tool says is in both catalogues: each key the code looks up is in the
zh-CN and the en table, no table keeps a key nothing looks up, and no error or help text
is written in the code in one language. Then a sample of the newest messages (hostile
input limits, the library index) in both languages."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from checker.i18n import catalogue, set_language
from checker.library.commands import summary
from checker.readers import MAX_LINES, read_bytes
from conftest import ROOT, run_cli

CHECKER = ROOT / "checker"
# keys composed at run time: f"argparse.{text}", f"config.{key}", f"statistics.{column}",
# f"input.what-{what}", f"error.what.{what}", f"explain.severity.{severity}", and the
# whitespace names' "-kind" forms
DYNAMIC_PREFIXES = ("argparse.", "config.", "statistics.", "input.what-", "error.what.",
                    "explain.severity.")
DYNAMIC_SUFFIXES = ("-kind",)
# the calls whose message argument (by position, or help=) a user reads
MESSAGE_ARGUMENT = {"ConfigError": 0, "InputProblem": 1, "_e": 1, "AliasBomb": 0,
                    "ArgumentTypeError": 0}


def _code_files() -> list[Path]:
    tables = {CHECKER / "i18n" / "en.py", CHECKER / "i18n" / "zh_CN.py"}
    return [p for p in CHECKER.rglob("*.py") if p not in tables]


def _constants() -> set[str]:
    found = set()
    for path in _code_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.add(node.value)
    return found


def _tr_keys() -> set[str]:
    keys = set()
    for path in _code_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id == "tr" and node.args
                    and isinstance(node.args[0], ast.Constant)):
                keys.add(node.args[0].value)
    return keys


def test_every_key_the_code_looks_up_is_in_both_catalogues() -> None:
    en, zh = catalogue("en"), catalogue("zh-CN")
    keys = _tr_keys()
    assert len(keys) > 250  # (the scan finds the lookups)
    assert sorted(k for k in keys if k not in en or k not in zh) == []


def test_no_catalogue_keeps_a_key_nothing_looks_up() -> None:
    constants = _constants()
    used = {k for k in catalogue("en")
            if k in constants or k.startswith(DYNAMIC_PREFIXES)
            or any(k.endswith(s) and k[:-len(s)] in constants for s in DYNAMIC_SUFFIXES)}
    assert sorted(set(catalogue("en")) - used) == []


def _literal_text(node: ast.expr | None) -> bool:
    """A message written out in the code: a string with letters, or an f-string."""
    if isinstance(node, ast.JoinedStr):
        return True
    return (isinstance(node, ast.Constant) and isinstance(node.value, str)
            and any(c.isalpha() for c in node.value))


def test_no_error_or_help_text_is_written_in_one_language_in_the_code() -> None:
    found = []
    for path in _code_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", None))
            if name in MESSAGE_ARGUMENT and len(node.args) > MESSAGE_ARGUMENT[name] \
                    and _literal_text(node.args[MESSAGE_ARGUMENT[name]]):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
            if name in ("add_argument", "add_parser", "add_argument_group"):
                found += [f"{path.relative_to(ROOT)}:{node.lineno}" for kw in node.keywords
                          if kw.arg in ("help", "description") and _literal_text(kw.value)]
    assert found == []


def test_too_many_lines_in_both_languages() -> None:
    data = ("第\n" * MAX_LINES + "第").encode()  # 100,001 lines
    set_language("zh-CN")
    zh = read_bytes(data, "a.txt", "txt").problems[0]
    set_language("en")
    en = read_bytes(data, "a.txt", "txt").problems[0]
    assert (zh.code, en.code) == ("E017", "E017")
    assert zh.message == ("文件有 100,001 行（上限 100,000）：不像稿件（是程序生成的数据或日志吗？）；"
                          "文件未检查")
    assert en.message == ("the file has 100,001 lines (limit 100,000): not a draft (generated "
                          "data or a log?); file not checked")


ROWS = [{"path": "甲.txt", "other": "乙.txt", "line": 3, "column": 1, "end_line": 3,
         "end_column": 40, "other_line": 5, "other_column": 2, "length": 39, "share": 1.0}]


def test_library_audit_summary_in_both_languages() -> None:
    set_language("zh-CN")
    assert summary(ROWS) == ("甲.txt <-> 乙.txt：1 段雷同文字\n"
                             "    甲.txt:3:1-3:40 = 乙.txt:5:2（39 字，100% 一致）\n"
                             "1 对稿件之间共有 1 段雷同文字（涉及 2 篇稿件）\n")
    set_language("en")
    assert summary(ROWS) == ("甲.txt <-> 乙.txt: 1 copied passage\n"
                             "    甲.txt:3:1-3:40 = 乙.txt:5:2 (39 characters, 100% the same)\n"
                             "1 copied passages between 1 pairs of drafts (2 drafts involved)\n")


@pytest.mark.parametrize("lang, without_d201, missing", [
    ("zh-CN", "--library 要通过 D201 将稿件与文库索引比对，但本次没有选用 D201",
     "：这里没有文库索引（缺少 manifest.json）"),
    ("en", "--library compares drafts with a library index through D201, which is not selected",
     ": no library index here (no manifest.json)")])
def test_library_errors_in_both_languages(tmp_path: Path, lang: str, without_d201: str,
                                          missing: str) -> None:
    draft = tmp_path / "稿.txt"
    draft.write_text("标题\n正文。\n", encoding="utf-8")
    index = tmp_path / "无索引"
    proc = run_cli("check", "--no-cache", "--language", lang, "--select", "P101",
                   "--library", str(index), str(draft))
    assert proc.returncode == 2 and without_d201 in proc.stderr
    proc = run_cli("check", "--no-cache", "--language", lang, "--select", "D201",
                   "--library", str(index), str(draft))
    assert proc.returncode == 2 and f"{index}{missing}" in proc.stderr


def test_severity_words_in_explain_and_statistics(tmp_path: Path) -> None:
    explain = run_cli("explain", "P101", "--language", "zh-CN")
    assert "级别：错误（error）" in explain.stdout
    assert "Severity: error" in run_cli("explain", "P101", "--language", "en").stdout
    draft = tmp_path / "稿.txt"
    draft.write_text("标题\n按照**市委要求。\n", encoding="utf-8")
    zh = run_cli("check", "--no-cache", "--select", "P101", "--statistics", "--language",
                 "zh-CN", str(draft))
    assert "     1  P101  placeholder-asterisks（错误）\n" in zh.stdout
    en = run_cli("check", "--no-cache", "--select", "P101", "--statistics", "--language", "en",
                 str(draft))
    assert "     1  P101  placeholder-asterisks (error)\n" in en.stdout
