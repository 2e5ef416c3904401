"""Kind ``skeleton``: the parts a kind of draft must have, from a template (YAML data).

The template is chosen per path by the ``templates`` configuration key (glob -> template
id or label, or ``none``), else recognised from the title (or, with no title, from an
opening paragraph that ends announcing the draft: ……现将对照检查情况报告如下：). A draft that
no template describes gets no skeleton finding at all (only S210, off by default). ``defect`` chooses what a rule reports:

* ``template``: no template fits (reported once, as information, instead of guessing);
* ``title``: the first line is body text, not a title (a template's kind of draft only);
* ``opening``: no opening paragraph between the title and the first part;
* ``opening-ending``: the opening does not end as the template says (如下：);
* ``part-missing``: a required part is absent;
* ``part-order``: parts out of the template's order (the first place it goes wrong);
* ``part-unknown``: a top-level part the template does not know (templates that list
  every part only);
* ``closing``: the closing paragraph is not last, or a required closing is missing.

Parts are the headings of the top level the draft uses (一、 or a Markdown ``##``), plus
short lines without ordinal whose words are a part's name (a part that lost its 二、).
"""

from __future__ import annotations

import os
from typing import Any, Iterator, Mapping, Sequence

import regex

from checker.checks import Opt
from checker.model import Finding
from checker.document import Document
from checker.i18n import tr
from checker.ordinals import is_short_label
from checker.outline import SENTENCE_MARKS, Outline, ends_open
from checker.templates import Part, Template, find, load_templates, recognise

DEFECTS = ("template", "title", "opening", "opening-ending", "part-missing", "part-order",
           "part-unknown", "closing")

OPTIONS = {
    "defect": Opt("str", required=True, choices=DEFECTS, doc="which skeleton problem to report"),
}


def configure(options: Mapping[str, Any], config: Any) -> dict[str, Any]:
    """Bind the configuration: load the templates (shipped + ``template-packs``) and the
    ``templates`` choice per path glob. Called once per rule when rules are selected."""
    from checker.packs import ConfigError

    packs = tuple(config.root / p for p in config["template-packs"])
    templates = load_templates(packs)
    choice = config["templates"]
    for glob, name in choice.items():
        if not isinstance(name, str) or (name != "none" and find(templates, name) is None):
            known = tr("words.list-separator").join(t.id for t in templates)
            raise ConfigError(tr("error.unknown-template", glob=glob, name=name, known=known,
                                 where=config.source or tr("error.what.configuration")))
    return {**options, "_templates": templates, "_choice": tuple(choice.items()),
            "_root": str(config.root)}


def _short(text: str, width: int = 16) -> str:
    text = text.lstrip("#").strip(" \t\u3000")
    return text if len(text) <= width else text[:width] + "…"


def choose(doc: Document, options: Mapping[str, Any]) -> tuple[Template | None, bool]:
    """(template, configured): the template for this draft; ``configured`` is True when
    the configuration decided (``none`` included)."""
    templates = options.get("_templates") or load_templates()
    choice = options.get("_choice") or ()
    if choice:
        from checker.config import glob_set

        root = options.get("_root") or os.getcwd()
        rel = os.path.relpath(os.path.abspath(doc.path), root).replace(os.sep, "/")
        for glob, name in choice:
            globs = glob_set((glob,))
            if globs.matches(rel) or globs.matches(doc.path):
                return (None if name == "none" else find(templates, name)), True
    # the eight skeleton rules ask in turn: recognised once per draft and template set
    return doc.outline.memo(f"skeleton.template.{id(templates)}",
                            lambda outline: _recognised(outline, templates)), False


def _recognised(outline: Outline, templates: Sequence[Template]) -> Template | None:
    """The template the draft's title (or its front matter's) names; with no title, the
    one its opening names when it is an opening that announces the draft (……现将对照检查
    情况报告如下：), not any first paragraph (a speech that mentions 对照检查).
    Each title line is matched on its own (a subtitle, a name or a site's line may follow
    the title), then two lines joined: a title broken over two lines may break inside a
    word (对照检 / 查材料)."""
    doc = outline.doc
    if outline.titles:
        lines = [outline.blocks[i].text.lstrip("#").strip() for i in outline.titles]
        joined = ("".join(lines[k:k + 2]) for k in range(len(lines) - 1))
        return next((t for t in (recognise(templates, line) for line in (*lines, *joined))
                     if t is not None), None)
    if isinstance(doc.front_matter.get("title"), str):
        return recognise(templates, doc.front_matter["title"])
    first = outline.opening
    if first is None:
        return None
    text = outline.blocks[first].text
    return recognise(templates, text, anywhere=True) if _ANNOUNCE.search(text) else None


# an opening that announces the draft: ……现将对照检查情况报告如下：
_ANNOUNCE = regex.compile(r"如下[：:。]?$")


