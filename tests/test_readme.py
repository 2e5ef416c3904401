"""The README stays true: its rule table matches the packs, its Quickstart is two commands."""

from __future__ import annotations

import re

from readme_rules import README, current, table


def test_rule_table_is_current() -> None:
    assert current() == table(), "README rule table is stale: run python tests/readme_rules.py"


def test_quickstart_is_two_commands() -> None:
    text = README.read_text(encoding="utf-8")
    block = re.search(r"## Quickstart\s+```sh\n(.*?)```", text, re.S)
    assert block is not None
    commands = [line for line in block.group(1).splitlines() if line.strip()]
    assert len(commands) == 2
    assert "draftlint check examples/" in commands[0]
    assert "pytest" in commands[1] and "[test]" in commands[1]


def test_every_configuration_key_is_documented() -> None:
    from checker.config import KEYS

    text = README.read_text(encoding="utf-8")
    table = text.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    missing = [key for key in KEYS if f"| `{key}` |" not in table]
    assert not missing, f"README configuration table lacks {missing}"


def test_every_shipped_template_is_listed() -> None:
    from checker.templates import builtin_template_files, load_template

    text = README.read_text(encoding="utf-8")
    for path in builtin_template_files():
        template = load_template(path)
        assert f"| `{template.id}` | {template.label} |" in text, path.name
