"""Command line: ``draftlint check|rules|explain``. ``main(argv) -> exit code``."""

from __future__ import annotations

import argparse
import gc
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from checker import __version__, baseline, rule_pages
from checker.config import Config, discover, load_file
from checker.engine import load_selected
from checker.formatters import FORMATS
from checker.formatters.text import printable
from checker.model import RunResult
from checker.i18n import LANGUAGES, language_in_argv, locale_language, set_language, tr
from checker.packs import ConfigError, Rule, load_rules
from checker.report import check_stdin, report

if TYPE_CHECKING:
    from checker.cache import ResultCache

EXIT_OK = 0  # nothing at or above the failing severity
EXIT_FINDINGS = 1  # findings at or above the failing severity
EXIT_USAGE = 2  # usage or configuration error


def _argparse_words(text: str) -> str:
    """argparse's own words (usage, options, its errors) in the current language: it
    looks each up through the module-level ``_`` it imported from gettext."""
    try:
        return tr(f"argparse.{text}")
    except KeyError:
        return text


argparse._ = _argparse_words  # type: ignore[attr-defined]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse exits 2 as well; keep the wording ours
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, tr("cli.error", message=message) + "\n")


def _codes(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(tr("help.positive", value=value))
    return number


class _Subcommands:
    """Adds subcommands that all take the options of ``common`` (``--language``)."""

    def __init__(self, sub: Any, common: argparse.ArgumentParser) -> None:
        self._sub, self._common = sub, common

    def add_parser(self, name: str, **kwargs: Any) -> argparse.ArgumentParser:
        return self._sub.add_parser(name, parents=[self._common], **kwargs)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="draftlint", description=tr("help.description"))
    parser.add_argument("--version", action="version", version=f"draftlint {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    parser.add_argument("--language", choices=LANGUAGES, help=tr("help.language"))
    speaking = argparse.ArgumentParser(add_help=False)  # after the subcommand as well
    speaking.add_argument("--language", choices=LANGUAGES, default=argparse.SUPPRESS,
                          help=tr("help.language"))
    sub = _Subcommands(sub, speaking)

    check = sub.add_parser("check", help=tr("help.check"))
    check.add_argument("paths", nargs="*", type=Path, help=tr("help.paths"))
    check.add_argument("--format", choices=FORMATS, default="text", help=tr("help.format"))
    check.add_argument("--show-source", action="store_true",
                       help=tr("help.show-source"))
    check.add_argument("--select", type=_codes, help=tr("help.select"))
    check.add_argument("--extend-select", type=_codes, default=[],
                       help=tr("help.extend-select"))
    check.add_argument("--ignore", type=_codes, default=[], help=tr("help.ignore"))
    check.add_argument("--config", type=Path, help=tr("help.config"))
    check.add_argument("--fail-on", choices=("error", "warning", "info"),
                       help=tr("help.fail-on"))
    check.add_argument("--stdin-filename", type=Path, metavar="PATH",
                       help=tr("help.stdin-filename"))
    check.add_argument("--output-file", "-o", type=Path, metavar="FILE",
                       help=tr("help.output-file"))
    check.add_argument("--exit-zero", action="store_true",
                       help=tr("help.exit-zero"))
    check.add_argument("--quiet", "-q", action="store_true",
                       help=tr("help.quiet"))
    check.add_argument("--statistics", action="store_true",
                       help=tr("help.statistics"))
    check.add_argument("--file-statistics", action="store_true",
                       help=tr("help.file-statistics"))
    check.add_argument("--force-exclude", action="store_true",
                       help=tr("help.force-exclude"))
    check.add_argument("--max-file-size", type=_positive, metavar="BYTES",
                       help=tr("help.max-file-size"))
    fixing = check.add_mutually_exclusive_group()
    fixing.add_argument("--fix", action="store_true",
                        help=tr("help.fix"))
    fixing.add_argument("--diff", action="store_true",
                        help=tr("help.diff"))
    check.add_argument("--unsafe-fixes", action="store_true",
                       help=tr("help.unsafe-fixes"))
    check.add_argument("--jobs", "-j", type=_positive, metavar="N",
                       help=tr("help.jobs"))
    check.add_argument("--library", metavar="INDEX",
                       help=tr("help.library"))
    check.add_argument("--no-cache", action="store_true",
                       help=tr("help.no-cache"))
    check.add_argument("--cache-dir", type=Path, metavar="DIR",
                       help=tr("help.cache-dir"))
    base = check.add_mutually_exclusive_group()
    base.add_argument("--baseline", type=Path, metavar="FILE",
                      help=tr("help.baseline"))
    base.add_argument("--write-baseline", type=Path, metavar="FILE",
                      help=tr("help.write-baseline"))

    init = sub.add_parser("init", help=tr("help.init"))
    init.add_argument("directory", nargs="?", type=Path, default=Path("."),
                      help=tr("help.init-directory"))

    clean = sub.add_parser("clean", help=tr("help.clean"))
    clean.add_argument("path", nargs="?", type=Path, default=Path("."),
                       help=tr("help.clean-path"))
    clean.add_argument("--config", type=Path, help=tr("help.clean-config"))
    clean.add_argument("--cache-dir", type=Path, metavar="DIR", help=tr("help.clean-cache-dir"))

    rules = sub.add_parser("rules", help=tr("help.rules"))
    rules.add_argument("--config", type=Path, help=tr("help.packs-config"))
    rules.add_argument("--format", choices=("text", "json"), default="text",
                       help=tr("help.rules-format"))

    from checker.library.commands import add_parsers as add_library_parsers

    add_library_parsers(sub, _Parser)

    explain = sub.add_parser("explain", help=tr("help.explain"))
    explain.add_argument("code", help=tr("help.code"))
    explain.add_argument("--config", type=Path, help=tr("help.packs-config"))
    return parser


def _config(args: argparse.Namespace, start: Path) -> Config:
    """The configuration, with the run's language settled (``--language``, else the
    configuration's ``language``, else the locale's) and spoken from here on."""
    if getattr(args, "config", None) is not None:
        if not args.config.is_file():
            raise ConfigError(tr("cli.no-config-file", path=args.config))
        config = load_file(args.config)
    else:
        config = discover(start)
    language = args.language or config["language"] or locale_language()
    set_language(language)
    return config.with_values(language=language)


def cmd_check(args: argparse.Namespace) -> int:
    """``check``; with --output-file, everything it would print on stdout goes there."""
    if args.output_file is None:
        return _check(args)
    try:
        out = open(args.output_file, "w", encoding="utf-8")
    except OSError as exc:
        raise ConfigError(tr("cli.output-file", path=args.output_file,
                             reason=exc.strerror or exc)) from None
    saved, sys.stdout = sys.stdout, out
    try:
        with out:
            return _check(args)
    finally:
        sys.stdout = saved


def _check(args: argparse.Namespace) -> int:
    paths: list[Path] = args.paths or [Path(".")]
    stdin = paths == [Path("-")]
    if stdin:
        paths = [args.stdin_filename or Path("-")]
    missing = [p for p in paths if not stdin and not os.path.lexists(p)]  # a looping link: E012
    if missing:
        raise ConfigError(tr("cli.no-such-path", path=missing[0]))
    if args.select == []:
        raise ConfigError(tr("cli.empty-select"))
    if (args.statistics or args.file_statistics) and args.format != "text":
        raise ConfigError(tr("cli.statistics-format", format=args.format,
                             option="statistics" if args.statistics else "file-statistics"))
    config = _config(args, paths[0])
    overrides = {}
    if args.select is not None:
        overrides["select"] = tuple(args.select)
    if args.extend_select:
        overrides["extend_select"] = (*config["extend-select"], *args.extend_select)
    if args.ignore:
        overrides["ignore"] = (*config["ignore"], *args.ignore)
    if args.fail_on:
        overrides["fail_on"] = args.fail_on
    if args.force_exclude:
        overrides["force_exclude"] = True
    if args.max_file_size is not None:
        overrides["max_file_size"] = args.max_file_size
    if args.library is not None:
        overrides["library"] = os.path.abspath(args.library)
    config = config.with_values(**overrides)
    known, selected = load_selected(config)
    if config["library"] is not None:
        _check_library(config, selected, given=args.library is not None)
    if stdin:
        return _final(args, check_stdin(args, paths[0], config, selected, known))
    if args.fix or args.diff:
        status = _fix(args, paths, config, selected, known)
        if args.diff:
            return _final(args, status)
    recorded = baseline.Baseline.load(args.baseline) if args.baseline is not None else None
    results, warnings = _open_cache(args, config, selected, known)
    try:
        result = _run(args, paths, config, selected, known, results)
    finally:
        if results is not None:
            results.close()
    result.warnings[:0] = warnings
    return _final(args, report(args, result, config, selected, known, recorded))


def _final(args: argparse.Namespace, status: int) -> int:
    """--exit-zero: findings do not fail the run (errors of usage still do)."""
    return EXIT_OK if args.exit_zero and status == EXIT_FINDINGS else status


def _check_library(config: Config, selected: tuple[Rule, ...], given: bool) -> None:
    """A library index that cannot be read is a usage error before anything is checked;
    ``--library`` without D201 selected would compare nothing."""
    from checker.library import layout

    if given and not any(r.kind == "corpus-duplicate" for r in selected):
        raise ConfigError(tr("cli.library-without-d201"))
    layout.read_manifest(str(config.root / config["library"]))


def _fix(args: argparse.Namespace, paths: list[Path], config: Config,
         selected: tuple[Rule, ...], known: tuple[Rule, ...]) -> int:
    """--fix: write the fixes (the normal report follows). --diff: print them, write
    nothing, and return the exit code (1 when there would be changes or a file could not
    be read: a gate does not pass on a file it never saw)."""
    from checker.fix import fix_paths, unified_diff

    fixes = fix_paths(paths, config, selected, known, write=args.fix, unsafe=args.unsafe_fixes)
    for note in fixes.notes:
        sys.stderr.write(tr("cli.note", message=printable(note)) + "\n")
    changed = fixes.changed
    n, files = fixes.fixed, len(changed)
    counted = {"problems": tr("count.problems", n=n), "files": tr("count.files", n=files)}
    if args.diff:
        for fix in changed:
            sys.stdout.write(unified_diff(fix))
        sys.stderr.write((tr("cli.would-fix", **counted) if changed
                          else tr("cli.nothing-to-fix")) + "\n")
        return EXIT_FINDINGS if changed or fixes.unread else EXIT_OK
    if not args.quiet:
        sys.stderr.write(tr("cli.fixed", **counted) + "\n")
    return EXIT_OK


def _open_cache(args: argparse.Namespace, config: Config, selected: tuple[Rule, ...],
                known: tuple[Rule, ...]) -> tuple[ResultCache | None, list[str]]:
    """The result cache (None with --no-cache or when it cannot be used) and warnings."""
    if args.no_cache:
        return None, []
    from checker import cache, cachedir

    directory = cachedir.cache_dir(config, args.cache_dir)
    results, warning = cache.open_cache(config, selected, known, directory)
    return results, [warning] if warning else []


def _run(args: argparse.Namespace, paths: list[Path], config: Config,
         selected: tuple[Rule, ...], known: tuple[Rule, ...],
         results: ResultCache | None) -> RunResult:
    """The run itself: worker processes and progress as the options say."""
    from checker import progress
    from checker.run import default_jobs, run

    bar = progress.Bar(sys.stderr) if progress.wanted(sys.stderr) else None
    try:
        return run(paths, config, selected, known, jobs=args.jobs or default_jobs(),
                   cache=results, progress=bar)
    finally:
        if bar is not None:
            bar.close()


def _all_rules(args: argparse.Namespace) -> tuple[Rule, ...]:
    config = _config(args, Path("."))
    return load_rules([config.root / p for p in config["packs"]])


def cmd_rules(args: argparse.Namespace) -> int:
    sys.stdout.write(rule_pages.listing(_all_rules(args), args.format))
    return EXIT_OK


def cmd_explain(args: argparse.Namespace) -> int:
    rules = _all_rules(args)
    for rule in rules:
        if args.code in (rule.code, rule.name):
            sys.stdout.write(rule_pages.explain_text(rule))
            return EXIT_OK
    raise ConfigError(tr("cli.unknown-rule", code=args.code))


def cmd_init(args: argparse.Namespace) -> int:
    from checker import scaffold

    if not args.directory.is_dir():
        raise ConfigError(tr("cli.no-such-directory", path=args.directory))
    try:
        written, note = scaffold.init(args.directory)
    except FileExistsError as exc:
        raise ConfigError(tr("cli.exists", path=exc.args[0])) from None
    for path in written:
        sys.stdout.write(tr("cli.wrote", path=path) + "\n")
    sys.stdout.write(f"{note}\n{tr('cli.adopt', baseline=scaffold.BASELINE_NAME)}\n")
    return EXIT_OK


def cmd_clean(args: argparse.Namespace) -> int:
    from checker import cache, cachedir

    if not os.path.lexists(args.path):
        raise ConfigError(tr("cli.no-such-path", path=args.path))
    config = _config(args, args.path)
    directory = cachedir.cache_dir(config, args.cache_dir)
    if cache.remove(directory):
        sys.stdout.write(tr("cli.cache-removed", path=directory) + "\n")
    else:
        sys.stdout.write(tr("cli.no-cache", path=directory) + "\n")
    return EXIT_OK


def cmd_library(args: argparse.Namespace) -> int:
    from checker.library.commands import run as run_library

    return run_library(args)


COMMANDS = {"check": cmd_check, "rules": cmd_rules, "explain": cmd_explain,
            "init": cmd_init, "clean": cmd_clean, "library": cmd_library}


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; its exit status."""
    set_language(language_in_argv(sys.argv[1:] if argv is None else argv)
                 or locale_language())
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except ConfigError as exc:
        sys.stderr.write(tr("cli.error", message=exc) + "\n")
        return EXIT_USAGE
    except BrokenPipeError:
        return EXIT_OK
    except KeyboardInterrupt:
        sys.stderr.write(tr("cli.interrupted") + "\n")
        return 130


def entry() -> None:
    """The ``draftlint`` command and ``python -m checker``. Once the command is done (its
    output written, its files and databases closed) the objects it leaves are moved out of
    the collector's reach: the interpreter's teardown otherwise walks them all in several
    full collections, 0.08 s of the 0.5 s of CPU a one-draft check takes."""
    status = main()
    gc.freeze()
    sys.exit(status)
