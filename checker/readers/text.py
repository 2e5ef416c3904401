"""Plain text and Markdown: bytes -> text (encoding detected) -> Document."""

from __future__ import annotations

import codecs

from checker.document import Document
from checker.readers import InputProblem, ReadResult

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"),
         (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))


def decode(data: bytes) -> tuple[str | None, str, tuple[InputProblem, ...]]:
    """Return (text, encoding, problems); text is None when the bytes are not a draft."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(name), name, ()
            except UnicodeDecodeError as exc:
                return None, name, (InputProblem("E003", f"starts with a {name} byte-order mark "
                                                 f"but is not valid {name}: {exc.reason}"),)
    if b"\x00" in data[:8192]:
        return None, "", (InputProblem("E002", "binary file (contains NUL bytes); not checked"),)
    try:
        return data.decode("utf-8"), "utf-8", ()
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        line = data[: utf8_error.start].count(b"\n") + 1
        return None, "", (InputProblem(
            "E003", f"not valid UTF-8 (byte 0x{data[utf8_error.start]:02x} at offset "
                    f"{utf8_error.start}) nor GB18030; save the file as UTF-8", line),)
    return text, "gb18030", (InputProblem(
        "E101", "decoded as GB18030/GBK, not UTF-8; consider saving the file as UTF-8"),)


def read(data: bytes, display: str, fmt: str) -> ReadResult:
    text, encoding, problems = decode(data)
    if text is None:
        return ReadResult(None, problems)
    if "\x00" in text:
        return ReadResult(None, (*problems, InputProblem("E002", "binary file (contains NUL "
                                                         "characters); not checked")))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        return ReadResult(None, (*problems, InputProblem("E005", "empty file: nothing to check")))
    masked: tuple[tuple[int, int], ...] = ()
    front: dict = {}
    if fmt == "md":
        from checker.readers import markdown

        text, masked, front, md_problems = markdown.prepare(text)
        problems = (*problems, *md_problems)
    return ReadResult(Document(display, text, fmt, encoding, front, masked), problems)
