"""The library index on disk: its folders, its manifest, and the checks that make a missing
or incompatible index an error instead of a silent pass. No Spark, no DuckDB here.

An index is a folder::

    manifest.json     what the index holds and which generation is current
    gen-N/fingerprints/bucket=B/part-*.parquet   every fingerprint of every draft
    gen-N/frequencies/bucket=B/part-*.parquet    each distinct hash and its document frequency
    gen-N/drafts/part-*.parquet                  one row per draft, its text included

Laid out for point lookups (checking one draft reads a few row groups, not the index):
bucket B holds the hashes h with h mod ``buckets`` = B (:func:`bucket_of`), so a lookup
opens only the buckets of its hashes, asking each for its own hashes; inside a bucket the
rows are sorted by hash and cut into row groups of about :data:`ROW_GROUP_BYTES`, whose
min/max statistics let DuckDB skip every row group that holds none of them. The drafts are sorted
by ``draft_id`` the same way.

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
LAYOUT = 2  # bump when the Parquet columns, the folders or the bucketing change
DEFAULT_BUCKETS = 64
ROW_GROUP_BYTES = 512 * 1024  # parquet.block.size of the written files: small row groups
EXTENSIONS = (".txt", ".text", ".md", ".markdown", ".docx")

FINGERPRINT_COLUMNS = ("hash", "draft_id", "pos", "start", "end", "line", "column")
FREQUENCY_COLUMNS = ("hash", "df")


def bucket_of(hash_: int, buckets: int) -> int:
    """The bucket of a fingerprint hash: ``hash mod buckets``, as Spark's ``pmod`` gives it.
    (Not a range of hash values: winnowing keeps the smallest hash of each window, so the
    kept hashes crowd the low end and ranges would make lopsided buckets.)"""
    return hash_ % buckets


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
