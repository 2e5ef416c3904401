"""Languages: pack texts as a plain string (every language) or a zh-CN/en mapping,
validated strictly; the tool speaks the chosen language."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.i18n import LANGUAGES, format_fields, locale_language, localized_text
from checker.packs import ConfigError, load_pack
from conftest import run_cli

PACK = """
pack: mine
rules:
  - code: X101
    name: no-vague-unit
    kind: pattern
    severity: warning
    message:
      zh-CN: "“{match}”指代不明：请写明单位名称"
      en: "'{match}' is vague: name the unit"
    options: {pattern: '某单位'}
    docs:
      zh-CN: 本单位的文风不允许用含糊的“某单位”，应写明单位名称。
      en: Our house style forbids the vague 某单位; name the unit.
    examples: {bad: ["某单位"], good: ["市委办公室"]}
"""


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_mapping_gives_each_language_its_text(tmp_path: Path) -> None:
    pack = _write(tmp_path / "p.yaml", PACK)
    (zh,) = load_pack(pack, "zh-CN")
    (en,) = load_pack(pack, "en")
    assert zh.message == "“{match}”指代不明：请写明单位名称"
    assert zh.docs.startswith("本单位的文风")
    assert en.message == "'{match}' is vague: name the unit"
    assert en.docs.startswith("Our house style")
    assert zh.messages == en.messages and set(zh.messages) == set(LANGUAGES)
    assert zh.in_language("en") == en


def test_plain_string_serves_every_language(tmp_path: Path) -> None:
    pack = _write(tmp_path / "p.yaml", PACK.replace(
        '''    message:
      zh-CN: "“{match}”指代不明：请写明单位名称"
      en: "'{match}' is vague: name the unit"''', '    message: "found {match}"'))
    for lang in LANGUAGES:
        (rule,) = load_pack(pack, lang)
        assert rule.message == "found {match}"


@pytest.mark.parametrize("mutation, words", [
    (("      en: \"'{match}' is vague: name the unit\"\n", ""), ["X101", "'message'", "missing", "'en'"]),
    (("      zh-CN: 本单位", "      zh-TW: 本單位"), ["X101", "'docs'", "unknown language", "zh-TW"]),
    (("      en: Our house style forbids the vague 某单位; name the unit.", "      en: ''"),
     ["X101", "'docs'", "'en'", "non-empty"]),
    (("      en: \"'{match}' is vague: name the unit\"", "      en: \"vague: name the unit\""),
     ["X101", "'message'", "different fields", "match"]),
    (("      en: \"'{match}' is vague: name the unit\"", "      en: [1, 2]"), ["X101", "'message'", "'en'"]),
])
def test_bad_mapping_is_config_error(tmp_path: Path, mutation: tuple[str, str],
                                     words: list[str]) -> None:
    assert mutation[0] in PACK
    pack = _write(tmp_path / "house.yaml", PACK.replace(*mutation))
    with pytest.raises(ConfigError) as err:
        load_pack(pack, "en")
    for word in [str(pack), *words]:
        assert word in str(err.value)
    _write(tmp_path / ".draftlint.yaml", "packs: [house.yaml]\n")
    proc = run_cli("check", str(_write(tmp_path / "x.txt", "标题\n正文。\n")))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert str(pack) in proc.stderr and "X101" in proc.stderr


def test_localized_text_unit() -> None:
    assert dict(localized_text("  a {x} ")) == {lang: "a {x}" for lang in LANGUAGES}
    with pytest.raises(ValueError):
        localized_text(None)
    with pytest.raises(ValueError):
        localized_text({"zh-CN": "甲{x}", "en": "a"})
    # docs are prose, not templates: their braces need not match
    assert localized_text({"zh-CN": "甲{x}", "en": "a"}, template=False)["en"] == "a"


@pytest.mark.parametrize("env, expected", [
    ({"LANG": "zh_CN.UTF-8"}, "zh-CN"),
    ({"LANG": "en_US.UTF-8"}, "en"),
    ({"LANG": "en_GB"}, "en"),
    ({"LANG": "zh_TW.UTF-8"}, "zh-CN"),
    ({"LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),
    ({"LC_ALL": "zh_CN.UTF-8", "LC_MESSAGES": "en_US.UTF-8"}, "zh-CN"),
    ({"LC_MESSAGES": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),
    ({"LC_ALL": "", "LANG": "en_US.UTF-8"}, "en"),
    ({"LANG": "C.UTF-8"}, "zh-CN"),
    ({"LANG": "fr_FR.UTF-8"}, "zh-CN"),
    ({}, "zh-CN"),
])
def test_locale_decides_the_default(env: dict[str, str], expected: str) -> None:
    assert locale_language(env) == expected


def _house(tmp_path: Path, config: str = "") -> Path:
    _write(tmp_path / "house.yaml", PACK)
    _write(tmp_path / ".draftlint.yaml", "packs: [house.yaml]\n" + config)
    return _write(tmp_path / "x.txt", "标题\n请某单位配合。\n")


def test_language_flag_config_and_locale(tmp_path: Path) -> None:
    draft = _house(tmp_path)
    zh = "x.txt:2:2: X101 “某单位”指代不明：请写明单位名称"
    en = "x.txt:2:2: X101 '某单位' is vague: name the unit"
    for args, env, config, expected in [
        (["--language", "zh-CN"], {}, "", zh),
        (["--language=en"], {"LANG": "zh_CN.UTF-8"}, "", en),
        ([], {"LANG": "zh_CN.UTF-8"}, "", zh),
        ([], {"LANG": "en_US.UTF-8"}, "", en),
        ([], {"LANG": "C.UTF-8"}, "", zh),  # the fallback
        ([], {"LANG": "en_US.UTF-8"}, "language: zh-CN\n", zh),  # the config beats the locale
        (["--language", "en"], {}, "language: zh-CN\n", en),  # the flag beats the config
    ]:
        _house(tmp_path, config)
        proc = run_cli("check", "--no-cache", "--select", "X", *args, str(draft),
                       env={"LC_MESSAGES": "", **env})
        assert proc.returncode == 1, (args, env, proc.stderr)
        assert expected in proc.stdout, (args, env, config)


def test_unknown_language_is_exit_2(tmp_path: Path) -> None:
    draft = _house(tmp_path)
    for command in (["check", str(draft)], ["rules"], ["explain", "P101"]):
        proc = run_cli(*command, "--language", "fr")
        assert proc.returncode == 2 and "--language" in proc.stderr and "fr" in proc.stderr
    _house(tmp_path, "language: zh-TW\n")
    proc = run_cli("check", str(draft))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert ".draftlint.yaml" in proc.stderr and "'language'" in proc.stderr


def test_cache_never_serves_the_other_language(tmp_path: Path) -> None:
    draft = _house(tmp_path)
    for _round in range(2):  # the second round is answered from the cache
        for lang, words in (("zh-CN", "指代不明"), ("en", "is vague")):
            proc = run_cli("check", "--select", "X", "--language", lang, str(draft))
            assert proc.returncode == 1 and words in proc.stdout, (lang, proc.stdout)
    assert (tmp_path / ".draftlint_cache").is_dir()


def _shipped() -> list:
    from checker.packs import builtin_packs

    return [rule for path in builtin_packs() for rule in load_pack(path, "en")]


def test_every_shipped_rule_speaks_both_languages() -> None:
    """Each shipped rule's message and docs come as a zh-CN/en mapping: Chinese that is
    really Chinese, English that is really English, the same {fields} in both (the loader
    refuses a mapping whose fields differ)."""
    from checker.packs import builtin_packs, read_yaml

    missing = []
    for path in builtin_packs():
        for entry in read_yaml(path, "rule pack")["rules"]:
            for key in ("message", "docs"):
                value = entry[key]
                if not isinstance(value, dict) or set(value) != set(LANGUAGES):
                    missing.append(f"{path.name}: {entry['code']}.{key}")
    assert not missing, "not in both languages: " + ", ".join(missing)
    han = __import__("regex").compile(r"\p{Han}")
    for rule in _shipped():
        for texts in (rule.messages, rule.docs_texts):
            zh, en = texts["zh-CN"], texts["en"]
            assert zh != en, rule.code
            assert len(han.findall(zh)) > max(1, len(han.findall(en))), (rule.code, zh)
            assert "'" not in zh or "{" in zh, (rule.code, zh)  # Chinese quotes “…” in zh
        assert format_fields(rule.messages["zh-CN"]) == format_fields(rule.messages["en"])
