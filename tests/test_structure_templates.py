"""Skeleton templates: the shipped ones, strict validation, choice by title and by config."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
import yaml

from checker.packs import ConfigError
from checker.templates import find, load_template, load_templates, parse_template, recognise
from conftest import ROOT, run_cli
from lintkit import lint_text

TEMPLATES = load_templates()
SELF = find(TEMPLATES, "self-examination")


def test_shipped_templates() -> None:
    assert {t.id for t in TEMPLATES} == {"self-examination", "work-report", "work-summary",
                                         "study-reflection"}
    assert find(TEMPLATES, "对照检查材料") is SELF


@pytest.mark.parametrize("words,label", [
    # the wordings DOMAIN.md lists, and a few more
    ("存在的问题", "存在的问题"), ("存在的主要问题", "存在的问题"),
    ("查摆出的主要问题", "存在的问题"), ("问题查摆", "存在的问题"),
    ("原因分析", "原因分析"), ("原因剖析", "原因分析"), ("产生问题的原因分析", "原因分析"),
    ("问题产生的根源", "原因分析"), ("思想根源剖析", "原因分析"),
    ("整改措施", "整改措施"), ("改进措施", "整改措施"), ("努力方向和整改措施", "整改措施"),
    ("下步整改措施", "整改措施"), ("下步打算", "整改措施"), ("努力方向和改进措施", "整改措施"),
    ("上年度查摆问题整改情况", "上年度查摆问题整改情况"), ("整改落实情况", "上年度查摆问题整改情况"),
    ("“不忘初心、牢记使命”专题民主生活会查摆问题整改情况", "上年度查摆问题整改情况"),
])
def test_self_examination_roles(words: str, label: str) -> None:
    part = SELF.role_of(words)
    assert part is not None and part.label == label


def test_unknown_part_words() -> None:
    assert SELF.role_of("其他需要说明的事项") is None


@pytest.mark.parametrize("title,tid", [
    ("2023年度主题教育专题民主生活会个人对照检查材料", "self-examination"),
    ("2021年度组织生活会个人自我剖析材料", "self-examination"),
    ("2023年政法委书记巡视整改专题民主生活会个人发言提纲", "self-examination"),
    ("关于个人政治建设情况分析报告", "self-examination"),
    ("在2024年度组织生活会上的发言", "self-examination"),
    ("2024年度个人述职述廉报告", "work-report"),
    ("2024年度社区工作总结", "work-summary"),
    ("参加党纪学习教育读书班的心得体会", "study-reflection"),
    ("主题教育读书班研讨发言材料", "study-reflection"),
    # a title that quotes a document of another kind is still of its own (review)
    ("研讨发言：深入学习贯彻《中共中央关于进一步全面深化改革、推进中国式现代化的决定》",
     "study-reflection"),
    ("学习心得体会：学习贯彻《关于新时代加强和改进思想政治工作的意见》", "study-reflection"),
    ("个人对照检查材料（附征求到的意见）", "self-examination"),
    # what may follow the kind in the real drafts of studies 1-7
    ("2023年村党支部书记抓党建工作述职评议报告", "work-report"),
    ("中学校长个人述职报告范文合集六篇", "work-report"),
    ("2021年街道办事处工作总结及明年工作计划精选（范文三篇）", "work-summary"),
    ("社区第三季度综治工作总结汇报", "work-summary"),
    ("党员党性分析报告2019年(3)", "self-examination"),
    ("主题教育交流发言：守正创新 担当作为", "study-reflection"),
    # a name, a subtitle, a year, 范文/修订 or the plans after the kind (review of 807141a)
    ("个人对照检查材料——李四", "self-examination"),
    ("对照检查材料 王五", "self-examination"),
    ("个人述职报告2024", "work-report"),
    ("2022年述职报告范本", "work-report"),
    ("对照检查材料（修订稿） -- 第二版", "self-examination"),
    ("2024年度述职报告：履职尽责 实干为先", "work-report"),
    ("县农业农村局2023年工作总结——稳中求进抓落实", "work-summary"),
    ("2025年一季度工作总结及二季度工作要点", "work-summary"),
])
def test_recognised_from_title(title: str, tid: str) -> None:
    template = recognise(TEMPLATES, title)
    assert template is not None and template.id == tid


@pytest.mark.parametrize("title", ["党支部会议纪要", "关于开展安全检查的通知", "",
                                   # names a summary, but is a notice asking for them
                                   "关于报送2024年度党支部工作总结的通知",
                                   "关于召开专题民主生活会对照检查材料撰写培训会的通知",
                                   # about the kind, not of it (study 7: 13, 30, 40)
                                   "述职报告写作须知", "述职报告的基本格式",
                                   "对照检查材料不能避重就轻",
                                   "年度述职述廉报告：一个基层观察者的视角",
                                   # review of 807141a: guides stay about the kind
                                   "述职报告怎么写", "述职报告撰写提纲",
                                   "述职报告，贵在一个“实”字",
                                   # a notice, a comma inside brackets is no clause
                                   "关于印发2025年度工作总结的通知"])
def test_not_recognised(title: str) -> None:
    assert recognise(TEMPLATES, title) is None


def test_title_about_extends_the_shipped_words() -> None:
    """A template's own ``title.about`` adds to rules/templates/title-about.txt."""
    own = parse_template({**GOOD, "match": ["纪要"], "title": {"about": ["点评$"]}},
                         "own.yaml")
    assert recognise([own], "支部会议纪要点评") is None
    assert recognise([own], "支部会议纪要写作须知") is None  # the shipped words still apply
    assert recognise([own], "支部会议纪要（第三次）") is own
    plain = parse_template({**GOOD, "match": ["纪要"]}, "plain.yaml")
    assert recognise([plain], "支部会议纪要点评") is plain
    assert recognise(TEMPLATES, "县政府工作总结（上半年,含附表）") is not None


