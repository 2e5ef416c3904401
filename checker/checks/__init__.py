"""The registry of check kinds: a literal table, no directory scanning.

A check kind is a module with

* ``OPTIONS``: ``{name: Opt(...)}``, the options a rule of this kind may set;
* ``check(doc, options) -> Iterable[Finding]``: a pure function over one Document.

Modules are imported only when a rule of their kind is loaded, so a run that needs no
segmentation never imports jieba.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType
from typing import Any

KINDS: dict[str, str | None] = {
    # emitted by the readers and the engine, not by a check function
    "input": None,
    "pattern": "checker.checks.pattern",
    "paid-markers": "checker.checks.paid_markers",
    "repeated-word": "checker.checks.repeated_word",
    "repeated-list-item": "checker.checks.repeated_item",
    "repeated-phrase": "checker.checks.repeated_phrase",
    "overused-word": "checker.checks.overused_word",
    "corpus-duplicate": "checker.checks.corpus_duplicate",
}


@dataclass(frozen=True, slots=True)
class Opt:
    """One option of a check kind.

    ``type`` is one of: str, int, float, bool, regex, list[str], list[regex], dict, any.
    ``regex`` values are compiled with the ``regex`` module when the pack loads.
    """

    type: str
    default: Any = None
    required: bool = False
    doc: str = ""
    choices: tuple[str, ...] = ()


def kind_module(kind: str) -> ModuleType | None:
    target = KINDS[kind]
    return importlib.import_module(target) if target else None
