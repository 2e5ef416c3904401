#!/usr/bin/env python3
"""Fuzz the readers (txt, md, docx), every rule and --fix with hypothesis (issue 21 item 9).

    python tests/fuzz/fuzz_hostile.py --examples 40000 [--seed 1]

Not part of the default test run (pytest collects ``test_*.py`` only); a few hundred
examples of the same properties run in the suite (tests/test_fuzz_small.py). Inputs are
drafts assembled from the pieces real drafts and hostile files are made of: Chinese text,
every kind of punctuation, ordinals, paid markers (misspelled too), placeholders,
secrets, Markdown syntax (fences, backticks, emphasis, comments, front matter), blank
runs and all three line endings; .docx files are built from such paragraphs and then
damaged byte by byte. Invariants, for every input:

* no exception escapes a reader, a rule (no E900 that is not a timeout) or --fix;
* no hang: each input has :data:`PER_INPUT` seconds (a timer stops it and fails it);
* the JSON output parses, every position lies inside the file;
* --fix changes no letter or digit and no line ending (a line ending it does not touch
  keeps its kind, and no line is lost or gained except where a fix inserts a break).

``--examples`` is per property (three properties: text, fix, docx); prints the number of
inputs run and exits non-zero on the first failure, with the input (shrunk).
"""

from __future__ import annotations

import argparse
import io
import json
import re
import signal
import sys
import time
from pathlib import Path
from typing import Any, Callable

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from checker.config import Config  # noqa: E402
from checker.engine import check_document, load_selected  # noqa: E402
from checker.fix import fix_data, fix_modes, load_source  # noqa: E402
from checker.formatters.json_format import format_json  # noqa: E402
from checker.readers import read_bytes  # noqa: E402

PER_INPUT = 20.0  # seconds; every input here is small: only a hang reaches this

PIECES = [
    "对照检查材料", "一、", "二、", "（一）", "（二）", "(三)", "1.", "2、", "（1）", "一是", "二是",
    "加强党的建设", "学习贯彻", "存在的问题", "整改措施", "落实落实", "真学、真懂、真学",
    "，", "。", "、", "；", "：", "？", "！", "“", "”", "‘", "’", "（", "）", "《", "》", "【", "】",
    ",", ".", ":", ";", "?", "!", "(", ")", "…", "——", "，，", "。。",
    "##paidbegin##", "##paidend##", "$$paidbegin$$", "$$paidend$$", "##pagebreak##",
    "##paidbegn##", "###paidend##", "# #paid begin##", "paid_end",
    "**", "*", "X", "XX", "××", "某某", "○○", "□□", "【请填写】", "{{姓名}}", "--", "____",
    "密码：abc123", "13812345678", "110101199003071234", "a@b.cn", "pan.baidu.com/s/1abc",
    "（此处待核实）", "GDP", "abc", "Word", "2023", "１２", "％",
    " ", "  ", "\t", "\u3000", "\u00a0", "\u200b", "\n", "\n", "\r\n", "\r", "\n\n",
    "`", "``", "```", "~~~", "<!--", "-->", "<!-- draftlint-disable P101 -->", "# ", "## ",
    "- ", "> ", "---\n", "_", "__", "\\", "\x0b", "\x7f",
]
TEXT = st.lists(st.one_of(st.sampled_from(PIECES),
                          st.text(alphabet=st.characters(codec="utf-8",
                                                         exclude_categories=("Cs",)),
                                  max_size=6)),
                max_size=60).map("".join)
FRONT = st.sampled_from(["", "---\ntitle: 材料\nprice: 10\n---\n", "---\na: &a [1]\nb: [*a, *a]\n---\n",
                         "---\n: [\n---\n", "+++\nprice = 1\n+++\n"])

_state: dict[str, Any] = {}


def _rules() -> tuple[Any, Any, dict[str, bool]]:
    if "rules" not in _state:
        config = Config(ROOT).with_values(select=("ALL",))
        _known, selected = load_selected(config)
        _state["rules"] = (config, selected, fix_modes(selected, unsafe=False))
    return _state["rules"]


class Hang(Exception):
    pass


def _alarm(_signum: int, _frame: object) -> None:
    raise Hang(f"an input ran over {PER_INPUT} s")


