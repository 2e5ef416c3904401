"""checker.dedup: fingerprints, the in-memory index, passage matching (the API D201, the
SQLite store and the library share)."""

from __future__ import annotations

import os
import subprocess
import sys
from array import array

import pytest

from checker.dedup import (Copy, MemoryIndex, Settings, find_all_copies, find_copies,
                           fingerprint, kgram_hash, normalise)
from checker.dedup.chains import sort_order
from tests.dedupkit import (FILLER_A, FILLER_B, FILLER_C, LEDGER, OPENING_A, OPENING_B, STAIRS,
                            STOCK, VISITS, draft, near)

SETTINGS = Settings()


def copies(texts: dict[str, str], target: str, with_texts: bool = True,
           settings: Settings = SETTINGS) -> list[Copy]:
    index = MemoryIndex({name: fingerprint(text, settings) for name, text in texts.items()})
    return find_copies(target, index.prints()[target], index, settings,
                       texts.get if with_texts else None)


def test_normalise_keeps_han_letters_digits_and_maps_back() -> None:
    text = "一、加强学习。\n（二）第一，ＡＢ12是##paidbegin##好的一是不对"
    norm = normalise(text)
    assert norm.chars == "加强学习ab12是好的一是不对"
    assert [text[o] for o in norm.offsets] == list("加强学习ＡＢ12是好的一是不对")


def test_fingerprint_hashes_are_the_kgram_hashes_and_bytes_round_trip() -> None:
    text = draft(STAIRS, LEDGER)
    fp = fingerprint(text, SETTINGS)
    chars = normalise(text).chars
    assert len(fp.hashes) > 10
    assert all(kgram_hash(chars[p:p + SETTINGS.k]) == h for p, h in zip(fp.positions, fp.hashes))
    assert all(0 <= h < 2 ** 63 for h in fp.hashes)
    assert type(fp).unpack(fp.pack()) == fp
    far = type(fp)(fp.hashes, fp.positions, array("q", [2**31] * len(fp.starts)), fp.ends,
                   fp.length, fp.line_starts)
    with pytest.raises(OverflowError):  # an offset a 4-byte column cannot hold
        far.pack()
    # winnowing: every window of `window` k-grams holds a selected one (no fixed term
    # here to leave a gap)
    bare = fingerprint(text, Settings(fixed_terms=()))
    gaps = [b - a for a, b in zip(bare.positions, bare.positions[1:])]
    assert max(gaps) <= SETTINGS.window


