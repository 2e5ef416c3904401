"""JSON output, contract version 1.

An array of objects with exactly the keys ``path, line, column, end_line, end_column,
code, rule, severity, message``. Lines and columns are 1-based; columns count Unicode
code points; ``end_*`` is the position just after the span; severity is
``error|warning|info``. New keys will only come with a new contract version.
"""

from __future__ import annotations

import json
from typing import Sequence

from checker.model import Diagnostic
from checker.packs import Rule


def format_json(diagnostics: Sequence[Diagnostic], rules: Sequence[Rule] = ()) -> str:
    return json.dumps([d.to_json() for d in diagnostics], ensure_ascii=False, indent=2) + "\n"
