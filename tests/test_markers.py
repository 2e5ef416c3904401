"""checker.markers (the CMS's pairing) and the M rules' finer points: fixes, policy options."""

from __future__ import annotations

import pytest

from checker.checks.paid_preview import shares
from checker.checks.paid_required import truthy
from checker.document import Document
from checker.markers import canonical_form, fold, scan_markers
from lintkit import lint_text, triples

B, E = "##paidbegin##", "##paidend##"
DB, DE = "$$paidbegin$$", "$$paidend$$"


def starts(markers) -> list[int]:
    return [m.start for m in markers]


def spans(scan) -> list[tuple[int, int]]:
    return [(b.start, e.start) for b, e in scan.spans]


# -- pairing, as <paid>(.*?)</paid> pairs --------------------------------------------------

def test_one_pair() -> None:
    text = f"免费\n{B}\n付费\n{E}\n"
    scan = scan_markers(text)
    assert spans(scan) == [(3, 20)]
    assert not scan.unclosed and not scan.stray_ends and not scan.nested
    assert scan.hidden(text.index("付费")) and not scan.hidden(0)


def test_several_legal_pairs_each_hidden() -> None:
    text = f"甲{B}乙{E}丙{B}丁{E}戊{DB}己{DE}"
    scan = scan_markers(text)
    assert len(scan.spans) == 3
    assert not scan.unclosed and not scan.stray_ends and not scan.nested
    hidden = "".join(ch for i, ch in enumerate(text) if scan.hidden(i) and ch in "甲乙丙丁戊己")
    assert hidden == "乙丁己"


def test_begin_begin_end_end_leaks_between_the_ends() -> None:
    text = f"{B}A{B}B{E}C{E}D"
    scan = scan_markers(text)
    # The CMS closes at the first end: A and B hidden, C published, the last end stray.
    assert spans(scan) == [(0, 28)]
    (n,) = scan.nested
    assert (n.marker.start, n.opener.start, n.closer.start, n.orphan.start) == (14, 0, 28, 40)
    assert scan.stray_ends == ()  # the orphan is explained by the nesting, not reported twice
    assert not scan.hidden(text.index("C"))


def test_crossed_hash_and_dollar_pairs_pair_like_nesting() -> None:
    # Both styles become the same tag, so ## and $$ pairs cannot cross.
    text = f"{B}A{DB}B{E}C{DE}D"
    scan = scan_markers(text)
    assert spans(scan) == [(0, 28)]
    (n,) = scan.nested
    assert n.marker.text == DB and n.closer.text == E and n.orphan.text == DE
    assert not scan.hidden(text.index("C"))


def test_dollar_begin_closed_by_hash_end() -> None:
    scan = scan_markers(f"{DB}A{E}")
    assert len(scan.spans) == 1 and not scan.unclosed and not scan.stray_ends


def test_begin_begin_end_is_a_redundant_begin() -> None:
    scan = scan_markers(f"{B}A{B}B{E}")
    (n,) = scan.nested
    assert n.orphan is None
    assert len(scan.spans) == 1


def test_unclosed_and_stray() -> None:
    scan = scan_markers(f"x{E}y{B}z")
    assert starts(scan.stray_ends) == [1]
    assert starts(scan.unclosed) == [13]
    assert scan.spans == ()


def test_begins_without_any_end_are_all_unclosed() -> None:
    scan = scan_markers(f"{B}A{B}B")
    assert starts(scan.unclosed) == [0, 14]
    assert scan.nested == ()


def test_pairs_after_a_nesting_are_independent() -> None:
    text = f"{B}A{B}B{E}C{B}D{E}"
    scan = scan_markers(text)
    assert len(scan.spans) == 2
    (n,) = scan.nested
    assert n.orphan is None  # the next marker after the closing end is a begin
    assert scan.hidden(text.index("D"))


