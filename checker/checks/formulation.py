"""Kind ``formulation``: official formulations (规范表述) and their near misses (family N).

One scan per draft serves every N rule (:class:`checker.checks.formulation_match.Scan`);
each rule reports one ``defect``:

* ``near-miss``: a formulation with one character replaced by a homophone or a
  look-alike, one dropped or inserted, an inner word swapped for a near-synonym, or a
  known wrong form (N101);
* ``superseded``: a formulation that no longer held at the draft's date (N102). The date
  is the rule's ``date`` option, else the year or date in the title (``2023年度`` counts
  as 2024-01-01, a bare ``2023年`` as 2023-01-01: never later than the draft can be) or
  of the occasion named in its first lines (``按照……2023年主题教育专题民主生活会……``),
  else the last full date (``2023年12月20日``) in the last lines; no date, no finding.
  A sentence that matches the entry's ``quiet-when`` is historical and stays silent;
  so does an organ name after 原 or 前;
* ``quotation``: a clause of a quotation (the Party Constitution's opening, the oath)
  damaged, or left out between two of its neighbours (N103).

Message arguments: ``match``, ``canonical``, ``edit`` (``意→义``, ``−治``, ``+了``),
``source``, and for N102 ``until`` and ``replaced``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Iterator, Mapping

import regex

from checker.checks import Opt
from checker.checks.formulation_index import Index
from checker.checks.formulation_match import Hit, Scan, sentence
from checker.checks.formulation_pack import load_pack
from checker.model import Edit, Finding
from checker.document import Document
from checker.i18n import tr

DEFECTS = ("near-miss", "superseded", "quotation")

OPTIONS = {
    "defect": Opt("str", required=True, choices=DEFECTS, doc="which N problem to report"),
    "date": Opt("str", None, doc="the draft's date (YYYY-MM-DD or YYYY) for superseded "
                "formulations, instead of the date found in the draft"),
}

TITLE_DATE = regex.compile(r"((?:19|20)\d\d)\s*年(度)?(?:\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?)?")
#: in the first lines of a draft without a dated title: the occasion it was written for
OPENING_DATE = regex.compile(r"((?:19|20)\d\d)\s*年(度)?()()[^，。；\n]{0,12}?(?=民主生活会|组织生活会|"
                             r"主题教育|述职|工作总结|工作要点|工作计划|对照检查)")
FULL_DATE = regex.compile(r"((?:19|20)\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")

_INDEXES: dict[tuple[str, ...], Index] = {}
_LAST: list[Any] = [None, None, None]  # (document, index, scan) of the last scan


def configure(options: Mapping[str, Any], config: Any) -> dict[str, Any]:
    """Bind the formulation packs (shipped + ``formulation-packs``) and check ``date``."""
    from checker.packs import ConfigError

    extra = tuple(str(config.root / p) for p in config["formulation-packs"])
    date = options.get("date")
    if date is not None and _configured_date(date) is None:
        raise ConfigError(tr("formulation.option-date", value=date,
                             where=config.source or tr("error.what.configuration")))
    return {**options, "_packs": extra}


def index_for(packs: tuple[str, ...] = ()) -> Index:
    """The index of the shipped pack plus ``packs``, built once per process."""
    index = _INDEXES.get(packs)
    if index is None:
        from pathlib import Path

        from checker.checks.formulation_pack import shipped_pack

        index = Index(load_pack(Path(p) for p in packs), str(shipped_pack().parent))
        _INDEXES[packs] = index
    return index


def scan(doc: Document, options: Mapping[str, Any]) -> Scan:
    index = index_for(options.get("_packs") or ())
    if _LAST[0] is doc and _LAST[1] is index:
        return _LAST[2]
    result = Scan(index, doc.text)
    _LAST[:] = [doc, index, result]
    return result


def _configured_date(value: str) -> dt.date | None:
    try:
        return dt.date(int(value), 1, 1) if value.isdigit() else dt.date.fromisoformat(value)
    except ValueError:
        return None


def _as_date(year: str, month: str | None, day: str | None) -> dt.date | None:
    try:
        return dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return None


def draft_date(doc: Document, configured: str | None) -> dt.date | None:
    """The earliest day the draft can be from (see the module doc)."""
    if configured:
        return _configured_date(configured)
    titles = [b.text for b in doc.blocks if b.kind == "title"][:3]
    opening = [b.text for b in doc.blocks[:3] if b.kind != "title"]
    for lines, pattern in ((titles, TITLE_DATE), (opening, OPENING_DATE)):  # a dated title wins
        dates = []
        for line in lines:
            for m in pattern.finditer(line):
                year, yearly, month, day = m.groups()
                dates.append(dt.date(int(year) + 1, 1, 1) if yearly else _as_date(year, month, day))
        dates = [d for d in dates if d is not None]
        if dates:
            return max(dates)
    tail = "\n".join(doc.lines[-6:])
    found = [_as_date(*m.groups()) for m in FULL_DATE.finditer(tail)]
    found = [d for d in found if d is not None]
    return max(found) if found else None


def edit_text(canonical: str, span: str) -> str:
    """What changed, language-neutral: ``义→意``, ``−治``, ``+了``."""
    k = 0
    while k < min(len(canonical), len(span)) and canonical[k] == span[k]:
        k += 1
    e = 0
    while e < min(len(canonical), len(span)) - k and canonical[-1 - e] == span[-1 - e]:
        e += 1
    right, wrong = canonical[k:len(canonical) - e], span[k:len(span) - e]
    right, wrong = right.strip("，、；："), wrong.strip("，、；：")
    if not wrong:
        return f"−{right}"
    if not right:
        return f"+{wrong}"
    return f"{right}→{wrong}"


def _finding(hit: Hit, doc: Document, index: Index) -> Finding:
    f = index.pack.formulations[hit.formulation]
    args = {"match": doc.text[hit.start:hit.end], "canonical": hit.canonical or f.text,
            "edit": edit_text(hit.canonical or f.text, doc.text[hit.start:hit.end]),
            "source": f.source}
    fix = (Edit(hit.start, hit.end, hit.fix),) if hit.fix else ()
    return Finding(hit.start, hit.end, args, fix=fix)


def _superseded(doc: Document, result: Scan, options: Mapping[str, Any]) -> Iterator[Finding]:
    formulations = result.index.pack.formulations
    if not any(formulations[h.formulation].until for h in result.exact):
        return
    date = draft_date(doc, options.get("date"))
    if date is None:
        return
    text = doc.text
    for hit in result.exact:
        f = formulations[hit.formulation]
        if f.until is None or date < f.until:
            continue
        if f.kind == "organ" and (text[hit.start - 1:hit.start] in ("原", "前")
                                  or text[hit.end:hit.end + 1] == "门"):
            continue
        left, right = sentence(text, hit.start, hit.end)
        if f.quiet_when is not None and f.quiet_when.search(text, left, right):
            continue
        args = {"match": text[hit.start:hit.end], "canonical": f.replaced_by or f.text,
                "replaced": f.replaced_by or "—", "until": f.until.isoformat(),
                "source": f.replaced_in or f.source, "edit": ""}
        yield Finding(hit.start, hit.end, args)


def check(doc: Document, options: Mapping[str, Any]) -> Iterator[Finding]:
    result = scan(doc, options)
    defect = options["defect"]
    if defect == "superseded":
        yield from _superseded(doc, result, options)
        return
    for hit in result.near:
        is_quote = hit.what in ("clause", "clause-missing")
        if (defect == "quotation") == is_quote:
            yield _finding(hit, doc, result.index)
