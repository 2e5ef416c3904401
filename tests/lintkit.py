"""Run the real engine over a file or a string, for tests (no mocks)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Sequence

from checker.config import Config
from checker.model import Diagnostic
from checker.engine import check_file, load_selected


def lint_path(path: Path, select: Sequence[str] = ("ALL",), **config: object) -> list[Diagnostic]:
    cfg = Config(path.parent.resolve()).with_values(select=tuple(select), **config)
    known, selected = load_selected(cfg)
    _doc, diags = check_file(path, selected, cfg, {r.code: r for r in known})
    return sorted(diags)


def lint_text(text: str, select: Sequence[str] = ("ALL",), suffix: str = ".txt",
              **config: object) -> list[Diagnostic]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"draft{suffix}"
        path.write_text(text, encoding="utf-8")
        return lint_path(path, select, **config)


def codes(diags: Sequence[Diagnostic]) -> list[str]:
    return [d.code for d in diags]


def triples(diags: Sequence[Diagnostic]) -> list[tuple[int, int, str]]:
    return [(d.line, d.column, d.code) for d in diags]
