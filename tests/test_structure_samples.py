"""The S family on the five real drafts (development workspace only): exactly the
structure and numbering defects an editor finds in them, and nothing else."""

from __future__ import annotations

from pathlib import Path

from lintkit import lint_path

EXPECTED = {
    # closing paragraph followed by a private note left at the end
    "002_892755c406186f28.txt": [(27, "S207")],
    # half-width (一) throughout (each heading); a paragraph cut off after "，"; (六) with
    # nothing under it
    "003_3197f6daf3feb7e7.txt": [(9, "S106"), (13, "S106"), (14, "S209"), (16, "S106"),
                                 (20, "S106"), (22, "S106"), (25, "S106"), (25, "S208"),
                                 (27, "S106"), (28, "S106"), (29, "S106"), (31, "S106"),
                                 (32, "S106"), (33, "S106")],
    # no title (the first line is the opening); "是争创一流" lost its 一
    "004_3e0505d78ab52181.txt": [(1, "S201"), (12, "S103")],
}


def test_samples_structure(samples: Path) -> None:
    got = {}
    for path in sorted(samples.glob("*.txt")):
        diags = [(d.line, d.code) for d in lint_path(path, ["S"])]
        if diags:
            got[path.name] = diags
    assert got == EXPECTED
