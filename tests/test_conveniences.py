"""Issue 21 item 7: stdin, --output-file, --exit-zero, colour, a documentation URL per rule,
percent-encoded SARIF URIs, rule summaries that are whole sentences."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from urllib.parse import unquote

import jsonschema
import pytest

from checker.links import rule_url
from checker.packs import first_sentence, load_rules
from checker.report import use_colour
from tests.conftest import run_cli

BAD = "学习心得体会\n\n学习不够深入,需要加强。\n"
SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"


def test_stdin_is_checked_as_the_named_file(tmp_path: Path) -> None:
    (tmp_path / ".draftlint.yaml").write_text('per-file-ignores:\n  "legacy/*": [T101]\n',
                                              encoding="utf-8")
    proc = run_cli("check", "-", "--stdin-filename", "drafts/a.txt", "--select", "T101",
                   "--no-cache", cwd=tmp_path, input=BAD)
    assert proc.returncode == 1
    assert proc.stdout.startswith("drafts/a.txt:3:7: T101 ")
    ignored = run_cli("check", "-", "--stdin-filename", "legacy/a.txt", "--select", "T101",
                      "--no-cache", cwd=tmp_path, input=BAD)
    assert ignored.returncode == 0, ignored.stdout  # the per-file ignore of that name applies
    nameless = run_cli("check", "-", "--select", "T101", "--no-cache", cwd=tmp_path, input=BAD)
    assert nameless.stdout.startswith("-:3:7: T101 ")


def test_stdin_fix_prints_the_fixed_draft(tmp_path: Path) -> None:
    proc = run_cli("check", "-", "--fix", "--select", "T101", "--no-cache", cwd=tmp_path,
                   input=BAD)
    assert proc.returncode == 0 and proc.stdout == BAD.replace(",", "，")


def test_stdin_force_exclude(tmp_path: Path) -> None:
    (tmp_path / ".draftlint.yaml").write_text("extend-exclude: [archive]\n", encoding="utf-8")
    proc = run_cli("check", "-", "--stdin-filename", "archive/a.txt", "--force-exclude",
                   "--no-cache", cwd=tmp_path, input=BAD)
    assert proc.returncode == 0 and proc.stdout == ""


def test_output_file_and_exit_zero(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(BAD, encoding="utf-8")
    proc = run_cli("check", "a.txt", "--format", "json", "--output-file", "out.json",
                   "--no-cache", cwd=tmp_path)
    assert proc.returncode == 1 and proc.stdout == ""
    assert any(d["code"] == "T101" for d in json.loads((tmp_path / "out.json").read_text("utf-8")))
    zero = run_cli("check", "a.txt", "--exit-zero", "--no-cache", cwd=tmp_path)
    assert zero.returncode == 0 and "T101" in zero.stdout
    usage = run_cli("check", "missing.txt", "--exit-zero", "--no-cache", cwd=tmp_path)
    assert usage.returncode == 2


def test_colour_follows_no_color_and_force_color(tmp_path: Path) -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert use_colour(Tty(), {}) and not use_colour(io.StringIO(), {})
    assert not use_colour(Tty(), {"NO_COLOR": "1"})
    assert use_colour(io.StringIO(), {"FORCE_COLOR": "1"})
    assert not use_colour(Tty(), {"TERM": "dumb"})
    (tmp_path / "a.txt").write_text(BAD, encoding="utf-8")
    import os
    import subprocess

    from tests.conftest import draftlint_exe

    def run(env: dict[str, str]) -> str:
        full = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
        return subprocess.run([*draftlint_exe(), "check", "a.txt", "--no-cache"], cwd=tmp_path,
                              env={**full, **env}, capture_output=True, text=True).stdout
    assert "\x1b[1;33mT101\x1b[0m" in run({"FORCE_COLOR": "1"})
    assert "\x1b[" not in run({}) and "\x1b[" not in run({"FORCE_COLOR": "1", "NO_COLOR": "1"})


@pytest.mark.parametrize("name", ["草稿 #1.txt", "50%.txt", "a b?.txt"])
def test_sarif_uri_is_percent_encoded(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_text(BAD, encoding="utf-8")
    proc = run_cli("check", name, "--format", "sarif", "--no-cache", cwd=tmp_path)
    log = json.loads(proc.stdout)
    jsonschema.validate(log, json.loads(SCHEMA.read_text(encoding="utf-8")),
                        cls=jsonschema.Draft4Validator)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in log["runs"][0]["results"]}
    for uri in uris:
        assert re.fullmatch(r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-F]{2})*", uri), uri
        assert unquote(uri) == name


def test_every_rule_has_a_help_uri_into_the_readme(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(BAD, encoding="utf-8")
    log = json.loads(run_cli("check", "a.txt", "--format", "sarif", "--no-cache",
                             cwd=tmp_path).stdout)
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    for rule in rules:
        assert rule["helpUri"] == rule_url(rule["id"])
        anchor = rule["helpUri"].rsplit("#", 1)[1]
        assert f'<a id="{anchor}"></a>{rule["id"]} |' in readme


def test_rule_summaries_are_whole_sentences() -> None:
    for rule in load_rules():
        assert re.search(r"[.!?。！？]$", rule.summary), (rule.code, rule.summary)
        assert rule.docs.replace("\n", " ").replace("  ", " ").startswith(
            rule.summary[:20]), rule.code
    assert first_sentence("The same long phrase or sentence twice in one draft, usually a\n"
                          "copy-paste while editing. More.") == (
        "The same long phrase or sentence twice in one draft, usually a copy-paste while "
        "editing.")
    assert first_sentence("同一句话\n重复出现。其他。") == "同一句话重复出现。"
    assert first_sentence("Uses e.g. commas. Next.") == "Uses e.g. commas."
