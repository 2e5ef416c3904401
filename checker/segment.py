"""Chinese word segmentation for the D rules: jieba, loaded lazily and quietly.

Nothing here imports jieba at module import time. The first call to :func:`tokenizer`
builds a private ``jieba.Tokenizer`` (jieba's own global tokenizer is left untouched),
gives it jieba's word table and adds the fixed terms as user words so that segmentation
never cuts them apart. Rules that can decide without segmentation (most drafts have no
candidate doubling at all) never call it.

jieba keeps its table (498,000 words and prefixes with their counts) in a ``marshal``
file in the temporary directory, which takes about 0.55 s to load: the dominant cost of
a one-file run, paid again by every worker of a parallel run. The same table is kept
next to it in a plainer form, one UTF-8 string of the words in sorted order and one array
of the counts (:func:`_load_table`); it is written the first time jieba builds its own
(:func:`_store_table`) and named after jieba's version and its dictionary file, so a new
jieba or dictionary gets a new table. Loaded, it is a :class:`WordTable`: the sorted list
searched by bisection. Building a dict of it cost 0.2 s (hashing half a million fresh
strings), the list costs 0.05 s, and a draft looks up a few thousand words at most.

Fixed terms come from ``rules/fixed_terms.txt`` (package data) plus the configuration key
``fixed-terms``, which the engine passes to every rule whose kind lists the option
``extra-terms`` (see :func:`with_config_terms`).
"""

from __future__ import annotations

import array
import bisect
import functools
import hashlib
import importlib.resources
import logging
import os
import re
import struct
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, Mapping, Sequence

if TYPE_CHECKING:  # pragma: no cover
    import jieba

    from checker.config import Config

TERMS_FILE = "fixed_terms.txt"
TERMS_OPTION = "extra-terms"  # the option name a kind declares to receive config terms


def _terms_path() -> Path:
    try:
        path = Path(str(importlib.resources.files("checker.rules") / TERMS_FILE))
        if path.is_file():
            return path
    except (ModuleNotFoundError, TypeError):
        pass
    return Path(__file__).resolve().parent.parent / "rules" / TERMS_FILE


@functools.lru_cache(maxsize=1)
def shipped_terms() -> tuple[str, ...]:
    out = []
    for raw in _terms_path().read_text(encoding="utf-8").splitlines():
        term = raw.split("#", 1)[0].strip()
        if term:
            out.append(term)
    return tuple(out)


def fixed_terms(extra: Sequence[str] = ()) -> tuple[str, ...]:
    """Shipped and extra fixed terms, longest first (so a longer term wins a match)."""
    return tuple(sorted(set(shipped_terms()) | set(extra), key=lambda t: (-len(t), t)))


@functools.lru_cache(maxsize=1)
def _jieba() -> Any:
    """The jieba module, imported without ``pkg_resources``: jieba imports it (when
    setuptools is installed) only to open its own data files, and falls back to plain
    ``open`` without it; importing it costs 70 ms of jieba's 110. ``None`` in
    ``sys.modules`` makes that one import fail, for the time of jieba's import only."""
    if "jieba" in sys.modules or "pkg_resources" in sys.modules:
        import jieba

        return jieba
    sys.modules["pkg_resources"] = None  # type: ignore[assignment]
    try:
        import jieba
    finally:
        del sys.modules["pkg_resources"]
    return jieba


@functools.lru_cache(maxsize=4)
def tokenizer(extra: tuple[str, ...] = ()) -> "jieba.Tokenizer":
    """A ready jieba tokenizer with the fixed terms as user words (built once per process
    and term set). jieba's start-up messages are silenced."""
    jieba = _jieba()
    jieba.setLogLevel(logging.WARNING)
    tk = jieba.Tokenizer()
    path = _table_path(jieba)
    table = _load_table(path) if path else None
    if table is None:
        tk.initialize()
        if path:
            _store_table(path, tk.FREQ, tk.total)
    else:
        tk.FREQ, tk.total = table
        tk.initialized = True
    for term in fixed_terms(extra):
        if "，" not in term and "、" not in term:
            tk.add_word(term, freq=max(tk.suggest_freq(term), 1000))
    return tk


