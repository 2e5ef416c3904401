"""Issue 21 item 1: a secret is never printed or stored, by any rule, in any output.

Drafts hold each kind of secret (password, phone and ID number, e-mail, share link)
where other rules quote them too (T101's context, S209's paragraph end, D103's repeated
phrase); every output is rendered and searched for any piece of a raw value.
"""

from __future__ import annotations

import json
import pickle
import re
import sqlite3
from pathlib import Path

import pytest

from checker.masking import Secrets, hide, mask_fragments, mask_spans
from tests.conftest import run_cli

PASSWORD = "Kq7Zv9Tx"
PHONE = "17762430958"
ID_NUMBER = "440305198807156134"
MAILBOX = "lqx.gz83k"
LINK_PATH = "/s/1Zx8QwErTy"
SECRETS = (PASSWORD, PHONE, ID_NUMBER, MAILBOX, LINK_PATH)

DRAFT = f"""关于党支部组织生活会的对照检查材料

按照会议安排，现将个人对照检查情况报告如下：

一、存在的问题

会务联系人电话{PHONE},请各支部及时对接。共享文档编辑密码:{PASSWORD},仅限本组使用。
经办人身份证号{ID_NUMBER}已登记在册并已核对无误。
经办人身份证号{ID_NUMBER}已登记在册并已核对无误。
意见建议请发送至{MAILBOX}@example.com,会议材料见https://pan.baidu.com{LINK_PATH} 备用电话{PHONE}，

二、原因分析

一是理论学习不够深入。
"""

MARKDOWN = f"""# 学习心得体会

联系电话:{PHONE},邮箱{MAILBOX}@example.com。
"""


def pieces(value: str) -> set[str]:
    """What must never appear: every 4-character piece, and the first and last three."""
    out = {value[i:i + 4] for i in range(len(value) - 3)}
    return out | {value[:3], value[-3:]}


# a digest (16 or more hex digits, at least one a letter: a run of decimal digits may be a
# secret), wherever it stands: in the database file it follows other bytes directly
_HEX = re.compile(r"(?<![0-9a-f])(?=[0-9a-f]{16,}(?![0-9a-f]))[0-9]*[a-f][0-9a-f]*")
# a packed fingerprint print (base64 of hashes and offsets) and a JSON number (an offset,
# a size): three or four digits of a secret turn up in them by chance
_NOISE = re.compile(r"[A-Za-z0-9+/]{40,}={0,2}|(?<=[:,\[]) ?-?\d+(?=[,\]}])")


def leaked(text: str, shortest: int = 3) -> list[str]:
    """Pieces of a secret in ``text`` (of at least ``shortest`` characters); hex digests
    (cache keys), packed prints and JSON numbers are left out, as any three or four digits
    turn up in them by chance."""
    text = _NOISE.sub(" ", _HEX.sub(" ", text))
    return sorted(p for v in SECRETS for p in pieces(v) if len(p) >= shortest and p in text)


def _strings(obj: object, depth: int = 0) -> list[str]:
    """The strings inside an unpickled value (numbers are hashes: any digits turn up)."""
    if isinstance(obj, str):
        return [obj]
    if isinstance(obj, bytes):
        return [obj.decode("utf-8", "replace")]
    if depth > 50:
        return []
    if isinstance(obj, dict):
        return [s for k, v in obj.items() for x in (k, v) for s in _strings(x, depth + 1)]
    if isinstance(obj, (list, tuple, set, frozenset)):
        return [s for x in obj for s in _strings(x, depth + 1)]
    if hasattr(obj, "__dict__"):
        return _strings(vars(obj), depth + 1)
    if hasattr(obj, "__slots__"):
        return [s for k in obj.__slots__ for s in _strings(getattr(obj, k, None), depth + 1)]
    return []


def _blobs(path: Path) -> list[str]:
    """Every value stored in a SQLite database, decoded as far as it goes."""
    out = []
    conn = sqlite3.connect(path)
    try:
        tables = [t for (t,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            for row in conn.execute(f'SELECT * FROM "{table}"'):
                for value in row:
                    if isinstance(value, (int, float)) or value is None:
                        continue  # hashes and counts: any digits may turn up in them
                    if isinstance(value, bytes):
                        try:
                            out.extend(_strings(pickle.loads(value)))
                        except Exception:
                            out.append(value.decode("utf-8", "replace"))
                    else:
                        out.append(str(value))
    finally:
        conn.close()
    return out


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / ".draftlint.yaml").write_text("select: [ALL]\nextend-select: [D103]\n",
                                              encoding="utf-8")
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "对照检查材料.txt").write_text(DRAFT, encoding="utf-8")
    (tmp_path / "drafts" / "心得.md").write_text(MARKDOWN, encoding="utf-8")
    return tmp_path


def test_the_draft_quotes_secrets_through_other_rules(repo: Path) -> None:
    """The fixture does what it must: other rules than L quote next to the secrets."""
    out = run_cli("check", "drafts", "--format", "json", cwd=repo).stdout
    codes = {d["code"] for d in json.loads(out)}
    assert {"L101", "L102", "L103", "L104", "L105", "T101", "D103", "S209"} <= codes


