"""The cross-document stage (D201, checker.copies): passages through the engine, the
fingerprint index in the cache, repo scope."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from checker import cache as cachemod, cachedir, copies
from checker.checks import corpus_duplicate, kind_module
from checker.config import Config, load_file
from checker.dedup import DraftPrint
from checker.document import Document
from checker.engine import load_selected
from checker.packs import load_rules
from checker.run import run
from conftest import FIXTURES, run_cli

CORPUS_RULES = [r for r in load_rules() if getattr(kind_module(r.kind), "CORPUS", False)]
PARA = ("在理论武装方面，自己满足于参加集中学习，个人自学的时间偏少，读原著学原文不够系统，"
        "对新思想新观点的理解停留在字面上，联系分管工作思考不深，运用理论指导实践的能力还有欠缺。")
OTHER = ("聚焦群众反映强烈的突出问题，建立问题清单和责任清单，逐项明确整改时限，整改一项销号一项，"
         "确保件件有着落、事事有回音，以整改实效取信于民。")


def check_dir(root: Path, *paths: Path, select: str = "D201", use_cache: bool = True,
              **values: object):
    cfg_file = root / ".draftlint.yaml"
    cfg = load_file(cfg_file) if cfg_file.is_file() else Config(root.resolve())
    cfg = cfg.with_values(select=(select,), **values)
    known, selected = load_selected(cfg)
    cache = None
    if use_cache and cfg.source is not None:
        cache = cachemod.open_cache(cfg, selected, known, cachedir.cache_dir(cfg))[0]
    try:
        return run(list(paths) or [root], cfg, selected, known, cache=cache).diagnostics
    finally:
        if cache is not None:
            cache.close()


def write(root: Path, name: str, *paras: str) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("2024年度组织生活会对照检查材料\n一、存在的问题\n" + "\n".join(paras) + "\n",
                    encoding="utf-8")
    return path


# -- fixtures and examples (what test_rule_meta does for per-document rules) ------------------
FOLDERS = sorted(p for p in (FIXTURES / "corpus").iterdir() if (p / "expected").is_file())


@pytest.mark.parametrize("folder", FOLDERS, ids=[p.name for p in FOLDERS])
def test_fixture_folder(folder: Path, tmp_path: Path) -> None:
    repo = tmp_path / folder.name
    shutil.copytree(folder, repo)
    got = [f"{Path(d.path).relative_to(repo).as_posix()}:{d.line}:{d.column} {d.code}"
           for d in check_dir(repo, select="D2")]
    want = [line.strip() for line in (folder / "expected").read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]
    assert got == want


def test_every_corpus_rule_fires_and_is_silent_in_a_folder() -> None:
    text = " ".join((f / "expected").read_text(encoding="utf-8") for f in FOLDERS)
    for rule in CORPUS_RULES:
        assert rule.code in text
    assert any(not [ln for ln in (f / "expected").read_text(encoding="utf-8").splitlines()
                    if ln.strip() and not ln.startswith("#")] for f in FOLDERS)


@pytest.mark.parametrize("rule", CORPUS_RULES, ids=[r.code for r in CORPUS_RULES])
def test_examples_behave_as_two_copies(rule, tmp_path: Path) -> None:
    """A cross-document example is a draft of which two copies exist in the repo."""
    for kind in ("bad", "good"):
        for i, example in enumerate(rule.examples[kind]):
            repo = tmp_path / f"{kind}{i}"
            for name in ("one.txt", "two.txt"):
                (repo / name).parent.mkdir(parents=True, exist_ok=True)
                (repo / name).write_text(example, encoding="utf-8")
            codes = [d.code for d in check_dir(repo, select=rule.code)]
            assert (codes == [rule.code] * 2) if kind == "bad" else (codes == [])


# -- matching -------------------------------------------------------------------------------------
def test_fingerprints_are_bytes_that_unpack_to_the_same_print() -> None:
    fp = corpus_duplicate.fingerprint(Document("a.txt", PARA), CORPUS_RULES[0].options)
    assert type(fp) is bytes
    back = DraftPrint.unpack(fp)
    assert back.pack() == fp and len(back.hashes) > 5
    for bad in (fp[:-3], fp[:20], b"", "not bytes", fp + b"\0\0\0\0"):
        with pytest.raises(ValueError):
            DraftPrint.unpack(bad)


def test_copies_in_one_file_are_left_to_the_within_draft_rule(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", PARA, OTHER, PARA)
    assert check_dir(tmp_path) == []


# -- the engine and the index ---------------------------------------------------------------------
def test_diagnostic_names_the_other_file_line_and_similarity(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", OTHER, PARA)
    write(tmp_path, "b.txt", PARA.replace("能力", "本领"))
    diags = check_dir(tmp_path)
    assert [(Path(d.path).name, d.line, d.column, d.end_line, d.end_column, d.code)
            for d in diags] == [("a.txt", 4, 1, 4, 79, "D201"), ("b.txt", 3, 1, 3, 79, "D201")]
    # the passage ends where the words differ: what it holds is the same
    assert "(100% the same)" in diags[0].message and "b.txt:3" in diags[0].message
    rel = diags[0].related[0]
    assert (Path(rel.path).name, rel.line, rel.column) == ("b.txt", 3, 1)


def repo_with_config(tmp_path: Path) -> Path:
    (tmp_path / ".draftlint.yaml").write_text("select: [D201]\n", encoding="utf-8")
    write(tmp_path, "drafts/a.txt", PARA)
    write(tmp_path, "drafts/b.txt", OTHER)
    write(tmp_path, "drafts/old/c.txt", OTHER, PARA)
    return tmp_path


def test_repo_scope_compares_one_file_with_the_whole_repo(tmp_path: Path) -> None:
    repo = repo_with_config(tmp_path)
    diags = check_dir(repo, repo / "drafts" / "a.txt")
    assert [(Path(d.path).name, d.line) for d in diags] == [("a.txt", 3)]
    assert "c.txt:4" in diags[0].message
    con = sqlite3.connect(repo / ".draftlint_cache" / cachemod.DB_NAME)
    assert con.execute("SELECT count(*) FROM print_drafts").fetchone()[0] == 3
    con.close()
    # scope: paths compares the checked files only
    only = check_dir(repo, repo / "drafts" / "a.txt",
                     rules={"D201": {"options": {"scope": "paths"}}})
    assert only == []


def test_a_run_over_the_whole_repo_matches_in_memory_and_writes_no_index(
        tmp_path: Path) -> None:
    repo = repo_with_config(tmp_path)
    whole = check_dir(repo)
    assert sorted((Path(d.path).name, d.line) for d in whole) == [
        ("a.txt", 3), ("b.txt", 3), ("c.txt", 3), ("c.txt", 4)]
    con = sqlite3.connect(repo / ".draftlint_cache" / cachemod.DB_NAME)
    tables = {t for (t,) in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "postings" not in tables or con.execute(
        "SELECT count(*) FROM postings").fetchone()[0] == 0
    one = check_dir(repo, repo / "drafts" / "a.txt")  # a pre-commit run fills it
    assert [(Path(d.path).name, d.line) for d in one] == [("a.txt", 3)]
    assert con.execute("SELECT count(*) FROM print_drafts").fetchone()[0] == 3
    con.close()


def test_warm_index_does_not_reread_unchanged_files(tmp_path: Path, monkeypatch) -> None:
    repo = repo_with_config(tmp_path)
    check_dir(repo, repo / "drafts" / "a.txt")  # cold: fills the index
    import checker.readers

    real = checker.readers.read_path
    reads: list[str] = []

    def spy(path, *args, **kwargs):
        reads.append(Path(path).name)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(checker.readers, "read_path", spy)
    diags = check_dir(repo, repo / "drafts" / "a.txt")
    assert "c.txt:4" in diags[0].message
    # b.txt shares nothing: never read; c.txt shares a passage: read once, only to mark
    # its exact extent (its fingerprints come from the index)
    assert "b.txt" not in reads and reads.count("c.txt") == 1
    # a changed file is read again and its new text used
    write(repo, "drafts/old/c.txt", OTHER)
    reads.clear()
    assert check_dir(repo, repo / "drafts" / "a.txt") == []
    assert "c.txt" in reads


def test_index_is_kept_by_settings(tmp_path: Path) -> None:
    rule = CORPUS_RULES[0]
    other = rule.with_overrides(None, {"extra-terms": ["枫桥经验"]}, "test")
    assert copies.settings(rule.options).key() != copies.settings(other.options).key()
    # min-length changes the matching, not the fingerprints: the same rows serve
    shorter = rule.with_overrides(None, {"min-length": 30}, "test")
    assert copies.settings(rule.options).key() == copies.settings(shorter.options).key()


def test_a_damaged_index_row_matches_nothing(tmp_path: Path) -> None:
    repo = repo_with_config(tmp_path)
    check_dir(repo, repo / "drafts" / "a.txt")
    con = sqlite3.connect(repo / ".draftlint_cache" / cachemod.DB_NAME)
    with con:
        con.execute("UPDATE postings SET line = 'garbage'")
    con.close()
    assert check_dir(repo, repo / "drafts" / "a.txt") == []  # never a crash
    (repo / "drafts" / "old" / "c.txt").touch()  # a changed stat: fingerprinted again
    write(repo, "drafts/old/c.txt", OTHER, PARA)
    diags = check_dir(repo, repo / "drafts" / "a.txt")
    assert [(Path(d.path).name, d.line) for d in diags] == [("a.txt", 3)]


def test_unusable_index_is_not_fatal(tmp_path: Path) -> None:
    (tmp_path / "blocker").write_text("a file where the cache directory should be")
    (tmp_path / ".draftlint.yaml").write_text("cache-dir: blocker/sub\n", encoding="utf-8")
    write(tmp_path, "a.txt", PARA)
    write(tmp_path, "b.txt", PARA)
    diags = check_dir(tmp_path, tmp_path / "a.txt")  # b.txt comes from the repo scope
    assert [Path(d.path).name for d in diags] == ["a.txt"]


def test_no_index_without_a_repo(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", PARA)
    write(tmp_path, "b.txt", PARA)
    assert len(check_dir(tmp_path)) == 2
    database = tmp_path / ".draftlint_cache" / cachemod.DB_NAME
    if database.exists():
        conn = sqlite3.connect(database)
        assert conn.execute("SELECT count(*) FROM results").fetchone() == (0,)
        conn.close()


def test_cli_reports_d201(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", PARA)
    write(tmp_path, "b.txt", PARA)
    proc = run_cli("check", "--select", "D201", "-q", str(tmp_path), cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.count("D201") == 2 and "(100% the same)" in proc.stdout
    assert proc.stderr == ""


def test_d201_shows_this_run_s_paths_when_the_cache_was_filled_from_elsewhere(
        tmp_path: Path) -> None:
    """A cached row's fingerprints carry the display path of the run that stored them;
    a later run from another working directory shows its own paths, as the other rules
    do (it showed the absolute paths of the first run)."""
    (tmp_path / ".draftlint.yaml").write_text("select: [D201, P101]\n", encoding="utf-8")
    write(tmp_path, "drafts/a.txt", PARA, "第**条")
    write(tmp_path, "drafts/b.txt", PARA)
    first = run_cli("check", "-q", str(tmp_path), cwd=tmp_path.parent)
    assert f"{tmp_path.as_posix()}/drafts/a.txt:3:1: D201" in first.stdout
    again = run_cli("check", "-q", ".", cwd=tmp_path)
    assert again.stdout.splitlines() == [
        line.replace(f"{tmp_path.as_posix()}/", "") for line in first.stdout.splitlines()]
    assert [line.split(" ")[1] for line in again.stdout.splitlines()
            if line.startswith("drafts/a.txt:")] == ["D201", "P101"]
    assert str(tmp_path) not in again.stdout


def _numpy_loaded(cwd: Path, *args: str) -> bool:
    """Whether a check run in a fresh interpreter loaded numpy (the fingerprints do)."""
    import subprocess
    import sys

    code = ("import sys; from checker.cli import main; main(%r); "
            "print('numpy' in sys.modules)" % (["check", "-q", *args],))
    proc = subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True,
                          text=True, timeout=120)
    assert proc.stdout.strip().splitlines()[-1:] in (["True"], ["False"]), proc.stderr
    return proc.stdout.strip().endswith("True")


def test_one_file_with_nothing_to_compare_makes_no_fingerprints(tmp_path: Path) -> None:
    """One draft, no configuration file (so no repo to compare it with): D201 cannot
    report anything, so no fingerprint is made (numpy is not loaded) and no cache row is
    written (it would lack one). Two drafts, or a configuration file: fingerprints."""
    write(tmp_path, "a.txt", PARA, OTHER)
    write(tmp_path, "b.txt", OTHER)
    assert not _numpy_loaded(tmp_path, "a.txt")
    database = tmp_path / ".draftlint_cache" / cachemod.DB_NAME
    if database.exists():
        conn = sqlite3.connect(database)
        assert conn.execute("SELECT count(*) FROM results").fetchone() == (0,)
        conn.close()
    assert _numpy_loaded(tmp_path, "--no-cache", "a.txt", "b.txt")
    (tmp_path / ".draftlint.yaml").write_text("select: [ALL]\n", encoding="utf-8")
    assert _numpy_loaded(tmp_path, "--no-cache", "a.txt")


@pytest.mark.parametrize("holders, reported", [(20, True), (21, False)])
def test_the_default_stock_limit(tmp_path: Path, holders: int, reported: bool) -> None:
    """With the shipped options a repo of up to 10,000 drafts takes text in more than 20
    of them for its own stock text (max-drafts 20, max-draft-share 0.2 %)."""
    for i in range(30):
        own = f"第{i}份材料的其余部分各写各的，这里记下本支部第{i}次会议的具体安排。"
        write(tmp_path, f"d{i:02}.txt", *((PARA, own) if i < holders else (own,)))
    found = check_dir(tmp_path)
    assert {Path(d.path).name for d in found} == ({f"d{i:02}.txt" for i in range(holders)}
                                            if reported else set())
    assert all((d.code, d.line, d.column) == ("D201", 3, 1) for d in found)


def test_the_stock_limit_grows_past_ten_thousand_drafts() -> None:
    defaults = {name: opt.default for name, opt in corpus_duplicate.OPTIONS.items()}
    conf = corpus_duplicate.settings(defaults)
    assert [conf.stock_limit(n) for n in (30, 10_000, 20_000, 100_000)] == [20, 20, 40, 200]
