"""Bad input: each file gets an E diagnostic, the run goes on with the others."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run_cli

PAID = "标题\n##paidbegin##\n正文。\n"


def _run(tmp_path: Path, *extra: str) -> tuple[int, list[dict], str]:
    proc = run_cli("check", "--format", "json", "--select", "E,M101", *extra, str(tmp_path))
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc.returncode, json.loads(proc.stdout), proc.stderr


def _by_file(items: list[dict]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for d in items:
        out.setdefault(Path(d["path"]).name, []).append(d["code"])
    return out


def test_bad_files_reported_and_others_still_checked(tmp_path: Path) -> None:
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02\x03PK")
    (tmp_path / "latin.txt").write_bytes(b"\x80 not text \xff")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "big.txt").write_bytes("长".encode() * 400)
    (tmp_path / "gbk.txt").write_bytes(PAID.encode("gb18030"))
    (tmp_path / "z_good.txt").write_text(PAID, encoding="utf-8")
    rc, items, _ = _run(tmp_path, "--max-file-size", "1000")
    assert rc == 1
    assert _by_file(items) == {
        "big.txt": ["E004"],
        "binary.txt": ["E002"],
        "empty.txt": ["E005"],
        "gbk.txt": ["E101", "M101"],
        "latin.txt": ["E003"],
        "z_good.txt": ["M101"],
    }


def test_gb18030_positions_are_characters(tmp_path: Path) -> None:
    (tmp_path / "gbk.txt").write_bytes("标题\n正文##paidbegin##\n".encode("gb18030"))
    _, items, _ = _run(tmp_path)
    m101 = [d for d in items if d["code"] == "M101"][0]
    assert (m101["line"], m101["column"]) == (2, 3)


def test_utf8_bom_and_crlf(tmp_path: Path) -> None:
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbf" + "标题\r\n正文##paidbegin##\r\n".encode())
    _, items, _ = _run(tmp_path)
    assert [(d["code"], d["line"], d["column"]) for d in items] == [("M101", 2, 3)]


def test_utf16_with_bom_is_read(tmp_path: Path) -> None:
    (tmp_path / "u16.txt").write_bytes("标题\n##paidbegin##\n".encode("utf-16"))
    _, items, _ = _run(tmp_path)
    assert [(d["code"], d["line"]) for d in items] == [("M101", 2)]


def test_unreadable_file(tmp_path: Path) -> None:
    import os

    if os.geteuid() == 0:
        # root reads anything: use a dangling symlink named explicitly instead
        (tmp_path / "gone.txt").symlink_to(tmp_path / "missing-target.txt")
        proc = run_cli("check", "--format", "json", str(tmp_path))
    else:
        locked = tmp_path / "locked.txt"
        locked.write_text(PAID, encoding="utf-8")
        locked.chmod(0)
        proc = run_cli("check", "--format", "json", str(tmp_path))
    assert "Traceback" not in proc.stderr
    codes = [d["code"] for d in json.loads(proc.stdout)]
    assert "E001" in codes
