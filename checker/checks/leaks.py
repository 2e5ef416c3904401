"""Kind ``leak``: a secret or a personal detail in the text, reported without showing it.

``pattern`` must have a named group ``secret``: the text that must not be published (the
password after ``密码：``, the number, the path of a share link). The reported span is
that group. Message arguments: ``secret`` (masked: ``wsx2023`` -> ``*******``; ``secret-prefix`` in the configuration
may let its first characters show),
``match`` (the whole match with the secret part masked) and every other named group,
unmasked (a label such as ``密码``, a host name). ``validate`` adds a check a regular
expression cannot make: ``cn-resident-id`` accepts an 18-digit resident ID number only
when its birth date exists and its check digit (ISO 7064 MOD 11-2, GB 11643-1999) is
right, so a long number that merely looks like one is not reported.

Every rule of this kind is secret: :mod:`checker.masking` keeps its spans out of every
output of every rule (messages, ``--show-source`` lines, ``--diff`` hunks, baseline,
cache).
"""

from __future__ import annotations

import datetime
from typing import Any, Iterator, Mapping

from checker.checks import Opt
from checker.checks.pattern import REGEX_TIMEOUT, AllowList, configure, mask
from checker.model import Finding
from checker.document import Document
from checker.i18n import tr

__all__ = ["OPTIONS", "check", "configure", "valid_resident_id"]

VALIDATORS = ("", "cn-resident-id")

OPTIONS = {
    "pattern": Opt("regex", required=True, doc="what to find; must have a group named 'secret'"),
    "allow": Opt("list[regex]", (), doc="a match covered by a match of one of these is dropped"),
    "validate": Opt("str", "", choices=VALIDATORS,
                    doc="extra validation of the secret: cn-resident-id (date and check digit)"),
    "mask": Opt("bool", True, doc="mask the secret in messages (leave true)"),
}

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


def valid_resident_id(number: str) -> bool:
    """An 18-character PRC resident ID: a real birth date and the right check digit."""
    if len(number) != 18 or not number[:17].isdigit() or not number[:17].isascii():
        return False
    try:
        born = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    if not datetime.date(1900, 1, 1) <= born <= datetime.date(2099, 12, 31):
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _WEIGHTS))
    return number[17].upper() == _CHECK[total % 11]


def check(doc: Document, options: Mapping[str, Any]) -> Iterator[Finding]:
    text = doc.text
    pattern = options["pattern"]
    if "secret" not in pattern.groupindex:
        raise ValueError(tr("check.leak-needs-secret"))
    allowed = AllowList(options["allow"], text)
    for m in pattern.finditer(text, timeout=REGEX_TIMEOUT):
        start, end = m.span("secret")
        if start < 0 or start == end:
            continue
        secret = m.group("secret")
        if options["validate"] == "cn-resident-id" and not valid_resident_id(secret):
            continue
        if allowed.covers(start, end):
            continue
        shown = mask(secret, options.get("keep", 0)) if options["mask"] else secret
        args: dict[str, Any] = {k: v for k, v in m.groupdict().items()
                                if v is not None and k != "secret"}
        whole_start = m.start()
        args["match"] = (text[whole_start:start] + shown + text[end:m.end()])
        args["secret"] = shown
        yield Finding(start, end, args)