_TABLE_HEAD = struct.Struct("<8sQQQ")  # magic, total count, words, bytes of words
_TABLE_MAGIC = b"DLJIEBA2"  # 2: the words in sorted order


class WordTable(Mapping[str, int]):
    """jieba's ``FREQ`` (word or prefix -> count) as sorted words and their counts, looked
    up by bisection; the words jieba adds (``add_word``: the fixed terms) go to a dict on
    top. jieba reads it with ``in``, ``[]`` and ``get`` and writes it with ``[]=``."""

    def __init__(self, words: list[str], counts: array.array) -> None:
        self._words = words  # sorted
        self._counts = counts
        self._added: dict[str, int] = {}

    def _index(self, word: str) -> int:
        """The position of ``word`` among the sorted words, or -1."""
        i = bisect.bisect_left(self._words, word)
        return i if i < len(self._words) and self._words[i] == word else -1

    def __getitem__(self, word: str) -> int:
        if word in self._added:
            return self._added[word]
        i = self._index(word)
        if i < 0:
            raise KeyError(word)
        return self._counts[i]

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and (word in self._added or self._index(word) >= 0)

    def get(self, word: str, default: Any = None) -> Any:  # type: ignore[override]
        if word in self._added:
            return self._added[word]
        i = self._index(word)
        return default if i < 0 else self._counts[i]

    def __setitem__(self, word: str, count: int) -> None:
        self._added[word] = count

    def __iter__(self) -> Iterator[str]:
        yield from self._words
        yield from (w for w in self._added if self._index(w) < 0)

    def __len__(self) -> int:
        return len(self._words) + sum(1 for w in self._added if self._index(w) < 0)


def _table_path(jieba: Any) -> Path | None:
    """Where the plain copy of jieba's table lives: the temporary directory (where jieba
    keeps its own), under a name made of the table's format, jieba's version and its
    dictionary file's size and time, so a changed dictionary never meets an old table. None without the file."""
    import tempfile

    try:
        st = os.stat(Path(jieba.__file__).with_name("dict.txt"))
    except (OSError, TypeError):
        return None
    key = (f"{_TABLE_MAGIC.decode()}|{jieba.__version__}|{st.st_size}|{st.st_mtime_ns}"
           f"|{sys.byteorder}")
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"draftlint-jieba-{digest}.table"


def _load_table(path: Path) -> tuple[WordTable, int] | None:
    """jieba's ``(FREQ, total)`` from the plain copy, or None when there is none, it is
    not this user's, or it does not hold together (then jieba loads its own)."""
    try:
        with open(path, "rb") as fh:
            if hasattr(os, "getuid") and os.fstat(fh.fileno()).st_uid != os.getuid():
                return None
            data = fh.read()
        magic, total, count, size = _TABLE_HEAD.unpack_from(data)
        start = _TABLE_HEAD.size
        if magic != _TABLE_MAGIC or len(data) != start + size + 8 * count:
            return None
        words = data[start:start + size].decode("utf-8").split("\n")
        freqs = array.array("q")
        freqs.frombytes(data[start + size:])
    except (OSError, struct.error, UnicodeDecodeError):
        return None
    if len(words) != count:
        return None
    return WordTable(words, freqs), total


