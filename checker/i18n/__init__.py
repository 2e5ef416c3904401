"""Languages of the tool's words: the rule packs' ``message``/``docs``, and the tool's own
strings (one table a language: :mod:`checker.i18n.en`, :mod:`checker.i18n.zh_CN`).

A pack text is either a plain string, which serves every language (the form of a user's
own pack), or a mapping with one text per language (the form of the shipped packs)::

    message:
      zh-CN: "“{match}”像是未填写的空白或被网页屏蔽的词：请写上实际的名称、数字或词语"
      en: "'{match}' looks like a blank left unfilled or a word a web page masked: write the real name, number or word"

Both languages carry the same ``{fields}``. Codes and JSON keys never change with the
language; only the words do.
"""

from __future__ import annotations

import os
import string
from types import MappingProxyType
from typing import Any, Mapping, Sequence

LANGUAGES = ("zh-CN", "en")


def current_language() -> str:
    """The language this process speaks (set once by the command line)."""
    return _current


def set_language(language: str) -> None:
    """Speak ``language`` (one of :data:`LANGUAGES`) from now on."""
    global _current
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r} (known: {', '.join(LANGUAGES)})")
    _current = language


def locale_language(environ: Mapping[str, str] | None = None) -> str:
    """The language the locale asks for: the first set of LC_ALL, LC_MESSAGES and LANG
    (as POSIX orders them) starting with ``zh`` is zh-CN, with ``en`` is en; anything else
    (C, POSIX, another language, nothing) falls back to zh-CN."""
    env = os.environ if environ is None else environ
    if env.get("DRAFTLINT_LANGUAGE") in LANGUAGES:  # draftlint's own, before the locale
        return env["DRAFTLINT_LANGUAGE"]
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if value:
            if value.lower().startswith("en"):
                return "en"
            return "zh-CN"
    return "zh-CN"


def language_in_argv(argv: Sequence[str]) -> str | None:
    """The value of ``--language`` in a command line not parsed yet (for the help texts,
    which argparse prints while parsing); None when absent or not a known language."""
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        value = None
        if arg == "--language" and i + 1 < len(argv):
            value = argv[i + 1]
        elif arg.startswith("--language="):
            value = arg.split("=", 1)[1]
        if value in LANGUAGES:
            return value
    return None


def catalogue(language: str) -> Mapping[str, str | Mapping[str, str]]:
    """The table of the tool's own strings in ``language``."""
    if language == "en":
        from checker.i18n.en import TEXTS
    else:
        from checker.i18n.zh_CN import TEXTS
    return TEXTS


def tr(key: str, /, **fields: Any) -> str:
    """The tool's string ``key`` in the current language, its ``{fields}`` filled in. A
    counted phrase (``{"one": …, "other": …}``) is chosen by the field ``n``."""
    text = catalogue(_current)[key]
    if not isinstance(text, str):
        text = text["one" if fields.get("n") == 1 else "other"]
    return text.format(**fields) if fields else text


_current = locale_language()  # until the command line settles the run's language


def format_fields(text: str) -> frozenset[str]:
    """The names of the ``{fields}`` a template uses (``{x.y}``/``{x[0]}`` count as ``x``);
    a text that is not a valid template has none."""
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError:
        return frozenset()
    out = set()
    for _literal, name, _spec, _conv in parsed:
        if name is not None:
            out.add(name.split(".", 1)[0].split("[", 1)[0])
    return frozenset(out)


def localized_text(value: Any, template: bool = True) -> Mapping[str, str]:
    """``value`` (a plain string or a ``{language: text}`` mapping) as one stripped text per
    language; a ``template`` (a message) has the same ``{fields}`` in every language.
    Raises ValueError with a sentence that says what is wrong (the caller names the file,
    rule and key)."""
    if isinstance(value, str):
        if not value.strip():
            raise ValueError(tr("error.text-required"))
        return MappingProxyType({lang: value.strip() for lang in LANGUAGES})
    if not isinstance(value, Mapping):
        raise ValueError(tr("error.text-required"))
    unknown = sorted(str(k) for k in value if k not in LANGUAGES)
    if unknown:
        raise ValueError(tr("error.unknown-language", language=unknown[0],
                            known=", ".join(LANGUAGES)))
    out: dict[str, str] = {}
    for lang in LANGUAGES:
        text = value.get(lang)
        if text is None:
            raise ValueError(tr("error.missing-language", language=lang,
                                needed=" + ".join(LANGUAGES)))
        if not isinstance(text, str) or not text.strip():
            raise ValueError(tr("error.empty-text", language=lang, value=text))
        out[lang] = text.strip()
    if not template:
        return MappingProxyType(out)
    fields = {lang: format_fields(text) for lang, text in out.items()}
    first = LANGUAGES[0]
    for lang in LANGUAGES[1:]:
        if fields[lang] != fields[first]:
            raise ValueError(tr("error.different-fields", first=first, other=lang,
                                a=sorted(fields[first]), b=sorted(fields[lang])))
    return MappingProxyType(out)