def _bounded(fn: Callable[[], None]) -> None:
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, PER_INPUT)
    try:
        fn()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    _state["inputs"] = _state.get("inputs", 0) + 1


def check_bytes(data: bytes, fmt: str) -> None:
    """Read and check ``data`` as a ``fmt`` file: the invariants of a check run."""
    _config, rules, _fixable = _rules()
    result = read_bytes(data, f"draft.{fmt}", fmt)
    doc = result.document
    if doc is None:
        assert result.problems, "a refused file must say why"
        return
    diags = check_document(doc, rules)
    failed = [d for d in diags if d.code == "E900" and "timed out" not in d.message]
    assert not failed, failed[0].message
    lines = doc.text.split("\n")
    shown_lines = max(doc.source_map) if doc.source_map else len(lines)
    for d in diags:
        assert 1 <= d.line <= d.end_line <= shown_lines, d
        if not doc.source_map:
            assert 1 <= d.column <= len(lines[d.line - 1]) + 1, d
            assert 1 <= d.end_column <= len(lines[d.end_line - 1]) + 1, d
    json.loads(format_json(diags))


_ENDINGS = re.compile(r"\r\n|\r|\n")


def fix_bytes(data: bytes, fmt: str) -> None:
    """--fix on ``data``: no letter or digit changed, every line ending kept."""
    config, rules, fixable = _rules()
    result = fix_data(Path(f"draft.{fmt}"), data, rules, config, fixable)
    if not result.changed:
        return
    before, after = load_source(result.before), load_source(result.after)
    letters = [c.casefold() for c in before.text if c.isalnum()]
    assert letters == [c.casefold() for c in after.text if c.isalnum()], "a letter changed"
    old, new = _ENDINGS.findall(before.text), _ENDINGS.findall(after.text)
    kinds = set(old) | {before.newline}
    assert set(new) <= kinds, f"a line ending the file never had: {set(new) - kinds}"
    # a fix may insert breaks (the file's usual ending) and delete some; the others keep
    # their kind and their order: a lone CR joined to an LF, or an ending rewritten,
    # shows as an unusual ending out of sequence
    odd_old = [e for e in old if e != before.newline]
    odd_new = [e for e in new if e != before.newline]
    assert _subsequence(odd_new, odd_old), "a line ending changed"


def _subsequence(part: list[str], whole: list[str]) -> bool:
    it = iter(whole)
    return all(any(p == w for w in it) for p in part)


def _xml_char(c: str) -> bool:
    """A character XML 1.0 allows (python-docx refuses the others, before any damage)."""
    return c in "\t\n" or " " <= c <= "\ud7ff" or "\ue000" <= c <= "\ufffd" \
        or c >= "\U00010000"


def docx_of(paragraphs: list[str]) -> bytes:
    import docx

    d = docx.Document()
    for p in paragraphs:
        d.add_paragraph("".join(c for c in p if _xml_char(c)))
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def damage(data: bytes, flips: list[tuple[int, int]], cut: int | None) -> bytes:
    out = bytearray(data)
    for at, value in flips:
        out[at % len(out)] = value
    return bytes(out[:cut] if cut else out)


def text_property(max_examples: int, rng_seed: int) -> Callable[[], None]:
    @seed(rng_seed)
    @settings(max_examples=max_examples, deadline=None, database=None,
              phases=(Phase.generate, Phase.shrink), suppress_health_check=list(HealthCheck))
    @given(FRONT, TEXT, st.sampled_from(["txt", "md"]), st.sampled_from(["utf-8", "gb18030",
                                                                         "utf-8-sig"]))
    def run(front: str, text: str, fmt: str, encoding: str) -> None:
        body = (front if fmt == "md" else "") + text
        try:
            data = body.encode(encoding)
        except UnicodeEncodeError:
            data = body.encode("utf-8")
        _bounded(lambda: check_bytes(data, fmt))

    return run


def fix_property(max_examples: int, rng_seed: int) -> Callable[[], None]:
    @seed(rng_seed)
    @settings(max_examples=max_examples, deadline=None, database=None,
              phases=(Phase.generate, Phase.shrink), suppress_health_check=list(HealthCheck))
    @given(FRONT, TEXT, st.sampled_from(["txt", "md"]))
    def run(front: str, text: str, fmt: str) -> None:
        data = ((front if fmt == "md" else "") + text).encode("utf-8")
        _bounded(lambda: fix_bytes(data, fmt))

    return run


