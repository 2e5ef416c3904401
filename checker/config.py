"""Configuration: ``.draftlint.yaml`` or ``[tool.draftlint]`` in ``pyproject.toml``.

Found from the first checked path upward (the nearest directory that has either file;
``.draftlint.yaml`` wins over ``pyproject.toml`` in the same directory), or given with
``--config``. Every key is listed in :data:`KEYS` with its type and default; an unknown
key or a wrong type is a :class:`ConfigError` (exit code 2).
"""

from __future__ import annotations

import fnmatch
import functools
import os
import re
import tomllib
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import Any, Mapping

import yaml

from checker.i18n import LANGUAGES, tr
from checker.packs import ConfigError, load_yaml, require_regular_file

CONFIG_NAMES = (".draftlint.yaml", ".draftlint.yml", "pyproject.toml")

DEFAULT_EXCLUDE = (".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__",
                   ".draftlint_cache", ".tox", ".mypy_cache", ".pytest_cache")

# key: (type, default); its meaning, in each language, is the catalogue's "config.KEY".
# Types: list[str], str, int, bool, dict, dict[list].
KEYS: dict[str, tuple[str, Any]] = {
    "select": ("list[str]", None),
    "extend-select": ("list[str]", ()),
    "ignore": ("list[str]", ()),
    "per-file-ignores": ("dict[list]", {}),
    "packs": ("list[str]", ()),
    "extensions": ("list[str]", (".txt", ".md", ".markdown", ".docx")),
    "exclude": ("list[str]", DEFAULT_EXCLUDE),
    "extend-exclude": ("list[str]", ()),
    "force-exclude": ("bool", False),
    "max-file-size": ("int", 10_000_000),
    "fail-on": ("str", "warning"),
    "rules": ("dict", {}),
    "templates": ("dict", {}),
    "template-packs": ("list[str]", ()),
    "cache-dir": ("str", ".draftlint_cache"),
    "formulation-packs": ("list[str]", ()),
    "secret-prefix": ("int", 0),
    "language": ("str", None),
    "fixed-terms": ("list[str]", ()),
    "library": ("str", None),
}


@dataclass(frozen=True)
class Config:
    root: Path  # the directory globs and pack paths are relative to
    source: Path | None = None
    values: Mapping[str, Any] = field(default_factory=dict)
    file_values: Mapping[str, Any] = field(default_factory=dict)  # as the file says them

    def __getitem__(self, key: str) -> Any:
        if key in self.values:
            return self.values[key]
        return KEYS[key][1]

    def with_values(self, **overrides: Any) -> "Config":
        merged = dict(self.values)
        merged.update({k.replace("_", "-"): v for k, v in overrides.items()})
        return replace(self, values=MappingProxyType(merged))

    @cached_property
    def resolved_root(self) -> Path:
        return Path(os.path.realpath(self.root))

    @cached_property
    def exclusion(self) -> "GlobSet":
        return GlobSet((*self["exclude"], *self["extend-exclude"]))

    def relative(self, path: Path) -> str:
        """``path`` relative to the config root, POSIX style, for glob matching."""
        try:
            # realpath, not Path.resolve: it never raises on a symbolic-link loop (3.11)
            real = Path(os.path.realpath(path))
            return PurePosixPath(real.relative_to(self.resolved_root)).as_posix()
        except ValueError:
            return path.as_posix()

    def is_excluded(self, path: Path) -> bool:
        return self.exclusion.matches(self.relative(path)) or self.exclusion.matches(path.name)

    def ignored_codes(self, path: Path) -> tuple[str, ...]:
        if not self["per-file-ignores"]:
            return ()
        rel = self.relative(path)
        out: list[str] = []
        for glob, codes in self["per-file-ignores"].items():
            if glob_set((glob,)).matches(rel):
                out.extend(codes)
        return tuple(out)


