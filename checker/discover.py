"""Discovery: the files a run checks, once each, in a stable order.

Files named on the command line are checked whatever their extension; directories are
walked for the configured extensions, skipping the configured exclusions.
"""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from checker.config import Config
from checker.i18n import tr
from checker.readers.base import InputProblem, os_problem

# Directories deeper than this below a checked path are not entered (E011).
MAX_DEPTH = 64


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A file to check: ``path`` as the user named it (diagnostics show it) and ``key``,
    its absolute path (identity for de-duplication and in the result cache)."""

    path: Path
    key: str


def walk(paths: Iterable[Path], config: Config,
         max_depth: int = MAX_DEPTH) -> Iterator[tuple[SourceFile, InputProblem | None]]:
    """Yield ``(file, None)`` for each file to check, once, and ``(path, problem)`` for
    what cannot be walked (an unreadable directory, a symbolic-link loop, nesting deeper
    than ``max_depth``). Files named explicitly are checked whatever their extension;
    directories are walked for the configured extensions in sorted order, iteratively (no
    recursion limit), without following symlinked directories (no loops); with
    ``force-exclude``, a path named explicitly is skipped when it is excluded. Exclusion globs
    match strings built as the walk descends, and absolute paths are resolved once per
    argument: discovery is part of every warm run, so it must not touch each file twice."""
    exts = {e.lower() if e.startswith(".") else "." + e.lower() for e in config["extensions"]}
    excluded = config.exclusion.matches
    seen: set[str] = set()
    forced = config["force-exclude"]
    for path in paths:
        if forced and config.is_excluded(path):
            continue  # named explicitly (by pre-commit), excluded all the same
        if not path.is_dir():
            key = _real(path)
            if key not in seen:
                seen.add(key)
                yield SourceFile(path, key), None
            continue
        rel_top = config.relative(path)
        stack = [(path, _real(path), "" if rel_top == "." else rel_top + "/", 0)]
        while stack:
            directory, abs_dir, rel_dir, depth = stack.pop()
            try:
                with os.scandir(directory) as it:
                    entries = sorted(it, key=lambda e: e.name)
            except OSError as exc:
                yield SourceFile(directory, abs_dir), os_problem(exc, "directory")
                continue
            subdirs: list[str] = []
            for entry in entries:
                name = entry.name
                try:
                    is_dir = entry.is_dir(follow_symlinks=False)
                except OSError:
                    is_dir = False
                if is_dir:
                    if not (excluded(rel_dir + name) or excluded(name)):
                        subdirs.append(name)
                    continue
                if os.path.splitext(name)[1].lower() not in exts:
                    continue
                if excluded(rel_dir + name) or excluded(name):
                    continue
                item = directory / name
                key = os.path.join(abs_dir, name)
                if entry.is_symlink():
                    if _is_loop(item):
                        yield SourceFile(item, key), InputProblem(
                            "E012", tr("input.link-loop-walk"))
                        continue
                    key = _real(item)
                if key not in seen:
                    seen.add(key)
                    yield SourceFile(item, key), None
            if subdirs and depth >= max_depth:
                yield SourceFile(directory, abs_dir), InputProblem(
                    "E011", tr("input.too-deep", limit=max_depth, n=len(subdirs)))
                continue
            stack.extend((directory / d, os.path.join(abs_dir, d), f"{rel_dir}{d}/", depth + 1)
                         for d in reversed(subdirs))


def _real(path: Path) -> str:
    return os.path.realpath(path)  # never raises on a symlink loop (Path.resolve does in 3.11)


def _is_loop(path: Path) -> bool:
    try:
        os.stat(path)
    except OSError as exc:
        return exc.errno == errno.ELOOP
    return False


def discover_files(paths: Iterable[Path], config: Config) -> Iterator[Path]:
    """Each file to check, once (see :func:`walk`; walking problems are left out)."""
    return (f.path for f, problem in walk(paths, config) if problem is None)
