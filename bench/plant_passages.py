"""Planted passage copies for bench/make_corpus.py (issue 18).

A passage of new text (2-4 character chunks of the samples, in a new order, so no other
draft holds it) is written into one draft and copied into one of the next drafts:
verbatim or near (2 changed words per 50 characters), inside a paragraph, across a
paragraph break, or as a whole paragraph; the truth goes into the manifest.
"""
import random
import re


# planted passage copies (issue 18): a passage of new text written into one draft and
# copied into a later one, verbatim or near (2 changed words per 50 characters), inside a
# paragraph, across a paragraph break, or as a whole paragraph
PASSAGE_RATE = 0.3  # share of drafts that are the source of a planted passage
PASSAGE_KINDS = ["verbatim", "near", "verbatim-break", "near-break", "paragraph"]
PASSAGE_REACH = 40  # the copy goes into one of the next drafts
HAN_RE = re.compile("[\u4e00-\u9fff]+")


class Passages:
    """New text (chunks of 2-4 Han characters cut from the samples, in a new order, so no
    8 characters in a row are the samples'), its planted copies, and their truth."""

    def __init__(self, seeds, seed, n):
        self.rng = random.Random(seed * 7 + 1)  # its own stream: the drafts stay as they were
        self.n = n
        runs = [r for b in (p for role in seeds[3].values() for blk in role for p in blk)
                for r in HAN_RE.findall(b) if len(r) >= 4]
        self.runs = runs
        self.pending = {}  # draft index -> [plan, ...]
        self.next_id = 0

    def text(self, length):
        r, out, clause = self.rng, [], 0
        while sum(map(len, out)) < length - 1:
            run = r.choice(self.runs)
            k = r.randint(2, 4)
            at = r.randrange(len(run) - k + 1)
            out.append(run[at:at + k])
            clause += k
            if clause >= r.randint(6, 14):
                out.append("，")
                clause = 0
        text = "".join(out)[:length - 1].rstrip("，")
        return text + "。"

    def near(self, text):
        """``text`` with 2 changed words (2 Han characters each) per 50 characters."""
        r = self.rng
        han = [i for i, c in enumerate(text) if "\u4e00" <= c <= "\u9fff"]
        edits = max(1, len(han) * 2 // 50)
        chars = list(text)
        taken = set()
        for _ in range(edits):
            for _try in range(20):
                i = r.randrange(2, max(3, len(chars) - 3))
                if all(0x4e00 <= ord(c) <= 0x9fff for c in chars[i:i + 2]) and \
                        not taken & set(range(i - 3, i + 5)):
                    new = self.text(3)[:2]
                    chars[i:i + 2] = list(new)
                    taken.update((i, i + 1))
                    break
        return "".join(chars), edits

    def plan(self, idx):
        """A new passage whose source is draft ``idx`` (or None)."""
        r = self.rng
        if r.random() >= PASSAGE_RATE or idx + 1 >= self.n:
            return None
        kind = r.choice(PASSAGE_KINDS)
        length = r.randint(80, 300) if kind == "paragraph" else r.randint(40, 300)
        text = self.text(length)
        copy, edits = self.near(text) if kind.startswith("near") else (text, 0)
        plan = {"id": self.next_id, "kind": kind, "text": text, "copy": copy, "edits": edits,
                "source": idx, "target": min(self.n - 1, idx + r.randint(1, PASSAGE_REACH))}
        self.next_id += 1
        self.pending.setdefault(plan["target"], []).append(plan)
        return plan

    def place(self, paras, make, text, role, plan, split):
        """Write ``text`` into a body paragraph of ``paras`` (a new paragraph for kind
        paragraph; split over a paragraph break with ``split``); mark where it went."""
        r = self.rng
        bodies = [p for p in paras if p["tag"] == "body" and len(p["t"]) > 40 and not p.get("frozen")]
        if not bodies:
            return False
        host = r.choice(bodies)
        mark = {"passage": plan["id"], "role": role, "kind": plan["kind"]}
        if plan["kind"] == "paragraph":
            new = make(text)
            new["frozen"] = True
            new["marks"].append({**mark, "offset": 0, "length": len(text)})
            paras.insert(paras.index(host) + 1, new)
            return True
        t = host["t"]
        stops = [m.end() for m in re.finditer("。", t)][:-1] or [len(t)]
        at = r.choice(stops)
        if split:
            cut = r.randint(len(text) // 3, 2 * len(text) // 3)
            first, second = text[:cut], text[cut:]
            host["t"] = t[:at] + first
            host["marks"].append({**mark, "offset": at, "length": len(first), "part": 1})
            rest = make(second + t[at:])
            rest["marks"].append({**mark, "offset": 0, "length": len(second), "part": 2})
            rest["frozen"] = True
            paras.insert(paras.index(host) + 1, rest)
        else:
            host["t"] = t[:at] + text + t[at:]
            host["marks"].append({**mark, "offset": at, "length": len(text)})
        host["frozen"] = True
        return True
