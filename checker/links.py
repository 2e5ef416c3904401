"""Where the project lives: one place for the repository's address and each rule's page.

Each rule has an anchor in the README's rule table, its code in lower case (``#m101``):
codes never change meaning, so the anchor is stable. SARIF's ``helpUri`` points there.
"""

from __future__ import annotations

REPOSITORY = "https://github.com/draftlint/draftlint"
README = f"{REPOSITORY}/blob/main/README.md"


def rule_anchor(code: str) -> str:
    return code.lower()


def rule_url(code: str) -> str:
    """The rule's row in the README's rule table on the project's repository."""
    return f"{README}#{rule_anchor(code)}"
