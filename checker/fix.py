"""Apply the fixes diagnostics carry: ``check --fix`` writes them, ``check --diff`` shows them.

A fix is a tuple of :class:`~checker.model.Edit` in ``Document.text`` offsets, carried
by a diagnostic of a rule marked ``fixable: true`` (only rules selected for the run, so
``--select``/``--ignore`` and per-file ignores apply). Safety rules, in order:

* ``.docx`` files are never modified (report only); nor is a file whose bytes would not
  come back identical after decoding and encoding again, nor one whose ``Document.text``
  differs from its decoded text outside the masked regions.
* An edit inside or across a masked region (Markdown front matter, code, comments) is
  never applied.
* An edit must keep every Chinese character, digit and letter: the letters and digits it
  removes must be exactly the ones it inserts (Latin letters compared without case, so
  ``##PaidBegin##`` may become ``##paidbegin##``). Any other edit is refused, whatever
  rule asks for it: ``--fix`` only changes punctuation, whitespace and symbols.
* All edits of one diagnostic are applied together or not at all. Edits are taken in
  order of position; one that overlaps an edit already taken is left for the next pass.
  Passes repeat on the fixed text until nothing changes (at most :data:`MAX_PASSES`).

Offsets are mapped back to the file: the reader turns ``\\r\\n`` and ``\\r`` into ``\\n`` and
drops a byte-order mark, so each edit is shifted by the number of ``\\r\\n`` before it and
applied to the decoded file text; a newline inside a replacement is written in the file's
own style. The result is encoded with the file's encoding (GB18030 stays GB18030) and BOM,
and written atomically: a temporary file in the same directory, the original permissions,
then ``os.replace``. A file changed by someone else since it was read is not overwritten.
"""

from __future__ import annotations

import bisect
import codecs
import difflib
import os
import re
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from checker.config import Config
from checker.i18n import tr
from checker.model import Diagnostic, Edit
from checker.document import Document
from checker.discover import discover_files
from checker.engine import check_document, check_file, rules_for
from checker.masking import mask_fragments, secret_rules, secret_spans, secret_values
from checker.packs import Rule
from checker.readers import format_of, load
from checker.readers import text as text_reader
from checker.fix_endings import keep_line_breaks

MAX_PASSES = 10
_NEWLINE = re.compile(r"\r\n|\r|\n")

_BOM_CODECS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF32_LE, "utf-32-le"),
               (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF16_LE, "utf-16-le"),
               (codecs.BOM_UTF16_BE, "utf-16-be"))


class Unfixable(Exception):
    """The file cannot be fixed safely; the message says why."""


@dataclass(frozen=True)
class Source:
    """A text file's bytes, decoded, with what it takes to write it back unchanged."""

    text: str  # decoded, newlines as in the file, no BOM
    codec: str
    bom: bytes
    crlf: tuple[int, ...]  # normalised offsets of the "\n" that were "\r\n" in the file
    newline: str  # the file's usual newline, used inside replacements
    normalised: str  # what the reader builds Document.text from

    def encode(self, text: str) -> bytes:
        return self.bom + text.encode(self.codec)

    def to_source(self, offset: int) -> int:
        """Offset in the normalised text -> offset in the decoded file text."""
        return offset + bisect.bisect_left(self.crlf, offset)


def load_source(data: bytes) -> Source:
    text, encoding, _problems = text_reader.decode(data)
    if text is None:
        raise Unfixable("not a readable text file")
    bom, codec = b"", encoding
    for mark, name in _BOM_CODECS:
        if data.startswith(mark):
            bom, codec = mark, name
            break
    try:
        same = bom + text.encode(codec) == data
    except (UnicodeEncodeError, LookupError):
        same = False
    if not same:
        raise Unfixable(f"its bytes would not survive decoding and encoding as {codec}")
    crlf: list[int] = []
    counts = {"\r\n": 0, "\n": 0, "\r": 0}
    shift = 0  # characters the normalised text is shorter so far
    for m in _NEWLINE.finditer(text):
        nl = m.group()
        counts[nl] += 1
        if nl == "\r\n":
            crlf.append(m.start() - shift)
            shift += 1
    normalised = text.replace("\r\n", "\n").replace("\r", "\n")
    newline = max(counts, key=lambda k: (counts[k], k == "\n"))
    return Source(text, codec, bom, tuple(crlf), newline, normalised)


def _skeleton(s: str) -> list[str]:
    return [c.casefold() for c in s if c.isalnum()]


def _touches(edit: Edit, masked: Sequence[tuple[int, int]]) -> bool:
    return any(a < edit.end and edit.start < b or a <= edit.start < b for a, b in masked)


