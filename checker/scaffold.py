"""``draftlint init``: a commented configuration and a pre-commit hook for a drafts repo.

The configuration lists every key of :data:`checker.config.KEYS` with its meaning and an
example, commented out, so it stays in step with the keys the code accepts. Nothing that
exists is overwritten.
"""

from __future__ import annotations

import shlex
import shutil
import sys
from pathlib import Path
from typing import Any

import yaml

from checker import __version__
from checker.config import KEYS
from checker.i18n import tr

CONFIG_NAME = ".draftlint.yaml"
PRE_COMMIT_NAME = ".pre-commit-config.yaml"
BASELINE_NAME = ".draftlint-baseline.json"

# Values that show a key better than its default (None or empty).
EXAMPLES: dict[str, Any] = {
    "select": ["P", "M", "E"],
    "extend-select": ["E101"],
    "ignore": ["E005"],
    "per-file-ignores": {"templates/**": ["P"]},
    "packs": ["rules/house-style.yaml"],
    "extend-exclude": ["archive/", "*.bak.txt"],
    "rules": {"P101": {"severity": "warning"}},
    "library": "library-index",
    "language": "zh-CN",
}

def hook_command() -> str:
    """How the hook runs draftlint: ``draftlint`` when the one on PATH is this
    installation, else this installation's Python by its full path (draftlint installed
    in a virtual environment that is not activated when git runs the hook)."""
    here = Path(sys.executable).parent
    found = shutil.which("draftlint")
    if found is not None and Path(found).parent == here:
        return "draftlint"
    return f"{shlex.quote(sys.executable)} -m checker"


def hook_text(command: str = "draftlint") -> str:
    """The local hook. The entry ends with ``--``: pre-commit appends the staged files'
    names, and one named like an option must stay a path; ``--force-exclude`` keeps
    excluded files out although they are named."""
    return f"""\
      - id: draftlint
        name: draftlint
        entry: {command} check --force-exclude --
        language: system        # this draftlint (pre-commit does not install it)
        files: \\.(txt|text|md|markdown|docx)$
        require_serial: true    # one process sees every file (it parallelises itself)
        # Options go before the final --, e.g.:
        # entry: {command} check --force-exclude --baseline {BASELINE_NAME} --
"""


def pre_commit_text(command: str = "draftlint") -> str:
    return f"""\
# pre-commit hooks (https://pre-commit.com), written by `draftlint init`.
# Install them once per clone with: pre-commit install
repos:
  - repo: local
    hooks:
{hook_text(command)}"""


def _yaml_value(value: Any) -> str:
    if isinstance(value, tuple):
        value = list(value)
    return yaml.safe_dump(value, default_flow_style=True, allow_unicode=True,
                          width=1000).strip().removesuffix("...").strip()


def config_text() -> str:
    """The commented configuration, in the current language (each key's meaning is the
    catalogue's ``config.KEY``)."""
    lines = [tr("init.header", version=__version__), ""]
    for key, (_kind, default) in KEYS.items():
        example = key in EXAMPLES or default in (None, (), {})
        value = EXAMPLES.get(key, default)
        doc = tr(f"config.{key}")  # every key has one (tests/test_i18n.py)
        lines.append(f"# {doc[0].upper()}{doc[1:]}" + (tr("init.example") if example else ""))
        lines.append(f"# {key}: {_yaml_value(value)}")
        lines.append("")
    return "\n".join(lines)


def init(directory: Path) -> tuple[list[Path], str]:
    """Write the configuration (and the pre-commit configuration when there is none).
    Return the files written and a note for the user. Raises FileExistsError if a
    draftlint configuration is already there."""
    config = directory / CONFIG_NAME
    for existing in (config, directory / ".draftlint.yml"):
        if existing.exists():
            raise FileExistsError(existing)
    pyproject = directory / "pyproject.toml"
    if pyproject.is_file() and "[tool.draftlint]" in pyproject.read_text(encoding="utf-8",
                                                                        errors="replace"):
        raise FileExistsError(pyproject)
    command = hook_command()
    written = []
    with open(config, "x", encoding="utf-8") as fh:  # "x": never replace a file
        fh.write(config_text())
    written.append(config)
    pre_commit = directory / PRE_COMMIT_NAME
    if pre_commit.exists():
        note = tr("init.hook-exists", path=pre_commit, hook=hook_text(command))
    else:
        with open(pre_commit, "x", encoding="utf-8") as fh:
            fh.write(pre_commit_text(command))
        written.append(pre_commit)
        note = tr("init.install-hook")
    return written, note
