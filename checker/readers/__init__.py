"""Readers: bytes on disk -> Document, or an input problem (family E); see
:mod:`checker.readers.base` for the shared types and the bounded loading of bytes."""

from __future__ import annotations

from pathlib import Path

from checker.readers.base import (FORMAT_BY_SUFFIX, MAX_LINE_LENGTH, MAX_LINES, InputProblem,
                                  Loaded, ReadResult, format_of, load, os_problem,
                                  shape_problem, sniff)

__all__ = ["FORMAT_BY_SUFFIX", "MAX_LINE_LENGTH", "MAX_LINES", "InputProblem", "Loaded",
           "ReadResult", "format_of", "load", "os_problem", "read_bytes", "read_path",
           "shape_problem", "sniff"]


def read_path(path: Path, display: str, max_bytes: int,
              loaded: Loaded | None = None, *, controls: bool = True) -> ReadResult:
    """Read one file as a Document; every failure becomes an E problem. ``loaded``: its
    bytes as :func:`load` already read them (the result cache hashes them first).
    ``controls``: see :func:`read_bytes`."""
    if loaded is None:
        loaded = load(path, max_bytes)
    if loaded.data is None:
        return ReadResult(None, (loaded.problem,))
    return read_bytes(loaded.data, display, format_of(path), controls=controls)


def read_bytes(data: bytes, display: str, fmt: str, *, controls: bool = True) -> ReadResult:
    """Bytes of a file in format ``fmt`` (txt, md, docx) -> ReadResult. Never raises.
    ``controls``: look for control characters (E013); off when nothing would report it
    (12 us a draft: a tenth of the reading)."""
    wrong = sniff(data, fmt)
    if wrong is not None:
        return ReadResult(None, (wrong,))
    if fmt == "docx":
        from checker.readers import docx

        result = docx.read(data, display, controls=controls)
    else:
        from checker.readers import text

        result = text.read(data, display, fmt, controls=controls)
    return _limit_lines(result)


def _limit_lines(result: ReadResult) -> ReadResult:
    """The line limits again on the Document a reader built (a .docx's manual line breaks
    make lines of their own)."""
    doc = result.document
    if doc is None:
        return result
    problem = shape_problem(doc.lines, doc.format, doc.source_map)
    return result if problem is None else ReadResult(None, (*result.problems, problem))
