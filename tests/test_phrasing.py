"""The within-draft D rules (D101-D104) and segmentation."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, run_cli
from lintkit import codes, lint_text, triples

REDUPLICATION = ["扎扎实实地工作", "兢兢业业", "实实在在为群众办事", "回头看看", "真管真严",
                 "树立务实的工作作风", "深入学习习近平新时代中国特色社会主义思想",
                 "这是不是不够严谨", "一个一个地解决", "层层压实责任", "的的确确如此",
                 "时时处处严格要求", "研究研究再定",
                 # A一A and a word starting with 一 (study 7, 40:2)
                 "和大家聊一聊一个老问题", "回去议一议一件事", "再谈一谈一年来的体会"]
DOUBLED = [("提高落实落实中央八项规定精神", "落实", 5), ("树立务实的工作工作作风", "工作", 8), ("要推进推进作风建设", "推进", 4),
           ("贯彻落实落实不到位", "落实", 5), ("问题的的根源", "的", 4),
           ("要统一统一思想", "统一", 4), ("做到五个表五个表率", "五个表", 6),
           ("我们我们要加强学习", "我们", 3), ("要进一步进一步改进作风", "进一步", 5)]


@pytest.mark.parametrize("text", REDUPLICATION)
def test_correct_reduplication_is_silent(text: str) -> None:
    assert lint_text(text + "。", ["D101"]) == []


@pytest.mark.parametrize("text,word,col", DOUBLED)
def test_doubled_word_is_reported_with_a_fix(text: str, word: str, col: int) -> None:
    diags = lint_text(text + "。", ["D101"])
    assert triples(diags) == [(1, col, "D101")]
    assert f"'{word}' is typed twice" in diags[0].message
    (edit,) = diags[0].fix
    fixed = (text + "。")[:edit.start] + edit.replacement + (text + "。")[edit.end:]
    assert fixed.count(word * 2) == text.count(word * 2) - 1


def test_allow_list_is_configurable() -> None:
    text = "要学习学习先进经验。"
    assert triples(lint_text(text, ["D101"])) == [(1, 4, "D101")]
    rules = {"D101": {"options": {"allow": ["学习学习"]}}}
    assert lint_text(text, ["D101"], rules=rules) == []


def test_repeated_word_finds_a_longer_phrase_pasted_twice() -> None:
    # a title pasted twice in a row (seen in a real 主持词): a unit of five or more characters
    text = "今年的述职述廉报告述职述廉报告由办公室汇总。"
    assert triples(lint_text(text, ["D101"])) == [(1, 10, "D101")]
    assert lint_text("今年的述职述廉报告由办公室汇总，述职述廉报告要按时报送。", ["D101"]) == []
    # a title typed twice with a space between the copies; the fix takes the space too
    (title,) = lint_text("党课讲稿 党课讲稿：中国共产党的精神力量", ["D101"])
    assert (title.line, title.column, title.end_column) == (1, 6, 10)
    assert [(e.start, e.end, e.replacement) for e in title.fix] == [(4, 9, "")]
    assert lint_text("研究 研究，同志们 同志们。", ["D101"]) == []  # short units: not with a space
    # a long title pasted twice on its own line, with or without the space
    (line,) = lint_text("2024年度党支部组织生活会个人对照检查材料2024年度党支部组织生活会个人对照检查材料\n"
                        "一、存在的问题\n", ["D101"])
    assert (line.line, line.column, line.end_column) == (1, 23, 45)
    assert [(e.start, e.end, e.replacement) for e in line.fix] == [(22, 44, "")]
    (spaced,) = lint_text("正文。\n关于开展主题教育的实施方案 关于开展主题教育的实施方案\n", ["D101"])
    assert (spaced.line, spaced.column, spaced.end_column) == (2, 15, 28)
    # look-alikes: a line that only starts or ends with the same words, a sentence that
    # says a long phrase twice with something between
    assert lint_text("关于开展主题教育的实施方案（修订稿）关于开展主题教育的实施方案\n"
                     "坚持问题导向和目标导向，坚持问题导向和目标导向。\n", ["D101"]) == []


def test_repeated_list_item_first_and_last_items() -> None:
    assert triples(lint_text("在真学、真懂、真学、笃用上下功夫。", ["D102"])) == [(1, 8, "D102")]
    assert triples(lint_text("对真懂、真学、真懂的要求。", ["D102"])) == [(1, 8, "D102")]
    assert lint_text("加强政治建设、思想建设、作风建设。", ["D102"]) == []
    assert lint_text("“万无一失、一失万无”的底线。", ["D102"]) == []


def test_repeated_list_item_roles_with_a_rank() -> None:
    """A rank before an item or 助理 after it makes another role (study 7: 总监票人、监票人,
    常务副县长、副县长); the same role twice is still a copy."""
    for text in ("表决总监票人、监票人、计票人名单。", "常务副县长、副县长、县长助理出席。",
                 "副县长、县长、县长助理出席。", "县长、副县长、副县长助理出席。",
                 "常务副县长、县长、副县长出席。", "党委第一书记、书记、副书记就座。"):
        assert lint_text(text, ["D102"]) == [], text
    assert triples(lint_text("由副县长、县长、副县长带队。", ["D102"])) == [(1, 9, "D102")]
    assert triples(lint_text("常务副县长、县长、常务副县长出席。", ["D102"])) == [(1, 10, "D102")]
    assert triples(lint_text("县长助理、县长、县长助理出席。", ["D102"])) == [(1, 9, "D102")]



def test_repeated_list_item_after_a_verb_that_could_be_a_rank() -> None:
    """执行 and 代理 are verbs here, not ranks: 执行纪律、规矩、纪律 repeats 纪律 (review of
    52fbdfd)."""
    assert triples(lint_text("严格执行纪律、规矩、纪律。", ["D102"])) == [(1, 11, "D102")]
    assert triples(lint_text("认真执行制度、程序、制度。", ["D102"])) == [(1, 11, "D102")]
    assert triples(lint_text("依法代理诉讼、仲裁、诉讼事务。", ["D102"])) == [(1, 11, "D102")]
    assert lint_text("县长、副县长、县长助理出席。", ["D102"]) == []


def test_repeated_list_item_leaves_blanks_to_the_placeholder_rules() -> None:
    """Name slots left blank repeat by design (P103/P101 report them); a real repeat next
    to them is still found."""
    for text in ("刚才，XXX、XXX、XXX5名委员作了发言。", "会上学习了XX、XX、XX等文件。",
                 "请XXXX同志、XXXX同志、XXXX同志发言。", "由**、**、**负责。",
                 "某某、某某、某某三人缺席。"):
        assert lint_text(text, ["D102"]) == [], text
        assert lint_text(text, ["P"]) != [], text
    assert triples(lint_text("XX、真学、真懂、真学、笃用。", ["D102"])) == [(1, 10, "D102")]
    # what is not a blank: a Markdown bold item, a year with 〇, X光
    assert codes(lint_text("在**真学**、**真懂**、**真学**、笃用上下功夫。", ["D102"], suffix=".md")) \
        == ["D102"]
    assert codes(lint_text("二〇〇八年、二〇〇九年、二〇〇八年都有记载。", ["D102"])) == ["D102"]
    assert codes(lint_text("做了X光、B超、X光检查。", ["D102"])) == ["D102"]


def test_repeated_phrase_ignores_fixed_terms_and_short_runs() -> None:
    text = ("一是学习习近平新时代中国特色社会主义思想不够深入。\n"
            "二是运用习近平新时代中国特色社会主义思想不够自觉。\n")
    assert lint_text(text, ["D103"]) == []
    # the same two lines with the term not fixed: the repeated term itself counts
    plain = text.replace("习近平新时代中国特色社会主义思想", "新的理论成果和重大战略部署要求")
    assert triples(lint_text(plain, ["D103"])) == [(2, 5, "D103")]
    text2 = "对政策理解不深，掌握不全面。\n对政策理解不深，执行打折扣。\n"
    assert lint_text(text2, ["D103"]) == []  # 7 characters: below min-length


def test_fixed_terms_config_key_extends_the_dictionary() -> None:
    plain = ("一是学习新的理论成果和重大战略部署要求不够深入。\n"
             "二是运用新的理论成果和重大战略部署要求不够自觉。\n")
    assert lint_text(plain, ["D103"]) != []
    assert lint_text(plain, ["D103"], fixed_terms=("新的理论成果和重大战略部署要求",)) == []


def test_overused_word_counts_words_not_characters() -> None:
    text = "，".join(f"第{i}项工作推进不够" for i in range(12)) + "。"
    diags = lint_text(text, ["D104"])
    assert [d.message.split(" is used")[0] for d in diags] == ["'不够'"]
    assert "12 times" in diags[0].message
    # a stop word or a noun is never reported
    assert lint_text(text.replace("不够", "问题"), ["D104"]) == []
    assert lint_text(text, ["D104"], rules={"D104": {"options": {"min-count": 13}}}) == []


FIELDS = ["农业生产", "安全生产", "招商引资", "社会治理", "文明创建"]


def _host_script(title: str) -> str:
    """A host reads out the decisions of the day (study 4, 10:8:13): ``title`` is how
    each decision's name is written, ``{}`` standing for what it commends."""
    lines = ["年度总结大会主持词", "下面进行第三项，宣读表彰决定。"]
    lines += [f"请宣读{title.format(f + '工作先进集体')}和{title.format(f + '工作先进个人')}。"
              for f in FIELDS]
    return "\n".join(lines) + "\n"


