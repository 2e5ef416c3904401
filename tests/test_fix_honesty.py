"""Issue 21 item 5: a rule marked fixable is fixed by --fix (its own bad examples come out
clean), and a fix that changes words is applied only with --unsafe-fixes."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.config import Config
from checker.engine import bind_config, check_document, select_rules
from checker.fix import fix_data, fix_modes
from checker.packs import load_rules
from checker.readers import text as text_reader
from tests.conftest import run_cli

RULES = load_rules()
FIXABLE = [r for r in RULES if r.fixable]


def _fires(rule_code: str, text: str, config: Config, fmt: str = "md") -> bool:
    rules = bind_config(select_rules(RULES, config.with_values(select=(rule_code,))), config)
    doc = text_reader.read(text.encode("utf-8"), f"draft.{fmt}", fmt).document
    assert doc is not None
    return any(d.code == rule_code for d in check_document(doc, rules))


@pytest.mark.parametrize("rule", FIXABLE, ids=lambda r: r.code)
def test_every_fixable_rule_fixes_its_bad_examples(rule, tmp_path: Path) -> None:
    config = Config(tmp_path)
    selected = bind_config(select_rules(RULES, config.with_values(select=(rule.code,))), config)
    fixed_any = False
    fmt = "md" if "md" in rule.formats else "txt"  # L109: Markdown marks in plain text
    for example in rule.examples.get("bad", ()):
        if not _fires(rule.code, example, config, fmt):
            continue  # an example of another format (a .docx heading style): not fixable here
        result = fix_data(tmp_path / f"draft.{fmt}", example.encode("utf-8"), selected, config,
                          fix_modes(selected, unsafe=True))
        after = result.after.decode("utf-8")
        assert not _fires(rule.code, after, config, fmt), (rule.code, example, after)
        fixed_any = True
    assert fixed_any, f"{rule.code} is marked fixable but none of its bad examples is fixed"


def test_only_the_doubled_word_rule_is_unsafe() -> None:
    assert [r.code for r in RULES if r.unsafe_fix] == ["D101"]


DOUBLED = "学习心得体会\n\n我们要进一步提高落实落实中央八项规定精神的自觉性。\n"


def test_unsafe_fix_needs_the_option(tmp_path: Path) -> None:
    draft = tmp_path / "a.txt"
    draft.write_text(DOUBLED, encoding="utf-8")
    plain = run_cli("check", "--select", "D101", "a.txt", "--no-cache", cwd=tmp_path)
    assert "(1 more with --fix --unsafe-fixes)" in plain.stdout
    assert "fixable with --fix" not in plain.stdout
    run_cli("check", "--fix", "--select", "D101", "a.txt", "--no-cache", cwd=tmp_path)
    assert draft.read_text(encoding="utf-8") == DOUBLED
    diff = run_cli("check", "--diff", "--unsafe-fixes", "--select", "D101", "a.txt",
                   "--no-cache", cwd=tmp_path)
    assert "+我们要进一步提高落实中央八项规定精神的自觉性。" in diff.stdout
    assert draft.read_text(encoding="utf-8") == DOUBLED
    proc = run_cli("check", "--fix", "--unsafe-fixes", "--select", "D101", "a.txt",
                   "--no-cache", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert draft.read_text(encoding="utf-8") == DOUBLED.replace("落实落实", "落实")
