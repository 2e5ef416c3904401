"""Helpers for the cache, baseline and parallel tests: small drafts repos on disk."""

from __future__ import annotations

import os
import time
from pathlib import Path

from checker import cache as cachemod, cachedir
from checker.config import Config
from checker.engine import load_selected
from checker.model import RunResult
from checker.run import run

DRAFT = """2023年度组织生活会个人发言提纲
根据{place}支部通知要求，现将有关情况汇报如下：
一、存在的问题
（一）学习不够深入。对新理论学得不够系统，满足于读原文、记笔记。
二、原因分析
主要是自我要求有所放松，第{n}条整改措施落实不够。
三、整改措施
坚持每周集中学习一次。
"""


def draft(n: int, placeholder: bool = True) -> str:
    return DRAFT.format(place="**" if placeholder else "第三", n=n)


def make_repo(root: Path, count: int, every: int = 3) -> list[Path]:
    """``count`` drafts under root/drafts; every ``every``-th has a ``**`` blank. Their
    mtimes are set an hour back, so the cache may trust their stat."""
    (root / "drafts").mkdir(parents=True, exist_ok=True)
    (root / ".draftlint.yaml").write_text("select: [P101, M101, E]\n", encoding="utf-8")
    paths = []
    for i in range(count):
        path = root / "drafts" / f"d{i:04d}.txt"
        path.write_text(draft(i, i % every == 0), encoding="utf-8")
        paths.append(path)
    age(*paths)
    return paths


def age(*paths: Path, seconds: float = 3600) -> None:
    """Set mtime in the past (ctime stays now: tests that need a trusted stat wait out
    the racy window with :func:`settle` or rely on the hash)."""
    past = time.time() - seconds
    for path in paths:
        os.utime(path, (past, past))


def config_of(root: Path, **values: object) -> Config:
    from checker.config import load_file

    return load_file(root / ".draftlint.yaml").with_values(**values)


def check(root: Path, *, use_cache: bool = True, jobs: int = 1, **values: object) -> RunResult:
    """One run through the engine with the repo's configuration and its result cache."""
    config = config_of(root, **values)
    known, selected = load_selected(config)
    results = None
    if use_cache:
        results, warning = cachemod.open_cache(config, selected, known,
                                               cachedir.cache_dir(config))
        assert warning is None, warning
    try:
        return run([root / "drafts"], config, selected, known, jobs=jobs, cache=results)
    finally:
        if results is not None:
            results.close()


def shown(result: RunResult) -> list[tuple[str, int, int, str, str, str]]:
    return [(Path(d.path).name, d.line, d.column, d.code, str(d.severity), d.message)
            for d in result.diagnostics]
