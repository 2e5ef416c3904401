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
                       env={"DRAFTLINT_LANGUAGE": "", **env})
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


def _forms(text) -> list[str]:
    return [text] if isinstance(text, str) else list(text.values())


def test_catalogues_have_the_same_keys_and_fields() -> None:
    from checker.config import KEYS
    from checker.i18n import catalogue

    en, zh = catalogue("en"), catalogue("zh-CN")
    assert set(en) == set(zh), set(en) ^ set(zh)
    han = __import__("regex").compile(r"\p{Han}")
    for key in en:
        fields = {format_fields(f) for f in _forms(en[key])}
        assert len(fields) == 1, key  # every plural form has the same fields
        for form in _forms(zh[key]):
            assert format_fields(form) == next(iter(fields)), key
            # Chinese words, or at least Chinese punctuation (“…”, 、, ：)
            assert han.search(form) or form not in _forms(en[key]), (key, form)
    assert all(f"config.{key}" in en for key in KEYS), "each configuration key has its meaning"


DRAFT = "关于某单位的对照检查材料\n##paidbegin##\n按照**市委要求,现报告如下。\n"


def _check(tmp_path: Path, lang: str, *args: str):
    draft = _write(tmp_path / "草稿.txt", DRAFT)
    return run_cli("check", "--no-cache", "--select", "M101,P101,T101", "--language", lang,
                   *args, str(draft))


def test_text_output_in_both_languages(tmp_path: Path) -> None:
    zh = _check(tmp_path, "zh-CN")
    assert zh.returncode == 1
    assert zh.stdout.splitlines() == [
        f"{tmp_path / '草稿.txt'}:2:1: M101 ##paidbegin## 没有闭合：CMS 什么也不会隐藏，整个付费部分"
        "将免费公开；请在付费部分结束处加上 ##paidend##",
        f"{tmp_path / '草稿.txt'}:3:3: P101 “按照**市委要”中的“**”像是未填写的空白或被网页屏蔽的词："
        "请写上实际的名称、数字或词语",
        f"{tmp_path / '草稿.txt'}:3:9: T101 中文“委要求,现报告”中用了半角“,”；请改用全角“，”",
        "在所检查的 1 个文件中发现 3 个问题（其中 1 个可用 --fix 修复）。",
    ]
    en = _check(tmp_path, "en")
    assert en.stdout.splitlines()[0].endswith(
        "2:1: M101 ##paidbegin## is never closed: the CMS hides nothing and the whole paid "
        "part would be published free; add ##paidend## where the paid part ends")
    assert en.stdout.splitlines()[-1] == "Found 3 problems in 1 file checked (1 fixable with --fix)."
    stats = _check(tmp_path, "zh-CN", "--file-statistics").stdout.splitlines()
    assert stats[0] == "  错误    警告   提示   合计  文件" and stats[1].startswith("     2       1      0      3  ")


def test_json_and_sarif_keys_and_codes_do_not_change(tmp_path: Path) -> None:
    import json

    zh = json.loads(_check(tmp_path, "zh-CN", "--format", "json").stdout)
    en = json.loads(_check(tmp_path, "en", "--format", "json").stdout)
    assert [list(d) for d in zh] == [list(d) for d in en]
    strip = [{k: v for k, v in d.items() if k != "message"} for d in zh]
    assert strip == [{k: v for k, v in d.items() if k != "message"} for d in en]
    assert zh[0]["message"].startswith("##paidbegin## 没有闭合") and zh[0]["severity"] == "error"
    assert en[0]["message"].startswith("##paidbegin## is never closed")
    sarif = json.loads(_check(tmp_path, "zh-CN", "--format", "sarif").stdout)
    run = sarif["runs"][0]
    assert [r["ruleId"] for r in run["results"]] == [d["code"] for d in en]
    rule = next(r for r in run["tool"]["driver"]["rules"] if r["id"] == "M101")
    assert rule["fullDescription"]["text"].startswith("付费开始标记之后没有付费结束标记")


def test_explain_rules_and_help_in_both_languages() -> None:
    zh = run_cli("explain", "M101", "--language", "zh-CN").stdout
    assert "类别：paid-markers    级别：错误（error）    默认：开启    可自动修复：否" in zh
    assert "提示信息：{marker} 没有闭合" in zh and "\n报告示例：\n" in zh and "\n通过示例：\n" in zh
    en = run_cli("explain", "paid-unclosed", "--language", "en").stdout
    assert "Kind: paid-markers    Severity: error    Default: on    Fixable: no" in en
    assert "Message: {marker} is never closed" in en and "\nFails:\n" in en
    rules = run_cli("rules", "--language", "zh-CN").stdout
    assert "\nM101  paid-unclosed" in rules and "付费开始标记之后没有付费结束标记" in rules
    assert "（可自动修复）" in rules and "（默认关闭）" in rules
    helped = run_cli("check", "--help", "--language", "zh-CN").stdout
    assert "用法：" in helped and "只打印问题，不打印汇总" in helped
    bad = run_cli("check", "--language", "zh-CN", "--fail-on", "loud")
    assert bad.returncode == 2 and "draftlint：错误：参数 --fail-on：无效的选项值" in bad.stderr


