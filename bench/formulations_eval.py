"""Recall and precision of the N rules on a test set with planted near misses.

    python bench/formulations_eval.py --drafts 200 [--samples ../shared/samples] \
        [--real DIR ...] [--out /tmp/n-eval] [--show 20]

It writes ``--drafts`` drafts (sentences written for this benchmark, a formulation of the
shipped pack in each, deterministic from ``--seed``) and plants near misses of every kind
(N101: homophone, look-alike, dropped, inserted, near-synonym, known wrong form; N102:
a superseded formulation in a dated draft; N103: a clause of a quotation damaged or left
out), then runs the real engine with ``--select N`` over them, the samples and any real
drafts (``--real``: every finding there is a false positive unless its line is listed in
``DIR/expected-n.txt`` as ``file:line CODE``). A finding is a true positive when it is on
the line of a planted error with the planted code. Homophones are planted from pypinyin
(not from the shipped table), at any position of the formulation, so the edge rule's cost
shows in the recall.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from checker.checks.formulation_pack import load_pack  # noqa: E402

TITLES = ["{y}年度民主生活会个人对照检查材料", "{y}年度组织生活会个人发言提纲", "{y}年上半年工作总结",
          "关于{y}年度履职情况的述职报告", "学习贯彻党的二十大精神心得体会", "机关党支部{y}年工作要点",
          "关于加强基层党组织建设的调研报告", "专题党课讲稿"]
# sentence frames written for this benchmark; {F} is a formulation
FRAMES = [
    "我们坚持以{F}为引领，把学习成果转化为推动工作的实际成效。",
    "支部通过集中学习、专题研讨等方式，深入领会{F}的丰富内涵。",
    "对照{F}的要求，本人在思想认识上还存在一定差距。",
    "全体党员要自觉把{F}落实到岗位职责和日常工作中。",
    "今年以来，局党组始终把{F}摆在突出位置，定期研究部署。",
    "在学习{F}方面，有时满足于读原文、记笔记，联系实际不够紧密。",
    "下一步，我将持续深化对{F}的理解，做到学思用贯通、知信行统一。",
    "会议强调，要准确把握{F}，切实增强工作的系统性、整体性、协同性。",
    "各党支部结合“三会一课”，围绕{F}开展了专题讨论。",
    "要以{F}为根本遵循，扎实推进各项重点任务落地见效。",
    "通过这次学习，我对{F}有了更加深刻的认识。",
    "在{F}的指引下，我们推动基层治理取得新进展。",
    "区委理论学习中心组围绕{F}进行了交流发言。",
    "我们要深刻认识{F}的重大意义，增强贯彻落实的自觉性和坚定性。",
    "把{F}贯穿于干部教育培训全过程，引导党员干部学深悟透。",
    "他在发言中谈到，{F}是做好新时代各项工作的根本指引。",
]
FILLERS = [
    "一年来，在上级党组织的坚强领导下，各项工作取得了较好成效。",
    "现将有关情况报告如下。",
    "全年共组织集中学习十二次，撰写心得体会八篇。",
    "但对照上级要求和群众期盼，工作中仍存在一些不足。",
    "一是理论学习不够系统，二是调查研究不够深入，三是工作作风还需改进。",
    "今后，我将进一步加强学习，提高能力，改进作风，努力做好本职工作。",
    "以上发言，不妥之处请同志们批评指正。",
    "在廉政建设方面，严格遵守各项纪律规定，自觉接受监督。",
    "围绕群众急难愁盼问题，办理民生实事十五件。",
    "推动创新发展、协调发展，改革开放新时期积累的经验要继续坚持。",
    "学校坚持全面从严治校，军队坚持全面从严治军，各有侧重。",
    "有的材料把“社会主义”误写为“社会主意”，校对时要格外注意。",
    "坚持不忘初心，牢记使命，把为民服务落到实处。",
    "他对党忠诚，积极工作，在平凡岗位上作出了不平凡的贡献。",
    "组织召开座谈会三次，征求意见建议二十余条。",
    "分管领导带头讲党课，带头深入基层调研。",
]
QUOTE_FRAMES = ["入党时我们庄严宣誓：“{Q}”", "党章开宗明义：“{Q}”"]
SOFT = set("的地得了着之和与及并、，；：。“”‘’《》（）")


class Planter:
    def __init__(self, seed: int) -> None:
        from pypinyin import Style, pinyin

        self.rng = random.Random(seed)
        self.pack = load_pack()
        self.terms = [f.text for f in self.pack.formulations
                      if f.kind != "quotation" and len(f.text) >= 4 and f.until is None
                      and len(f.text) <= 30]
        self.long = [t for t in self.terms if len(t) >= 6]
        common = [chr(c) for c in range(0x4E00, 0x9FA6) if _gb2312_level1(chr(c))]
        self.by_sound: dict[str, list[str]] = {}
        for ch in common:
            for reading in pinyin(ch, style=Style.NORMAL, heteronym=False)[0]:
                self.by_sound.setdefault(reading, []).append(ch)
        self.sound = lambda ch: pinyin(ch, style=Style.NORMAL)[0][0]
        self.shape = {ch: g for g in self.pack.lookalikes for ch in g}
        self.common = common

    def homophone(self, text: str) -> str | None:
        spots = [i for i, ch in enumerate(text) if ch not in SOFT
                 and len(self.by_sound.get(self.sound(ch), [])) > 1]
        if not spots:
            return None
        i = self.rng.choice(spots)
        other = self.rng.choice([c for c in self.by_sound[self.sound(text[i])] if c != text[i]])
        return text[:i] + other + text[i + 1:]

    def lookalike(self, text: str) -> str | None:
        spots = [i for i, ch in enumerate(text) if ch in self.shape]
        if not spots:
            return None
        i = self.rng.choice(spots)
        other = self.rng.choice([c for c in self.shape[text[i]] if c != text[i]])
        return text[:i] + other + text[i + 1:]

    def dropped(self, text: str) -> str | None:
        spots = [i for i in range(1, len(text) - 1) if text[i] not in SOFT]
        i = self.rng.choice(spots)
        return text[:i] + text[i + 1:]

    def inserted(self, text: str) -> str | None:
        i = self.rng.randrange(1, len(text))
        ch = self.rng.choice(self.common)
        return text[:i] + ch + text[i:] if ch not in SOFT else None

    def synonym(self, text: str) -> str | None:
        options = []
        for group in self.pack.synonyms:
            for word in group:
                at = text.find(word, 2)
                if at != -1 and at + len(word) <= len(text) - 2:
                    options += [text[:at] + o + text[at + len(word):] for o in group if o != word]
        return self.rng.choice(options) if options else None


def _gb2312_level1(ch: str) -> bool:
    try:
        b = ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return len(b) == 2 and 0xB0 <= b[0] <= 0xD7


KINDS = ("homophone", "lookalike", "dropped", "inserted", "synonym")


def make_drafts(n: int, seed: int, out: Path) -> list[tuple[str, int, str, str]]:
    """Write the drafts; return the planted errors as (file, line, code, kind)."""
    p = Planter(seed)
    rng = p.rng
    quotes = [f.text for f in p.pack.formulations if f.kind == "quotation"]
    superseded = [f for f in p.pack.formulations if f.until is not None and f.quiet_when is None
                  and f.kind == "organ"] + [f for f in p.pack.formulations if f.text == "八个明确"]
    planted = []
    out.mkdir(parents=True, exist_ok=True)
    for d in range(n):
        year = rng.choice([2019, 2022, 2023, 2024])
        title = rng.choice(TITLES)
        dated = "{y}" in title
        lines = [title.format(y=year), ""]
        name = f"eval_{d:04d}.txt"
        for _ in range(rng.randint(8, 12)):
            if rng.random() < 0.3:
                lines.append(rng.choice(FILLERS))
                continue
            kind = rng.choice(KINDS + ("clean", "clean"))
            pool = p.long if kind in ("dropped", "inserted", "synonym") else p.terms
            term = rng.choice(pool)
            bad = getattr(p, kind)(term) if kind != "clean" else None
            if bad is not None and bad != term:
                planted.append((name, len(lines) + 1, "N101", kind))
                term = bad
            lines.append(rng.choice(FRAMES).replace("{F}", term))
        if rng.random() < 0.5:  # a quotation, damaged half of the time
            q = rng.choice(quotes)
            parts = q.rstrip("。").split("，")
            if rng.random() < 0.5 and len(parts) >= 4:
                i = rng.randrange(1, len(parts) - 1)
                if rng.random() < 0.5:
                    del parts[i]
                else:
                    cut = rng.randrange(0, max(1, len(parts[i]) - 2))
                    parts[i] = parts[i][:cut] + parts[i][cut + 2:]
                planted.append((name, len(lines) + 1, "N103", "quotation"))
            lines.append(rng.choice(QUOTE_FRAMES).replace("{Q}", "，".join(parts) + "。"))
        if rng.random() < 0.3:
            f = rng.choice(superseded)
            lines.append(rng.choice(FRAMES).replace("{F}", f.text))
            draft_day = dt.date(year + 1 if "年度" in title else year, 1, 1)
            if dated and draft_day >= f.until:
                planted.append((name, len(lines), "N102", "superseded"))
        (out / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return planted


def lint(paths: list[Path]) -> list[tuple[str, int, str, str]]:
    from checker.config import Config
    from checker.engine import check_file, load_selected

    cfg = Config(ROOT).with_values(select=("N",))
    known, selected = load_selected(cfg)
    by_code = {r.code: r for r in known}
    found = []
    for path in paths:
        _doc, diags = check_file(path, selected, cfg, by_code)
        found += [(path.name, d.line, d.code, d.message) for d in diags]
    return found


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--drafts", type=int, default=200)
    ap.add_argument("--seed", type=int, default=20261207)
    ap.add_argument("--out", type=Path, default=Path("/tmp/n-eval"))
    ap.add_argument("--samples", type=Path, default=ROOT.parent / "shared" / "samples")
    ap.add_argument("--real", type=Path, action="append", default=[])
    ap.add_argument("--show", type=int, default=10, help="print this many misses and false findings")
    args = ap.parse_args()

    planted = make_drafts(args.drafts, args.seed, args.out / "drafts")
    expected = {(f, line, code) for f, line, code, _ in planted}
    files = sorted((args.out / "drafts").glob("*.txt"))
    extra: list[Path] = []
    if args.samples.is_dir():
        extra += sorted(args.samples.glob("*.txt"))
        expected.add(("004_3e0505d78ab52181.txt", 10, "N102"))  # 八个明确 in a 2023 draft
    for d in args.real:
        extra += sorted(d.glob("*.txt"))
        listed = d / "expected-n.txt"
        if listed.is_file():
            for row in listed.read_text(encoding="utf-8").split("\n"):
                if row.strip():
                    where, code = row.split()
                    f, line = where.rsplit(":", 1)
                    expected.add((f, int(line), code))
    found = lint(files + extra)
    hits = {(f, line, code) for f, line, code, _ in found}
    true = [x for x in found if (x[0], x[1], x[2]) in expected]
    false = [x for x in found if (x[0], x[1], x[2]) not in expected]
    missed = [x for x in planted if (x[0], x[1], x[2]) not in hits]
    by_kind = Counter(k for *_, k in planted)
    missed_kind = Counter(k for *_, k in missed)
    report = {
        "drafts": args.drafts, "sentences": sum(len(p.read_text(encoding="utf-8").splitlines()) for p in files),
        "other files": len(extra), "planted": len(planted),
        "recall": round(1 - len(missed) / max(1, len(planted)), 4),
        "precision": round(len(true) / max(1, len(true) + len(false)), 4),
        "findings": len(found), "false": len(false),
        "recall by kind": {k: round(1 - missed_kind[k] / v, 3) for k, v in sorted(by_kind.items())},
        "planted by kind": dict(sorted(by_kind.items())),
    }
    print(json.dumps(report, ensure_ascii=False, indent=1))
    for x in missed[:args.show]:
        line = (args.out / "drafts" / x[0]).read_text(encoding="utf-8").splitlines()[x[1] - 1]
        print("MISSED", x, line)
    for x in false[:args.show]:
        print("FALSE", x)


if __name__ == "__main__":
    main()