def _conflicts(edit: Edit, taken: list[tuple[int, int]]) -> bool:
    k = bisect.bisect_left(taken, (edit.start, edit.start))
    for s, e in taken[max(0, k - 1):k + 1]:
        if (s < edit.end and edit.start < e) or s == edit.start:
            return True
    return False


def choose_edits(groups: Iterable[tuple[Edit, ...]], doc: Document,
                 normalised: str, unsafe: Iterable[tuple[Edit, ...]] = ()
                 ) -> tuple[list[Edit], int, int]:
    """The edits to apply now: (edits, groups applied, groups refused as unsafe).
    Overlapping groups are neither: the next pass takes them. ``unsafe``: groups of
    rules whose fixes may change words (``fixable: unsafe``), allowed by
    ``--unsafe-fixes``; they are exempt from the rule that letters and digits stay."""
    taken: list[tuple[int, int]] = []
    chosen: list[Edit] = []
    applied = refused = 0
    words_may_change = set(unsafe)
    groups = [*groups, *words_may_change]
    for group in sorted(groups, key=lambda g: (min(e.start for e in g), max(e.end for e in g))):
        ok = all(0 <= e.start <= e.end <= len(normalised) for e in group)
        if ok and (any(_touches(e, doc.masked) for e in group)
                   or any(doc.text[e.start:e.end] != normalised[e.start:e.end] for e in group)
                   or (group not in words_may_change and any(
                       _skeleton(normalised[e.start:e.end]) != _skeleton(e.replacement)
                       for e in group))):
            ok = False
        if not ok:
            refused += 1
            continue
        if any(_conflicts(e, taken) for e in group):
            continue
        for e in group:
            bisect.insort(taken, (e.start, e.end))
            chosen.append(e)
        applied += 1
    return sorted(chosen, key=lambda e: (e.start, e.end)), applied, refused


def _check_consistent(doc: Document, normalised: str) -> None:
    if len(doc.text) != len(normalised):
        raise Unfixable("the linted text does not line up with the file")
    cuts = [0]
    for a, b in sorted(doc.masked):
        cuts += [a, b]
    cuts.append(len(normalised))
    for a, b in zip(cuts[::2], cuts[1::2]):
        if doc.text[a:b] != normalised[a:b]:
            raise Unfixable("the linted text does not line up with the file")


def diagnose(path: Path, data: bytes, rules: Sequence[Rule],
             config: Config) -> tuple[Document | None, list[Diagnostic]]:
    """Check in-memory bytes as :func:`checker.engine.check_file` checks the file at
    ``path`` (same rules, same per-file ignores)."""
    result = text_reader.read(data, path.as_posix(), format_of(path))
    if result.document is None:
        return None, []
    return result.document, check_document(result.document, rules_for(path, rules, config))


@dataclass
class FileFix:
    path: Path
    before: bytes
    after: bytes
    fixed: int = 0  # diagnostics whose fix was applied
    refused: int = 0  # fixes refused as unsafe
    note: str = ""  # why the file was not fixed, if it was not
    secrets: tuple[str, ...] = ()  # masked in the diff (see checker.masking)

    @property
    def changed(self) -> bool:
        return self.after != self.before


def fix_data(path: Path, data: bytes, rules: Sequence[Rule], config: Config,
             fixable: Mapping[str, bool | str], secret: Sequence[Rule] = ()) -> FileFix:
    """Fix one text file's bytes in memory, pass after pass, up to a fixed point.
    ``fixable``: code -> True (apply its fixes), ``"unsafe"`` (apply them, though they
    change words: --unsafe-fixes) or False. ``secret``: the rules whose spans are
    secrets, kept out of the diff."""
    result = FileFix(path, data, data)
    found: set[str] = set()
    for _ in range(MAX_PASSES):
        try:
            source = load_source(result.after)
            doc, diags = diagnose(path, result.after, rules, config)
            if doc is None:
                break
            found.update(secret_values(doc.text, secret_spans(doc, secret)))
            result.secrets = tuple(sorted(found))
            _check_consistent(doc, source.normalised)
        except Unfixable as exc:
            result.note = tr("fix.not-fixed", path=path.as_posix(), reason=exc)
            break
        groups = [d.fix for d in diags if d.fix and fixable.get(d.code) is True]
        unsafe = [d.fix for d in diags if d.fix and fixable.get(d.code) == "unsafe"]
        edits, applied, refused = choose_edits(groups, doc, source.normalised, unsafe)
        fixed, edits, dropped = keep_line_breaks(source, edits, [*groups, *unsafe])
        result.refused = refused + dropped
        applied -= dropped
        if not edits:
            break
        new = source.encode(fixed)
        if new == result.after:
            break
        result.after = new
        result.fixed += applied
    return result