def test_overused_word_skips_the_titles_of_other_documents() -> None:
    assert lint_text(_host_script("《关于表彰{}的决定》"), ["D104"]) == []
    # the writer's own words, or a title never closed on its line, are counted
    assert triples(lint_text(_host_script("关于表彰{}的决定"), ["D104"])) == [
        (2, 11, "D104"), (2, 13, "D104"), (3, 4, "D104")]
    assert triples(lint_text(_host_script("《关于表彰{}的决定"), ["D104"])) == [
        (2, 11, "D104"), (2, 13, "D104"), (3, 5, "D104")]


LESSON = ["为什么互称同志：一堂微党课", "今天先问大家一个问题：党内为什么互称同志？",
          "一份文件写道：“党内称呼要平等，党内不兴官衔。”", "另一份文件要求：“党内职务再高，党内也称同志。”",
          "准则重申：“发扬党内民主，保持党内平等。”", "会议强调：“净化党内风气，严肃党内生活”。",
          "书中说：“党内关系要纯洁，党内称谓要朴素。”"]
TERMS = ["（一）理论武装“不够扎实”。学习不够系统，思考不够深入。",
         "（二）党性锤炼“不够自觉”。对标不够主动，要求不够严格。",
         "（三）工作作风“不够务实”。调研不够经常，落实不够有力。",
         "（四）担当作为“不够有力”。攻坚不够坚决，创新不够大胆。"]