class GlobSet:
    """Globs as exclude and per-file-ignores mean them, compiled once (a walk over ten
    thousand drafts asks for every file): a glob matches the path relative to the config
    root, or anything below a matching directory (``old/`` and ``old`` both cover
    ``old/a.txt``); a glob without ``/`` also matches any one path component."""

    def __init__(self, globs: Any) -> None:
        whole = [g for glob in globs for g in (glob, glob.rstrip("/") + "/*")]
        parts = [g for g in globs if "/" not in g]
        self._whole = re.compile("|".join(fnmatch.translate(g) for g in whole)) if whole else None
        self._part = re.compile("|".join(fnmatch.translate(g) for g in parts)) if parts else None

    def matches(self, rel: str) -> bool:
        if self._whole is not None and self._whole.match(rel):
            return True
        part = self._part
        return part is not None and any(part.match(p) for p in rel.split("/")
                                        if p and p != ".")  # PurePosixPath's parts, faster


def _validate(raw: Mapping[str, Any], where: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in KEYS:
            raise ConfigError(tr("error.config-unknown-key", where=where, key=key,
                                 known=", ".join(KEYS)))
        kind = KEYS[key][0]
        ok = {
            "list[str]": isinstance(value, list) and all(isinstance(v, str) for v in value),
            "str": isinstance(value, str),
            "int": isinstance(value, int) and not isinstance(value, bool),
            "bool": isinstance(value, bool),
            "dict": isinstance(value, dict),
            "dict[list]": isinstance(value, dict) and all(
                isinstance(v, list) and all(isinstance(c, str) for c in v) for v in value.values()),
        }[kind]
        if not ok:
            raise ConfigError(tr("error.config-type", where=where, key=key, kind=kind,
                                 value=value))
        out[key] = tuple(value) if kind == "list[str]" else value
    if "fail-on" in out and out["fail-on"] not in ("error", "warning", "info"):
        raise ConfigError(tr("error.config-choice", where=where, key="fail-on",
                             choices="error, warning, info", value=out["fail-on"]))
    for key, least in (("max-file-size", 1), ("secret-prefix", 0)):
        if key in out and out[key] < least:
            raise ConfigError(tr("error.config-at-least", where=where, key=key, least=least,
                                 value=out[key]))
    if out.get("select") == ():
        raise ConfigError(tr("error.config-empty-select", where=where))
    if "language" in out and out["language"] not in LANGUAGES:
        raise ConfigError(tr("error.config-choice", where=where, key="language",
                             choices=", ".join(LANGUAGES), value=out["language"]))
    return out


def load_file(path: Path) -> Config:
    where = str(path)
    require_regular_file(path, "configuration")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(tr("error.cannot-read", path=where,
                             what=tr("error.what.configuration"), reason=exc)) from None
    if path.name == "pyproject.toml":
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(tr("error.not-toml", path=where, error=exc)) from None
        raw = data.get("tool", {}).get("draftlint", {})
        where = f"{where} [tool.draftlint]"
    else:
        try:
            raw = load_yaml(text) or {}
        except yaml.YAMLError as exc:
            raise ConfigError(tr("error.not-yaml", path=where, error=exc)) from None
    if not isinstance(raw, dict):
        raise ConfigError(tr("error.config-mapping", where=where))
    values = MappingProxyType(_validate(raw, where))
    return Config(path.parent.resolve(), path, values, values)


def discover(start: Path) -> Config:
    """The nearest configuration from ``start`` upward, or the defaults rooted at cwd."""
    here = Path(os.path.realpath(start))
    if not here.is_dir():
        here = here.parent
    for directory in (here, *here.parents):
        for name in CONFIG_NAMES:
            candidate = directory / name
            if candidate.is_file():
                if name == "pyproject.toml" and not _has_tool_section(candidate):
                    continue
                return load_file(candidate)
    return Config(Path.cwd().resolve())


def _has_tool_section(path: Path) -> bool:
    """Whether a pyproject.toml has ``[tool.draftlint]``. One that cannot be parsed is an
    error: its settings would otherwise be silently ignored."""
    try:
        tool = tomllib.loads(path.read_text(encoding="utf-8")).get("tool", {})
    except OSError as exc:
        raise ConfigError(tr("error.cannot-read", path=path, what=tr("error.what.configuration"),
                             reason=exc.strerror or exc)) from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(tr("error.pyproject-invalid", path=path, error=exc)) from None
    return isinstance(tool, dict) and "draftlint" in tool


@functools.lru_cache(maxsize=256)
def glob_set(globs: tuple[str, ...]) -> GlobSet:
    """The compiled :class:`GlobSet` of ``globs`` (configurations repeat the same few)."""
    return GlobSet(globs)