def test_no_output_holds_a_secret(repo: Path) -> None:
    outputs: dict[str, str] = {}
    for name, args in {
        "text": [], "show-source": ["--show-source"], "json": ["--format", "json"],
        "sarif": ["--format", "sarif"], "github": ["--format", "github"],
        "statistics": ["--statistics"], "file-statistics": ["--file-statistics"],
        "diff": ["--diff"],
    }.items():
        proc = run_cli("check", "drafts", *args, cwd=repo)
        assert proc.returncode == 1, (name, proc.stderr)
        outputs[name] = proc.stdout + proc.stderr
    proc = run_cli("check", "drafts", "--write-baseline", "baseline.json", cwd=repo)
    assert proc.returncode == 0, proc.stderr
    outputs["baseline"] = (repo / "baseline.json").read_text(encoding="utf-8")
    cache = repo / ".draftlint_cache"
    assert cache.is_dir()
    raw = {}  # the database files' bytes: binary pages, where three digits turn up by chance
    for path in sorted(p for p in cache.rglob("*") if p.is_file()):
        data = path.read_bytes()
        raw[f"cache {path.name}"] = data.decode("utf-8", "replace")
        if data.startswith(b"SQLite format 3"):
            outputs[f"cache {path.name} values"] = "\n".join(_blobs(path))
    for name, text in raw.items():
        assert not leaked(text, shortest=4), (name, leaked(text, shortest=4))
    for name, text in outputs.items():
        assert not leaked(text), (name, leaked(text))
    # and the outputs are not empty of what they should show
    assert "D103" in outputs["text"] and "@example.com" in outputs["json"]
    assert "+" in outputs["diff"] and "，" in outputs["diff"]


def test_a_copied_passage_holding_a_secret_is_reported_without_it(tmp_path: Path) -> None:
    """D201 alone (no rule that quotes text, so the secrets are not looked for while the
    drafts are checked): the passage is reported, and no output shows the password."""
    passage = (f"系统内部服务器登录密码:{PASSWORD}请各单位妥善保管不得外传，在今后的工作中进一步"
               "加强保密管理，认真查找问题根源，切实做到立行立改。")
    (tmp_path / "a.txt").write_text(f"一、基本情况\n{passage}\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text(f"二、存在问题\n前面是不同的话。{passage}\n",
                                    encoding="utf-8")
    for args in ([], ["--show-source"], ["--format", "json"], ["--format", "sarif"],
                 ["--format", "github"]):
        proc = run_cli("check", "--select", "D201", "--no-cache", ".", *args, cwd=tmp_path)
        assert proc.returncode == 1 and "D201" in proc.stdout, (args, proc.stderr)
        assert not leaked(proc.stdout + proc.stderr), args


def test_fix_still_writes_the_secrets_back(repo: Path) -> None:
    """Masking is for output only: --fix changes punctuation and keeps every secret."""
    proc = run_cli("check", "drafts", "--fix", cwd=repo)
    fixed = (repo / "drafts" / "对照检查材料.txt").read_text(encoding="utf-8")
    assert proc.returncode == 1
    assert f"电话{PHONE}，请" in fixed and f"密码：{PASSWORD}，仅限" in fixed
    assert all(s in fixed for s in SECRETS)
    assert not leaked(proc.stdout + proc.stderr)


def test_secret_prefix_lets_messages_show_the_first_characters(repo: Path) -> None:
    (repo / ".draftlint.yaml").write_text("select: [ALL]\nsecret-prefix: 3\n", encoding="utf-8")
    out = run_cli("check", "drafts", "--select", "L101", "--no-cache", cwd=repo).stdout
    assert f"'编辑密码:{PASSWORD[:3]}*****'" in out
    assert PASSWORD[3:6] not in out


def test_secret_prefix_must_not_be_negative(repo: Path) -> None:
    (repo / ".draftlint.yaml").write_text("secret-prefix: -1\n", encoding="utf-8")
    proc = run_cli("check", "drafts", cwd=repo)
    assert proc.returncode == 2 and "secret-prefix" in proc.stderr


def test_masking_functions() -> None:
    assert hide("wsx2023") == "*******" and hide("wsx2023", 3) == "wsx****"
    assert mask_spans("电话13912345678。", [(2, 13)]) == "电话***********。"
    # a long piece of a secret anywhere is masked; a short one only where it lies
    assert mask_fragments("前缀1391234后", ["13912345678"]) == "前缀*******后"
    assert mask_fragments("第139号", ["13912345678"]) == "第139号"


class _Doc:
    def __init__(self, text: str) -> None:
        self.text = text


def test_a_quotation_over_a_secret_is_masked_where_it_lies() -> None:
    text = "编辑密码:wsx2023,不要外传。年份2023年。"
    secrets = Secrets(text, ((5, 12),), ("wsx2023",))
    assert secrets.quote("023,不要外") == "***,不要外"
    assert secrets.quote("辑密码:wsx") == "辑密码:***"
    assert secrets.quote("年份20") == "年份20"  # the same digits elsewhere stay
    assert secrets.quote("码:wsx…传。") == "码:***…传。"
    assert secrets.snippet(3, 14) == "码:*******,不"


def test_a_quotation_touching_a_secret_by_one_character_is_masked_there() -> None:
    # the stretches searched around a secret reach exactly one piece-length minus one
    # beyond it on each side: one character of overlap at either edge is masked
    text = "电话13812345678请联系"
    secrets = Secrets(text, ((2, 13),), ("13812345678",))
    assert secrets.quote("电话1") == "电话*"
    assert secrets.quote("8请联系") == "*请联系"
    # spans arrive sorted from Secrets.find; two secrets, each quoted at its edge
    two = Secrets("甲13812345678乙13912345678丙", ((1, 12), (13, 24)),
                  ("13812345678", "13912345678"))
    assert two.quote("乙1") == "乙*" and two.quote("8乙") == "*乙"
