"""Shared test helpers. Tests run against the installed package and CLI."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# DRAFTLINT_SAMPLES points elsewhere when the checkout is not beside ../shared (a worktree).
SAMPLES = Path(os.environ.get("DRAFTLINT_SAMPLES") or ROOT.parent / "shared" / "samples")

# The tests that assert message texts are written against the English texts: every
# draftlint they start (directly, through pre-commit or git) speaks English, whatever the
# machine's locale; the tests of the languages (test_i18n.py) choose theirs explicitly.
os.environ["DRAFTLINT_LANGUAGE"] = "en"  # (not the locale: other programs use it too)


@pytest.fixture(autouse=True)
def _english() -> None:
    """In-process runs speak English too (a test that calls main() may switch it)."""
    from checker.i18n import set_language

    set_language("en")


def draftlint_exe() -> list[str]:
    exe = shutil.which("draftlint", path=str(Path(sys.executable).parent) + os.pathsep
                       + os.environ.get("PATH", ""))
    return [exe] if exe else [sys.executable, "-m", "checker"]


def run_cli(*args: str, cwd: Path | None = None, input: str | None = None,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run the installed ``draftlint`` as a subprocess (``env``: variables to change)."""
    return subprocess.run([*draftlint_exe(), *args], cwd=cwd, capture_output=True, text=True,
                          encoding="utf-8", input=input, timeout=300,
                          env=None if env is None else {**os.environ, **env})


@pytest.fixture
def samples() -> Path:
    if not SAMPLES.is_dir():
        pytest.skip("../shared/samples is not present (only in the development workspace)")
    return SAMPLES