def check(doc: Document, options: Mapping[str, Any]) -> Iterator[Finding]:
    outline = doc.outline
    blocks = outline.blocks
    if not any(b.kind in ("paragraph", "heading") for b in blocks):
        return
    template, configured = choose(doc, options)
    defect = options["defect"]
    if template is None:  # a kind of draft no template describes: nothing to say
        if defect == "template" and not configured:
            first = blocks[outline.titles[0]] if outline.titles else blocks[0]
            yield Finding(first.start, first.end, {
                "found": _short(first.text, 24),
                "known": tr("words.list-separator").join(
                    t.label for t in (options.get("_templates") or load_templates()))})
        return
    if defect == "title":
        yield from _title(doc, outline, template)
    elif defect in ("opening", "opening-ending"):
        yield from _opening(outline, template, defect)
    elif defect in ("part-missing", "part-order", "part-unknown"):
        yield from _parts(outline, template, defect)
    elif defect == "closing":
        yield from _closing(outline, template)


def _title(doc: Document, outline: Outline, template: Template) -> Iterator[Finding]:
    if outline.titles or not template.title_required:
        return
    if isinstance(doc.front_matter.get("title"), str):
        return
    first = next(b for b in outline.blocks if b.kind in ("paragraph", "heading"))
    yield Finding(first.start, first.end, {
        "found": _short(first.text, 20), "expected": f"……{template.label}",
        "what": tr("words.a-heading" if first.kind == "heading" else "words.body-text")})


def _opening(outline: Outline, template: Template, defect: str) -> Iterator[Finding]:
    blocks = outline.blocks
    opening = outline.opening
    example = template.opening_example or "……如下："
    if defect == "opening":
        if opening is None and template.opening_required and outline.headings:
            h = blocks[outline.headings[0]]
            yield Finding(h.start, h.end, {"expected": example, "found": _short(h.text),
                                           "template": template.label})
        return
    if opening is None or not template.opening_ends:
        return
    text = blocks[opening].text.rstrip(" \t\u3000")
    if any(p.search(text) for p in template.opening_ends):
        return
    if ends_open(text) is not None and not text.endswith(("：", ":")):
        return  # cut off mid-sentence: the truncation rule says so
    tail = text[-8:]
    yield Finding(blocks[opening].end - len(tail), blocks[opening].end, {
        "expected": example, "found": ("…" if len(text) > 8 else "") + tail,
        "template": template.label})


Parts = list[tuple[int, "Part | None"]]


def part_groups(outline: Outline, template: Template) -> tuple[bool, list[tuple[int, Parts]]]:
    """(nested, groups): the draft's parts in order, each with the template part it plays
    (or None). Usually one group: the top-level headings (plus part names that lost their
    ordinal). When no top-level heading names a part but a deeper level names two or
    more (一、在政治建设方面 → （一）存在的问题 （二）原因分析 …), the skeleton repeats under
    each top-level heading: one group per top-level heading, ``nested`` True."""
    blocks = outline.blocks
    heads = outline.headings
    top = min((blocks[i].level for i in heads), default=1)
    flat: Parts = []
    for i, b in enumerate(blocks):
        if b.kind == "heading" and b.level == top:
            flat.append((i, template.role_of(outline.heading_title(i))))
        elif (b.kind == "paragraph" and len(b.text) <= 16 and ends_open(b.text) == ""
              and not any(c in b.text for c in "，。；：,;:")):
            part = template.role_of(b.text)  # a part name that lost its ordinal
            if part is not None:
                flat.append((i, part))
    if any(p is not None for _, p in flat) or not heads:
        return False, [(-1, flat)]
    roles = {i: template.role_of(outline.heading_title(i)) for i in heads}
    for level in sorted({blocks[i].level for i in heads} - {top}):
        named = {roles[i].role for i in heads if blocks[i].level == level and roles[i]}
        if len(named) >= 2:
            groups: dict[int, Parts] = {}
            for i in heads:
                if blocks[i].level == top:
                    groups[i] = []
                elif blocks[i].level == level and groups:
                    groups[next(reversed(groups))].append((i, roles[i]))
            return True, [(h, g) for h, g in groups.items() if any(p for _, p in g)]
    return False, [(-1, flat)]


def _parts(outline: Outline, template: Template, defect: str) -> Iterator[Finding]:
    nested, groups = outline.memo(f"skeleton.parts.{template.id}.{id(template)}",
                                  lambda o: part_groups(o, template))
    if defect == "part-unknown":
        if template.other_parts or nested:
            return
        names = "、".join(p.label for p in template.parts)
        for i, part in groups[0][1]:
            if part is None:
                b = outline.blocks[i]
                yield Finding(b.start, b.end, {"found": _short(b.text), "template": template.label,
                                               "expected": names})
        return
    for head, parts in groups:
        known = [(i, p) for i, p in parts if p is not None]
        if defect == "part-order":
            yield from _order(outline, template, known)
        else:
            end = (tr("words.end-of", label=_short(outline.blocks[head].text)) if head >= 0
                   else tr("words.end-of-draft"))
            yield from _missing(outline, template, known, end)


def _order(outline: Outline, template: Template, known: Parts) -> Iterator[Finding]:
    blocks = outline.blocks
    order = sorted(known, key=lambda ip: template.index(ip[1]))
    for k, ((i, part), (_, want)) in enumerate(zip(known, order)):
        if part is not want:
            where = (tr("words.after", label=_short(blocks[known[k - 1][0]].text)) if k
                     else tr("words.first"))
            b = blocks[i]
            yield Finding(b.start, b.end, {"expected": want.label, "where": where,
                                           "found": _short(b.text), "template": template.label})
            return