def test_template_recognised_from_opening_when_title_missing() -> None:
    text = ("按照要求，现将个人对照检查情况报告如下：\n一、存在的问题\n学习不够。\n"
            "二、整改措施\n加强学习。\n")
    codes = [d.code for d in lint_text(text, ["S"])]
    assert codes == ["S201", "S204"]


REPORT = ("2024年度述职报告\n{}\n一、履职情况\n全年办结群众来信八十件。\n"
          "二、存在的问题和不足\n下基层调研偏少。\n三、下一步打算\n每月下乡一周。\n")


@pytest.mark.parametrize("opening,closing", [
    # an opening that announces what follows, then asks for the review: not a closing
    ("按照安排，现将一年来的履职情况报告如下，请予评议。", False),
    ("根据党组安排，下面我汇报一年来的履职情况，请大家评议。", False),
    ("今年我分管信访工作。下边我谈谈履职情况，请批评指正。", False),
    ("受局党组委托，我向全体干部报告一年来的工作，请予审议。", False),
    ("现将一年来的工作从以下几个方面进行汇报，请各位批评指正。", False),
    # a closing that looks back, pasted before the parts: still a closing
    ("以上是我的述职，请大家评议。", True),
    ("我的述职就到这里，下面请大家评议。", True),
    ("下面我汇报了一年来的工作。请大家评议。", True),
    ("我向组织汇报了一年来的工作，请批评指正。", True),
    # 方向/动向……向 is no 向 (toward): the sentence looks back, a closing
    ("我把一年来的思想动向都写进了这份报告，请批评指正。", True),
    ("下面我把一年来的思想动向向大家作个汇报，请批评指正。", False),
])
def test_opening_that_announces_is_no_closing(opening: str, closing: bool) -> None:
    found = [(d.line, d.code) for d in lint_text(REPORT.format(opening), ["S207"])]
    assert found == ([(2, "S207")] if closing else [])


EXAMINATION = ("个人对照检查材料\n按照支部安排，现将有关情况报告如下：\n一、存在的问题\n"
               "调研次数偏少。\n{}\n二、原因分析\n宗旨意识有所淡化。\n三、整改措施\n"
               "每季度蹲点一周。\n")


@pytest.mark.parametrize("paragraph,closing", [
    # after the first heading no paragraph is an opening: a closing that promises
    # more reports, or one that ends the speech, is a closing out of place
    ("今后我将经常向党组织汇报思想和工作情况，恳请同志们批评指正。", True),
    ("我将在以下几个方面持续改进，请同志们批评指正。", True),
    ("现在我的发言结束，请同志们批评指正。", True),
    ("以上是我的对照检查，请批评指正。", True),
    ("查摆的问题还不够全面，下一步继续深挖。", False),
])
def test_closing_after_the_first_heading(paragraph: str, closing: bool) -> None:
    found = [(d.line, d.code) for d in lint_text(EXAMINATION.format(paragraph), ["S207"])]
    assert found == ([(5, "S207")] if closing else [])


