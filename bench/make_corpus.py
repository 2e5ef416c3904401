#!/usr/bin/env python3
"""Synthetic scale corpus for benchmarking draftlint and its peers.

Recombines the paragraphs of the sample drafts into N new .txt drafts:
title, opening, then the parts (problems -> causes -> measures, sometimes a
prior-rectification part first), each made of numbered blocks drawn from the
same part of any sample. Every paragraph is lightly edited (splice with a
sibling paragraph, synonym swap, clause swap/drop, an occasional typo) so
documents are not byte-identical; on purpose some paragraphs are copied
verbatim across files ("boilerplate") and a few are repeated inside a file.
A small, recorded share of documents get one injected defect each kind
(placeholder, doubled word, half-width punctuation, paid-marker errors,
numbering skip, missing part, ...). Defects the samples already carry
(e.g. `**`, `XX`, `(一)`) come along unrecorded.

Deterministic: same seeds + same --seed + same N -> byte-identical output.
Standard library only.

Usage:
  make_corpus.py -n 1000 -o /tmp/corpus/c1000          # one corpus
  make_corpus.py --root /tmp/corpus                     # default sizes 1000 and 10000
Writes OUT/doc_NNNNN.txt and OUT.manifest.jsonl (one JSON object per doc:
sources, boilerplate ids, injected defects with 1-based line/col, and "passages": the
planted passage copies, each {passage id, role source|copy, kind, line, col, length, part}).

Planted passages (issue 18): in 30 % of the drafts a passage of new text (40-300
characters; 80-300 for whole paragraphs) is written, and copied into one of the next 40
drafts: verbatim or near (2 changed words of 2 characters per 50 characters), inside a
paragraph, across a paragraph break (-break), or as a whole paragraph. The text is new
(2-4 character chunks of the samples in a new order) so no other draft holds it.
"""
import argparse
import hashlib
import json
import os
import random
import re
import sys
from pathlib import Path

from plant_passages import Passages  # bench/plant_passages.py: this script's folder is on sys.path

HERE = Path(__file__).resolve().parent
DEFAULT_SEEDS = [HERE.parent.parent / "shared" / "samples", HERE.parent / "shared" / "samples",
                 HERE.parent / "samples"]

WS = " \t\u3000\u00a0\r"
H1_RE = re.compile(r"^([一二三四五六七八九十]+)、")
H2_RE = re.compile(r"^[（(]([一二三四五六七八九十]+)[）)]")
CN_NUM = "一二三四五六七八九十"
MARKER_RE = re.compile(r"##paid(begin|end)##")

SYNONYMS = [
    ("加强", "强化"), ("深入", "深刻"), ("不够", "不足"), ("认真", "切实"),
    ("提高", "提升"), ("坚持", "始终坚持"), ("工作", "各项工作"),
    ("问题", "短板"), ("落实", "抓落实"), ("进一步", "更进一步"),
    ("严格", "从严"), ("思想", "思想认识"), ("推动", "推进"), ("及时", "第一时间"),
]
DOUBLE_WORDS = ["落实", "加强", "学习", "工作", "问题", "深入", "推进", "提高", "坚持", "严格"]
TYPO_CHARS = "的了在是和有不要对为以上中把到说也就能会与从所"
PLACEHOLDERS = ["**", "XX", "×××", "某某"]
ROLE_HEADINGS = {
    "prior": ["上年度查摆问题整改情况", "整改落实情况"],
    "problems": ["存在的问题", "存在的主要问题", "查摆出的主要问题", "问题查摆"],
    "causes": ["原因分析", "原因剖析", "产生问题的原因分析", "问题产生的根源"],
    "measures": ["整改措施", "改进措施", "努力方向和整改措施", "下步整改措施", "下步打算"],
}
CLOSINGS = ["以上是我个人的对照检查情况，请同志们批评指正。",
            "以上是我的个人剖析，不足之处，恳请各位同志批评指正。"]
# per-document probability of injecting each defect kind (recorded in the manifest)
DEFECT_RATES = {
    "placeholder": 0.05, "doubled_word": 0.03, "halfwidth_punct": 0.03,
    "doubled_punct": 0.02, "trailing_ws": 0.02, "numbering_skip": 0.02,
    "missing_part": 0.01, "paid_unclosed": 0.01, "paid_midsentence": 0.01,
    "paid_misspelled": 0.005, "secret": 0.005, "within_doc_dup": 0.05,
}


def role_of(heading):
    if any(k in heading for k in ("整改情况", "整改落实", "初心")) and "问题" not in heading[-4:]:
        return "prior"
    if any(k in heading for k in ("原因", "根源")):
        return "causes"
    if any(k in heading for k in ("措施", "方向", "打算")):
        return "measures"
    if "问题" in heading:
        return "problems"
    return "prior"


