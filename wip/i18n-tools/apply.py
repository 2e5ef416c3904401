"""Rewrite a shipped pack's message/docs into the {zh-CN, en} mapping form, keeping the
English text byte for byte. Usage: apply.py PACK.yaml ZHMODULE"""
import importlib.util, json, re, sys
from pathlib import Path
import yaml

pack, zhmod = Path(sys.argv[1]), sys.argv[2]
spec = importlib.util.spec_from_file_location("zh", zhmod)
m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)
ZH = m.ZH
SRC = {}
cur = None
for line in open("/tmp/i18n-src.txt", encoding="utf-8"):
    pass
before = yaml.safe_load(pack.read_text(encoding="utf-8"))
orig = {r["code"]: r for r in before["rules"]}
lines = pack.read_text(encoding="utf-8").split("\n")

def summary_first(text):
    # the first sentence on a line of its own (rules/SARIF show the first line)
    if "\n" in text:
        return text
    i = text.find("。")
    if 0 < i < len(text) - 1:
        return text[:i + 1] + "\n" + text[i + 1:]
    return text

out = []
i = 0
code = None
done = set()
while i < len(lines):
    line = lines[i]
    mc = re.match(r"^  - code: ([A-Z][0-9]{3})\s*$", line)
    if mc:
        code = mc.group(1)
    mk = re.match(r"^    (message|docs):(.*)$", line)
    if mk and code:
        key, rest = mk.group(1), mk.group(2)
        # the value's continuation lines
        j = i + 1
        while j < len(lines) and (lines[j].strip() == "" or len(lines[j]) - len(lines[j].lstrip(" ")) > 4):
            if lines[j].strip() == "" and j + 1 < len(lines) and not (lines[j + 1].startswith("      ") or lines[j + 1].strip() == ""):
                break
            j += 1
        value = orig[code][key]
        if isinstance(value, dict) or code not in ZH:
            if code not in ZH:
                print(f"no translation for {code}", file=sys.stderr)
            out.extend(lines[i:j]); i = j; continue
        zh = ZH[code][0 if key == "message" else 1]
        out.append(f"    {key}:")
        if key == "message":
            out.append(f"      zh-CN: {json.dumps(zh, ensure_ascii=False)}")
        else:
            out.append("      zh-CN: |")
            out.extend(("        " + l) if l else "" for l in summary_first(zh).split("\n"))
        out.append(f"      en:{rest}")
        out.extend(("  " + l) if l.strip() else l for l in lines[i + 1:j])
        done.add((code, key))
        i = j
        continue
    out.append(line)
    i += 1
pack.write_text("\n".join(out), encoding="utf-8")
after = yaml.safe_load(pack.read_text(encoding="utf-8"))
for r in after["rules"]:
    o = orig[r["code"]]
    for key in ("message", "docs"):
        v = r[key]
        if isinstance(o[key], str):
            assert isinstance(v, dict) or (r["code"], key) not in done, (r["code"], key)
            if isinstance(v, dict):
                assert v["en"] == o[key], (r["code"], key, v["en"], o[key])
    for k in o:
        if k not in ("message", "docs"):
            assert o[k] == r[k], (r["code"], k)
print(pack, "converted", len(done))
