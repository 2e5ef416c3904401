"""``draftlint library build|audit``: the Spark jobs from the command line.

Also a script for ``spark-submit`` (``spark-submit --master yarn --py-files draftlint.zip
checker/library/commands.py build SOURCE --out INDEX``): the same arguments, without the
``draftlint library`` prefix.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Sequence

from checker.i18n import tr
from checker.library import layout
from checker.packs import ConfigError


def add_parsers(sub: Any, parser_class: type[argparse.ArgumentParser]) -> None:
    """The ``library`` command and its two subcommands, under ``sub``."""
    library = sub.add_parser("library", help=tr("library.help"))
    inner = library.add_subparsers(dest="library_command", required=True,
                                   parser_class=parser_class)
    _add_commands(inner)


def _add_commands(inner: Any) -> None:
    build = inner.add_parser("build", help=tr("library.help-build"))
    build.add_argument("source", help=tr("library.help-source"))
    build.add_argument("--out", required=True, metavar="INDEX", help=tr("library.help-index"))
    build.add_argument("--config", type=Path, help=tr("library.help-config"))
    build.add_argument("--buckets", type=int, default=layout.DEFAULT_BUCKETS,
                       help=tr("library.help-buckets", default=layout.DEFAULT_BUCKETS))
    audit = inner.add_parser("audit", help=tr("library.help-audit"))
    audit.add_argument("index", metavar="INDEX", help=tr("library.help-index"))
    audit.add_argument("--format", choices=("text", "json"), default="text")
    audit.add_argument("--output-file", "-o", type=Path, metavar="FILE",
                       help=tr("library.help-output-file"))
    for command in (build, audit):
        command.add_argument("--master", help=tr("library.help-master"))


def run(args: argparse.Namespace) -> int:
    """Run ``draftlint library …``; ConfigError (exit 2) for usage and index errors."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        raise ConfigError(tr("library.spark-missing")) from None
    from checker.library import spark_jobs

    try:
        if args.library_command == "build":
            return _build(args, spark_jobs)
        return _audit(args, spark_jobs)
    except ConfigError:
        raise
    except Exception as exc:  # a failed job (a full disk, a worker that cannot start …):
        if not type(exc).__module__.startswith(("py4j", "pyspark")):  # not a traceback
            raise
        raise ConfigError(tr("library.spark-failed", reason=_cause(str(exc)))) from None


def _cause(text: str) -> str:
    """What went wrong, from a failed Spark job's message: a Python worker's exception,
    else the failed task's exception as Spark reports it, else the last Java cause."""
    raw = text.splitlines()
    for i, line in enumerate(raw):
        if line.lstrip().startswith("Traceback (most recent call last)"):
            after = next((x for x in raw[i + 1:] if x.strip() and not x[0].isspace()), "")
            if after:
                return after.strip()[:300]
    for line in raw:
        if "most recent failure:" in line:  # "... (TID 0) (host executor driver): <cause>"
            return line.split("most recent failure:", 1)[1].split("): ", 1)[-1].strip()[:300]
    causes = [x.strip()[len("Caused by:"):].strip() for x in raw
              if x.strip().startswith("Caused by:")]
    thrown = [x[2:].strip() for x in raw if x.startswith(": ")]  # py4j: ": <Java exception>"
    return (causes[-1] if causes else thrown[0] if thrown
            else next((x.strip() for x in raw if x.strip()), "?"))[:300]


def _build(args: argparse.Namespace, spark_jobs: Any) -> int:
    from checker.config import discover, load_file

    if args.buckets < 1:
        raise ConfigError(tr("library.buckets", value=args.buckets))
    if "://" not in args.source and not Path(args.source).is_dir():
        raise ConfigError(tr("cli.no-such-directory", path=args.source))
    config = load_file(args.config) if args.config else discover(Path("."))
    settings = d201_settings(config)
    manifest = spark_jobs.build(args.source, args.out, settings, master=args.master,
                                buckets=args.buckets)
    sys.stdout.write(tr("library.built", index=args.out, drafts=manifest.drafts,
                        fingerprints=manifest.fingerprints,
                        generation=manifest.generation) + "\n")
    return 0


def d201_settings(config: Any) -> Any:
    """The fingerprint settings D201 uses under ``config`` (its options, its extra terms):
    the index must be made with them, or a check could never match it."""
    from checker.checks.corpus_duplicate import settings
    from checker.engine import load_selected

    _, selected = load_selected(config.with_values(select=("D201",), extend_select=(),
                                                   ignore=()))
    return settings(selected[0].options)


def _audit(args: argparse.Namespace, spark_jobs: Any) -> int:
    layout.read_manifest(args.index)  # a missing or incompatible index: exit 2 before Spark
    rows = spark_jobs.audit(args.index, master=args.master)
    text = json.dumps(rows, ensure_ascii=False, indent=1) + "\n" if args.format == "json" \
        else summary(rows)
    if args.output_file is not None:
        args.output_file.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 1 if rows else 0


def summary(rows: Sequence[dict[str, Any]]) -> str:
    """The audit as a reader wants it: each pair of drafts once, with its passages as the
    first draft of the pair reports them (as the other reports them when only it does)."""
    sides: dict[frozenset[str], dict[str, list[dict[str, Any]]]] = {}
    for row in rows:
        sides.setdefault(frozenset((row["path"], row["other"])), {}) \
            .setdefault(row["path"], []).append(row)
    pairs = [found[min(found)] for found in sides.values()]
    lines = []
    for found in sorted(pairs, key=lambda f: (-len(f), f[0]["path"], f[0]["other"])):
        a, b = found[0]["path"], found[0]["other"]
        lines.append(tr("library.audit-pair", a=a, b=b, n=len(found)))
        for row in found:
            lines.append(f"    {a}:{row['line']}:{row['column']}-{row['end_line']}:"
                         f"{row['end_column']} = {b}:{row['other_line']}:"
                         f"{row['other_column']}" + tr("library.audit-passage",
                                                       length=row["length"],
                                                       share=row["share"]))
    drafts = {d for pair in sides for d in pair}
    lines.append(tr("library.audit-total", passages=sum(map(len, pairs)), pairs=len(pairs),
                    drafts=len(drafts)))
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """The spark-submit entry point."""
    parser = argparse.ArgumentParser(prog="draftlint-library")
    _add_commands(parser.add_subparsers(dest="library_command", required=True))
    args = parser.parse_args(argv)
    try:
        return run(args)
    except ConfigError as exc:
        sys.stderr.write(tr("cli.error", message=exc) + "\n")
        return 2


if __name__ == "__main__":
    sys.exit(main())
