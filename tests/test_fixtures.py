"""Every fixture draft under tests/fixtures/ with its sidecar ``.expected`` file.

Sidecar format, one expected diagnostic a line, nothing else may be reported::

    # select: P,M          (optional; default ALL — which rules run for this fixture)
    3:5 P101               (line:column code)
    7:1 M101 message text  (optionally the exact message)

A fixture with an empty (or comments-only) sidecar must produce no diagnostic.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FIXTURES
from lintkit import lint_path

SUFFIXES = {".txt", ".md", ".docx"}
CASES = sorted(p for p in FIXTURES.rglob("*") if p.suffix in SUFFIXES
               and p.with_name(p.name + ".expected").is_file())


def parse_expected(path: Path) -> tuple[list[str], list[tuple[int, int, str, str | None]]]:
    select = ["ALL"]
    rows = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            key, _, value = line[1:].partition(":")
            if key.strip() == "select":
                select = [v.strip() for v in value.split(",") if v.strip()]
            continue
        pos, code, *rest = line.split(" ", 2)
        ln, col = pos.split(":")
        rows.append((int(ln), int(col), code, rest[0] if rest else None))
    return select, rows


def test_there_are_fixtures() -> None:
    assert len(CASES) >= 4


@pytest.mark.parametrize("path", CASES, ids=[str(p.relative_to(FIXTURES)) for p in CASES])
def test_fixture(path: Path) -> None:
    select, expected = parse_expected(path.with_name(path.name + ".expected"))
    diags = lint_path(path, select)
    got = [(d.line, d.column, d.code) for d in diags]
    assert got == [(ln, col, code) for ln, col, code, _ in expected], "\n".join(
        f"{d.line}:{d.column} {d.code} {d.message}" for d in diags)
    for d, (_, _, _, message) in zip(diags, expected):
        if message is not None:
            assert d.message == message
