"""A small run of the hostile-input fuzzer (tests/fuzz/fuzz_hostile.py) in the suite: the
same properties over a few dozen inputs each; the 100,000-input run is a script."""

from __future__ import annotations

from tests.fuzz.fuzz_hostile import docx_property, fix_property, text_property


def test_readers_and_rules_on_fuzzed_drafts() -> None:
    text_property(40, 7)()


def test_fix_changes_no_letter_and_no_line_ending_on_fuzzed_drafts() -> None:
    fix_property(40, 7)()


def test_docx_reader_on_fuzzed_and_damaged_files() -> None:
    docx_property(10, 7)()
