"""The shortcuts the D rules take to segment less must not change what they find."""

from __future__ import annotations

import os
import re

import pytest

from checker.segment import block_pattern, cut

TEXTS = [
    "深入学习贯彻习近平新时代中国特色社会主义思想，坚持以人民为中心的发展思想。",
    "2023年以来，落实“第一议题”制度12次，开展调研3轮；APP上线后群众满意度达95%。",
    "在抓落实上\u3000用力不够，有时候满足于开会部署、发文件，跟踪问效不到位\r\n对照检查",
    "工作作风不够扎实\x00\x00\x00\x00推进工作有畏难情绪C-919项目a.b_c+d#e&f",
]


@pytest.mark.parametrize("text", TEXTS)
def test_cutting_jieba_blocks_gives_the_tokens_of_cutting_the_whole_text(text: str) -> None:
    # overused-word segments only the blocks that hold a frequent pair: exact only if
    # jieba cuts each of its blocks on its own
    whole = [(tok, off) for tok, off in cut(text) if re.fullmatch(r"[\u4e00-\u9fff]{2,}", tok)]
    blocks = [(tok, m.start() + off) for m in block_pattern().finditer(text)
              for tok, off in cut(m.group()) if re.fullmatch(r"[\u4e00-\u9fff]{2,}", tok)]
    assert blocks == whole
    assert len(whole) >= 4


def test_frequent_pairs_counts_overlapping_pairs_like_slicing() -> None:
    import random
    from collections import Counter

    from checker.checks.overused_word import _frequent_pairs

    rng = random.Random(4)
    for n in range(40):
        for _ in range(20):
            text = "".join(rng.choice("的的工作问题ab\n\x00\U00020000") for _ in range(n))
            want = {p for p, k in Counter(text[i:i + 2] for i in range(len(text) - 1)).items()
                    if k >= 2}
            assert set(_frequent_pairs(text, 2)) == want, text


def test_repeated_list_item_quick_path_keeps_every_list_with_a_repeat() -> None:
    import random

    from checker.checks.repeated_item import _dun_lists

    def repeats(items: list) -> bool:
        texts = [t for t, _, _ in items]
        return len(set(texts)) < len(texts)

    rng = random.Random(7)
    words = ["真学", "真懂", "真信", "在真学", "真学深", "“真用”", " 笃行", "学", ""]
    for _ in range(3000):
        text = "、".join(rng.choice(words) for _ in range(rng.randint(2, 6)))
        full = [items for items in _dun_lists(text, 0, len(text), 12, quick=False)
                if repeats(items)]
        assert [i for i in _dun_lists(text, 0, len(text), 12) if repeats(i)] == full, text


@pytest.fixture
def table_dir(tmp_path, monkeypatch):
    """The temporary directory (where the plain copy of jieba's table lives) made empty."""
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return tmp_path


def test_the_plain_copy_of_jieba_s_table_is_jieba_s_table(table_dir) -> None:
    import jieba

    from checker import segment

    path = segment._table_path(jieba)
    assert path is not None and path.parent == table_dir and not path.exists()
    # the first tokenizer loads jieba's own table and writes the plain copy
    tk = segment.tokenizer.__wrapped__(("新的理论成果",))
    own = jieba.Tokenizer()
    own.initialize()
    assert path.exists()
    assert segment._load_table(path) == (own.FREQ, own.total)
    # the next one loads the copy and cuts as jieba does (with the fixed terms added)
    again = segment.tokenizer.__wrapped__(("新的理论成果",))
    assert again.FREQ == tk.FREQ and again.total == tk.total
    for text in TEXTS:
        assert list(again.cut(text, HMM=False)) == list(tk.cut(text, HMM=False))


@pytest.mark.parametrize("damage", ["truncated", "garbage", "other words", "empty"])
def test_a_damaged_table_is_ignored_and_written_again(table_dir, damage: str) -> None:
    import jieba

    from checker import segment

    path = segment._table_path(jieba)
    first = segment.tokenizer.__wrapped__(())
    good = path.read_bytes()
    bad = {"truncated": good[: len(good) // 2], "garbage": b"\x00" * 100, "empty": b"",
           "other words": good.replace("中国".encode(), b"\n\n", 1)}[damage]
    path.write_bytes(bad)
    assert segment._load_table(path) is None
    tk = segment.tokenizer.__wrapped__(())
    assert (tk.FREQ, tk.total) == (first.FREQ, first.total)
    assert path.read_bytes() == good


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0,
                    reason="giving a file to another user needs root")
def test_another_user_s_table_is_not_trusted(table_dir) -> None:
    import jieba

    from checker import segment

    path = segment._table_path(jieba)
    segment.tokenizer.__wrapped__(())
    assert segment._load_table(path) is not None
    os.chown(path, 4242, -1)
    assert segment._load_table(path) is None


def test_jieba_is_imported_without_pkg_resources_and_leaves_it_importable() -> None:
    import subprocess
    import sys

    code = ("import sys, importlib.util; from checker.segment import tokenizer, pos_tag; "
            "tk = tokenizer(); assert list(tk.cut('落实落实', HMM=False)) == ['落实', '落实']; "
            "assert pos_tag('落实') == 'a'; "
            "print('pkg_resources' in sys.modules, sys.modules.get('pkg_resources', 1) is None); "
            "spec = importlib.util.find_spec('pkg_resources'); "
            "spec is None or __import__('pkg_resources'); print('ok')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False", "ok"], out.stdout + out.stderr


def test_the_cli_writes_the_table_once_and_cuts_the_same_with_it(tmp_path) -> None:
    import subprocess

    from conftest import draftlint_exe

    temp = tmp_path / "tmp"
    temp.mkdir()
    draft = tmp_path / "draft.txt"
    draft.write_text("对照检查材料\n提高落实落实中央八项规定精神的自觉，推进推进作风建设。\n",
                     encoding="utf-8")
    env = {**os.environ, "TMPDIR": str(temp)}

    def run() -> subprocess.CompletedProcess:
        return subprocess.run([*draftlint_exe(), "check", "--no-cache", "--select", "D1",
                               str(draft)], capture_output=True, text=True, encoding="utf-8",
                              env=env, cwd=tmp_path, timeout=300)

    first = run()
    tables = list(temp.glob("draftlint-jieba-*.table"))
    assert len(tables) == 1 and first.returncode == 1 and first.stderr == ""
    assert [line.split(": ")[1].split()[0] for line in first.stdout.splitlines()[:2]] == \
        ["D101", "D101"], first.stdout
    written = tables[0].stat().st_mtime_ns
    second = run()
    assert second.stdout == first.stdout and second.stderr == ""
    assert tables[0].stat().st_mtime_ns == written  # read, not written again
