"""Family N: the formulation pack loads strictly, near misses fire with exact places, the
look-alikes stay silent, the draft's date decides N102, and a team's pack extends it."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from checker.checks.formulation import draft_date, edit_text, index_for
from checker.checks.formulation_match import Scan
from checker.checks.formulation_pack import load_pack, shipped_pack
from checker.checks.formulation_pinyin import build_table, readings
from checker.document import Document
from checker.packs import ConfigError
from conftest import run_cli
from lintkit import lint_text, triples


def near(text: str) -> list[tuple[str, str, str]]:
    """(what was written, the canonical form, how) of every near miss in ``text``."""
    scan = Scan(index_for(), text)
    return [(text[h.start:h.end], h.canonical, h.how) for h in scan.near]


# -- the shipped pack ---------------------------------------------------------------------
def test_shipped_pack_loads_with_sources_and_dates() -> None:
    pack = load_pack()
    texts = {f.text: f for f in pack.formulations}
    assert len(pack.formulations) >= 300
    assert all(f.source.startswith("《") for f in pack.formulations)
    assert texts["八个明确"].until == dt.date(2021, 11, 11)
    assert texts["八个明确"].replaced_by == "十个明确"
    assert "十个明确" in texts and texts["十个明确"].until is None
    assert "四个意识" in texts and "政治意识" in texts  # a list yields its items


def test_pinyin_table_is_pypinyins() -> None:
    """The shipped table is what pypinyin gives today (rebuild it after an upgrade)."""
    shipped = (shipped_pack().parent / "pinyin.txt").read_text(encoding="utf-8")
    assert shipped == build_table()
    table = readings(str(shipped_pack().parent))
    assert "yi4" in table["义"] and "yi4" in table["意"]


@pytest.mark.parametrize("body, message", [
    ("formulations: [{text: 四个意识}]", "formulations[0]: key 'source'"),
    ("sources: {a: {title: T, date: 2020-01-01}}\nformulations: [{text: 四个意识, source: b}]",
     "formulations[0]: key 'source'"),
    ("sources: {a: {title: T, date: 2020-01-01}}\nformulations: [{text: 四个意识, source: a, "
     "until: soon}]", "formulations[0]: key 'until'"),
    ("sources: {a: {title: T, date: 2020-01-01}}\nformulations: [{text: 四个意识, source: a, "
     "colour: red}]", "formulations[0]: unknown key 'colour'"),
    ("sources: {a: {title: T, date: 2020-01-01}}\nformulations: [{texts: [四个意识, 1], source: a}]",
     "formulations[0].texts[1]: key 'text'"),
    ("sources: {a: {title: T}}\nformulations: []", "sources.a: key 'date'"),
    ("sources: {a: {title: T, date: 2020-01-01}}\nformulations: [{text: 四个意识, source: a, "
     "replaced-by: 某}]", "key 'replaced-by'"),
    ("sources: {a: {title: T, date: 2020-01-01}}\nformulations: [{text: 四个意识, source: a, "
     "quiet-when: '('}]", "key 'quiet-when'"),
    ("formulation: []", "a formulation pack is a mapping"),
])
def test_malformed_pack_names_file_and_key(tmp_path: Path, body: str, message: str) -> None:
    pack = tmp_path / "team.yaml"
    pack.write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_pack([pack])
    assert str(pack) in str(err.value) and message in str(err.value)


# -- near misses --------------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("学习习近平新时代中国特色社会主意思想。", ("习近平新时代中国特色社会主意思想", "习近平新时代中国特色社会主义思想", "homophone")),
    ("增强四个意织。", ("四个意织", "四个意识", "lookalike")),
    ("推动构建人类命运同体。", ("推动构建人类命运同体", "推动构建人类命运共同体", "dropped")),
    ("坚持党要管党、全面从严地治党。", None),  # a particle inserted: style, not damage
    ("坚持党要管党、全面从严管治党。", ("坚持党要管党、全面从严管治党", "坚持党要管党、全面从严治党", "inserted")),
    ("不忘初衷、牢记使命。", ("不忘初衷、牢记使命", "不忘初心、牢记使命", "synonym")),
    ("以习近平主席为核心的党中央。", ("以习近平主席为核心的党中央", "以习近平同志为核心的党中央", "wrong")),
])
def test_near_miss_kinds(text: str, expected: tuple[str, str, str] | None) -> None:
    assert near(text) == ([expected] if expected else [])


@pytest.mark.parametrize("text", [
    "改革开放新时期，中国特色社会主义进入新时期。",  # a different correct formulation
    "坚持全面从严治军。",  # a listed look-alike
    "有的材料把“社会主义”误写为“社会主意”。",  # quoted as a wrong example
    "“两个维户”的写法是错误的。",
    "加强党风廉政建设，推动创新发展。",  # ordinary words sharing characters
    "坚持不忘初心，牢记使命。",  # a comma for the enumeration comma
    "四个自信心，两个维度。",  # the edge of a short formulation
])
def test_look_alikes_are_silent(text: str) -> None:
    assert near(text) == []


def test_fix_is_offered_only_for_a_homophone_in_a_long_formulation() -> None:
    text = "坚持以习近平新时代中国特色社会主意思想为指导。增强四个意织。两个维户。"
    fixes = [h.fix for h in Scan(index_for(), text).near]
    assert fixes == ["习近平新时代中国特色社会主义思想", None, None]


def test_edit_text_is_language_neutral() -> None:
    assert edit_text("社会主义", "社会主意") == "义→意"
    assert edit_text("人类命运共同体", "人类命运同体") == "−共"
    assert edit_text("全面从严治党", "全面从严管治党") == "+管"


# -- superseded ---------------------------------------------------------------------------
def _doc(text: str) -> Document:
    return Document("d.txt", text)


@pytest.mark.parametrize("text, expected", [
    ("2023年度民主生活会对照检查材料\n\n正文。", dt.date(2024, 1, 1)),
    ("2021年工作总结\n\n正文。", dt.date(2021, 1, 1)),
    ("对照检查材料\n\n按照《关于开好2023年主题教育专题民主生活会的通知》要求，现报告如下。", dt.date(2023, 1, 1)),
    ("对照检查材料\n\n正文。\n\n某某单位\n2022年3月5日", dt.date(2022, 3, 5)),
    ("对照检查材料\n\n正文。", None),
])
def test_draft_date(text: str, expected: dt.date | None) -> None:
    assert draft_date(_doc(text), None) == expected


def test_configured_date_decides(tmp_path: Path) -> None:
    text = "对照检查材料\n\n深刻领会“八个明确”的丰富内涵。\n"
    assert triples(lint_text(text, ["N102"])) == []
    got = lint_text(text, ["N102"], rules={"N102": {"options": {"date": "2023-06-01"}}})
    assert triples(got) == [(3, 6, "N102")]
    got = lint_text(text, ["N102"], rules={"N102": {"options": {"date": "2020"}}})
    assert triples(got) == []


def test_bad_configured_date_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="option 'date'"):
        lint_text("正文。", ["N102"], rules={"N102": {"options": {"date": "last year"}}})


# -- a team's pack ------------------------------------------------------------------------
def test_team_pack_adds_formulations(tmp_path: Path) -> None:
    (tmp_path / "ours.yaml").write_text(
        "sources: {plan: {title: 本市十四五规划纲要, date: 2021-02-01}}\n"
        "formulations:\n"
        "  - {text: 建设国际消费中心城市, source: plan}\n", encoding="utf-8")
    (tmp_path / ".draftlint.yaml").write_text("formulation-packs: [ours.yaml]\n", encoding="utf-8")
    (tmp_path / "d.txt").write_text("加快建设国际消废中心城市。\n", encoding="utf-8")
    result = run_cli("check", "--select", "N", "--no-cache", "d.txt", cwd=tmp_path)
    assert "d.txt:1:3: N101" in result.stdout, result.stdout + result.stderr
    assert "建设国际消费中心城市" in result.stdout


def test_explain_n101() -> None:
    result = run_cli("explain", "N101")
    assert result.returncode == 0 and "formulation-near-miss" in result.stdout


# -- the samples ----------------------------------------------------------------------------
def test_samples_only_true_findings(samples: Path) -> None:
    """The five real drafts: their correct formulations stay silent; the one finding is
    the 2023 draft that still says 八个明确 (十个明确 since 2021-11-11)."""
    result = run_cli("check", "--select", "N", "--no-cache", "--format", "json", str(samples))
    import json

    found = [(Path(d["path"]).name, d["code"], d["message"].split("'")[1])
             for d in json.loads(result.stdout)]
    assert found == [("004_3e0505d78ab52181.txt", "N102", "八个明确")]


def test_an_edited_team_pack_is_not_answered_from_the_cache(tmp_path: Path) -> None:
    """The result cache's key holds the contents of the formulation packs: a run after the
    pack changed checks again (a stale result would pass a draft the new pack flags)."""
    pack = tmp_path / "ours.yaml"
    pack.write_text("sources: {plan: {title: 本市十四五规划纲要, date: 2021-02-01}}\n"
                    "formulations:\n  - {text: 建设国际会展中心城市, source: plan}\n",
                    encoding="utf-8")
    (tmp_path / ".draftlint.yaml").write_text("formulation-packs: [ours.yaml]\n", encoding="utf-8")
    draft = tmp_path / "d.txt"
    draft.write_text("加快建设国际消废中心城市。\n", encoding="utf-8")
    os.utime(draft, (1_600_000_000, 1_600_000_000))  # old enough for the cache to trust
    first = run_cli("check", "--select", "N", "d.txt", cwd=tmp_path)
    assert first.returncode == 0 and "N101" not in first.stdout
    pack.write_text(pack.read_text(encoding="utf-8").replace("会展", "消费"), encoding="utf-8")
    second = run_cli("check", "--select", "N", "d.txt", cwd=tmp_path)
    assert "d.txt:1:3: N101" in second.stdout, second.stdout + second.stderr
