"""SARIF 2.1.0: one run, the rules that were selected as ``tool.driver.rules``.

Columns count Unicode code points (``columnKind: unicodeCodePoints``).
"""

from __future__ import annotations

import json
from typing import Any, Sequence

from checker import __version__
from checker.model import Diagnostic
from checker.packs import Rule

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def _rule(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.docs.split("\n", 1)[0]},
        "fullDescription": {"text": rule.docs},
        "defaultConfiguration": {"level": _LEVEL[str(rule.severity)]},
        "properties": {"kind": rule.kind},
    }


def _location(path: str, line: int, column: int, end_line: int, end_column: int) -> dict[str, Any]:
    return {"physicalLocation": {
        "artifactLocation": {"uri": path},
        "region": {"startLine": line, "startColumn": column, "endLine": end_line,
                   "endColumn": end_column},
    }}


def format_sarif(diagnostics: Sequence[Diagnostic], rules: Sequence[Rule] = ()) -> str:
    index = {r.code: i for i, r in enumerate(rules)}
    results = []
    for d in diagnostics:
        result: dict[str, Any] = {
            "ruleId": d.code,
            "level": _LEVEL[str(d.severity)],
            "message": {"text": d.message},
            "locations": [_location(d.path, d.line, d.column, d.end_line, d.end_column)],
        }
        if d.code in index:
            result["ruleIndex"] = index[d.code]
        if d.related:
            result["relatedLocations"] = [
                {**_location(r.path or d.path, r.line, r.column, r.line, r.column),
                 "id": i, "message": {"text": r.message}}
                for i, r in enumerate(d.related)
            ]
        results.append(result)
    doc = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "draftlint",
                "version": __version__,
                "informationUri": "https://pypi.org/project/draftlint/",
                "rules": [_rule(r) for r in rules],
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
