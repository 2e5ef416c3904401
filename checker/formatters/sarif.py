"""SARIF 2.1.0: one run, the rules that were selected as ``tool.driver.rules``.

Columns count Unicode code points (``columnKind: unicodeCodePoints``).
"""

from __future__ import annotations

import json
from pathlib import PurePosixPath
from typing import Any, Sequence
from urllib.parse import quote

from checker import __version__
from checker.links import REPOSITORY, rule_url
from checker.model import Diagnostic
from checker.packs import Rule

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def _rule(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.docs},
        "helpUri": rule_url(rule.code),
        "defaultConfiguration": {"level": _LEVEL[str(rule.severity)]},
        "properties": {"kind": rule.kind},
    }


def artifact_uri(path: str) -> str:
    """A path as a valid URI reference: percent-encoded (``草稿 #1.txt`` ->
    ``%E8%8D%89%E7%A8%BF%20%231.txt``, ``50%.txt`` -> ``50%25.txt``); an absolute path
    as a ``file://`` URI."""
    encoded = quote(path, safe="/")
    return f"file://{encoded}" if PurePosixPath(path).is_absolute() else encoded


def _location(path: str, line: int, column: int, end_line: int, end_column: int) -> dict[str, Any]:
    return {"physicalLocation": {
        "artifactLocation": {"uri": artifact_uri(path)},
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
                "informationUri": REPOSITORY,
                "rules": [_rule(r) for r in rules],
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