def test_closing_that_ends_the_speech_is_no_opening() -> None:
    """结束 looks back, even before the first heading."""
    text = REPORT.format("现在我的发言结束，请同志们批评指正。")
    assert [(d.line, d.code) for d in lint_text(text, ["S207"])] == [(2, "S207")]


GOOD = {
    "template": "meeting-minutes",
    "label": "会议纪要",
    "match": ["纪要$"],
    "parts": [{"role": "content", "label": "会议内容", "patterns": ["内容$"]}],
}


@pytest.mark.parametrize("change,key", [
    ({"template": "Bad Id"}, "'template'"),
    ({"colour": "red"}, "'colour'"),
    ({"match": "纪要"}, "'match'"),
    ({"match": ["("]}, "'match[0]'"),
    ({"parts": []}, "'parts'"),
    ({"parts": [{"role": "content", "label": "会议内容"}]}, "'parts[0].patterns'"),
    ({"parts": [{"role": "content", "label": "x", "patterns": ["a"], "optional": True}]},
     "'parts[0].optional'"),
    ({"parts": [{"role": "a", "label": "x", "patterns": ["a"]},
                {"role": "a", "label": "y", "patterns": ["b"]}]}, "'parts[1].role'"),
    ({"opening": {"required": "yes"}}, "'opening.required'"),
    ({"title": {"subtitle": True}}, "'title.subtitle'"),
    ({"title": {"about": "范文点评"}}, "'title.about'"),
    ({"closing": {"required": True}}, "'closing.patterns'"),
    ({"label": ""}, "'label'"),
])
def test_validation_names_file_template_and_key(change: dict, key: str) -> None:
    data = {**GOOD, **change}
    with pytest.raises(ConfigError) as err:
        parse_template(data, "my/minutes.yaml")
    message = str(err.value)
    assert message.startswith("my/minutes.yaml: template ")
    assert key in message


def test_good_template_parses() -> None:
    t = parse_template(GOOD, "x.yaml")
    assert t.id == "meeting-minutes" and t.parts[0].required and t.opening_required


def test_invalid_yaml_file(tmp_path: Path) -> None:
    bad = tmp_path / "t.yaml"
    bad.write_text("template: [unclosed\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_template(bad)


MINUTES = """\
template: meeting-minutes
label: 会议纪要
match: ['纪要$']
opening: {required: true, ends: ['如下[：:]$'], example: 现将会议情况纪要如下：}
parts:
  - role: content
    label: 会议内容
    patterns: ['(内容|事项)$']
  - role: decisions
    label: 会议决定
    patterns: ['决定$']
closing: {required: true, patterns: ['^参会人员'], example: 参会人员：……}
"""

MINUTES_DRAFT = """\
党支部会议纪要
2024年12月10日，党支部召开支委会。现将会议情况纪要如下：
一、研究事项
会议听取了年度工作情况汇报。
二、其他
会议讨论了发展对象的培养情况。
"""


def _repo(tmp_path: Path, config: str) -> Path:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "minutes.yaml").write_text(MINUTES, encoding="utf-8")
    (tmp_path / ".draftlint.yaml").write_text(config, encoding="utf-8")
    (tmp_path / "minutes").mkdir()
    (tmp_path / "minutes" / "m1.txt").write_text(MINUTES_DRAFT, encoding="utf-8")
    return tmp_path


def test_template_pack_from_config(tmp_path: Path) -> None:
    repo = _repo(tmp_path, "template-packs: [templates/minutes.yaml]\n")
    result = run_cli("check", "--select", "S,S206", "-q", "minutes", cwd=repo)
    lines = result.stdout.splitlines()
    assert [ln.split(" ")[1] for ln in lines] == ["S204", "S206", "S207"], result.stdout
    assert "missing part 会议决定 (会议纪要): expected it after 一、研究事项, found the end" in lines[0]
    assert result.returncode == 1