def test_overused_word_skips_quotations_not_a_stressed_term() -> None:
    """A 党课 quotes the documents it is about (study 4, 03:5:39)."""
    lesson = "\n".join(LESSON) + "\n"
    assert lint_text(lesson, ["D104"]) == []
    # a quotation of 8 characters or more is one without a clause mark too
    assert lint_text(lesson.replace("，党内", "党内"), ["D104"]) == []
    unquoted = lint_text(lesson.replace("“", "").replace("”", ""), ["D104"])
    assert triples(unquoted) == [(2, 12, "D104")] and "11 times" in unquoted[0].message
    # a short quoted term is the writer's own word, stressed: 不够 12 times, 4 quoted
    terms = lint_text("个人对照检查材料\n一、存在的问题\n" + "\n".join(TERMS) + "\n", ["D104"])
    assert triples(terms) == [(3, 9, "D104")] and "12 times" in terms[0].message


REPORT = ["预算公开自查报告", "一、高度重视，抓好部署", "我单位认真组织学习有关规定，逐项对照检查。",
          "二、认真自查，严格执行公务接待有关规定", "公务接待一律凭公函办理，没有公函的不予接待。",
          "接待对象、接待人数和接待费用均如实登记。", "接待用餐按标准安排，不上高档菜肴，不提供香烟。",
          "接待费用统一结算，不以会议费名义列支接待开支。", "全年共安排接待二十次，比上年减少接待五次。",
          "三、下一步打算", "我们将继续严格执行有关规定。"]


