"""The cache directory: where it is (``cache-dir``), how it is made (a ``.gitignore`` of
``*`` as Ruff's, and a ``CACHEDIR.TAG``), and whether it can be trusted (a directory
that git tracks came with someone's commit: :mod:`checker.cache` does not use it)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from checker.config import Config
from checker.i18n import tr
from checker.packs import ConfigError

MARKER = "CACHEDIR.TAG"
MARKER_TEXT = ("Signature: 8a477f597d28d172789f06886806bc55\n"
               "# This directory is draftlint's cache (results and fingerprints); "
               "'draftlint clean' removes it.\n")


def cache_dir(config: Config, override: Path | None = None) -> Path:
    """The cache directory: ``--cache-dir`` (relative to the cwd) or ``cache-dir``
    (relative to the configuration root). Never the root itself or above it."""
    directory = override.resolve() if override is not None else (
        config.resolved_root / config["cache-dir"]).resolve()
    if directory == config.resolved_root or directory in config.resolved_root.parents:
        raise ConfigError(tr("error.cache-dir", path=directory))
    return directory


def prepare_dir(directory: Path) -> None:
    """Create the directory with a ``.gitignore`` and ``CACHEDIR.TAG`` (only when it is new
    or empty: never write into a directory of the user's)."""
    fresh = not directory.exists() or not any(directory.iterdir())
    directory.mkdir(parents=True, exist_ok=True)
    if fresh:
        for name, text in ((".gitignore", "# created by draftlint\n*\n"), (MARKER, MARKER_TEXT)):
            tmp = directory / f".{name}.{os.getpid()}.tmp"
            tmp.write_text(text, encoding="utf-8")
            os.replace(tmp, directory / name)


def tracked_by_git(directory: Path) -> bool:
    """True when git tracks a file in ``directory`` (its content came with a checkout)."""
    if not directory.is_dir() or not any((p / ".git").exists() for p in
                                         (directory, *directory.parents)):
        return False
    try:
        proc = subprocess.run(["git", "ls-files", "-z", "--", "."], cwd=directory,
                              capture_output=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return False
    return proc.returncode == 0 and bool(proc.stdout)
