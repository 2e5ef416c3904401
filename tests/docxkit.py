"""Build .docx files for tests with python-docx (no binary fixtures in the repository)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Iterable, Sequence

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from checker.ordinals import parse_ordinal

HEADING_STYLE = {1: "Heading 1", 2: "Heading 2", 3: "Heading 3", 4: "Heading 4"}


def docx_bytes(lines: Iterable[str], heading_styles: bool = False) -> bytes:
    """One paragraph per line, empty lines included. With ``heading_styles``, a line
    that starts with a typed ordinal gets the Word heading style of its level."""
    d = docx.Document()
    for line in lines:
        style = None
        if heading_styles:
            parsed = parse_ordinal(line.strip(" \t\u3000\u00a0"))
            if parsed:
                style = HEADING_STYLE[parsed[0]]
        d.add_paragraph(line, style=style)
    return save(d)


def save(d) -> bytes:  # type: ignore[no-untyped-def]
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def write_docx_like(txt: Path, dest: Path, heading_styles: bool = False) -> Path:
    """A .docx with the paragraphs of a .txt draft (lines split on \\n)."""
    text = txt.read_text(encoding="utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    dest.write_bytes(docx_bytes(text.split("\n"), heading_styles))
    return dest


def add_numbering(d, levels: Sequence[tuple[str, str, int]], abstract_id: int = 90,  # type: ignore[no-untyped-def]
                  num_id: int = 90, start_override: dict[int, int] | None = None,
                  reuse_abstract: bool = False) -> int:
    """Add a list definition: ``levels`` are (numFmt, lvlText, start) for ilvl 0, 1 …;
    returns the numId to put on paragraphs."""
    numbering = d.part.numbering_part.element
    if not reuse_abstract:
        lvls = "".join(
            f'<w:lvl w:ilvl="{i}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{text}"/></w:lvl>'
            for i, (fmt, text, start) in enumerate(levels))
        abstract = parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
                             f'{lvls}</w:abstractNum>')
        first_num = numbering.find(qn("w:num"))
        if first_num is not None:
            first_num.addprevious(abstract)
        else:
            numbering.append(abstract)
    overrides = "".join(
        f'<w:lvlOverride w:ilvl="{i}"><w:startOverride w:val="{v}"/></w:lvlOverride>'
        for i, v in (start_override or {}).items())
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId '
                               f'w:val="{abstract_id}"/>{overrides}</w:num>'))
    return num_id


def numbered_paragraph(d, text: str, num_id: int, ilvl: int = 0):  # type: ignore[no-untyped-def]
    p = d.add_paragraph(text)
    p._p.get_or_add_pPr().append(parse_xml(
        f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'))
    return p