def _missing(outline: Outline, template: Template, known: Parts,
             end: str) -> Iterator[Finding]:
    blocks = outline.blocks
    present = {p.role for _, p in known}
    missing = [part for part in template.parts if part.required and part.role not in present]
    if not missing:
        return
    if not known:  # no heading names a part: one finding, not one per part
        body = [b for b in blocks if b.kind in ("heading", "paragraph")]
        opening = outline.opening
        after_opening = [b for b in body if opening is None or b.start > blocks[opening].start]
        at = next((b for b in body if b.kind == "heading"), (after_opening or body)[0])
        yield Finding(at.start, at.end, {
            "expected": tr("words.parts", labels="、".join(p.label for p in missing)),
            "where": tr("words.part-headings", label=missing[0].label),
            "found": tr("words.no-part-heading"), "template": template.label})
        return
    for part in missing:
        index = template.index(part)
        before = [i for i, p in known if template.index(p) < index]
        after = [i for i, p in known if template.index(p) > index]
        where = (tr("words.it-after", label=_short(blocks[before[-1]].text)) if before
                 else tr("words.it-first"))
        if after:
            at, found = blocks[after[0]], _short(blocks[after[0]].text)
        else:
            at, found = blocks[before[-1]], end
        yield Finding(at.start, at.end, {"expected": tr("words.part", label=part.label),
                                         "where": where,
                                         "found": found, "template": template.label})


# an opening that announces the report asks for the same review a closing asks for, but
# comes first: 现将……报告如下，请予评议。 / 下面我汇报一年来的履职情况，请大家评议。 /
# 受……委托，向市人大常委会报告……情况，请予审议。 Its sentence that asks names what follows;
# a closing looks back (以上是我的发言，请批评指正。 / ……就到这里，下面请大家评议。 /
# 现在我的发言结束，请同志们批评指正。). Only a paragraph before the first heading can be
# such an opening: after it, 今后我将经常向党组织汇报…… or 我将在以下几个方面持续改进 is
# a closing that promises, pasted before the parts. 方向/导向/取向…… are no 向 (toward).
_ANNOUNCING_SENTENCE = regex.compile(
    r"如下|以下"
    r"|(?:下面|下边|接下来|现在|现将|现就|现向|现把)[^。！？!?请]{0,30}?"
    r"(?:汇报|报告|谈|讲|说|述职|发言|交流|介绍)"
    r"|(?<![方导倾走动意志取偏])向[^，。！？,!?]{1,24}?(?:作|做|进行)?"
    r"[^，。！？,!?了]{0,16}?(?:报告|汇报|述职)")
_LOOKS_BACK = regex.compile(r"^[\s\u3000]*(?:以上|上述)|到此|到这里|完毕|结束|就是这些"
                            r"|(?:汇报|报告|述职|发言)(?:了|完)")


def _announces(text: str, patterns: Sequence[Any]) -> bool:
    """Whether the sentence of ``text`` that a closing pattern matches announces what
    follows rather than looking back on it."""
    m = next((m for m in (p.search(text) for p in patterns) if m), None)
    if m is None:
        return False
    start = max(text.rfind(c, 0, m.start()) for c in SENTENCE_MARKS) + 1
    sentence = text[start:m.end()]
    return bool(_ANNOUNCING_SENTENCE.search(sentence)) and not _LOOKS_BACK.search(sentence)


def _in_opening(outline: Outline, i: int) -> bool:
    """Whether block ``i`` stands where an opening stands: before the first heading (with
    no heading, the opening paragraph only)."""
    if outline.headings:
        return i < outline.headings[0]
    return i == outline.opening


def _closing(outline: Outline, template: Template) -> Iterator[Finding]:
    blocks = outline.blocks
    if not template.closing_patterns:
        return
    body = [i for i, b in enumerate(blocks) if b.kind in ("paragraph", "heading")]
    closing = next((i for i in reversed(body) if blocks[i].kind == "paragraph"
                    and any(p.search(blocks[i].text) for p in template.closing_patterns)
                    and not (_in_opening(outline, i)
                             and _announces(blocks[i].text, template.closing_patterns))),
                   None)
    if closing is None:
        if template.closing_required and body:
            last = blocks[body[-1]]
            yield Finding(last.start, last.end, {
                "problem": tr("words.closing-missing"),
                "expected": tr("words.closing-at-end",
                               example=template.closing_example or "以上……"),
                "found": tr("words.last-paragraph", text=_short(last.text)),
                "template": template.label})
        return
    after = [i for i in body if i > closing and not (
        blocks[i].kind == "paragraph" and is_short_label(blocks[i].text))]  # signature, date
    if after:
        c = blocks[closing]
        yield Finding(c.start, c.end, {
            "problem": tr("words.not-last", text=_short(c.text)),
            "expected": tr("words.it-at-end"),
            "found": tr("words.after-it", text=_short(blocks[after[0]].text)),
            "template": template.label})