def load_seeds(seed_dir):
    """-> titles, openings, closings, blocks{role: [[para, ...], ...]} (a block: a numbered heading and its paragraphs)"""
    titles, openings, closings = [], [], []
    blocks = {r: [] for r in ROLE_HEADINGS}
    files = sorted(p for p in Path(seed_dir).iterdir() if p.suffix in (".txt", ".md"))
    if not files:
        sys.exit(f"no .txt/.md seeds in {seed_dir}")
    for path in files:
        lines = [MARKER_RE.sub("", l).strip(WS) for l in path.read_text(encoding="utf-8").split("\n")]
        lines = [l for l in lines if l and "密码" not in l]
        role, cur = None, None
        for i, line in enumerate(lines):
            if role is None and not H1_RE.match(line):
                if i == 0 and len(line) < 45 and not line.endswith(("。", "：", ":")):
                    titles.append(line)
                else:
                    openings.append(line)
                continue
            m = H1_RE.match(line)
            if m and len(line) < 40:
                role, cur = role_of(line[m.end():]), None
                continue
            if line.startswith("以上") and ("指正" in line or "汇报" in line):
                closings.append(line)
                continue
            if H2_RE.match(line) or cur is None:
                cur = [line]
                blocks[role].append(cur)
            else:
                cur.append(line)
    return titles, openings, closings or CLOSINGS, blocks