def test_overused_word_skips_the_subject_of_a_part_named_in_its_heading() -> None:
    """A 三公 self-inspection report on 公务接待 (study 4, 19:5:14)."""
    report = "\n".join(REPORT) + "\n"
    assert lint_text(report, ["D104"]) == []
    # not a sub-heading, not a word in two part headings (the repetition itself), not
    # the paragraph run into the heading after its full stop
    for before, after, col in (("二、认真", "（二）认真", 15),
                               ("三、下一步打算", "三、下一步继续规范接待管理", 14),
                               ("认真自查，", "认真自查。", 14)):
        assert triples(lint_text(report.replace(before, after), ["D104"])) == [
            (4, col, "D104")], after


def _modules_after(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT / "tests", check=True)
    return set(out.stdout.split())


def test_jieba_is_not_loaded_without_a_candidate() -> None:
    code = ("import sys; from lintkit import lint_text; "
            "lint_text('加强政治建设、思想建设。\\n扎扎实实抓落实。', ['D101', 'D102', 'D103']); "
            "print(' '.join(m for m in sys.modules if m.startswith('jieba')))")
    assert _modules_after(code) == set()
    code = code.replace("扎扎实实抓落实", "落实落实中央精神")
    assert "jieba" in _modules_after(code)


def test_cli_is_quiet_on_stderr(tmp_path: Path) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text("对照检查材料\n提高落实落实中央八项规定精神的自觉。\n", encoding="utf-8")
    proc = run_cli("check", "--select", "D", str(draft), cwd=tmp_path)
    assert proc.returncode == 1
    assert "D101" in proc.stdout and proc.stderr == ""


def test_samples_give_the_real_d_findings(samples: Path, tmp_path: Path) -> None:
    proc = run_cli("check", "--select", "D", "-q", str(samples), cwd=tmp_path)
    got = sorted(line.split(": ")[0].split("/")[-1] + " " + line.split(": ")[1].split()[0]
                 for line in proc.stdout.splitlines())
    assert got == ["000_1f642dbdb643cef6.txt:8:170 D104", "001_72e6f3d655854abf.txt:6:51 D104",
                   "003_3197f6daf3feb7e7.txt:24:38 D101", "004_3e0505d78ab52181.txt:29:119 D102",
                   "004_3e0505d78ab52181.txt:4:9 D104"], proc.stdout


def test_repeated_phrase_of_a_heading_is_style_not_a_copy() -> None:
    text = ("一、存在的问题\n（一）对照新时代新征程提出的目标任务查找差距方面\n"
            "对照新时代新征程提出的目标任务查找差距，自己还有不小的差距。\n")
    assert lint_text(text, ["D103"]) == []
    rules = {"D103": {"options": {"after-headings": True}}}
    assert triples(lint_text(text, ["D103"], rules=rules)) == [(3, 1, "D103")]


@pytest.mark.parametrize("line", ["——" * 11, "=" * 34, "*" * 18, "～" * 18, "-" * 40])
def test_a_separator_line_is_not_a_title_pasted_twice(line: str) -> None:
    """A separator line of one mark is no title typed twice (a first version of the
    whole-line form reported it, and --unsafe-fixes halved it)."""
    assert lint_text(f"个人对照检查材料\n正文第一段。\n{line}\n正文第二段。\n", ["D101"]) == []


def test_a_word_of_one_part_heading_is_still_overused_in_the_whole_draft() -> None:
    """不够 13 times in 140 characters (87 a thousand), in one part heading
    (一、理论学习不够深入) but used all over the draft: reported. The part-heading
    exemption is for a part's subject (公务接待), used mostly in that part."""
    text = ("个人对照检查材料\n一、理论学习不够深入\n"
            "对党的创新理论学习不够系统，联系实际不够紧密，学用结合不够到位。调查研究不够扎实，联系群众不够紧密。\n"
            "二、担当作为有差距\n攻坚克难不够坚决，开拓创新不够主动，遇到矛盾不够果断。\n"
            "三、纪律作风有松懈\n纪律意识不够牢固，廉洁自律不够严格，服务意识不够到位，工作作风不够务实。\n")
    assert codes(lint_text(text, ["D104"])) == ["D104"]
