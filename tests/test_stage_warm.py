"""The D201 stage keeps what it found (checker.stagestore): a run after drafts changed
matches only the drafts whose passages can have changed, and reports exactly what a run
without the cache reports."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path
from typing import Callable

import pytest

from checker import cache as cachemod
from checker.config import load_file
from checker.engine import load_selected
from checker.run import run
from tests.dedupkit import (FILLER_A, FILLER_B, FILLER_C, LEDGER, OPENING_B, STAIRS, STOCK,
                            VISITS, draft, near)

# a fingerprint in more than 3 drafts is stock here: few drafts can flip it
CONFIG = "rules:\n  D201: {options: {max-drafts: 3, max-draft-share: 0.0}}\n"
SHARED = "在走访联系的社区中，我对物业矛盾反映的问题记录了却没有跟踪到底，群众来电询问进展时才去催办，工作被动。"
THREE = "年初制定的调研计划落实不到位，原定走访的六个村只去了两个，其余都以电话了解代替，掌握的情况不够鲜活。"


def repo(root: Path) -> None:
    (root / ".draftlint.yaml").write_text(CONFIG, encoding="utf-8")
    drafts = {
        "a.txt": draft(STAIRS + "。", LEDGER + "。", FILLER_A, THREE),
        "b.txt": draft(FILLER_B, near(STAIRS) + "。", THREE, opening=OPENING_B),
        "c.txt": draft(FILLER_C + LEDGER[:40], LEDGER[40:] + "。", VISITS + "。"),
        "d.txt": draft(VISITS + "。", FILLER_A + SHARED, opening=OPENING_B),
        "e.txt": draft(STOCK + FILLER_B, SHARED, THREE),
        "f.txt": draft(STOCK + FILLER_C, SHARED),
        "g.txt": draft(FILLER_A, SHARED + STOCK),
    }
    for name, text in drafts.items():
        (root / name).write_text(text, encoding="utf-8")


def check(root: Path, use_cache: bool) -> list:
    cfg = load_file(root / ".draftlint.yaml").with_values(select=("D201",))
    known, selected = load_selected(cfg)
    cache = cachemod.open_cache(cfg, selected, known, root / "cache")[0] if use_cache else None
    try:
        return run([root], cfg, selected, known, cache=cache).diagnostics
    finally:
        if cache is not None:
            cache.close()


def append(name: str, text: str) -> Callable[[Path], None]:
    def edit(root: Path) -> None:
        path = root / name
        path.write_text(path.read_text(encoding="utf-8") + text + "\n", encoding="utf-8")
    return edit


def replace(name: str, old: str, new: str) -> Callable[[Path], None]:
    def edit(root: Path) -> None:
        path = root / name
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    return edit


EDITS = {
    "a passage copied in": append("f.txt", VISITS + "。"),
    "a copied passage taken out": replace("b.txt", near(STAIRS), FILLER_C),
    "a draft removed": lambda root: (root / "c.txt").unlink(),
    "a draft added": lambda root: (root / "h.txt").write_text(draft(LEDGER + "。"),
                                                             encoding="utf-8"),
    # SHARED leaves one of its four drafts: no longer stock, the other three share it
    "a stock passage becomes rare": replace("g.txt", SHARED, FILLER_B),
    "a rare passage becomes stock": append("f.txt", THREE),
}


@pytest.mark.parametrize("edit", EDITS.values(), ids=EDITS.keys())
def test_a_warm_run_after_an_edit_equals_a_run_without_the_cache(tmp_path, edit) -> None:
    repo(tmp_path)
    before = check(tmp_path, use_cache=True)
    assert before == check(tmp_path, use_cache=False)
    assert {d.code for d in before} == {"D201"}
    edit(tmp_path)
    for path in tmp_path.glob("*.txt"):  # a new stat for every edit, however quick
        os.utime(path, ns=(path.stat().st_mtime_ns + 10**9,) * 2)
    cold = check(tmp_path, use_cache=False)
    assert cold != before
    assert check(tmp_path, use_cache=True) == cold
    assert check(tmp_path, use_cache=True) == cold  # and what it kept holds


def test_the_stage_keeps_its_results_and_a_damaged_state_is_a_full_match(tmp_path) -> None:
    repo(tmp_path)
    first = check(tmp_path, use_cache=True)
    conn = sqlite3.connect(tmp_path / "cache" / cachemod.DB_NAME)
    with conn:
        assert conn.execute("SELECT count(*) FROM stage_results").fetchone()[0] >= 4
        conn.execute("UPDATE stage_state SET state = '{\"limit\": []}'")
        conn.execute("UPDATE stage_results SET body = 'not json'")
    conn.close()
    assert check(tmp_path, use_cache=True) == first


@pytest.mark.parametrize("damage", [
    "UPDATE kept SET data = substr(data, 1, 30)",  # truncated
    "UPDATE kept SET data = zeroblob(length(data))",  # overwritten, same length
    "DELETE FROM kept",  # gone
])
def test_a_damaged_kept_print_is_made_again_from_the_draft(tmp_path, damage) -> None:
    """The prints are kept beside the rows (table kept); one that does not hold its digest
    is a miss: the draft is fingerprinted again, and the findings are those of a run
    without the cache."""
    repo(tmp_path)
    check(tmp_path, use_cache=True)
    conn = sqlite3.connect(tmp_path / "cache" / cachemod.DB_NAME)
    with conn:
        assert conn.execute("SELECT count(*) FROM kept").fetchone()[0] == 7
        conn.execute(damage)
        conn.execute("DELETE FROM stage_state")  # the stage must match every draft
    conn.close()
    EDITS["a passage copied in"](tmp_path)
    assert check(tmp_path, use_cache=True) == check(tmp_path, use_cache=False)


def test_a_passage_edited_out_of_draft_after_draft_is_rare_again(tmp_path) -> None:
    """Twenty drafts hold two passages: stock, the limit being 10. Edited out of one
    draft a run, they are rare again after the tenth run, and the ten drafts that still
    hold them share them. Each warm run reports what a run without the cache reports:
    their count is in the boundary (checker.stagestore: held by more than the limit and
    at most WIDTH more at the last full match), counted again on every warm run until
    the flip is seen."""
    (tmp_path / ".draftlint.yaml").write_text(
        "rules:\n  D201: {options: {max-drafts: 10, max-draft-share: 0.0}}\n", encoding="utf-8")
    for n in range(20):
        (tmp_path / f"d{n:02}.txt").write_text(draft(STAIRS + "。", LEDGER + "。"),
                                               encoding="utf-8")
    assert check(tmp_path, use_cache=True) == []
    for n in range(10):
        replace(f"d{n:02}.txt", STAIRS, FILLER_C)(tmp_path)
        replace(f"d{n:02}.txt", LEDGER, VISITS)(tmp_path)
        for path in tmp_path.glob("*.txt"):
            os.utime(path, ns=(path.stat().st_mtime_ns + 10**9,) * 2)
        cold = check(tmp_path, use_cache=False)
        assert check(tmp_path, use_cache=True) == cold, f"after {n + 1} drafts edited"
    assert {Path(d.path).name for d in cold} >= {f"d{n:02}.txt" for n in range(10, 20)}


def test_a_draft_that_takes_a_passage_and_gives_it_back(tmp_path) -> None:
    """THREE is in three drafts (rare: they share it). f.txt takes it (four: stock), then
    gives it back (rare again): f.txt no longer holds the hashes whose status flipped, and
    each warm run still reports what a run without the cache reports. The kept state
    shows that the runs after the first matched only some drafts."""
    repo(tmp_path)
    first = check(tmp_path, use_cache=True)
    edits = [append("f.txt", THREE), replace("f.txt", THREE + "\n", ""),
             append("f.txt", THREE), replace("g.txt", SHARED, FILLER_B)]
    for n, edit in enumerate(edits):
        edit(tmp_path)
        for path in tmp_path.glob("*.txt"):
            os.utime(path, ns=(path.stat().st_mtime_ns + 10**9,) * 2)
        cold = check(tmp_path, use_cache=False)
        assert check(tmp_path, use_cache=True) == cold, f"after edit {n + 1}"
        if n == 1:
            assert cold == first
    conn = sqlite3.connect(tmp_path / "cache" / cachemod.DB_NAME)
    state = json.loads(conn.execute("SELECT state FROM stage_state").fetchone()[0])
    conn.close()
    assert [Path(d).name for d in state["since"]] == ["f.txt", "g.txt"]


def test_a_warm_run_in_a_repo_without_stock_phrases(tmp_path) -> None:
    """The repo of repo() with the limit 10: no fingerprint is stock, so the kept
    boundary and stock lists are empty (numpy made floats of them with the hashes, and
    the warm run missed the new copies). A new draft h.txt holds LEDGER (held by
    a.txt and c.txt, which name no draft that changed): a.txt and c.txt now share a
    passage with h.txt and must name it, as a run without the cache reports."""
    repo(tmp_path)
    (tmp_path / ".draftlint.yaml").write_text("rules:\n  D201: {options: {max-drafts: 10}}\n",
                                              encoding="utf-8")
    check(tmp_path, use_cache=True)
    EDITS["a draft added"](tmp_path)
    cold = check(tmp_path, use_cache=False)
    assert {"a.txt", "c.txt"} <= {Path(d.path).name for d in cold
                                  if any(r.path and r.path.endswith("h.txt") for r in d.related)}
    assert check(tmp_path, use_cache=True) == cold


def test_a_draft_that_can_no_longer_be_read_is_no_other_draft_s_copy(tmp_path) -> None:
    """g.txt is binary (E002, no print), so the cached runs go through the
    fingerprint store (not every draft of the repo is checked). Then c.txt becomes binary
    too: the store's refresh drops a draft whose print can no longer be made, and no
    draft names c.txt's old passages (before, a.txt and d.txt still did)."""
    repo(tmp_path)
    binary = b"\x00\x01binary\x00" * 10
    (tmp_path / "g.txt").write_bytes(binary)
    assert check(tmp_path, use_cache=True) == check(tmp_path, use_cache=False)
    (tmp_path / "c.txt").write_bytes(binary)
    os.utime(tmp_path / "c.txt", ns=((tmp_path / "c.txt").stat().st_mtime_ns + 10**9,) * 2)
    cold = check(tmp_path, use_cache=False)
    assert not any("c.txt" in d.message for d in cold)
    assert check(tmp_path, use_cache=True) == cold


