"""The pages of ``draftlint rules`` and ``draftlint explain``, in the current language."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Sequence

from checker.i18n import tr
from checker.packs import Rule


def listing(rules: Sequence[Rule], fmt: str) -> str:
    """``draftlint rules``: one line a rule (``fmt`` "text"), or a JSON list ("json") whose
    keys never change with the language."""
    if fmt == "json":
        return json.dumps([
            {"code": r.code, "name": r.name, "kind": r.kind, "severity": str(r.severity),
             "enabled": r.enabled, "fixable": r.fixable, "summary": r.summary}
            for r in rules], ensure_ascii=False, indent=2) + "\n"
    lines = []
    for r in rules:
        flags = ("" if r.enabled else tr("rules.off")) + (
            tr("rules.unsafe-fixable") if r.unsafe_fix
            else tr("rules.fixable") if r.fixable else "")
        lines.append(f"{r.code}  {r.name:<32} {str(r.severity):<8} {r.summary}{flags}\n")
    return "".join(lines)


def _fixable(rule: Rule) -> str:
    return tr("explain.unsafe" if rule.unsafe_fix else "explain.yes" if rule.fixable
              else "explain.no")


def explain_text(rule: Rule) -> str:
    severity = tr(f"explain.severity.{rule.severity}")
    header = tr("explain.header", kind=rule.kind, severity=severity,
                default=tr("explain.on" if rule.enabled else "explain.off"),
                fixable=_fixable(rule))
    parts = [f"{rule.code} ({rule.name})", "", header,
             tr("explain.pack", pack=Path(rule.source).name), "", rule.docs, "",
             tr("explain.message", message=rule.message)]
    for label, key in (("explain.fails", "bad"), ("explain.passes", "good")):
        if rule.examples.get(key):
            parts += ["", tr(label)] + [f"    {line}" for ex in rule.examples[key]
                                        for line in ex.splitlines()]
    shown = {k: v for k, v in rule.raw_options.items()}
    if shown:
        parts += ["", tr("explain.options")] + [f"    {k}: {v!r}" for k, v in shown.items()]
    return "\n".join(parts) + "\n"