def test_fingerprints_are_the_same_in_another_process() -> None:
    text = draft(STAIRS, VISITS, FILLER_A)
    code = ("import sys; from checker.dedup import fingerprint, Settings; "
            "print(fingerprint(sys.stdin.read(), Settings()).pack().hex())")
    for seed in ("0", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run([sys.executable, "-c", code], input=text, capture_output=True,
                             text=True, env=env, check=True, timeout=60).stdout
        assert bytes.fromhex(out.strip()) == fingerprint(text, SETTINGS).pack()


def test_verbatim_passage_inside_a_paragraph() -> None:
    a = draft(FILLER_A, "群众工作方面。" + STAIRS + "，居民多次反映。")
    b = draft("为民服务方面，有的事情办得不够细。比如" + STAIRS + "，教训深刻。", FILLER_B,
              opening=OPENING_B)
    found = copies({"a.txt": a, "b.txt": b}, "b.txt")
    assert len(found) == 1
    c = found[0]
    assert b[c.start:c.end] == STAIRS
    assert (c.line, c.column, c.end_line, c.end_column) == (3, 23, 3, 23 + len(STAIRS))
    assert (c.other, c.other_line, c.other_column) == ("a.txt", 4, 11)
    assert a[c.other_start:c.other_end] == STAIRS
    assert c.share == 1.0 and c.length == len(normalise(STAIRS).chars)
    # the other way round: the same passage, reported on a.txt
    back = copies({"a.txt": a, "b.txt": b}, "a.txt")
    assert [(x.line, x.column, x.other, x.other_line) for x in back] == [(4, 11, "b.txt", 3)]


def test_without_the_texts_the_span_is_the_fingerprints() -> None:
    a = draft(FILLER_A, STAIRS)
    b = draft(STAIRS + "。", FILLER_C, opening=OPENING_B)
    (c,) = copies({"a.txt": a, "b.txt": b}, "b.txt", with_texts=False)
    assert STAIRS.find(b[c.start:c.end]) >= 0 and c.end - c.start >= len(STAIRS) - 14


def test_near_copy_with_words_changed() -> None:
    a = draft(FILLER_A, LEDGER + "。")
    b = draft(FILLER_B, "经费管理方面，" + near(LEDGER) + "。", opening=OPENING_B)
    (c,) = copies({"a.txt": a, "b.txt": b}, "b.txt")
    assert b[c.start:c.end] == near(LEDGER)
    assert (c.line, c.column, c.other_line, c.other_column) == (4, 11, 4, 4)
    assert 0.9 < c.share < 1.0


def test_passage_across_a_paragraph_break() -> None:
    cut = STAIRS.index("三个单元")
    a = draft(FILLER_A, STAIRS + "。")
    b = draft(FILLER_C + STAIRS[:cut], STAIRS[cut:] + "。这一问题至今仍有反映。", opening=OPENING_B)
    (c,) = copies({"a.txt": a, "b.txt": b}, "b.txt")
    assert (c.line, c.end_line) == (3, 4)
    assert b[c.start:c.end] == STAIRS[:cut] + "\n（二）" + STAIRS[cut:]


def test_whole_paragraph_and_whole_draft() -> None:
    a = draft(VISITS + "。", LEDGER + "。")
    b = draft(FILLER_B, VISITS + "。", opening=OPENING_B)
    (c,) = copies({"a.txt": a, "b.txt": b}, "b.txt")
    assert b[c.start:c.end] == VISITS
    # a whole draft: one passage from the opening to the last paragraph (a short whole
    # line at either end, here the closing, is left out: headings and closings repeat)
    whole = copies({"a.txt": a, "c.txt": a.replace("区委", "县委")}, "c.txt")
    assert [(c.line, c.column, c.end_line, c.end_column) for c in whole] == [(1, 4, 4, 78)]


def test_a_shared_heading_next_to_a_passage_is_not_part_of_it() -> None:
    a = draft(FILLER_A, opening=OPENING_A) + "二、整改措施\n" + VISITS + "。\n"
    b = draft(FILLER_C, opening=OPENING_B) + "二、整改措施\n" + VISITS + "。\n"
    (c,) = copies({"a.txt": a, "b.txt": b}, "b.txt")
    assert (c.line, c.column, c.other_line, c.other_column) == (6, 1, 6, 1)
    assert b[c.start:c.end] == VISITS


def test_stock_phrases_and_openings_make_no_copy() -> None:
    a = draft(STOCK + FILLER_A, FILLER_B)
    b = draft(STOCK + FILLER_C, heading="一、查摆的问题", opening=OPENING_B)
    assert copies({"a.txt": a, "b.txt": b}, "b.txt") == []


def test_a_passage_in_many_drafts_is_stock() -> None:
    # in a repo where a passage is in 30 of 40 drafts it is the repo's stock text
    texts = {f"d{i}.txt": draft(STAIRS if i < 30 else FILLER_A, f"第{i}号草稿的其余内容各不相同。",
                                opening=f"这是第{i}份草稿。")
             for i in range(40)}
    assert copies(texts, "d0.txt") == []
    few = {name: text for name, text in list(texts.items())[:3]}
    assert len(copies(few, "d0.txt")) == 2


def test_nothing_to_compare() -> None:
    assert copies({"a.txt": "短。"}, "a.txt") == []
    assert copies({"a.txt": draft(STAIRS), "b.txt": ""}, "a.txt") == []


def test_the_five_samples_share_no_passage(samples) -> None:
    texts = {p.name: p.read_text(encoding="utf-8") for p in sorted(samples.glob("*.txt"))}
    assert len(texts) >= 5
    assert [c for name in texts for c in copies(texts, name)] == []


def repo_of_drafts() -> dict[str, str]:
    """Drafts sharing passages every way: verbatim, near, across a break, twice in one
    draft, a whole draft, and a passage in many drafts."""
    texts = {
        "a.txt": draft(STAIRS + "。", LEDGER + "。", FILLER_A),
        "b.txt": draft(FILLER_B, near(STAIRS) + "。", opening=OPENING_B),
        "c.txt": draft(FILLER_C + LEDGER[:40], LEDGER[40:] + "。", VISITS + "。"),
        "d.txt": draft(VISITS + "。" + VISITS + "。", FILLER_A, opening=OPENING_B),
        "e.txt": draft(STAIRS + "。", LEDGER + "。", FILLER_A).replace("区委", "县委"),
        "f.txt": draft(STOCK + FILLER_B),
    }
    texts.update({f"g{i}.txt": draft(STOCK + FILLER_C, f"第{i}份草稿里自己的一句话。",
                                     opening=f"这是第{i}份草稿。") for i in range(3)})
    return texts


def test_all_drafts_at_once_equal_each_draft_alone() -> None:
    texts = repo_of_drafts()
    index = MemoryIndex({name: fingerprint(text, SETTINGS) for name, text in texts.items()})
    for with_texts in (True, False):
        source = texts.get if with_texts else None
        every = find_all_copies(index, SETTINGS, source)
        alone = {name: find_copies(name, index.prints()[name], index, SETTINGS, source)
                 for name in texts}
        assert every == {name: found for name, found in alone.items() if found}
        assert {"a.txt", "b.txt", "c.txt", "d.txt", "e.txt"} <= set(every)
    assert find_all_copies(index, SETTINGS, None, ["b.txt"]) == {"b.txt": alone["b.txt"]}


def test_sort_order_packs_the_keys_or_falls_back_to_lexsort() -> None:
    import numpy as np

    first = np.array([3, 1, 3, 1, 2])
    second = np.array([-5, 7, -6, 7, 0])
    third = np.array([0, 2, 1, 1, 9])
    want = np.lexsort((third, second, first)).tolist()
    assert sort_order(first, second, third).tolist() == want == [3, 1, 4, 2, 0]
    wide = first * (1 << 40)  # 43 bits + 4 + 4 over 63: the lexsort
    assert sort_order(wide, second * (1 << 20), third).tolist() == want
