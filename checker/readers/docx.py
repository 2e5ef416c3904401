"""Word .docx drafts (placeholder until the .docx reader lands)."""

from __future__ import annotations

from checker.readers import InputProblem, ReadResult


def read(data: bytes, display: str) -> ReadResult:
    return ReadResult(None, (InputProblem("E006", ".docx reading is not available yet"),))
