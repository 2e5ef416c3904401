"""Keep README.md's rule table in step with the packs.

``python tests/readme_rules.py`` rewrites the table between the rules-table markers;
``tests/test_readme.py`` fails when it is out of date.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DRAFTLINT_LANGUAGE", "en")  # the README is English, whatever the locale

from checker.links import rule_anchor  # noqa: E402
from checker.packs import load_rules  # noqa: E402

README = Path(__file__).resolve().parent.parent / "README.md"
START, END = "<!-- rules-table:start -->", "<!-- rules-table:end -->"


def table() -> str:
    rows = ["| code | name | severity | default | fix | what it finds |", "|---|---|---|---|---|---|"]
    for r in load_rules():
        summary = r.summary.replace("|", "\\|")
        rows.append(f"| <a id=\"{rule_anchor(r.code)}\"></a>{r.code} | {r.name} | {r.severity} | {'on' if r.enabled else 'off'} | "
                    f"{('unsafe' if r.unsafe_fix else 'yes') if r.fixable else ''} | {summary} |")
    return "\n".join(rows)


def current() -> str:
    text = README.read_text(encoding="utf-8")
    return text.split(START, 1)[1].split(END, 1)[0].strip()


def rewrite() -> None:
    text = README.read_text(encoding="utf-8")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    README.write_text(f"{head}{START}\n{table()}\n{END}{tail}", encoding="utf-8")


if __name__ == "__main__":
    rewrite()
