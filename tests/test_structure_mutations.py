"""Mutation tests: every shipped template's clean draft passes with no S diagnostic, and
removing, reordering or renumbering any part of it gives the right code at the right line.

Each clean draft is ``tests/fixtures/structure/clean-<template>.txt``; its parts (the
``一、`` lines) and what the template makes of them are written out below by hand, so the
expectations do not come from the code under test.
"""

from __future__ import annotations

import re

import pytest

from checker.ordinals import int_to_cn
from checker.templates import builtin_template_files
from conftest import FIXTURES
from lintkit import lint_text, triples

DRAFTS = FIXTURES / "structure"
PART = re.compile(r"^([一二三四五六七八九十]+)、")
SUB = re.compile(r"^（([一二三四五六七八九十]+)）")

# per clean draft: for each part in order, (known to the template?, required?)
PARTS: dict[str, list[tuple[bool, bool]]] = {
    "self-examination": [(True, False), (True, True), (True, True), (True, True)],
    "work-report": [(False, False), (False, False), (True, False), (True, True), (True, True)],
    "work-summary": [(True, False), (True, True), (True, True)],
    "study-reflection": [(True, False), (True, False), (True, False)],
}


def test_every_shipped_template_has_a_clean_draft() -> None:
    shipped = {p.stem for p in builtin_template_files()}
    assert shipped == set(PARTS)
    for name in shipped:
        assert (DRAFTS / f"clean-{name}.txt").is_file()


def _load(name: str) -> tuple[list[str], list[list[str]], list[str]]:
    """(head lines, parts as line lists, tail lines: the closing)."""
    lines = (DRAFTS / f"clean-{name}.txt").read_text(encoding="utf-8").splitlines()
    starts = [i for i, line in enumerate(lines) if PART.match(line)]
    end = len(lines)
    if lines[-1].startswith("以上"):
        end -= 1
    parts = [lines[s:(starts[k + 1] if k + 1 < len(starts) else end)]
             for k, s in enumerate(starts)]
    assert len(parts) == len(PARTS[name])
    return lines[:starts[0]], parts, lines[end:]


def _renumber(parts: list[list[str]], first: int = 1, skip_from: int | None = None) -> list[list[str]]:
    out = []
    n = first
    for k, part in enumerate(parts):
        if skip_from is not None and k == skip_from:
            n += 1
        head = PART.sub(int_to_cn(n) + "、", part[0], count=1)
        out.append([head, *part[1:]])
        n += 1
    return out


def _join(head: list[str], parts: list[list[str]], tail: list[str]) -> tuple[str, list[int]]:
    """The draft text and the 1-based line of each part heading."""
    lines = list(head)
    at = []
    for part in parts:
        at.append(len(lines) + 1)
        lines.extend(part)
    lines.extend(tail)
    return "\n".join(lines) + "\n", at


def _s(text: str) -> list[tuple[int, str]]:
    return [(ln, code) for ln, _col, code in triples(lint_text(text, ["S"]))]


@pytest.mark.parametrize("name", sorted(PARTS))
def test_clean_draft_is_clean(name: str) -> None:
    head, parts, tail = _load(name)
    text, _ = _join(head, parts, tail)
    assert _s(text) == []


def _cases() -> list[tuple[str, str, int]]:
    out = []
    for name, spec in sorted(PARTS.items()):
        for k in range(len(spec)):
            out.append((name, "remove", k))
            out.append((name, "skip", k))
            if k + 1 < len(spec) and spec[k][0] and spec[k + 1][0]:
                out.append((name, "swap", k))
            if k + 1 < len(spec):
                out.append((name, "drop-ordinal", k))
    return out


@pytest.mark.parametrize("name,mutation,k", _cases(),
                         ids=[f"{n}-{m}-{k}" for n, m, k in _cases()])
def test_part_mutation(name: str, mutation: str, k: int) -> None:
    head, parts, tail = _load(name)
    spec = PARTS[name]
    if mutation == "remove":
        rest = parts[:k] + parts[k + 1:]
        text, at = _join(head, _renumber(rest), tail)
        known, required = spec[k]
        if not required:
            expected = []
        else:
            later = [j for j in range(k + 1, len(spec)) if spec[j][0]]
            earlier = [j for j in range(k) if spec[j][0]]
            line = at[later[0] - 1] if later else at[earlier[-1]]
            expected = [(line, "S204")]
    elif mutation == "swap":
        swapped = parts[:k] + [parts[k + 1], parts[k]] + parts[k + 2:]
        text, at = _join(head, _renumber(swapped), tail)
        expected = [(at[k], "S205")]
    elif mutation == "skip":
        text, at = _join(head, _renumber(parts, skip_from=k), tail)
        expected = [(at[k], "S101")]
    else:  # drop-ordinal: the part heading loses its 一、
        words = PART.sub("", parts[k][0], count=1)
        mutated = [*parts[:k], [words, *parts[k][1:]], *parts[k + 1:]]
        text, at = _join(head, mutated, tail)
        if len(words) <= 30 and not re.search(r"[。；：]", words):
            expected = [(at[k], "S107")]
        else:  # a long heading cannot be told from a paragraph: the gap shows at the next
            expected = [(at[k + 1], "S101")]
            if spec[k][1]:
                later = [j for j in range(k + 1, len(spec)) if spec[j][0]]
                expected.append((at[later[0]], "S204"))
    assert _s(text) == sorted(expected), text


@pytest.mark.parametrize("name", sorted(PARTS))
def test_subsection_skip(name: str) -> None:
    """Renumbering a （N） subsection (and its later siblings) is S101 at that line."""
    lines = (DRAFTS / f"clean-{name}.txt").read_text(encoding="utf-8").splitlines()
    groups: list[list[int]] = []
    for i, line in enumerate(lines):
        if PART.match(line):
            groups.append([])
        elif SUB.match(line) and groups:
            groups[-1].append(i)
    mutated = 0
    for group in groups:
        for j in range(1, len(group)):
            copy = list(lines)
            for n, i in enumerate(group[j:], start=j + 2):
                copy[i] = SUB.sub(f"（{int_to_cn(n)}）", copy[i], count=1)
            assert _s("\n".join(copy)) == [(group[j] + 1, "S101")]
            mutated += 1
    if name in ("self-examination", "work-summary"):
        assert mutated >= 2
