"""Markdown: blank out what is not prose, keep offsets.

Front matter (``---`` YAML at the top) is parsed into ``Document.front_matter``; it,
fenced code blocks and HTML comments are replaced by spaces of the same length (newlines
kept) and listed as masked regions.
"""

from __future__ import annotations

from typing import Any

import regex
import yaml

from checker.readers import InputProblem

_FRONT = regex.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", regex.S)
_FENCE = regex.compile(r"^(?P<f>`{3,}|~{3,})[^\n]*\n.*?(?:^(?P=f)[`~]*[ \t]*$|\Z)", regex.S | regex.M)
_COMMENT = regex.compile(r"<!--.*?(?:-->|\Z)", regex.S)


def _blank(text: str, start: int, end: int) -> str:
    chunk = text[start:end]
    return text[:start] + regex.sub(r"[^\n]", " ", chunk) + text[end:]


def prepare(text: str) -> tuple[str, tuple[tuple[int, int], ...], dict[str, Any], tuple[InputProblem, ...]]:
    spans: list[tuple[int, int]] = []
    front: dict[str, Any] = {}
    problems: list[InputProblem] = []
    m = _FRONT.match(text)
    if m:
        spans.append(m.span())
        try:
            loaded = yaml.safe_load(m.group(1) or "")
        except yaml.YAMLError as exc:
            loaded = None
            problems.append(InputProblem("E007", f"front matter is not valid YAML: {exc}"))
        if isinstance(loaded, dict):
            front = loaded
    for pattern in (_FENCE, _COMMENT):
        for mm in pattern.finditer(text, pos=spans[0][1] if spans else 0):
            spans.append(mm.span())
    for start, end in spans:
        text = _blank(text, start, end)
    return text, tuple(sorted(spans)), front, tuple(problems)
