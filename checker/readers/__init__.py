"""Readers: bytes on disk -> Document, or an input problem (family E).

A reader never raises for bad input: it returns ``ReadResult`` with a Document (maybe
``None``) and the input problems found, each an E-family code with a message.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from checker.document import Document


@dataclass(frozen=True)
class InputProblem:
    code: str
    message: str
    line: int = 1
    column: int = 1


@dataclass(frozen=True)
class ReadResult:
    document: Document | None
    problems: tuple[InputProblem, ...] = field(default=())


FORMAT_BY_SUFFIX = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md",
                    ".docx": "docx"}


def format_of(path: Path) -> str:
    return FORMAT_BY_SUFFIX.get(path.suffix.lower(), "txt")


def read_path(path: Path, display: str, max_bytes: int) -> ReadResult:
    """Read one file as a Document; every failure becomes an E problem."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        return ReadResult(None, (InputProblem("E001", f"cannot read file: {exc.strerror or exc}"),))
    if size > max_bytes:
        return ReadResult(None, (InputProblem(
            "E004", f"file is {size:,} bytes, over the limit of {max_bytes:,} "
                    f"(max-file-size); not checked"),))
    fmt = format_of(path)
    try:
        with open(path, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        return ReadResult(None, (InputProblem("E001", f"cannot read file: {exc.strerror or exc}"),))
    if fmt == "docx":
        from checker.readers import docx

        return docx.read(data, display)
    from checker.readers import text

    return text.read(data, display, fmt)
