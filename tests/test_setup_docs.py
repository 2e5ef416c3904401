"""Issue 21 item 8: the README's set-up sections work as written.

* The pre-commit snippet pins a commit that exists (no release tag is claimed), and that
  commit's hook ends its options with ``--`` and skips excluded files.
* The GitHub Actions job is complete (checkout, install, ``--format github``, SARIF
  upload), and its ``run`` steps, executed in order in a scratch drafts repo with draftlint
  installed as the install step says (from a snapshot of this checkout), fail the job on a
  bad draft, write a valid SARIF file, and pass a clean repo.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
import sysconfig
from pathlib import Path

import jsonschema
import pytest
import yaml

from tests.conftest import ROOT
from tests.test_precommit import ENV, GIT, git, hook_repo  # noqa: F401  (a fixture)

README = ROOT / "README.md"
SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"
BAD = "学习心得体会\n\n学习不够深入,需要加强。\n##paidbegin##\n付费内容。\n"
CLEAN = "学习心得\n按照要求，现将有关情况报告如下：\n正文写完了。\n"


def _yaml_block(section: str, index: int = 0) -> str:
    text = README.read_text(encoding="utf-8").split(f"## {section}", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```yaml\n(.*?)```", text, re.S)[index]


def test_pre_commit_snippet_pins_an_existing_commit(tmp_path: Path) -> None:
    from pre_commit.clientlib import load_config

    snippet = _yaml_block("Pre-commit hook")
    (tmp_path / ".pre-commit-config.yaml").write_text(snippet, encoding="utf-8")
    config = load_config(str(tmp_path / ".pre-commit-config.yaml"))
    repo = config["repos"][0]
    assert repo["hooks"][0]["id"] == "draftlint" and "args" not in repo["hooks"][0]
    rev = repo["rev"]
    assert re.fullmatch(r"[0-9a-f]{40}", rev), f"rev {rev!r} is not a commit sha"
    if GIT is None or git(ROOT, "rev-parse", "--git-dir").returncode != 0:
        pytest.skip("not a git checkout: the pinned commit cannot be looked up")
    shown = git(ROOT, "show", f"{rev}:.pre-commit-hooks.yaml")
    assert shown.returncode == 0, f"{rev} is not a commit of this repository"
    entry = yaml.safe_load(shown.stdout)[0]["entry"].split()
    assert entry[-1] == "--" and "--force-exclude" in entry


def _workflow() -> dict:
    return yaml.safe_load(_yaml_block("In CI before publishing"))


def test_ci_job_is_complete() -> None:
    steps = _workflow()["jobs"]["draftlint"]["steps"]
    uses = [s.get("uses", "") for s in steps]
    runs = [s.get("run", "") for s in steps]
    assert uses[0].startswith("actions/checkout@")
    assert any(r.startswith("pip install ") and "draftlint" in r for r in runs)
    assert any(shlex.split(r)[:2] == ["draftlint", "check"] and "github" in r for r in runs)
    upload = [s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif@")]
    assert upload and upload[0]["with"]["sarif_file"] == "draftlint.sarif"
    assert upload[0].get("if") == "always()"
    perms = _workflow()["jobs"]["draftlint"]["permissions"]
    assert perms["security-events"] == "write"


def _outer_packages(tmp_path: Path) -> Path:
    """A folder of links to this test run's installed packages but draftlint itself: the
    install step must install draftlint (a regular install of it in the run's environment,
    as the README's second command makes, would satisfy pip and leave no command)."""
    shelf = tmp_path / "outer-packages"
    shelf.mkdir()
    for entry in Path(sysconfig.get_paths()["purelib"]).iterdir():
        name = entry.name.lower()
        if name == "checker" or name.startswith(("draftlint", "__editable__")) \
                or name.endswith(".pth"):
            continue
        (shelf / entry.name).symlink_to(entry)
    return shelf


def _install_env(tmp_path: Path, snapshot: Path, sha: str) -> dict[str, str]:
    """A fresh virtual environment for the install step, seeing this test run's packages
    (so pip downloads no dependency), and the environment the run steps get."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    site = subprocess.run([str(venv / "bin" / "python"), "-c",
                           "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    Path(site, "outer.pth").write_text(f"{_outer_packages(tmp_path)}\n", encoding="utf-8")
    path = os.pathsep.join([str(venv / "bin"), os.environ.get("PATH", "")])
    return {**ENV, "PATH": path, "VIRTUAL_ENV": str(venv), "PIP_DISABLE_PIP_VERSION_CHECK": "1"}


def _run_steps(repo: Path, env: dict[str, str], steps: list[dict], url: str) -> list[int]:
    """Run each ``run`` step in order, as a runner does: stop at the first that fails."""
    codes = []
    for step in steps:
        if "run" not in step:
            continue
        command = step["run"].replace("git+https://github.com/draftlint/draftlint", url)
        proc = subprocess.run(["bash", "-e", "-c", command], cwd=repo, env=env,
                              capture_output=True, text=True, timeout=900)
        codes.append(proc.returncode)
        step["output"] = proc.stdout + proc.stderr
        if proc.returncode != 0:
            break
    return codes


@pytest.mark.skipif(sys.platform == "win32", reason="the job runs on ubuntu")
def test_ci_job_runs_step_by_step(tmp_path: Path, hook_repo: tuple[Path, str]) -> None:  # noqa: F811
    snapshot, sha = hook_repo
    steps = _workflow()["jobs"]["draftlint"]["steps"]
    install = next(s for s in steps if s.get("run", "").startswith("pip install "))
    install["run"] = re.sub(r"@[0-9a-fA-F]{40}\"|@SHA_OF_A_COMMIT\"", f'@{sha}"', install["run"])
    env = _install_env(tmp_path, snapshot, sha)
    url = f"git+file://localhost{snapshot.as_posix()}"  # PEP 508 wants a host

    drafts = tmp_path / "drafts"
    drafts.mkdir()
    (drafts / "心得.txt").write_text(BAD, encoding="utf-8")
    codes = _run_steps(drafts, env, steps, url)
    assert codes == [0, 0, 1], [s.get("output", "")[-2000:] for s in steps]
    github = next(s for s in steps if "--format github" in s.get("run", ""))["output"]
    assert "::error file=心得.txt,line=4,col=1," in github
    log = json.loads((drafts / "draftlint.sarif").read_text(encoding="utf-8"))
    jsonschema.validate(log, json.loads(SCHEMA.read_text(encoding="utf-8")),
                        cls=jsonschema.Draft4Validator)
    assert any(r["ruleId"] == "M101" for r in log["runs"][0]["results"])

    (drafts / "心得.txt").write_text(CLEAN, encoding="utf-8")
    clean_steps = [s for s in steps if "pip install" not in s.get("run", "")]
    assert _run_steps(drafts, env, clean_steps, url) == [0, 0]