def test_replacement_order_is_the_cms_one() -> None:
    # str_replace replaces ##paidbegin## first: in "##paidend##paidbegin##" it takes
    # the begin (offset 9), which leaves "##paidend" unrecognised.
    scan = scan_markers("##paidend##paidbegin##")
    assert [(m.kind, m.start) for m in scan.markers] == [("begin", 9)]
    assert [(m.text, m.canonical) for m in scan.misspelled] == [("##paidend", E)]


def test_markers_are_case_sensitive() -> None:
    scan = scan_markers("##PAIDBEGIN## x ##paidend##")
    assert [m.kind for m in scan.markers] == ["end"]


def test_pagebreak_is_not_a_paid_marker() -> None:
    scan = scan_markers(f"{B}a##pagebreak##b{E}")
    assert len(scan.spans) == 1 and [m.kind for m in scan.pagebreaks] == ["pagebreak"]


# -- misspellings -------------------------------------------------------------------------

@pytest.mark.parametrize("text, canonical", [
    ("##paidbegin#", B),
    ("#paidbegin##", B),
    ("＃＃paidbegin＃＃", B),
    ("##ｐａｉｄｂｅｇｉｎ##", B),
    ("##paid begin##", B),
    ("##PaidBegin##", B),
    ("##paid_begin##", B),
    ("##paid\nbegin##", B),
    ("##paidbegin\u200b##", B),
    ("##paidbegain##", B),
    ("##paid end##", E),
    ("$$paidend$", DE),
    ("＄＄paidbegin＄＄", DB),
    ("##page break##", "##pagebreak##"),
    ("paidbegin", B),
])
def test_misspelled_variants(text: str, canonical: str) -> None:
    scan = scan_markers(f"前文{text}后文")
    assert [(m.text, m.canonical, m.recognised) for m in scan.misspelled] == [
        (text, canonical, False)]
    assert scan.markers == ()


@pytest.mark.parametrize("text", [
    "GDP APP PPT", "the paid end of the story", "page by page", "##标题##", "#paid",
    "###", "$$x+y$$", "##padding##", "##append##", "paid begin", "apparent",
])
def test_not_markers(text: str) -> None:
    scan = scan_markers(text)
    assert scan.misspelled == () and scan.markers == ()


def test_extra_sigils_around_a_recognised_marker() -> None:
    scan = scan_markers("###paidbegin###正文##paidend##")
    assert [m.kind for m in scan.markers] == ["begin", "end"]
    assert [(m.start, m.end, m.recognised) for m in scan.misspelled] == [(0, 15, True)]


def test_adjacent_markers_are_not_extra_sigils() -> None:
    scan = scan_markers(f"{B}{E}")
    assert scan.misspelled == () and len(scan.spans) == 1


def test_fold_keeps_offsets() -> None:
    text = "＃＃ｐａｉｄ\u3000文"
    assert len(fold(text)) == len(text)
    assert fold(text) == "##paid 文"


def test_canonical_form_refuses_ambiguous_or_far_words() -> None:
    assert canonical_form("##hello##") is None
    assert canonical_form("paidbegn") is None  # a bare word must be exact
    assert canonical_form("#paidbegn") == B


# -- rules: fixes and messages --------------------------------------------------------------

def apply(text: str, diags) -> str:
    edits = sorted((e for d in diags for e in d.fix), key=lambda e: e.start, reverse=True)
    for e in edits:
        text = text[:e.start] + e.replacement + text[e.end:]
    return text


@pytest.mark.parametrize("code, draft", [
    ("M104", "标题\n##paid begin##\n正文\n＃＃paidend＃＃\n"),
    ("M105", "标题\n###paidbegin##\n正文\n##paidend##\n"),
    ("M107", "标题\n　　报告如下：##paidbegin##一、问题\n##paidend##\n"),
    ("M110", "标题\n$$paidbegin$$\n正文\n##paidend##\n"),
])
def test_fix_resolves_the_finding(code: str, draft: str) -> None:
    diags = lint_text(draft, [code])
    assert diags and all(d.fix for d in diags)
    fixed = apply(draft, diags)
    assert {d.code for d in lint_text(fixed, ["M"])} <= {"M113"}  # nothing else left
    assert lint_text(fixed, [code]) == []