def docx_property(max_examples: int, rng_seed: int) -> Callable[[], None]:
    @seed(rng_seed)
    @settings(max_examples=max_examples, deadline=None, database=None,
              phases=(Phase.generate, Phase.shrink), suppress_health_check=list(HealthCheck))
    @given(st.lists(TEXT, max_size=8),
           st.lists(st.tuples(st.integers(0, 1 << 20), st.integers(0, 255)), max_size=4),
           st.one_of(st.none(), st.integers(1, 1 << 14)))
    def run(paragraphs: list[str], flips: list[tuple[int, int]], cut: int | None) -> None:
        data = damage(docx_of(paragraphs), flips, cut)
        _bounded(lambda: check_bytes(data, "docx"))

    return run


def random_run(total: int, rng_seed: int, docx_share: float, log_every: int = 5000) -> None:
    """The same invariants over inputs drawn with ``random`` from the same pieces: no
    shrinking and no strategy overhead (about four times as many inputs a minute as
    hypothesis), for the long runs. A failing input is printed as it is."""
    import random

    rng = random.Random(rng_seed)
    fronts = ["", "---\ntitle: 材料\nprice: 10\n---\n", "---\na: &a [1]\nb: [*a, *a]\n---\n",
              "---\n: [\n---\n", "+++\nprice = 1\n+++\n"]

    def draft() -> str:
        return "".join(rng.choice(PIECES) if rng.random() < 0.9 else
                       "".join(chr(rng.randint(1, 0x2FFFF)) for _ in range(rng.randint(1, 4)))
                       for _ in range(rng.randint(0, 80)))

    t0 = time.time()
    for i in range(1, total + 1):
        pick = rng.random()
        fmt = rng.choice(["txt", "md"])
        body = (rng.choice(fronts) if fmt == "md" else "") + draft()
        body = "".join(c for c in body if not 0xD800 <= ord(c) <= 0xDFFF)
        data = body.encode("utf-8", "replace")  # what a failure shows, until it is built
        try:
            if pick < docx_share:
                data = damage(docx_of(body.split("\n")[:20]),
                              [(rng.randint(0, 1 << 20), rng.randint(0, 255))
                               for _ in range(rng.randint(0, 3))],
                              rng.choice([None, rng.randint(1, 1 << 14)]))
                _bounded(lambda: check_bytes(data, "docx"))
            elif pick < 0.55:
                enc = rng.choice(["utf-8", "gb18030", "utf-8-sig"])
                try:
                    data = body.encode(enc)
                except UnicodeEncodeError:
                    data = body.encode("utf-8")
                _bounded(lambda: check_bytes(data, fmt))
            else:
                data = body.encode("utf-8")
                _bounded(lambda: fix_bytes(data, fmt))
        except BaseException as exc:
            print(f"FAILED at input {i}: {type(exc).__name__}: {exc}\n{data!r}", flush=True)
            raise
        if i % log_every == 0:
            print(f"{i:,} inputs, no failure ({time.time() - t0:.0f} s)", flush=True)
    print(f"total: {total:,} inputs, no failure ({time.time() - t0:.0f} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--examples", type=int, default=1000, help="inputs per property")
    parser.add_argument("--docx-share", type=float, default=0.1,
                        help="docx inputs as a share of --examples (they are slow to build)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--random", type=int, metavar="N",
                        help="instead: N inputs drawn with random (see random_run)")
    args = parser.parse_args()
    if args.random:
        random_run(args.random, args.seed, args.docx_share / 3)
        return
    t0 = time.time()
    for name, prop, n in (("text", text_property, args.examples),
                          ("fix", fix_property, args.examples),
                          ("docx", docx_property, max(1, int(args.examples * args.docx_share)))):
        before = _state.get("inputs", 0)
        prop(n, args.seed)()
        print(f"{name}: {_state.get('inputs', 0) - before:,} inputs, no failure "
              f"({time.time() - t0:.0f} s so far)", flush=True)
    print(f"total: {_state.get('inputs', 0):,} inputs")


if __name__ == "__main__":
    main()
