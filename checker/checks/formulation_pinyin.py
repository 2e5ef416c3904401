"""The readings table the N rules compare characters with: ``rules/formulations/pinyin.txt``.

Importing pypinyin costs a third of a second (its phrase dictionary), more than a whole
check of one draft may add, so the N rules read a table made from pypinyin's character
readings once, here: one line per toned syllable (``zhong1``), then the characters of
GB 2312 that have that reading. Rebuild it after upgrading pypinyin::

    python -m checker.checks.formulation_pinyin
"""

from __future__ import annotations

import functools
import unicodedata
from pathlib import Path

TABLE = "pinyin.txt"
_TONES = {"\u0304": "1", "\u0301": "2", "\u030c": "3", "\u0300": "4"}


def _numbered(syllable: str) -> str:
    """``zhōng`` -> ``zhong1`` (neutral tone: ``5``)."""
    tone = "5"
    out = []
    for ch in unicodedata.normalize("NFD", syllable):
        if ch in _TONES:
            tone = _TONES[ch]
        elif ch == "\u0308":  # ü: lü -> lv
            out[-1] = "v"
        else:
            out.append(ch)
    return "".join(out) + tone


def build_table() -> str:
    from pypinyin.pinyin_dict import pinyin_dict

    by_reading: dict[str, list[str]] = {}
    for point, readings in sorted(pinyin_dict.items()):
        ch = chr(point)
        try:
            ch.encode("gb2312")
        except UnicodeEncodeError:
            continue
        if not "\u4e00" <= ch <= "\u9fff":
            continue
        for reading in readings.split(","):
            by_reading.setdefault(_numbered(reading), []).append(ch)
    return "".join(f"{r}\t{''.join(chars)}\n" for r, chars in sorted(by_reading.items()))


@functools.cache
def readings(directory: str) -> dict[str, frozenset[str]]:
    """Character -> its toned readings (``zhong1``), from the shipped table."""
    out: dict[str, set[str]] = {}
    text = (Path(directory) / TABLE).read_text(encoding="utf-8")
    for line in text.splitlines():
        reading, _, chars = line.partition("\t")
        for ch in chars:
            out.setdefault(ch, set()).add(reading)
    return {ch: frozenset(r) for ch, r in out.items()}


if __name__ == "__main__":  # pragma: no cover - a maintenance command
    from checker.packs import builtin_pack_dir

    target = builtin_pack_dir() / "formulations" / TABLE
    target.write_text(build_table(), encoding="utf-8")
    print(f"wrote {target}")
