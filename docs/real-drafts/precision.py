"""Precision of the default-on S and D1 rules on the real-draft study set.

Usage::

    python docs/real-drafts/precision.py [--annotations FILE] DIR [DIR ...]

Each DIR holds the study texts (``NN.txt``) saved from public pages (they are not in the
repository: see docs/real-drafts.md for the sources). A draft is named ``DIRNAME/NN``
(e.g. ``study-s/04``). The pages corpus stores text with full-width punctuation folded
to ASCII (``，`` -> ``,``, ``（一）`` -> ``(一)``); each text is first given its
full-width punctuation back wherever an ASCII mark touches a Chinese character, so
that the typography of the corpus does not count as the writer's.

Every finding of the default-on S and D1 rules is looked up in the annotations
(structure-annotations.yaml beside this file: draft, code, line, column and the
editor's verdict: keep, reject, or excerpt when the page or the stored excerpt made it,
not the writer). The script prints the precision per rule (kept / kept and rejected)
and lists the findings nobody has judged yet; it exits 1 when there are any.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import yaml

from checker.config import Config
from checker.engine import check_file, load_selected

HERE = Path(__file__).resolve().parent
HAN = r"[\u3400-\u9fff“”‘’（）《》]"
FULL = {",": "，", ":": "：", ";": "；", "(": "（", ")": "）", "!": "！", "?": "？"}
_FOLDED = re.compile(rf"(?<={HAN})[,:;!?()]|[,:;!?()](?={HAN})")


def restore(text: str) -> str:
    """ASCII punctuation that touches a Chinese character back to full width."""
    return _FOLDED.sub(lambda m: FULL[m.group()], text)


def findings(dirs: list[Path], select: tuple[str, ...]) -> list[tuple[str, int, int, str, str]]:
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        cfg = Config(Path(tmp)).with_values(select=select)
        known, selected = load_selected(cfg)
        rules = {r.code: r for r in known}
        for d in dirs:
            for path in sorted(d.glob("*.txt")):
                draft = f"{d.name}/{path.stem}"
                work = Path(tmp) / f"{d.name}-{path.name}"
                work.write_text(restore(path.read_text(encoding="utf-8")), encoding="utf-8")
                _doc, diags = check_file(work, selected, cfg, rules)
                for g in sorted(diags):
                    if g.code.startswith(("S", "D1", "E9")):  # E9: a rule failed
                        out.append((draft, g.line, g.column, g.code, g.message))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dirs", nargs="+", type=Path)
    ap.add_argument("--annotations", type=Path, default=HERE / "structure-annotations.yaml")
    args = ap.parse_args(argv)
    data = yaml.safe_load(args.annotations.read_text(encoding="utf-8")) or {}
    verdicts = {(a["draft"], a["code"], a["line"], a["column"]): a["verdict"]
                for a in data.get("findings", [])}
    drafts = sum(len(list(d.glob("*.txt"))) for d in args.dirs)
    kept: dict[str, int] = defaultdict(int)
    judged: dict[str, int] = defaultdict(int)
    artefacts: dict[str, int] = defaultdict(int)
    unjudged = []
    for draft, line, col, code, message in findings(args.dirs, ("S", "D1")):
        verdict = verdicts.get((draft, code, line, col))
        if verdict is None:
            unjudged.append(f"{draft}:{line}:{col}: {code} {message}")
            continue
        if verdict == "excerpt":  # the page or the excerpt made it, not the writer
            artefacts[code] += 1
            continue
        judged[code] += 1
        kept[code] += verdict == "keep"
    print(f"{drafts} drafts; default-on S and D1 rules")
    for code in sorted(set(judged) | set(artefacts)):
        figure = f"precision {kept[code] / judged[code]:.2f}" if judged[code] else "no finding"
        print(f"{code}: {kept[code]}/{judged[code]} kept, {figure} "
              f"({artefacts[code]} made by the excerpt, not counted)")
    total_kept, total = sum(kept.values()), sum(judged.values())
    if total:
        print(f"all: {total_kept}/{total} kept, precision {total_kept / total:.2f}")
    for row in unjudged:
        print("unjudged:", row)
    return 1 if unjudged else 0


if __name__ == "__main__":
    sys.exit(main())
