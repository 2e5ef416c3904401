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


def draftlint_exe() -> list[str]:
    exe = shutil.which("draftlint", path=str(Path(sys.executable).parent) + os.pathsep
                       + os.environ.get("PATH", ""))
    return [exe] if exe else [sys.executable, "-m", "checker"]


def run_cli(*args: str, cwd: Path | None = None, input: str | None = None) -> subprocess.CompletedProcess:
    """Run the installed ``draftlint`` as a subprocess."""
    return subprocess.run([*draftlint_exe(), *args], cwd=cwd, capture_output=True, text=True,
                          encoding="utf-8", input=input, timeout=300)


@pytest.fixture
def samples() -> Path:
    if not SAMPLES.is_dir():
        pytest.skip("../shared/samples is not present (only in the development workspace)")
    return SAMPLES