def test_errors_and_init_in_chinese(tmp_path: Path) -> None:
    missing = run_cli("check", "--language", "zh-CN", str(tmp_path / "无此文件.txt"))
    assert missing.returncode == 2
    assert missing.stderr == f"draftlint：错误：{tmp_path / '无此文件.txt'}：没有这个文件或目录\n"
    unknown = run_cli("explain", "Z999", "--language", "zh-CN")
    assert unknown.returncode == 2 and "没有“Z999”这条规则" in unknown.stderr
    init = run_cli("init", str(tmp_path), "--language", "zh-CN")
    assert init.returncode == 0 and "安装钩子：pre-commit install" in init.stdout
    config = (tmp_path / ".draftlint.yaml").read_text(encoding="utf-8")
    assert config.startswith("# draftlint 配置文件") and "# 要停用的规则代码、前缀或名称" in config


STRUCTURED = """关于某某的个人对照检查材料
根据要求，现报告如下：
一、存在的问题
（一）学习不够
学习不够深入，
（一）作风不实
作风方面　还有差距。
一是学习。三是工作。
##paidbegin##
正文。
##paidbegin##
正文二。\t
##paidend##
三、整改措施
措施如下。
以上是我的对照检查，请同志们批评指正。
附：说明文字很长很长的段落内容，没有写完的部分。
"""


def test_words_of_the_checks_follow_the_language(tmp_path: Path) -> None:
    """The words a check puts into a message (after …, the end of the draft, a stray
    </paid> …) come in the chosen language too: no English word in Chinese output."""
    draft = _write(tmp_path / "a.txt", STRUCTURED)
    zh = run_cli("check", "--no-cache", "--select", "ALL", "--language", "zh-CN", str(draft))
    lines = zh.stdout.splitlines()
    assert "S101 标题序号有误：“（一）学习不够”之后应为 （二），实为 （一）（重复）；请重新编排这一级标题的序号" \
        in "\n".join(lines)
    assert any("S204 缺少“原因分析”部分（对照检查材料）：应放在“一、存在的问题”之后，实为 三、整改措施" in line
               for line in lines)
    assert any("S209 段落被截断：以“，”结尾（“学习不够深入，”）；应写完这句话，并以“。”结尾" in line
               for line in lines)
    assert any("M103 ##paidbegin## 在第 9 行开始的付费区间内又开始了一个付费区间：CMS 在遇到的第一个结束标记"
               "（第 13 行）处就结束隐藏；这个开始标记是多余的" in line for line in lines)
    english = __import__("regex").compile(r"(?<![#\w.-])(?!CMS\b|ALL\b)[A-Za-z]{3,}")
    for line in lines:
        message = line.split(": ", 1)[1] if ": " in line else line
        assert not english.search(message.replace("paidbegin", "").replace("paidend", "")), line
    en = run_cli("check", "--no-cache", "--select", "ALL", "--language", "en", str(draft))
    assert "found （一） again" in en.stdout and "this begin marker is redundant" in en.stdout


def test_input_problems_in_both_languages(tmp_path: Path) -> None:
    _write(tmp_path / "控制.txt", "标题\n正文\x01有控制字符\x02。\n")
    (tmp_path / "二进制.txt").write_bytes(b"\x00\x01\x02")
    (tmp_path / "乱码.txt").write_bytes(b"\xa1\xff\xff")
    zh = run_cli("check", "--no-cache", "--select", "E", "--language", "zh-CN", str(tmp_path))
    assert "E002 二进制文件（含有 NUL 字节）；未检查" in zh.stdout
    assert "E003 既不是有效的 UTF-8（偏移 0 处的字节 0xa1），也不是 GB18030；请将文件另存为 UTF-8" in zh.stdout
    assert "E013 不可见的控制字符 U+0001（文件中共 2 个），是从其他程序复制时带进来的；请删除" in zh.stdout
    en = run_cli("check", "--no-cache", "--select", "E", "--language", "en", str(tmp_path))
    assert "E002 binary file (contains NUL bytes); not checked" in en.stdout
    assert "E013 invisible control character U+0001 (2 in the file)" in en.stdout


def test_language_is_part_of_the_cache_key(tmp_path: Path) -> None:
    from checker.cache import settings_key
    from checker.config import Config
    from checker.i18n import set_language
    from checker.packs import load_rules

    config = Config(tmp_path)
    keys = set()
    for lang in LANGUAGES:
        set_language(lang)
        rules = load_rules()
        keys.add(settings_key(config, rules, rules))
        keys.add(settings_key(config.with_values(language=lang), rules, rules))
    assert len(keys) == 4


def test_configuration_and_pack_errors_in_chinese(tmp_path: Path) -> None:
    draft = _write(tmp_path / "x.txt", "标题\n正文。\n")
    _write(tmp_path / ".draftlint.yaml", "fail-on: loud\n")
    proc = run_cli("check", "--language", "zh-CN", str(draft))
    assert proc.returncode == 2
    assert proc.stderr == (f"draftlint：错误：{tmp_path / '.draftlint.yaml'}：键“fail-on”：应为 "
                           "error, warning, info，实为 'loud'\n")
    _write(tmp_path / "house.yaml", PACK.replace("kind: pattern", "kind: telepathy"))
    _write(tmp_path / ".draftlint.yaml", "packs: [house.yaml]\n")
    proc = run_cli("check", "--language", "zh-CN", str(draft))
    assert proc.returncode == 2
    assert f"{tmp_path / 'house.yaml'}：规则 X101：键“kind”：未知的类别 'telepathy'" in proc.stderr
    _write(tmp_path / "house.yaml", PACK.replace("      en: Our house style", "      fr: Our house style"))
    proc = run_cli("check", "--language", "zh-CN", str(draft))
    assert "规则 X101：键“docs”：未知的语言“fr”" in proc.stderr