def write_atomic(path: Path, data: bytes, expected: bytes) -> None:
    """Replace the file's content with ``data`` unless it no longer holds ``expected``.
    A symlink is followed (the link stays, its target changes)."""
    target = path.resolve()
    mode = stat.S_IMODE(target.stat().st_mode)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".draftlint-tmp",
                               dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        if target.read_bytes() != expected:
            raise Unfixable("the file changed while it was being fixed; run again")
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


@dataclass
class FixRun:
    files: list[FileFix] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # "path: message" lines for stderr
    unread: int = 0  # files that could not be read (E001, E004, E012)

    @property
    def changed(self) -> list[FileFix]:
        return [f for f in self.files if f.changed]

    @property
    def fixed(self) -> int:
        return sum(f.fixed for f in self.changed)


def fix_paths(paths: Sequence[Path], config: Config, rules: Sequence[Rule],
              known: Sequence[Rule], write: bool, unsafe: bool = False) -> FixRun:
    """Fix every file under ``paths``; write the results when ``write`` is true;
    ``unsafe``: apply the fixes of ``fixable: unsafe`` rules too (--unsafe-fixes)."""
    fixable = fix_modes(rules, unsafe)
    by_code = {r.code: r for r in known}
    secret = secret_rules(rules, known)
    trees = _trees(paths, config)
    run = FixRun()
    for path in discover_files(paths, config):
        display = path.as_posix()
        if format_of(path) == "docx":
            _doc, diags = check_file(path, rules, config, by_code)
            n = sum(1 for d in diags if d.fix and fixable.get(d.code))
            if n:
                run.notes.append(tr("fix.docx", path=display, fixable=tr("count.fixable", n=n)))
            continue
        loaded = load(path, config["max-file-size"])  # a FIFO or device is not opened
        data = loaded.data
        if data is None:  # --fix's check run reports it too; --diff has only this note
            run.unread += 1
            if not write and loaded.problem is not None:
                run.notes.append(tr("fix.not-fixed", path=display, reason=(
                    f"{loaded.problem.code} {loaded.problem.message}")))
            continue
        result = fix_data(path, data, rules, config, fixable, secret)
        if result.note:
            run.notes.append(result.note)
        if result.refused:
            run.notes.append(tr("fix.refused", path=display,
                                fixes=tr("count.fixes", n=result.refused)))
        if result.changed and write and not _inside(path, trees):
            run.notes.append(tr("fix.outside-link", path=display))
            result.after = data
            result.fixed = 0
        if result.changed and write:
            try:
                write_atomic(path, result.after, data)
            except (OSError, Unfixable) as exc:
                run.notes.append(tr("fix.not-written", path=display,
                                    reason=getattr(exc, "strerror", None) or exc))
                result.after = data
                result.fixed = 0
        run.files.append(result)
    return run


def fix_modes(rules: Sequence[Rule], unsafe: bool) -> dict[str, bool | str]:
    """code -> whether (and how) ``--fix`` applies the rule's fixes."""
    return {r.code: (("unsafe" if unsafe else False) if r.unsafe_fix else r.fixable)
            for r in rules}


def _trees(paths: Sequence[Path], config: Config) -> tuple[str, ...]:
    """The checked tree: the configuration's root and each directory checked (a file
    named explicitly: its directory), resolved."""
    dirs = {str(config.resolved_root)}
    for path in paths:
        named_dir = path.is_dir() and not path.is_symlink()
        dirs.add(os.path.realpath(path if named_dir else path.absolute().parent))
    return tuple(dirs)


def _inside(path: Path, trees: Sequence[str]) -> bool:
    """Whether the file ``path`` leads to (after every link) lies in a checked tree."""
    real = os.path.realpath(path)
    return any(real == t or real.startswith(t.rstrip(os.sep) + os.sep) for t in trees)


def _lines(text: str) -> list[str]:
    lines = text.split("\n")
    out = [line + "\n" for line in lines[:-1]]
    if lines[-1]:
        out.append(lines[-1] + "\n\\ No newline at end of file\n")
    return out


def unified_diff(fix: FileFix) -> str:
    """A unified diff of the file's text (decoded, newlines shown as ``\\n``), every
    secret masked in its lines (see :mod:`checker.masking`)."""
    before = load_source(fix.before).normalised
    after = load_source(fix.after).normalised
    name = fix.path.as_posix()
    diff = difflib.unified_diff(_lines(before), _lines(after), name, name)
    return "".join(mask_fragments(line, fix.secrets) for line in diff)
