"""``draftlint init``: a commented configuration and the pre-commit hook."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from checker.config import KEYS, load_file
from checker.engine import load_selected
from checker.scaffold import CONFIG_NAME, PRE_COMMIT_NAME, config_text
from conftest import FIXTURES, run_cli


def test_init_writes_config_and_hook(tmp_path: Path) -> None:
    proc = run_cli("init", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert f"Wrote {CONFIG_NAME}" in proc.stdout and f"Wrote {PRE_COMMIT_NAME}" in proc.stdout
    assert "--write-baseline" in proc.stdout
    config = load_file(tmp_path / CONFIG_NAME)  # all commented: valid, empty
    assert dict(config.values) == {}
    hooks = yaml.safe_load((tmp_path / PRE_COMMIT_NAME).read_text(encoding="utf-8"))
    hook = hooks["repos"][0]["hooks"][0]
    assert hook["id"] == "draftlint"
    assert hook["entry"].endswith(" check --force-exclude --")  # issue 21 items 3, 4
    assert hook["require_serial"] is True


def test_generated_pre_commit_config_is_valid_for_pre_commit(tmp_path: Path) -> None:
    from pre_commit.clientlib import load_config

    assert run_cli("init", str(tmp_path)).returncode == 0
    load_config(str(tmp_path / PRE_COMMIT_NAME))  # raises InvalidConfigError if not


def test_every_key_is_documented_and_its_example_valid(tmp_path: Path) -> None:
    text = config_text()
    for key in KEYS:
        assert f"\n# {key}: " in text
    # uncomment every setting: the result must load and select rules without error
    active = "\n".join(line[2:] if line.startswith("# ") and ": " in line
                       and line[2:].split(":")[0] in KEYS else line
                       for line in text.splitlines())
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "house-style.yaml").write_text("pack: house\nrules: []\n",
                                                         encoding="utf-8")
    (tmp_path / CONFIG_NAME).write_text(active, encoding="utf-8")
    config = load_file(tmp_path / CONFIG_NAME)
    assert set(config.values) == set(KEYS)
    known, selected = load_selected(config)
    assert selected and all(r.code[0] in "PME" for r in selected)


def test_init_refuses_to_overwrite(tmp_path: Path) -> None:
    (tmp_path / CONFIG_NAME).write_text("select: [P]\n", encoding="utf-8")
    proc = run_cli("init", cwd=tmp_path)
    assert proc.returncode == 2 and "already exists" in proc.stderr
    assert (tmp_path / CONFIG_NAME).read_text(encoding="utf-8") == "select: [P]\n"
    assert not (tmp_path / PRE_COMMIT_NAME).exists()


def test_init_refuses_when_pyproject_configures_draftlint(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.draftlint]\nselect = ['P']\n",
                                             encoding="utf-8")
    assert run_cli("init", cwd=tmp_path).returncode == 2
    assert not (tmp_path / CONFIG_NAME).exists()


def test_existing_pre_commit_config_is_left_alone(tmp_path: Path) -> None:
    existing = "repos: []\n"
    (tmp_path / PRE_COMMIT_NAME).write_text(existing, encoding="utf-8")
    proc = run_cli("init", cwd=tmp_path)
    assert proc.returncode == 0
    assert (tmp_path / PRE_COMMIT_NAME).read_text(encoding="utf-8") == existing
    assert "- id: draftlint" in proc.stdout  # the snippet to add by hand
    assert (tmp_path / CONFIG_NAME).is_file()


def test_init_then_check_uses_the_new_root(tmp_path: Path) -> None:
    assert run_cli("init", cwd=tmp_path).returncode == 0
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    (drafts / "a.txt").write_bytes((FIXTURES / "adoption" / "legacy.txt").read_bytes())
    proc = run_cli("check", str(drafts), cwd=FIXTURES)
    assert proc.returncode == 1 and proc.stdout.count("P101") == 3
    assert (tmp_path / ".draftlint_cache" / ".gitignore").is_file()


def test_init_needs_an_existing_directory(tmp_path: Path) -> None:
    assert run_cli("init", str(tmp_path / "missing")).returncode == 2


GIT = shutil.which("git")


@pytest.mark.skipif(GIT is None, reason="git is not installed")
def test_init_hook_runs_where_draftlint_is_not_on_path(tmp_path: Path) -> None:
    """Issue 21 item 8: draftlint lives in a virtual environment that is not activated
    (not on PATH) when git runs the hook; the hook init wrote still finds it."""
    bare_path = os.pathsep.join(p for p in os.environ.get("PATH", "").split(os.pathsep)
                                if p and not (Path(p) / "draftlint").exists())
    env = {**os.environ, "PATH": bare_path, "GIT_CONFIG_GLOBAL": os.devnull,
           "GIT_CONFIG_NOSYSTEM": "1", "PRE_COMMIT_HOME": str(tmp_path / "pc-home")}
    env.pop("VIRTUAL_ENV", None)
    repo = tmp_path / "drafts"
    repo.mkdir()
    assert shutil.which("draftlint", path=bare_path) is None
    subprocess.run([sys.executable, "-m", "checker", "init"], cwd=repo, env=env, check=True,
                   capture_output=True)
    (repo / "paid.txt").write_text("学习心得\n##paidbegin##\n付费内容。\n", encoding="utf-8")
    subprocess.run([GIT, "init", "-q"], cwd=repo, env=env, check=True)
    subprocess.run([GIT, "add", "-A"], cwd=repo, env=env, check=True)
    proc = subprocess.run([sys.executable, "-m", "pre_commit", "run", "--all-files"], cwd=repo,
                          env=env, capture_output=True, text=True, timeout=300)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert "paid.txt:2:1: M101" in out and "not found" not in out.lower()
