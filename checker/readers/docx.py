"""Word .docx drafts, read with python-docx: paragraphs become the Document's lines.

The mapping (what a diagnostic's line means for a .docx):

* The document body is read in order; every paragraph is one line, **empty paragraphs
  included**, and the paragraphs inside a table are read row by row, cell by cell (nested
  tables in place). ``line N`` in a diagnostic is **paragraph N** counted that way
  (``Document.source_map[i]`` is the paragraph number of text line ``i``). Headers,
  footers, footnotes, text boxes and Word comments are not part of the text.
* A manual line break (Shift+Enter) or a page break inside a paragraph starts a new text
  line with the same paragraph number; the column then counts from that break.
* Columns count characters of the paragraph text as Word shows it, auto-number included
  (below). Tabs are kept as tab characters. Text of unaccepted tracked deletions is left
  out, tracked insertions are in: the text reads as if every change were accepted.
* Headings: a paragraph whose style is a Word heading (``Heading 1``/``标题 1`` …, or a
  style or paragraph with an outline level) is recorded in ``Document.word_levels`` (line
  index -> level 1-9); a typed ordinal (``一、``, ``（一）``) makes a heading exactly as
  in a .txt draft. A heading style without any ordinal still counts as a heading (see
  ``Document.blocks``), without a number.
* Automatic numbering: the number Word shows (computed from ``numbering.xml``, see
  ``checker/readers/docx_numbering.py``) is **prefixed to the line**, so ``一、`` typed
  and ``一、`` generated read the same to every check. When the number cannot be derived
  (an unknown format), nothing is prefixed and the line is listed in
  ``Document.numbered`` with ``""``: no check sees a number, so none reports a false gap.
  Bullets add nothing.

Hostile files end in an E problem, never an exception: not a zip (E006, or E009 when
it is text), truncated or damaged (E006), too large when unpacked (E008, checked from
the zip directory before anything is inflated: a zip bomb is never expanded), XML that
is not well formed (E006). Word comments (批注) and tracked changes are reported (E015,
E016): neither belongs in a draft that is about to be published.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any, Iterator

import regex
from lxml import etree

from checker.document import Document
from checker.i18n import tr
from checker.readers.base import MAX_LINES, InputProblem, ReadResult
from checker.readers.docx_numbering import W, Numbering, wval

MAX_UNPACKED = 64 * 1024 * 1024  # bytes, all members together, as declared and as inflated
MAX_MEMBERS = 10_000
MAX_PARAGRAPHS = MAX_LINES  # paragraphs of the whole package (E017)
MAX_ELEMENTS = 1_000_000  # XML elements of the whole package (E018); a long draft has 50,000
_CHUNK = 64 * 1024

_P, _TBL, _TR, _TC, _SDT = W + "p", W + "tbl", W + "tr", W + "tc", W + "sdt"
_CONTAINERS = {W + "sdtContent", W + "customXml", W + "smartTag", _TR, _TC, _TBL, _SDT,
               W + "ins", W + "moveTo"}
_SKIP = {W + "del", W + "moveFrom", W + "pPr", W + "rPr", W + "delText", W + "instrText",
         W + "txbxContent", W + "footnoteReference", W + "endnoteReference",
         "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback",
         W + "tblPr", W + "trPr", W + "tcPr", W + "tblGrid", W + "sdtPr", W + "sdtEndPr"}
_HEADING_NAME = regex.compile(r"^(?:heading|标题)\s*([1-9])$", regex.I)


def _e(code: str, message: str) -> ReadResult:
    return ReadResult(None, (InputProblem(code, message),))


def _check_zip(data: bytes) -> ReadResult | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except Exception as exc:  # BadZipFile, NotImplementedError (version), struct errors …
        return _e("E006", tr("input.zip-damaged", reason=exc))
    if len(infos) > MAX_MEMBERS:
        return _e("E008", tr("input.zip-members", count=len(infos), limit=MAX_MEMBERS))
    total = sum(i.file_size for i in infos)
    if total > MAX_UNPACKED:
        ratio = total / max(1, len(data))
        return _e("E008", tr("input.zip-bomb", size=total, ratio=ratio, limit=MAX_UNPACKED))
    if not any(i.filename == "[Content_Types].xml" for i in infos):
        return _e("E006", tr("input.zip-not-word"))
    return _unpack_bounded(data, infos)


def _unpack_bounded(data: bytes, infos: list[zipfile.ZipInfo]) -> ReadResult | None:
    """Inflate every member in small chunks before python-docx reads any, counting the
    bytes as they come (a header may understate a member's size: zipfile's one-piece read
    would inflate up to 2 GB of it before its CRC check fails) and the XML elements and
    paragraphs as they are parsed (a few hundred KB of ``<w:p/>`` make millions of
    objects). E008, E017 or E018 when a limit is passed, E006 when a member is damaged."""
    total = 0
    counter = _XmlCounter()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            for info in infos:
                parser = None
                if info.filename.endswith((".xml", ".rels")):
                    parser = etree.XMLParser(target=counter, resolve_entities=False,
                                             no_network=True, huge_tree=False)
                with zf.open(info) as member:
                    while chunk := member.read(_CHUNK):
                        total += len(chunk)
                        if total > MAX_UNPACKED:
                            return _e("E008", tr("input.zip-bomb-inflated",
                                                 limit=MAX_UNPACKED))
                        if parser is not None:
                            try:
                                parser.feed(chunk)
                            except etree.XMLSyntaxError:
                                parser = None  # python-docx reports what is wrong with it
                        if counter.paragraphs > MAX_PARAGRAPHS:
                            return _e("E017", tr("input.docx-too-many-paragraphs",
                                                 limit=MAX_PARAGRAPHS))
                        if counter.elements > MAX_ELEMENTS:
                            return _e("E018", tr("input.docx-too-many-elements",
                                                 limit=MAX_ELEMENTS))
    except Exception as exc:  # BadZipFile (a CRC error), zlib.error, an unknown compression
        detail = " ".join(str(exc).split())[:200]
        return _e("E006", tr("input.zip-member-damaged", reason=detail))
    return None


class _XmlCounter:
    """An lxml parser target that only counts: elements, and paragraphs (``w:p``)."""

    def __init__(self) -> None:
        self.elements = 0
        self.paragraphs = 0

    def start(self, tag: str, _attrib: Any) -> None:
        self.elements += 1
        if tag == _P:
            self.paragraphs += 1

    def close(self) -> None:
        return None


def _text(p: Any) -> str:
    out: list[str] = []

    def walk(el: Any) -> None:
        for child in el:
            tag = child.tag
            if tag in _SKIP or not isinstance(tag, str):
                continue
            if tag == W + "t":
                out.append((child.text or "").replace("\r", " ").replace("\n", " "))
            elif tag in (W + "tab", W + "ptab"):
                out.append("\t")
            elif tag in (W + "br", W + "cr"):
                out.append("\n")
            elif tag == W + "noBreakHyphen":
                out.append("-")
            elif tag != _P:  # a paragraph nested in a run belongs to a text box
                walk(child)

    walk(p)
    return "".join(out)


def _paragraphs(container: Any) -> Iterator[Any]:
    for child in container:
        tag = child.tag
        if tag == _P:
            yield child
        elif tag in _CONTAINERS:
            yield from _paragraphs(child)


class _Styles:
    def __init__(self, root: Any) -> None:
        self.by_id: dict[str, Any] = {}
        self.default: str | None = None
        if root is None:
            return
        for st in root.iterfind(W + "style"):
            if st.get(W + "type") not in (None, "paragraph"):
                continue
            sid = st.get(W + "styleId") or ""
            self.by_id[sid] = st
            if st.get(W + "default") in ("1", "true", "on"):
                self.default = sid

    def chain(self, sid: str | None) -> Iterator[tuple[str, Any]]:
        sid = sid or self.default
        for _ in range(20):  # basedOn may loop in a damaged file
            if sid is None or sid not in self.by_id:
                return
            st = self.by_id[sid]
            yield sid, st
            sid = wval(st, "basedOn")

    def heading_level(self, sid: str | None) -> int:
        for _sid, st in self.chain(sid):
            name = wval(st, "name") or ""
            m = _HEADING_NAME.match(name.strip())
            if m:
                return int(m.group(1))
            lvl = wval(st, "pPr/outlineLvl")
            if lvl is not None and lvl.isdigit():
                return int(lvl) + 1 if int(lvl) < 9 else 0
        return 0

    def num_pr(self, sid: str | None) -> tuple[str | None, str | None]:
        for _sid, st in self.chain(sid):
            num = wval(st, "pPr/numPr/numId")
            if num is not None:
                return num, wval(st, "pPr/numPr/ilvl")
        return None, None

    def style_num(self) -> dict[str, str]:
        return {sid: n for sid, st in self.by_id.items()
                if (n := wval(st, "pPr/numPr/numId")) is not None}


def _part(document_part: Any, reltype: str) -> Any:
    try:
        return document_part.part_related_by(reltype)
    except (KeyError, ValueError):
        return None


def read(data: bytes, display: str, *, controls: bool = True) -> ReadResult:
    """A .docx file's bytes -> ReadResult. Never raises. ``controls``: see
    :func:`checker.readers.read_bytes`."""
    bad = _check_zip(data)
    if bad is not None:
        return bad
    try:
        return _read(data, display, controls)
    except RecursionError:
        return _e("E006", tr("input.docx-too-deep"))
    except Exception as exc:  # python-docx and lxml raise many types for damaged files
        detail = " ".join(str(exc).split())[:200]
        return _e("E006", tr("input.docx-unreadable", reason=f"{type(exc).__name__}: {detail}"))


def _read(data: bytes, display: str, controls: bool) -> ReadResult:
    import docx  # python-docx; imported only when a .docx is read
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    wd = docx.Document(io.BytesIO(data))
    part = wd.part
    styles_part = _part(part, RT.STYLES)
    styles = _Styles(styles_part.element if styles_part is not None else None)
    numbering_part = _part(part, RT.NUMBERING)
    numbering = Numbering.parse(numbering_part.element if numbering_part is not None else None,
                                styles.style_num())
    lines: list[str] = []
    source_map: list[int] = []
    outline: dict[int, int] = {}
    numbered: dict[int, str] = {}
    body = wd.element.body
    for number, p in enumerate(_paragraphs(body), start=1):
        text = _text(p)
        sid = wval(p, "pPr/pStyle")
        level = styles.heading_level(sid)
        direct = wval(p, "pPr/outlineLvl")
        if direct is not None and direct.isdigit():
            level = int(direct) + 1 if int(direct) < 9 else 0
        num_id, ilvl = wval(p, "pPr/numPr/numId"), wval(p, "pPr/numPr/ilvl")
        if num_id is None:
            num_id, style_ilvl = styles.num_pr(sid)
            ilvl = ilvl if ilvl is not None else style_ilvl
        index = len(lines)
        if num_id not in (None, "0"):
            if ilvl is None or not ilvl.isdigit():
                ilvl = str(numbering.level_of_style(num_id, sid or ""))
            shown = numbering.next(num_id, int(ilvl))
            if shown is not None:
                numbered[index] = shown
                text = shown + text
        if level:
            outline[index] = level
        for piece in text.split("\n"):
            lines.append(piece)
            source_map.append(number)
    problems = _review_marks(body, part)
    text = "\n".join(lines)
    if not text.strip():
        return ReadResult(None, (*problems, InputProblem("E005", tr("input.docx-empty"))))
    from checker.readers.text import control_problem

    control = control_problem(text) if controls else None
    if control is not None:
        line = source_map[control.line - 1] if control.line <= len(source_map) else 1
        problems = (*problems, InputProblem(control.code, control.message, line, control.column))
    doc = Document(display, text, "docx", "utf-8", source_map=tuple(source_map),
                   word_levels=outline, numbered=numbered)
    return ReadResult(doc, problems)


def _review_marks(body: Any, part: Any) -> tuple[InputProblem, ...]:
    out = []
    comments = sum(1 for _ in body.iter(W + "commentReference"))
    if comments:
        out.append(InputProblem("E015", tr("input.docx-comments", n=comments)))
    changes = sum(1 for _ in body.iter(W + "ins", W + "del", W + "moveFrom", W + "moveTo"))
    if changes:
        out.append(InputProblem("E016", tr("input.docx-changes", n=changes)))
    return tuple(out)
