"""The registry of check kinds: a literal table, no directory scanning.

A check kind is a module with

* ``OPTIONS``: ``{name: Opt(...)}``, the options a rule of this kind may set;
* ``check(doc, options) -> Iterable[Finding]``: a pure function over one Document;
* optionally ``configure(options, config) -> options``: called once when rules are
  selected, to bind configuration (e.g. load skeleton templates) so that ``check`` never
  reads files.

Modules are imported only when a rule of their kind has its options read (a shipped
rule's when it is selected or first used), so a run that needs no segmentation never
imports jieba.
"""

from __future__ import annotations

import functools
import importlib
from dataclasses import dataclass
from types import ModuleType
from typing import Any

KINDS: dict[str, str | None] = {
    # emitted by the readers and the engine, not by a check function
    "input": None,
    "pattern": "checker.checks.pattern",
    "paid-markers": "checker.checks.paid_markers",
    "leak": "checker.checks.leaks",
    "private-note": "checker.checks.private_note",
    "paid-required": "checker.checks.paid_required",
    "paid-preview": "checker.checks.paid_preview",
    "placeholder": "checker.checks.placeholder",
    "asterisks": "checker.checks.asterisks",
    "markdown-markup": "checker.checks.markdown_markup",
    "numbering": "checker.checks.numbering",
    "skeleton": "checker.checks.skeleton",
    "sections": "checker.checks.sections",
    "halfwidth-punctuation": "checker.checks.halfwidth",
    "paired-punctuation": "checker.checks.paired",
    "whitespace": "checker.checks.whitespace",
    "repeated-word": "checker.checks.repeated_word",
    "repeated-list-item": "checker.checks.repeated_item",
    "repeated-phrase": "checker.checks.repeated_phrase",
    "overused-word": "checker.checks.overused_word",
    "corpus-duplicate": "checker.checks.corpus_duplicate",
    "formulation": "checker.checks.formulation",
}


@dataclass(frozen=True, slots=True)
class Opt:
    """One option of a check kind.

    ``type`` is one of: str, int, float, bool, regex, list[str], list[regex], dict, any.
    ``regex`` values are compiled with the ``regex`` module when the options are
    validated (a user's pack: as it loads; a shipped one: when its rule is selected).
    """

    type: str
    default: Any = None
    required: bool = False
    doc: str = ""
    choices: tuple[str, ...] = ()


@functools.cache
def kind_module(kind: str) -> ModuleType | None:
    target = KINDS[kind]
    return importlib.import_module(target) if target else None


@functools.cache
def is_corpus(kind: str) -> bool:
    """Whether the kind works across documents (its module's ``CORPUS``), looked up once:
    the engine asks for every rule of every file."""
    return bool(getattr(kind_module(kind), "CORPUS", False))