@pytest.mark.parametrize("state", [
    '{"limit": 1e999}',  # json reads Infinity: int() raises OverflowError
    None,  # a hash that does not fit in 8 bytes (set below)
    "[" * 100_000 + "]" * 100_000,  # json.loads raises RecursionError
])
def test_a_damaged_state_that_still_parses_is_a_full_match(tmp_path, state) -> None:
    """Rows that still parse but raise OverflowError (an infinite limit, a hash of 2**70)
    or RecursionError (deep nesting) as they load: a full match, never a traceback."""
    repo(tmp_path)
    first = check(tmp_path, use_cache=True)
    conn = sqlite3.connect(tmp_path / "cache" / cachemod.DB_NAME)
    with conn:
        if state is None:
            data = json.loads(conn.execute("SELECT state FROM stage_state").fetchone()[0])
            data["settled"] = [2**70]
            state = json.dumps(data)
        conn.execute("UPDATE stage_state SET state = ?", (state,))
    conn.close()
    EDITS["a passage copied in"](tmp_path)
    assert check(tmp_path, use_cache=True) == check(tmp_path, use_cache=False) != first


def test_a_settled_passage_edited_out_of_more_than_width_drafts(tmp_path,
                                                                       monkeypatch) -> None:
    """No other test fails without the WIDTH guard in stagestore.affected. WIDTH is
    1 here, the limit 3, so LEDGER in five drafts is settled (more than 3 + 1). Edited
    out of one draft a run, it is rare again after the second run: the second run has
    two drafts changed since the full match and must match every draft."""
    from checker import stagestore
    monkeypatch.setattr(stagestore, "WIDTH", 1)
    (tmp_path / ".draftlint.yaml").write_text(CONFIG, encoding="utf-8")
    fillers = [FILLER_A, FILLER_B, FILLER_C, SHARED, THREE]
    for n, filler in enumerate(fillers):
        (tmp_path / f"d{n}.txt").write_text(draft(filler, LEDGER + "。"), encoding="utf-8")
    assert check(tmp_path, use_cache=True) == []
    for n in range(2):
        replace(f"d{n}.txt", LEDGER, (VISITS, STAIRS)[n])(tmp_path)
        for path in tmp_path.glob("*.txt"):
            os.utime(path, ns=(path.stat().st_mtime_ns + 10**9,) * 2)
        cold = check(tmp_path, use_cache=False)
        assert check(tmp_path, use_cache=True) == cold, f"after {n + 1} drafts edited"
    assert {Path(d.path).name for d in cold} == {"d2.txt", "d3.txt", "d4.txt"}
