"""Baselines: record today's findings, then report only new ones.

``draftlint check --write-baseline FILE`` writes every current finding;
``draftlint check --baseline FILE`` drops the findings recorded there. A finding is
matched by its file, its code and a fingerprint of the offending text, never by line or
column, so text added or removed above a finding does not bring it back. The file is
JSON (version 1), one finding a line, sorted, so that it diffs well::

    {
      "version": 1,
      "generator": "draftlint 0.1.0",
      "findings": [
        {"path": "drafts/a.txt", "code": "P101", "fingerprint": "3f0c9a1e5b7d2c44",
         "count": 2, "message": "'**' looks like an unfilled blank ..."}
      ]
    }

* ``path``: POSIX path relative to the configuration root (so the file works from any
  directory); absolute for a file outside the root.
* ``fingerprint``: 16 hex digits of BLAKE2b over the code and the offending text with
  white space collapsed (the message when a finding has no text, e.g. input problems).
  The text itself is not stored: findings of the leak family hold secrets.
* ``count``: how many findings of that file share code and fingerprint. If a file later
  has more of them, the surplus is reported: the last ones in the file, as those are
  usually the additions.
* ``message``: the first such finding's message, for people reading the file; ignored
  when matching.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from checker import __version__
from checker.config import Config
from checker.i18n import tr
from checker.model import ORDER, Diagnostic
from checker.packs import ConfigError

VERSION = 1
Key = tuple[str, str, str]  # (path, code, fingerprint)


def fingerprint(diag: Diagnostic) -> str:
    text = " ".join((diag.snippet or diag.message).split())
    return hashlib.blake2b(f"{diag.code}\0{text}".encode(), digest_size=8).hexdigest()


class _Keys:
    """Baseline keys of diagnostics, resolving each file's path once."""

    def __init__(self, config: Config) -> None:
        self._config = config
        self._paths: dict[str, str] = {}

    def __call__(self, diag: Diagnostic) -> Key:
        rel = self._paths.get(diag.path)
        if rel is None:
            rel = self._paths[diag.path] = self._config.relative(Path(diag.path))
        return rel, diag.code, fingerprint(diag)


def write(target: Path, diagnostics: Sequence[Diagnostic], config: Config) -> int:
    """Write the baseline atomically; return the number of findings recorded."""
    counts: Counter[Key] = Counter()
    messages: dict[Key, str] = {}
    key = _Keys(config)
    for d in sorted(diagnostics, key=ORDER):
        k = key(d)
        counts[k] += 1
        messages.setdefault(k, d.message)
    entries = [json.dumps({"path": p, "code": c, "fingerprint": f, "count": counts[(p, c, f)],
                           "message": messages[(p, c, f)]}, ensure_ascii=False)
               for p, c, f in sorted(counts)]
    text = (f'{{\n "version": {VERSION},\n "generator": "draftlint {__version__}",\n'
            f' "findings": [' + ",".join(f"\n  {e}" for e in entries)
            + ("\n ]\n}\n" if entries else "]\n}\n"))
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, target)
    return sum(counts.values())


@dataclass(frozen=True)
class Baseline:
    counts: Counter[Key]

    @classmethod
    def load(cls, path: Path) -> "Baseline":
        where = f"baseline {path}"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(tr("error.baseline-missing", where=where)) from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ConfigError(tr("error.baseline-unreadable", where=where, reason=exc)) from None
        if not isinstance(data, dict) or data.get("version") != VERSION:
            raise ConfigError(tr("error.baseline-version", where=where, version=VERSION))
        counts: Counter[Key] = Counter()
        for i, entry in enumerate(data.get("findings") or ()):
            try:
                k = (entry["path"], entry["code"], entry["fingerprint"])
                n = entry.get("count", 1)
                if not all(isinstance(v, str) for v in k) or not isinstance(n, int) or n < 1:
                    raise TypeError
            except (KeyError, TypeError, AttributeError):
                raise ConfigError(tr("error.baseline-entry", where=where, index=i)) from None
            counts[k] += n
        return cls(counts)

    def filter(self, diagnostics: Iterable[Diagnostic],
               config: Config) -> tuple[list[Diagnostic], int]:
        """(the findings not in the baseline, the number of recorded findings that are
        gone). Within one key the first ``count`` findings in file order are matched."""
        left = Counter(self.counts)
        new = []
        key = _Keys(config)
        for d in sorted(diagnostics, key=ORDER):
            k = key(d)
            if left[k] > 0:
                left[k] -= 1
            else:
                new.append(d)
        return new, sum(left.values())
