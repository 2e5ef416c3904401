"""Kind ``paid-required``: a draft that must have a paid part but has no paid-begin marker.

A Markdown front matter key from ``keys`` (``price``/``paid`` by default) decides for
its own draft: a truthy value (``price: 9.9``, ``paid: true``) requires a paid part, an
explicit falsy one (``price: 0``, ``paid: false``, ``paid: free``) exempts the draft.
With ``always: true`` the rule instead requires a paid part in every draft whose front
matter has none of those keys (drafts whose front matter decides are left to the rule
with ``always: false``): a repo policy, so the shipped rule using it is disabled until
a repo selects it. Message
argument: ``reason`` (why the draft needs a paid part).
"""

from __future__ import annotations

from typing import Any, Iterator, Mapping

from checker.checks import Opt
from checker.model import Finding
from checker.document import Document
from checker.i18n import tr

OPTIONS = {
    "always": Opt("bool", False, doc="every draft without a front matter decision needs a "
                  "paid part"),
    "keys": Opt("list[str]", ("price", "paid"),
                doc="front matter keys whose truthy value requires a paid part"),
}

_FALSY = {"", "0", "false", "no", "off", "none", "null", "free", "否", "无", "免费"}


def truthy(value: Any) -> bool:
    """``price``/``paid`` as people write them: 9.9, "9.9元", true, yes, 0, "free"."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value != 0
    if value is None:
        return False
    text = str(value).strip().lower()
    if text in _FALSY:
        return False
    try:
        return float(text.rstrip("元¥￥ ").lstrip("¥￥$ ")) != 0
    except ValueError:
        return True


def _reason(doc: Document, options: Mapping[str, Any]) -> str | None:
    for key in options["keys"]:
        if key in doc.front_matter:
            if options["always"]:
                return None  # the front matter decides, with always: false (M112)
            value = doc.front_matter[key]
            return tr("words.front-matter", key=key, value=value) if truthy(value) else None
    return tr("words.repo-policy") if options["always"] else None


def first_text_offset(doc: Document) -> int:
    """The first character of prose (front matter, masked regions and Markdown markup
    such as a heading's ``#`` skipped)."""
    for i, ch in enumerate(doc.text):
        if not ch.isspace() and not doc.is_masked(i) and not doc.is_markup(i, i + 1):
            return i
    return 0


def check(doc: Document, options: Mapping[str, Any]) -> Iterator[Finding]:
    reason = _reason(doc, options)
    if reason is None or any(m.kind == "begin" for m in doc.markers.markers):
        return
    at = first_text_offset(doc)
    yield Finding(at, at, {"reason": reason})
