"""Precision and recall of draftlint on the real-draft study set (issue 19).

    draftlint check --no-cache --format json STUDY_DIR > results.json
    python bench/real_drafts.py results.json [--annotations docs/real-drafts/annotations.yaml]
                                [--texts STUDY_DIR]

``results.json`` is draftlint's JSON output on the study texts (``NN.txt``); the
annotations (docs/real-drafts/annotations.yaml) list every blank an editor finds and
every reported text an editor would keep, by position only. Per family (a code's letter)
of ``family_rules``, over the rules that are on by default:

* precision: findings on an annotated blank / findings on a blank or on legit text;
* recall: annotated blanks with a finding of the family at their position / all blanks.

Scores are given apart for the study sources (the rules were tuned on them) and for the
``validation`` sources (annotated by reading before draftlint ran on them).

Findings at a position the annotations do not mention are listed as unannotated (annotate
them, then run again). With ``--texts``, every annotated position is checked to lie
inside its line, so annotations that no longer fit their text are caught.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from checker.packs import load_rules  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
Key = tuple[str, int, int]


def load_annotations(path: Path) -> tuple[list[str], set[str], dict[Key, str], dict[Key, str]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    blanks = {(str(s), int(ln), int(col)): str(code) for s, ln, col, code, *_ in data["blanks"]}
    legit = {(str(s), int(ln), int(col)): str(code) for s, ln, col, code, *_ in data["legit"]}
    validation = {str(s) for s in data.get("validation", ())}
    return [str(f) for f in data["family_rules"]], validation, blanks, legit


def check_positions(texts: Path, keys: list[Key]) -> list[str]:
    problems = []
    for source, line, column in keys:
        path = texts / f"{source}.txt"
        if not path.is_file():
            problems.append(f"{source}: no text {path}")
            continue
        lines = path.read_text(encoding="utf-8").split("\n")
        if line > len(lines) or column > len(lines[line - 1]):
            problems.append(f"{source}:{line}:{column}: outside the text")
    return problems


def score(findings: list[dict], families: list[str], blanks: dict[Key, str],
          legit: dict[Key, str]) -> tuple[dict[str, dict[str, float | int]], list[str]]:
    default_on = {r.code for r in load_rules() if r.enabled}
    rows: dict[str, dict[str, float | int]] = {}
    unannotated: list[str] = []
    found: dict[str, set[Key]] = defaultdict(set)
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # true, false
    for f in findings:
        family = f["code"][0]
        if family not in families or f["code"] not in default_on:
            continue
        key = (Path(f["path"]).stem, int(f["line"]), int(f["column"]))
        if key in blanks:
            counts[family][0] += 1
            found[family].add(key)
        elif key in legit:
            counts[family][1] += 1
        else:
            unannotated.append(f"{key[0]}:{key[1]}:{key[2]} {f['code']} {f['message']}")
    for family in families:
        true, false = counts[family]
        total = sum(1 for code in blanks.values() if code[0] == family)
        rows[family] = {
            "findings": true + false, "true": true, "false": false, "blanks": total,
            "precision": true / (true + false) if true + false else float("nan"),
            "recall": len(found[family]) / total if total else float("nan"),
        }
    return rows, unannotated


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", type=Path, help="draftlint --format json output")
    parser.add_argument("--annotations", type=Path,
                        default=ROOT / "docs" / "real-drafts" / "annotations.yaml")
    parser.add_argument("--texts", type=Path, help="directory of the study texts NN.txt")
    args = parser.parse_args()
    families, validation, blanks, legit = load_annotations(args.annotations)
    if args.texts:
        problems = check_positions(args.texts, [*blanks, *legit])
        for p in problems:
            print("annotation:", p)
        if problems:
            return 2
    findings = json.loads(args.results.read_text(encoding="utf-8"))
    print("set         family  findings  true  false  blanks  precision  recall")
    unannotated: list[str] = []
    for name, keep in (("study", lambda s: s not in validation), ("validation", validation.__contains__)):
        subset = [f for f in findings if keep(Path(f["path"]).stem)]
        rows, missing = score(subset, families, {k: v for k, v in blanks.items() if keep(k[0])},
                              {k: v for k, v in legit.items() if keep(k[0])})
        unannotated += missing
        for family, r in rows.items():
            print(f"{name:<11} {family:<7} {r['findings']:>8} {r['true']:>5} {r['false']:>6}"
                  f" {r['blanks']:>7}  {r['precision']:>9.3f}  {r['recall']:>6.3f}")
    for u in unannotated:
        print("unannotated:", u)
    return 1 if unannotated else 0


if __name__ == "__main__":
    sys.exit(main())
