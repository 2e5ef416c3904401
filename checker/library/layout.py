"""The library index on disk: its folders, its manifest, and the checks that make a missing
or incompatible index an error instead of a silent pass. No Spark, no DuckDB here.

An index is a folder::

    manifest.json     what the index holds and which generation is current
    gen-N/fingerprints/part-*.parquet   every fingerprint of every draft, sorted by hash
    gen-N/frequencies/part-*.parquet    each distinct hash and its document frequency
    gen-N/drafts/part-*.parquet         one row per draft, its text included, by draft_id
    gen-N/parts.json                    each file's name and the range of its sort key

Laid out for point lookups (checking one draft reads a few row groups, not the index):
each table is sorted by its key (``hash``, or ``draft_id`` for the drafts) across its files,
every file holding one range of keys, and cut into row groups of about
:data:`ROW_GROUP_BYTES`. ``parts.json`` lists the ranges, so a lookup names only the files
that can hold its keys, in one query, and DuckDB reads only the row groups whose min/max
statistics can hold one: it opens no other file, and parses no other file's footer.

A build or an update writes a whole new generation beside the current one and then
replaces ``manifest.json`` (one atomic rename), so a reader never sees half an index.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from checker.dedup import FORMAT, Settings
from checker.i18n import tr
from checker.packs import ConfigError

MANIFEST = "manifest.json"
KIND = "draftlint-library-index"
LAYOUT = 3  # bump when the Parquet columns, the folders or the partitioning change
DEFAULT_BUCKETS = 256  # files of fingerprints (a sixteenth as many of frequencies, drafts)
PARTS = "parts.json"
TABLES = {"fingerprints": "hash", "frequencies": "hash", "drafts": "draft_id"}  # sort keys
ROW_GROUP_BYTES = 512 * 1024  # parquet.block.size of the written files: small row groups
EXTENSIONS = (".txt", ".text", ".md", ".markdown", ".docx")

FINGERPRINT_COLUMNS = ("hash", "draft_id", "pos", "start", "end", "line", "column")


def files_of(buckets: int, table: str) -> int:
    """How many files ``table`` is cut into in an index of ``buckets``."""
    return buckets if table == "fingerprints" else max(1, buckets // 16)


def draft_id(path: str) -> int:
    """A draft's number in the index: stable across builds (63 bits of a hash of its path)."""
    return int.from_bytes(hashlib.blake2b(path.encode("utf-8"), digest_size=8).digest(),
                          "big") >> 1


@dataclass(frozen=True)
class Manifest:
    kind: str
    layout: int
    fingerprint_format: int
    settings_key: str
    settings: dict[str, Any]
    drafts: int
    fingerprints: int
    buckets: int
    generation: int
    source: str

    @property
    def data(self) -> str:
        return f"gen-{self.generation}"

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def settings_fields(settings: Settings) -> dict[str, Any]:
    """The settings as plain JSON data (fixed terms as a list)."""
    fields = asdict(settings)
    fields["fixed_terms"] = list(settings.fixed_terms)
    return fields


def settings_from(fields: dict[str, Any]) -> Settings:
    return Settings(**{**fields, "fixed_terms": tuple(fields["fixed_terms"])})


def new_manifest(settings: Settings, *, drafts: int, fingerprints: int, buckets: int,
                 generation: int, source: str) -> Manifest:
    return Manifest(KIND, LAYOUT, FORMAT, settings.key(), settings_fields(settings), drafts,
                    fingerprints, buckets, generation, source)


def parse_manifest(text: str, where: str) -> Manifest:
    """The manifest in ``text``; ConfigError (exit 2) naming ``where`` when it is not one
    this version of draftlint can read."""
    try:
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("kind") != KIND:
            raise ValueError(tr("library.not-a-manifest"))
        manifest = Manifest(**data)
        if not isinstance(manifest.settings, dict):
            raise ValueError(tr("library.settings-not-mapping"))
        settings_from(manifest.settings)
    except (ValueError, TypeError) as exc:
        raise ConfigError(tr("library.not-usable", where=where, reason=exc)) from None
    if manifest.layout != LAYOUT or manifest.fingerprint_format != FORMAT:
        raise ConfigError(tr("library.other-layout", where=where, layout=manifest.layout,
                             fingerprint_format=manifest.fingerprint_format,
                             our_layout=LAYOUT, our_format=FORMAT))
    return manifest


def read_manifest(index: str) -> Manifest:
    """The manifest of the index at ``index`` (a local folder)."""
    where = os.path.join(index, MANIFEST)
    try:
        with open(where, encoding="utf-8") as handle:
            text = handle.read(1_000_000)
    except FileNotFoundError:
        raise ConfigError(tr("library.missing", index=index, manifest=MANIFEST)) from None
    except OSError as exc:
        raise ConfigError(tr("library.cannot-read", where=where, reason=exc.strerror)) from None
    return parse_manifest(text, where)


Parts = dict[str, list[tuple[str, int, int]]]  # table: (file, lowest key, highest key)


def write_parts(data: str, parts: Parts) -> None:
    """``parts.json`` of the generation at ``data``: each table's files in key order."""
    ordered = {t: sorted(([name, lo, hi] for name, lo, hi in rows), key=lambda r: r[1])
               for t, rows in parts.items()}
    with open(os.path.join(data, PARTS), "w", encoding="utf-8") as handle:
        json.dump(ordered, handle)


def read_parts(data: str) -> Parts | None:
    """The ranges ``parts.json`` lists, each table's in key order (None when the
    generation has none); ConfigError when it cannot be read or lists anything else (a
    file outside its table's folder, a range that is not two integers, ranges that
    overlap, JSON nested too deep)."""
    where = os.path.join(data, PARTS)
    try:
        with open(where, encoding="utf-8") as handle:
            found = json.loads(handle.read(64_000_000))
        parts = {str(t): sorted(((name, lo, hi) for name, lo, hi in rows), key=lambda r: r[1])
                 for t, rows in found.items()}
        if not all(_file_name(name) and type(lo) is int and type(hi) is int and lo <= hi
                   for rows in parts.values() for name, lo, hi in rows) or any(
                a[2] >= b[1] for rows in parts.values() for a, b in zip(rows, rows[1:])):
            raise ValueError(tr("library.parts-malformed"))  # or ranges that overlap
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ConfigError(tr("library.cannot-read", where=where, reason=exc.strerror)) from None
    except (ValueError, TypeError, AttributeError, RecursionError) as exc:
        raise ConfigError(tr("library.not-usable", where=where, reason=exc)) from None
    return parts


def _file_name(name: object) -> bool:
    """A plain file name (no folder, not . or ..)."""
    return isinstance(name, str) and name not in ("", ".", "..") \
        and not any(c in name for c in "/\\\0")


def check_compatible(manifest: Manifest, settings: Settings, where: str) -> None:
    """ConfigError when the index's fingerprints were made with other settings than the
    check's (other k, window or fixed terms): its hashes would never match."""
    if manifest.settings_key != settings.key():
        raise ConfigError(tr("library.other-settings", where=where))


def write_manifest(index: str, manifest: Manifest) -> None:
    """Replace the manifest atomically (write a temporary file, then rename it)."""
    fd, tmp = tempfile.mkstemp(dir=index, prefix=".manifest-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(manifest.to_json())
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, os.path.join(index, MANIFEST))
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