def _store_table(path: Path, freq: Mapping[str, int], total: int) -> None:
    """Write the plain copy of jieba's table, its words sorted, atomically (a run that cannot write it just
    loads jieba's own next time)."""
    import tempfile

    ordered = sorted(freq.items())
    words = "\n".join(w for w, _ in ordered).encode("utf-8")
    if words.count(b"\n") != len(freq) - 1:
        return  # a word with a line break: the plain form cannot hold it
    try:
        body = (_TABLE_HEAD.pack(_TABLE_MAGIC, total, len(freq), len(words)) + words
                + array.array("q", (c for _, c in ordered)).tobytes())
    except (OverflowError, TypeError, struct.error):
        return
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".")
        with os.fdopen(fd, "wb") as fh:
            fh.write(body)
        os.replace(tmp, path)
        tmp = None
    except OSError:
        pass
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def cut(text: str, extra: tuple[str, ...] = ()) -> tuple[tuple[str, int], ...]:
    """Tokens of ``text`` with their offsets in it (precise mode, no HMM: deterministic,
    and unknown runs stay single characters instead of being glued into new words).

    Memoised (the last few thousand texts): drafts repeat stock clauses, within one draft
    and across the drafts of a repo."""
    return _cut(text, extra)


@functools.lru_cache(maxsize=8192)
def _cut(text: str, extra: tuple[str, ...]) -> tuple[tuple[str, int], ...]:
    out = []
    pos = 0
    for tok in tokenizer(extra).cut(text, HMM=False):
        out.append((tok, pos))
        pos += len(tok)
    return tuple(out)


def block_pattern() -> Any:
    """jieba's own block pattern: ``cut`` splits its input on it and cuts each block on its
    own, so cutting one block gives the tokens cutting the whole text gives there."""
    return _jieba().re_han_default


@functools.lru_cache(maxsize=1)
def _dictionary_text() -> str:
    with _jieba().get_dict_file() as fh:
        data = fh.read()
    return data.decode("utf-8") if isinstance(data, bytes) else data


@functools.lru_cache(maxsize=4096)
def pos_tag(word: str) -> str:
    """jieba's dictionary part-of-speech tag of ``word`` ("" when it is not listed).

    A targeted search of the dictionary text: far cheaper than loading jieba.posseg
    (which builds a second table) when only a few reported words need a tag."""
    import re

    m = re.search(r"^" + re.escape(word) + r" \d+ (\w+)$", _dictionary_text(), re.M)
    return m.group(1) if m else ""


def configure_terms(options: Mapping[str, Any], config: "Config") -> Mapping[str, Any]:
    """The ``configure`` hook of the kinds that take ``extra-terms`` (see
    ``engine.bind_config``): add the configuration's ``fixed-terms`` to the rule's own."""
    terms = tuple(config["fixed-terms"] or ())
    if not terms:
        return options
    return {**options, TERMS_OPTION: (*options.get(TERMS_OPTION, ()), *terms)}


@functools.lru_cache(maxsize=8)
def terms_pattern(extra: tuple[str, ...] = ()) -> Any:
    """One compiled alternation of the fixed terms, longest first."""
    import re

    return re.compile("|".join(re.escape(t) for t in fixed_terms(extra)))


BLANK = "\x00"  # what a fixed term's characters become in :func:`blank_terms`


def _blank(m: Any) -> str:
    return BLANK * len(m.group())


@functools.lru_cache(maxsize=2)
def blank_terms(text: str, extra: tuple[str, ...] = ()) -> str:
    """``text`` with each fixed term's characters replaced by :data:`BLANK` (offsets kept).
    Memoised for the text at hand: the D rules that blank terms run one after the other
    on the same draft."""
    return terms_pattern(extra).sub(_blank, text)


@functools.lru_cache(maxsize=2)
def _stops(text: str) -> list[int]:
    """The offsets of the marks that end a sentence (。！？；, line breaks) in ``text``."""
    return [m.start() for m in _STOP.finditer(text)]


_STOP = re.compile("[。！？；!?;\n]")


def sentence_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around ``text[start:end]``: bounded by 。！？； and line breaks (one
    search of the text, then a bisection per call: a draft of 40,000 lines has as many
    candidates)."""
    stops = _stops(text)
    before, after = bisect.bisect_left(stops, start), bisect.bisect_left(stops, end)
    return (stops[before - 1] + 1 if before else 0,
            stops[after] if after < len(stops) else len(text))
