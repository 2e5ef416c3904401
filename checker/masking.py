"""Secrets are never printed or stored: one place finds them and masks every quotation.

A *secret rule* is a rule of the ``leak`` kind, or any rule with ``mask: true`` (a pattern
in a user's pack): passwords, phone and ID numbers, e-mail addresses, share links. The
secret spans of a document are the spans those rules find in it, whether they are
selected for the run or not (``--select T101`` must not print the password T101 quotes).

Every other output quotes text in its own way (a message argument, a context snippet, a
repeated phrase, a diff hunk, a source line), so quotations are masked by *content*: any
run of a quotation that is a piece of a secret of at least :data:`MIN_FRAGMENT`
characters (or the whole secret when it is shorter) becomes ``*`` of the same length.
This covers a phrase that holds 15 of an ID number's 18 digits as well as the whole
number; it may hide a little more than needed, never less. Source lines are masked by
position (:func:`mask_spans`).

``secret-prefix`` in the configuration (default 0) lets the L rules' messages show the
first characters of a secret (an editor finds the place faster); only the rest is
masked, everywhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable, Iterator, Mapping, Sequence

from checker.checks import kind_module
from checker.model import Related
from checker.document import Document
from checker.packs import Rule

MIN_FRAGMENT = 4  # shorter pieces of a secret are too common to hide (and reveal little)
MASK = "*"


def is_secret(rule: Rule) -> bool:
    """A rule whose matched text must never be printed or stored: a leak rule (its
    ``mask`` defaults to true), or one that sets ``mask: true`` (no other rule's options
    are read, so a run does not validate every rule's to find the secret ones)."""
    if rule.kind != "leak" and "mask" not in rule.raw_options:
        return False
    return bool(rule.options.get("mask"))


def hide(value: str, keep: int = 0) -> str:
    """``value`` with all but its first ``keep`` characters masked."""
    keep = max(0, min(keep, len(value) - 1))
    return value[:keep] + MASK * (len(value) - keep)


def secret_rules(active: Iterable[Rule], known: Iterable[Rule]) -> tuple[Rule, ...]:
    """The rules whose spans are secret: each known secret rule, in its selected form
    (with the configuration's options) when it is selected."""
    chosen = {r.code: r for r in active if is_secret(r)}
    for rule in known:
        if rule.code not in chosen and is_secret(rule):
            chosen[rule.code] = rule
    return tuple(chosen[c] for c in sorted(chosen))


def secret_spans(doc: Document, rules: Sequence[Rule]) -> tuple[tuple[int, int], ...]:
    """The (start, end) offsets of every secret in ``doc`` (a failing rule finds none:
    the check run reports it as E900)."""
    spans: set[tuple[int, int]] = set()
    for rule in rules:
        module = kind_module(rule.kind)
        if module is None or doc.format not in rule.formats:
            continue
        try:
            spans.update((f.start, f.end) for f in module.check(doc, rule.options)
                         if f.end > f.start)
        except Exception:
            continue
    return tuple(sorted(spans))


def secret_values(text: str, spans: Iterable[tuple[int, int]], keep: int = 0) -> tuple[str, ...]:
    """The secrets' texts, less the ``keep`` characters a message may show."""
    values = {text[a:b][keep:] for a, b in spans}
    return tuple(sorted(v for v in values if v))


def mask_spans(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """``text`` with the characters inside ``spans`` masked (same length)."""
    chars = list(text)
    for a, b in spans:
        for i in range(max(0, a), min(b, len(chars))):
            if chars[i] != "\n":
                chars[i] = MASK
    return "".join(chars)


def mask_fragments(text: str, secrets: Sequence[str]) -> str:
    """``text`` with every piece of a secret (see the module's docstring) masked."""
    if not text or not secrets:
        return text
    hidden = bytearray(len(text))
    _mark_fragments(text, secrets, hidden)
    return _apply(text, hidden)


_ELLIPSIS = re.compile(r"…+|\.\.\.")
_QUOTED = re.compile(r"'([^'\n]+)'|“([^”\n]+)”")


@dataclass(frozen=True)
class Secrets:
    """The secrets of one document, and the masking of what is quoted from it."""

    text: str
    spans: tuple[tuple[int, int], ...]
    values: tuple[str, ...]

    @classmethod
    def find(cls, doc: Document, rules: Sequence[Rule], keep: int = 0) -> "Secrets | None":
        """The secrets ``rules`` find in ``doc`` (less ``keep`` leading characters a
        message may show), or None when there is none."""
        spans = tuple(sorted((min(a + keep, b - 1) if keep else a, b)
                             for a, b in secret_spans(doc, rules)))  # sorted: _windows
        if not spans:
            return None
        return cls(doc.text, spans, secret_values(doc.text, spans))

    def quote(self, quoted: str) -> str:
        """A piece of text a message quotes: masked where it (or a part of it between
        ellipses) lies over a secret in the document, and wherever it holds a piece of
        a secret (see the module's docstring)."""
        if not quoted:
            return quoted
        hidden = bytearray(len(quoted))
        pos = 0
        for piece in _ELLIPSIS.split(quoted):
            at = quoted.find(piece, pos)
            pos = at + len(piece)
            if len(piece) >= 2:
                self._mark_places(piece, at, hidden)
        _mark_fragments(quoted, self.values, hidden)
        return _apply(quoted, hidden)

    def _mark_places(self, piece: str, offset: int, hidden: bytearray) -> None:
        """Mark the characters of ``piece`` (at ``offset`` in the quotation) that lie over a
        secret wherever ``piece`` occurs over one: searched only around the secrets (the
        spans are sorted), so a long draft with thousands of quoting messages is not read
        once per message."""
        n, text = len(piece), self.text
        for lo, hi in _windows(self.spans, n):
            place = text.find(piece, lo, hi)
            while place >= 0:
                for a, b in self.spans:
                    if a < place + n and place < b:
                        for i in range(max(a, place), min(b, place + n)):
                            hidden[offset + i - place] = 1
                place = text.find(piece, place + 1, hi)

    def args(self, args: Mapping[str, Any]) -> dict[str, Any]:
        return {k: self.quote(v) if isinstance(v, str) else v for k, v in args.items()}

    def message(self, message: str) -> str:
        """A finished message: its quoted parts masked, and any long piece of a secret."""
        message = _QUOTED.sub(lambda m: m.group(0)[0] + self.quote(m.group(0)[1:-1])
                              + m.group(0)[-1], message)
        return mask_fragments(message, self.values)

    def snippet(self, start: int, end: int) -> str:
        """``text[start:end]`` with the secrets in it masked."""
        return mask_spans(self.text[start:end], ((a - start, b - start) for a, b in self.spans
                                                 if a < end and start < b))

    def related(self, related: tuple[Related, ...]) -> tuple[Related, ...]:
        return tuple(r._replace(message=self.message(r.message)) for r in related)


def _windows(spans: Sequence[tuple[int, int]], n: int) -> Iterator[tuple[int, int]]:
    """The stretches of text where a piece of ``n`` characters can overlap one of the
    sorted ``spans``: each span widened by ``n - 1`` on both sides, overlapping ones merged."""
    lo = hi = -1
    for a, b in spans:
        a, b = max(0, a - n + 1), b + n - 1
        if a > hi:
            if hi > lo:
                yield lo, hi
            lo = a
        hi = max(hi, b)
    if hi > lo:
        yield lo, hi


def _mark_fragments(text: str, secrets: Sequence[str], hidden: bytearray) -> None:
    for secret in secrets:
        need = min(len(secret), MIN_FRAGMENT)
        if not any(secret[i:i + need] in text for i in range(len(secret) - need + 1)):
            continue
        previous = [0] * (len(secret) + 1)  # common run ending at text[i - 1], secret[j - 1]
        for i, ch in enumerate(text):
            current = [0] * (len(secret) + 1)
            for j, other in enumerate(secret):
                if ch == other:
                    run = current[j + 1] = previous[j] + 1
                    if run >= need:
                        hidden[i - run + 1:i + 1] = b"\1" * run
            previous = current


def _apply(text: str, hidden: bytearray) -> str:
    if not any(hidden):
        return text
    return "".join(MASK if h and c != "\n" else c for c, h in zip(text, hidden))