class Gen:
    def __init__(self, seeds, rng, passages=None):
        self.titles, self.openings, self.closings, self.blocks = seeds
        self.rng = rng
        self.passages = passages
        bodies = [p for r in self.blocks.values() for b in r for p in b if len(p) > 60]
        n_boiler = 60
        self.boiler = [self.rng.choice(bodies) for _ in range(n_boiler)]

    # ---- light edits that keep the text plausible --------------------------------
    def edit(self, para, sibling=None):
        r = self.rng
        head = ""
        m = H2_RE.match(para)
        if m:
            head, para = para[: m.end()], para[m.end():]
        if sibling and r.random() < 0.5:
            a = [s for s in re.split(r"(?<=。)", para) if s]
            b = [s for s in re.split(r"(?<=。)", H2_RE.sub("", sibling)) if s]
            if len(a) > 1 and len(b) > 1:
                para = "".join(a[: r.randint(1, len(a) - 1)] + b[r.randint(1, len(b) - 1):])
        for _ in range(r.randint(1, 2)):
            k = r.random()
            if k < 0.35:
                pairs = [(x, y) for x, y in SYNONYMS if x in para]
                if pairs:
                    x, y = r.choice(pairs)
                    idx = [mm.start() for mm in re.finditer(x, para)]
                    p = r.choice(idx)
                    para = para[:p] + y + para[p + len(x):]
            elif k < 0.65:
                cl = para.split("，")
                if len(cl) > 3:
                    i = r.randint(1, len(cl) - 3)
                    cl[i], cl[i + 1] = cl[i + 1], cl[i]
                    para = "，".join(cl)
            elif k < 0.85:
                cl = para.split("，")
                if len(cl) > 4:
                    del cl[r.randint(1, len(cl) - 3)]
                    para = "，".join(cl)
            else:
                han = [i for i, c in enumerate(para) if "\u4e00" <= c <= "\u9fff"]
                if han:
                    p = r.choice(han)
                    para = para[:p] + r.choice(TYPO_CHARS) + para[p + 1:]
        return head + para

    def renumber(self, para, n):
        m = H2_RE.match(para)
        return f"（{CN_NUM[n]}）" + para[m.end():] if m else para

    # ---- one document ---------------------------------------------------------------
    def document(self, idx):
        r = self.rng
        meta = {"file": None, "boilerplate": [], "defects": []}
        want = {k for k, p in DEFECT_RATES.items() if r.random() < p}

        def P(text, tag="body"):
            return {"t": text, "tag": tag, "marks": []}

        title = r.choice(self.titles) if self.titles and r.random() < 0.9 else None
        if title:  # titles: only the year changes
            title = re.sub(r"20\d\d", str(r.randint(2018, 2025)), title)
        opening = self.edit(r.choice(self.openings))
        roles = (["prior"] if self.blocks["prior"] and r.random() < 0.15 else []) + ["problems", "causes", "measures"]
        if "missing_part" in want:
            gone = r.choice(["problems", "causes", "measures"])
            roles.remove(gone)
            meta["defects"].append({"kind": "missing_part", "part": gone, "line": 0, "col": 0})
        indent = "\u3000\u3000" if r.random() < 0.3 else ""
        paras = [P(title, "title")] if title else []
        paras.append(P(opening))
        paid = r.random() < 0.7 or any(k.startswith("paid_") for k in want)
        begin = None
        for pi, role in enumerate(roles):
            paras.append(P(f"{CN_NUM[pi]}、{r.choice(ROLE_HEADINGS[role])}", "h1"))
            if pi == 0 and paid:
                begin = P("##paidbegin##", "marker")
                paras.append(begin)
            pool = self.blocks[role] or self.blocks["problems"]
            intros = [b for b in pool if not H2_RE.match(b[0])]
            numbered = [b for b in pool if H2_RE.match(b[0])] or pool
            nblk = min(len(numbered), r.randint(3, 6) if role == "problems" else r.randint(2, 5))
            chosen = ([r.choice(intros)] if intros and r.random() < 0.5 else []) + r.sample(numbered, nblk)
            skip_at = r.randint(1, nblk - 1) if ("numbering_skip" in want and role == "problems" and nblk >= 3) else -1
            num = -1
            for blk in chosen:
                head = bool(H2_RE.match(blk[0]))
                if head:
                    num += 1 + (1 if num + 1 == skip_at else 0)
                for j, p in enumerate(blk):
                    sib = r.choice(r.choice(pool))
                    text = self.edit(p, sib)
                    if j == 0 and head:
                        text = self.renumber(text, num)
                    paras.append(P(text))
                    if j == 0 and head and num == skip_at + 1 and skip_at > 0:
                        paras[-1]["marks"].append({"kind": "numbering_skip"})
            if r.random() < 0.3:  # verbatim boilerplate paragraph shared across files
                b = r.randrange(len(self.boiler))
                paras.append(P(self.boiler[b]))
                paras[-1]["marks"].append({"boilerplate": b})
        if r.random() < 0.4:
            paras.append(P(r.choice(self.closings)))
        if "secret" in want:
            paras.append(P(f"本文档编辑密码：wsx{r.randint(1000, 9999)}"))
            paras[-1]["marks"].append({"kind": "secret"})
        if paid and "paid_unclosed" not in want:
            paras.append(P("##paidend##", "marker"))
        elif paid:
            begin["marks"].append({"kind": "paid_unclosed"})

        def bodies():
            return [p for p in paras if p["tag"] == "body" and len(p["t"]) > 40]

        if self.passages is not None:
            plan = self.passages.plan(idx)
            if plan and not self.passages.place(paras, P, plan["text"], "source", plan, False):
                self.passages.pending[plan["target"]].remove(plan)
            for plan in self.passages.pending.pop(idx, []):
                split = plan["kind"].endswith("-break")
                self.passages.place(paras, P, plan["copy"], "copy", plan, split)

        if "within_doc_dup" in want and len(bodies()) > 3:
            bs = bodies()
            k = r.randrange(len(bs) - 1)
            after = r.choice(bs[k + 1:])
            copy = P(bs[k]["t"])
            copy["marks"].append({"kind": "within_doc_dup", "copy_of": bs[k]})
            copy["frozen"] = bs[k]["frozen"] = True  # keep the pair identical
            paras.insert(paras.index(after) + 1, copy)
        # in-text defects: one position each
        for kind in ("placeholder", "doubled_word", "halfwidth_punct", "doubled_punct", "trailing_ws",
                     "paid_midsentence", "paid_misspelled"):
            bs = [p for p in bodies() if not p.get("frozen")]
            if kind not in want or not bs:
                continue
            para = r.choice(bs)
            t = para["t"]
            if kind == "placeholder":
                cands = [m.start() for m in re.finditer(r"[市县镇村乡区]", t)] or \
                    [m.end() for m in re.finditer("，", t)]
                if not cands:
                    continue
                p = r.choice(cands)
                t = t[:p] + r.choice(PLACEHOLDERS) + t[p:]
            elif kind == "doubled_word":
                cands = [(m.start(), w) for w in DOUBLE_WORDS for m in re.finditer(w, t)]
                if not cands:
                    continue
                p, w = r.choice(cands)
                t = t[:p] + w + t[p:]
            elif kind in ("halfwidth_punct", "doubled_punct"):
                cands = [m.start() for m in re.finditer("，", t)]
                if not cands:
                    continue
                p = r.choice(cands)
                t = t[:p] + ("," if kind == "halfwidth_punct" else "，，") + t[p + 1:]
            elif kind == "trailing_ws":
                p = len(t)
                t = t + r.choice([" ", "  ", "\u3000", "\t"])
            elif kind == "paid_midsentence":
                cands = [m.end() for m in re.finditer("，", t)]
                if not cands:
                    continue
                p = r.choice(cands)
                t = t[:p] + "##paidbegin##" + t[p:]
            else:  # paid_misspelled: a misspelled marker line before this paragraph
                bad = P(r.choice(["##paidbegin#", "＃＃paidbegin＃＃", "##paid begin##", "##PaidBegin##"]), "marker")
                bad["marks"].append({"kind": kind})
                paras.insert(paras.index(para), bad)
                continue
            para["t"] = t
            para["marks"].append({"kind": kind, "offset": p})
        # layout: one paragraph a line, optional indentation, blank lines between in some docs
        blank = r.random() < 0.5
        out_lines, line_of = [], {}
        for para in paras:
            line_of[id(para)] = len(out_lines) + 1
            pre = indent if para["tag"] in ("body", "h1") else ""
            out_lines.append(pre + para["t"])
            if blank:
                out_lines.append("")
        for para in paras:
            pre = indent if para["tag"] in ("body", "h1") else ""
            for m in para["marks"]:
                if "boilerplate" in m:
                    meta["boilerplate"].append({"id": m["boilerplate"], "line": line_of[id(para)]})
                    continue
                if "passage" in m:
                    meta.setdefault("passages", []).append(
                        {k: v for k, v in m.items() if k != "offset"} |
                        {"line": line_of[id(para)], "col": len(pre) + m["offset"] + 1})
                    continue
                d = {"kind": m["kind"], "line": line_of[id(para)], "col": len(pre) + m.get("offset", 0) + 1}
                if "copy_of" in m:
                    d["copy_of_line"] = line_of[id(m["copy_of"])]
                meta["defects"].append(d)
        return "\n".join(out_lines).rstrip("\n") + "\n", meta