def test_templates_glob_chooses_and_none_silences(tmp_path: Path) -> None:
    repo = _repo(tmp_path, "templates:\n  'minutes/*': 对照检查材料\n")
    result = run_cli("check", "--select", "S", "-q", "minutes", cwd=repo)
    codes = [ln.split(" ")[1] for ln in result.stdout.splitlines()]
    assert "S204" in codes and "S210" not in codes, result.stdout
    (repo / ".draftlint.yaml").write_text("templates: {'minutes/*': none}\n", encoding="utf-8")
    result = run_cli("check", "--select", "S", "-q", "minutes", cwd=repo)
    assert result.stdout == "" and result.returncode == 0, result.stdout
    (repo / ".draftlint.yaml").write_text("templates: {}\n", encoding="utf-8")
    result = run_cli("check", "--select", "S", "-q", "minutes", cwd=repo)
    assert result.stdout == "" and result.returncode == 0, result.stdout  # S210 is off
    result = run_cli("check", "--select", "S,S210", "-q", "minutes", cwd=repo)
    assert [ln.split(" ")[1] for ln in result.stdout.splitlines()] == ["S210"]


def test_unknown_template_in_config_is_a_usage_error(tmp_path: Path) -> None:
    repo = _repo(tmp_path, "templates: {'minutes/*': no-such-template}\n")
    result = run_cli("check", "minutes", cwd=repo)
    assert result.returncode == 2
    assert "key 'templates'" in result.stderr and "no-such-template" in result.stderr


def test_broken_template_pack_is_a_usage_error(tmp_path: Path) -> None:
    repo = _repo(tmp_path, "template-packs: [templates/minutes.yaml]\n")
    (repo / "templates" / "minutes.yaml").write_text(MINUTES.replace("role: content",
                                                                     "role: Content"))
    result = run_cli("check", "minutes", cwd=repo)
    assert result.returncode == 2
    assert "minutes.yaml: template meeting-minutes: key 'parts[0].role'" in result.stderr


def test_explain_documents_every_s_rule() -> None:
    for code in [f"S{n}" for n in (*range(101, 108), *range(201, 211))]:
        result = run_cli("explain", code)
        assert result.returncode == 0, code
        assert "Fails:" in result.stdout and "Passes:" in result.stdout


def test_wheel_ships_the_templates(tmp_path: Path) -> None:
    """pre-commit installs the project from a wheel: the templates must be in it and be
    found from there (not from the checkout)."""
    import subprocess
    import sys

    built = None
    for isolation in (["--no-build-isolation"], []):
        built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
                                *isolation, "-w", str(tmp_path / "dist"), str(ROOT)],
                               capture_output=True, text=True, timeout=300)
        if built.returncode == 0:
            break
    if built is None or built.returncode != 0:
        pytest.skip("cannot build a wheel in this environment")
    wheel = next((tmp_path / "dist").glob("*.whl"))
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        shipped = sorted(n for n in names if n.startswith("checker/rules/templates/"))
        assert shipped == [f"checker/rules/templates/{p.name}"
                           for p in sorted((ROOT / "rules" / "templates").iterdir())
                           if p.suffix in (".yaml", ".txt")]
        zf.extractall(tmp_path / "site")
    probe = (f"import sys; sys.path.insert(0, {str(tmp_path / 'site')!r});"
             "from checker.templates import load_templates, builtin_template_files;"
             "print(builtin_template_files()[0].parent);"
             "print(' '.join(sorted(t.id for t in load_templates())))")
    out = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    where, ids = out.stdout.splitlines()
    assert Path(where).resolve().is_relative_to((tmp_path / "site").resolve())
    assert ids == "self-examination study-reflection work-report work-summary"


def test_documented_template_example_is_valid() -> None:
    """The template shown in docs/structure.md loads as written."""
    text = (ROOT / "docs" / "structure.md").read_text(encoding="utf-8")
    blocks = [b.split("```", 1)[0] for b in text.split("```yaml\n")[1:]]
    example = next(b for b in blocks if b.startswith("template:"))
    t = parse_template(yaml.safe_load(example), "docs/structure.md")
    assert [p.role for p in t.parts] == ["content", "decisions"]
    assert t.role_of("研究事项") is t.parts[0]
