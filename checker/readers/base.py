"""What every reader shares: input problems, read results, loading bytes, sniffing.

Readers: bytes on disk -> Document, or an input problem (family E).

A reader never raises for bad input: it returns ``ReadResult`` with a Document (maybe
``None``) and the input problems found, each an E-family code with a message.

Bounded work whatever the input: the size is checked with ``stat`` before anything is
read (E004), only regular files are opened (a FIFO or a device would block or never
end), at most ``max_bytes + 1`` bytes are read, and a file whose content is of another
type than its name says (a zip archive named ``.txt``, a text file named ``.docx``) is
reported as such (E009) instead of being misread.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from checker.document import Document
from checker.i18n import tr


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

# Longest line (a paragraph in a .docx) a draft may have, in characters. Nobody writes a
# 20,000-character paragraph; such a line is generated data, and some checks are slow on it.
MAX_LINE_LENGTH = 20_000
# Most lines (paragraphs of a .docx) a draft may have: a long report has a few thousand.
# Counted on the decoded text, so a file under max-file-size made of millions of short
# lines is refused (E017) before any check builds millions of objects for it.
MAX_LINES = 100_000

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc, or an encrypted .docx
PDF_MAGIC = b"%PDF-"


def format_of(path: Path) -> str:
    return FORMAT_BY_SUFFIX.get(path.suffix.lower(), "txt")


def os_problem(exc: OSError, what: str = "file") -> InputProblem:
    """An OSError as an E problem: a symbolic-link loop is E012, anything else E001."""
    if exc.errno == errno.ELOOP:
        return InputProblem("E012", tr("input.link-loop", what=tr(f"input.what-{what}")))
    return InputProblem("E001", tr("input.cannot-read", what=tr(f"input.what-{what}"),
                                   reason=exc.strerror or exc))


def sniff(data: bytes, fmt: str) -> InputProblem | None:
    """E009 when the first bytes say the file is not what its extension says."""
    if fmt == "docx":
        if data.startswith(ZIP_MAGIC) or not data:
            return None
        if data.startswith(OLE_MAGIC):
            return InputProblem("E009", tr("input.docx-is-doc"))
        if data.startswith(PDF_MAGIC):
            return InputProblem("E009", tr("input.docx-is-pdf"))
        head = data[:4096]
        if b"\x00" not in head:
            return InputProblem("E009", tr("input.docx-is-text"))
        return None  # some other binary: the docx reader says it is not a zip archive
    if data.startswith(ZIP_MAGIC):
        return InputProblem("E009", tr("input.text-is-zip", fmt=fmt))
    if data.startswith(OLE_MAGIC):
        return InputProblem("E009", tr("input.text-is-doc", fmt=fmt))
    if data.startswith(PDF_MAGIC):
        return InputProblem("E009", tr("input.text-is-pdf", fmt=fmt))
    return None


@dataclass(frozen=True)
class Loaded:
    """A file's bytes as :func:`load` found them: ``data``, or ``problem`` (E001, E004,
    E012) when they were not read; ``stat`` taken before reading, when there was one."""

    data: bytes | None
    problem: InputProblem | None = None
    stat: os.stat_result | None = None


def load(path: Path | str, max_bytes: int) -> Loaded:
    """The bytes of a regular file of at most ``max_bytes``; never raises, never opens
    anything else (a FIFO would block)."""
    try:
        st = os.stat(path)
    except OSError as exc:
        return Loaded(None, os_problem(exc))
    if not stat.S_ISREG(st.st_mode):
        kind = "input.not-regular-directory" if stat.S_ISDIR(st.st_mode) else "input.not-regular"
        return Loaded(None, InputProblem("E001", tr(kind)), st)
    size = st.st_size
    if size > max_bytes:
        return Loaded(None, InputProblem(
            "E004", tr("input.too-large", size=size, limit=max_bytes)), st)
    try:
        with open(path, "rb") as fh:
            # read(n) allocates n bytes up front: ask for the size stat gave, then the rest
            data = fh.read(size + 1)
            if len(data) > size:  # grew since stat (or a /proc-like file reporting 0)
                data += fh.read(max_bytes + 1 - len(data))
    except OSError as exc:
        return Loaded(None, os_problem(exc), st)
    if len(data) > max_bytes:  # grew since stat
        return Loaded(None, InputProblem(
            "E004", tr("input.too-large-read", limit=max_bytes)), st)
    return Loaded(data, None, st)


def shape_problem(lines: Sequence[str], fmt: str,
                  source_map: Sequence[int] | None = None) -> InputProblem | None:
    """E017 for a draft of more than :data:`MAX_LINES` lines, E010 for a line longer than
    :data:`MAX_LINE_LENGTH`: such a file is generated data and is not checked. Every
    reader applies it to the text it decoded before anything else is done with it (the
    Markdown pass, a check), so ``check``, ``--fix`` and ``--diff`` refuse the same files."""
    if len(lines) > MAX_LINES:
        units = tr("input.paragraphs" if fmt == "docx" else "input.lines")
        return InputProblem("E017", tr("input.too-many-lines", count=len(lines), units=units,
                                       limit=MAX_LINES))
    if max(map(len, lines), default=0) <= MAX_LINE_LENGTH:
        return None  # (the common case, checked in C: a loop here cost 0.02 ms a draft)
    for index, line in enumerate(lines):
        if len(line) > MAX_LINE_LENGTH:
            shown = source_map[index] if source_map else index + 1
            unit = tr("input.paragraph" if fmt == "docx" else "input.line")
            return InputProblem("E010", tr("input.line-too-long", unit=unit, number=shown,
                                           length=len(line), limit=MAX_LINE_LENGTH), shown, 1)
    return None