def make(n, out, seed, seed_dir, manifest=None, passages=True):
    seeds = load_seeds(seed_dir)
    rng = random.Random(seed)
    gen = Gen(seeds, rng, Passages(seeds, seed, n) if passages else None)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    manifest = Path(manifest) if manifest else out.with_name(out.name + ".manifest.jsonl")
    seen, total_bytes, counts = set(), 0, {}
    para_files = {}
    width = max(5, len(str(n - 1)))
    with manifest.open("w", encoding="utf-8") as mf:
        for i in range(n):
            for _attempt in range(20):
                text, meta = gen.document(i)
                h = hashlib.sha1(text.encode()).digest()
                if h not in seen:
                    break
            seen.add(h)
            name = f"doc_{i:0{width}d}.txt"
            data = text.encode("utf-8")
            (out / name).write_bytes(data)
            total_bytes += len(data)
            meta["file"] = name
            for m in meta.get("passages", ()):
                counts["passage_" + m["role"]] = counts.get("passage_" + m["role"], 0) + 1
            for d in meta["defects"]:
                counts[d["kind"]] = counts.get(d["kind"], 0) + 1
            for line in text.split("\n"):
                s = line.strip(WS)
                if len(s) >= 40:
                    para_files.setdefault(hashlib.sha1(s.encode()).digest(), set()).add(i)
            mf.write(json.dumps(meta, ensure_ascii=False) + "\n")
    shared = sum(1 for v in para_files.values() if len(v) > 1)
    summary = {"n": n, "out": str(out), "bytes": total_bytes, "seed": seed,
               "distinct_paragraphs_ge40": len(para_files),
               "paragraphs_in_more_than_one_file": shared, "injected": counts}
    print(json.dumps(summary, ensure_ascii=False), file=sys.stderr)
    return summary


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", type=int, help="number of documents")
    ap.add_argument("-o", "--out", help="output directory for the documents")
    ap.add_argument("--root", help="make the default sizes (1000, 10000) as ROOT/c1000, ROOT/c10000")
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--seeds", help="directory of sample drafts (default: ../shared/samples or ../samples)")
    ap.add_argument("--manifest", help="manifest path (default: OUT.manifest.jsonl)")
    ap.add_argument("--no-passages", action="store_true",
                    help="plant no passage copies (the corpus of before issue 18)")
    a = ap.parse_args()
    seed_dir = a.seeds or next((str(p) for p in DEFAULT_SEEDS if p.is_dir()), None)
    if not seed_dir:
        ap.error("no seeds directory found; pass --seeds")
    if a.root:
        for n in (1000, 10000):
            make(n, os.path.join(a.root, f"c{n}"), a.seed, seed_dir, passages=not a.no_passages)
    elif a.n and a.out:
        make(a.n, a.out, a.seed, seed_dir, a.manifest, passages=not a.no_passages)
    else:
        ap.error("give -n N -o OUT, or --root ROOT")


if __name__ == "__main__":
    main()
