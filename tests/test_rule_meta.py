"""Meta-tests: every rule is documented, has examples that behave, and has fixtures."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from checker.config import Config
from checker.engine import bind_config, select_rules
from checker.packs import ConfigError, _Deferred, load_rules
from lintkit import lint_text
from test_fixtures import CASES, parse_expected

from checker.checks import kind_module

RULES = load_rules()
# Cross-document kinds (CORPUS = True) never fire on one file: tests/test_corpus.py runs
# their examples as two-file repos and holds their firing and silent fixture folders.
CHECKED = [r for r in RULES if r.kind != "input"
           and not getattr(kind_module(r.kind), "CORPUS", False)]


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_shipped_options_are_valid(rule) -> None:
    """A shipped rule's options are validated on first use (packs._Deferred), which
    raises ConfigError on a mistake: here, each is read."""
    assert set(rule.options) == set(getattr(kind_module(rule.kind), "OPTIONS", {}))


def test_a_narrow_selection_loads_only_its_kinds() -> None:
    """Loading the packs imports no check module and compiles no pattern until a rule's
    options are used: ``--select D201`` pays for D201 (and the leak rules that mask
    secrets), not for every kind (about 0.1 s of each start)."""
    code = ("import sys; from checker.packs import load_rules; rules = load_rules(); "
            "d201 = next(r for r in rules if r.code == 'D201'); d201.options['min-length']; "
            "print(sorted(m for m in sys.modules if m.startswith('checker.checks.')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "['checker.checks.corpus_duplicate']"


def test_a_selected_shipped_rule_with_a_bad_option_is_a_config_error() -> None:
    """Selected, its options are validated before any file is checked (exit 2), not
    when a check first reads them (an E900 on every file)."""
    bad = next(r for r in RULES if r.kind != "input"  # a kind that binds nothing
               and not hasattr(kind_module(r.kind), "configure"))
    bad = replace(bad, options=_Deferred(bad.kind, {"no-such-option": 1}, "x.yaml", bad.code))
    with pytest.raises(ConfigError, match="no-such-option"):
        bind_config([bad], Config(Path(".")))


def test_codes_and_names_unique() -> None:
    assert len({r.code for r in RULES}) == len(RULES)
    assert len({r.name for r in RULES}) == len(RULES)


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_rule_is_documented(rule) -> None:
    assert len(rule.docs) >= 40, "docs should say what the rule finds and why it matters"
    assert rule.examples["bad"] and rule.examples["good"], "needs a failing and a passing example"
    assert rule.message


def _fixture_rows() -> tuple[set[str], set[str]]:
    fired, silent_in = set(), set()
    for path in CASES:
        select, rows = parse_expected(path.with_name(path.name + ".expected"))
        fired.update(code for _, _, code, _ in rows)
        selected = select_rules(RULES, Config(path.parent).with_values(select=tuple(select)))
        silent_in.update({r.code for r in selected} - {code for _, _, code, _ in rows})
    return fired, silent_in


@pytest.mark.parametrize("rule", CHECKED, ids=[r.code for r in CHECKED])
def test_rule_has_firing_and_silent_fixture(rule) -> None:
    fired, silent_in = _fixture_rows()
    assert rule.code in fired, f"no fixture shows {rule.code} firing"
    assert rule.code in silent_in, f"no fixture shows {rule.code} silent"


def _example_suffix(rule) -> str:
    return ".md" if rule.formats == ("md",) else ".txt"


@pytest.mark.parametrize("rule", CHECKED, ids=[r.code for r in CHECKED])
def test_examples_behave(rule) -> None:
    """The documented examples are executable: bad ones fire the rule, good ones do not."""
    for example in rule.examples["bad"]:
        got = [d.code for d in lint_text(example, [rule.code], suffix=_example_suffix(rule))]
        assert rule.code in got, f"bad example does not fire {rule.code}: {example!r}"
    for example in rule.examples["good"]:
        got = [d.code for d in lint_text(example, [rule.code], suffix=_example_suffix(rule))]
        assert rule.code not in got, f"good example fires {rule.code}: {example!r}"