def test_own_line_fix_keeps_the_indentation() -> None:
    draft = "标题\n　　报告如下：##paidbegin##一、问题\n##paidend##\n"
    fixed = apply(draft, lint_text(draft, ["M107"]))
    assert fixed == "标题\n　　报告如下：\n##paidbegin##\n　　一、问题\n##paidend##\n"


def test_misspelled_end_leaves_the_begin_unclosed() -> None:
    diags = lint_text("标题\n##paidbegin##\n正文\n##paidend#\n", ["M"])
    assert [(d.line, d.column, d.code) for d in diags if d.code != "M113"] == [
        (2, 1, "M101"), (4, 1, "M104")]


def test_nested_message_names_what_leaks() -> None:
    (d,) = lint_text("标题\n##paidbegin##\n甲\n##paidbegin##\n乙\n##paidend##\n丙\n##paidend##\n",
                     ["M103"])
    assert (d.line, d.column) == (4, 1)
    assert "line 6" in d.message and "line 8 is published free" in d.message
    assert d.related and d.related[0].line == 2


def test_mid_sentence_end_marker() -> None:
    diags = lint_text("标题\n##paidbegin##\n加强学习##paidend##提高本领。\n", ["M106", "M107"])
    assert triples(diags) == [(3, 5, "M106")]


def test_marker_after_a_heading_line_is_not_mid_sentence() -> None:
    diags = lint_text("标题\n一、存在的问题##paidbegin##\n正文\n##paidend##\n", ["M106", "M107"])
    assert triples(diags) == [(2, 8, "M107")]


def test_markers_in_markdown_code_are_ignored() -> None:
    draft = "# 标题\n\n```\n##paidbegin##\n```\n\n正文\n"
    assert [d.code for d in lint_text(draft, ["M", "M113"], suffix=".md")] == ["M113"]  # no marker


# -- policy: required markers and the preview share -----------------------------------------

@pytest.mark.parametrize("value, expected", [
    (9.9, True), (0, False), ("9.9元", True), ("0.00", False), (True, True), (False, False),
    ("free", False), ("yes", True), (None, False), ("免费", False),
])
def test_truthy(value, expected) -> None:
    assert truthy(value) is expected


def test_front_matter_paid_true_requires_markers() -> None:
    draft = "---\npaid: true\n---\n标题\n正文\n"
    assert triples(lint_text(draft, ["M112"], suffix=".md")) == [(4, 1, "M112")]


def test_policy_rule_respects_a_free_front_matter() -> None:
    free = "---\nprice: 0\n---\n标题\n正文\n"
    assert lint_text(free, ["M112", "M113"], suffix=".md") == []
    plain = "标题\n正文\n"
    assert triples(lint_text(plain, ["M113"])) == [(1, 1, "M113")]


def test_policy_rule_is_off_by_default() -> None:
    from checker.packs import load_rules

    (rule,) = [r for r in load_rules() if r.code == "M113"]
    assert rule.enabled is False


def test_preview_share_counts_visible_characters() -> None:
    doc = Document("d.txt", f"一二三\n{B}\n四五六七\n{E}\n")
    assert shares(doc) == (3, 7)


def test_preview_share_range_is_configurable() -> None:
    draft = f"一二三\n{B}\n四五六七\n{E}\n"  # 3 of 7 characters free: 43%
    assert lint_text(draft, ["M114"]) == []
    diags = lint_text(draft, ["M114"], rules={"M114": {"options": {"max-share": 0.3}}})
    assert triples(diags) == [(2, 1, "M114")]
    assert "43%" in diags[0].message and "2%–30%" in diags[0].message


def test_preview_share_bad_range_is_reported_not_raised() -> None:
    draft = f"一二三\n{B}\n四五六七\n{E}\n"
    diags = lint_text(draft, ["M114"], rules={"M114": {"options": {"min-share": 0.8,
                                                                   "max-share": 0.2}}})
    assert [d.code for d in diags] == ["E900"]
