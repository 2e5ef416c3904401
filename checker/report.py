"""What ``check`` prints: the report of a run (formatter, summary, baseline notes, colour,
the source lines of ``--show-source`` with every secret masked), and the check of a
draft read from stdin (``check -``)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Mapping, TextIO

from checker import baseline
from checker.config import Config
from checker.engine import check_path
from checker.formatters import get as get_formatter
from checker.i18n import tr
from checker.formatters.text import (file_statistics, format_concise, format_full, statistics,
                                     summary)
from checker.masking import mask_spans, secret_rules, secret_spans
from checker.model import ORDER, Diagnostic, RunResult, Severity
from checker.packs import Rule
from checker.readers import InputProblem, Loaded, read_path

EXIT_OK, EXIT_FINDINGS = 0, 1  # as in checker.cli


def use_colour(stream: TextIO, env: Mapping[str, str]) -> bool:
    """Colour on a terminal, as https://no-color.org and https://force-color.org say:
    NO_COLOR (set, not empty) turns it off, FORCE_COLOR (set, not empty) on."""
    if env.get("NO_COLOR"):
        return False
    if env.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and env.get("TERM") != "dumb"


def report(args: argparse.Namespace, result: RunResult, config: Config,
            selected: tuple[Rule, ...], known: tuple[Rule, ...],
            recorded: baseline.Baseline | None) -> int:
    """Print the run's warnings and diagnostics as the options say; the exit code."""
    for warning in result.warnings:
        sys.stderr.write(tr("cli.warning", message=warning) + "\n")
    diags = result.diagnostics
    if args.write_baseline is not None:
        count = baseline.write(args.write_baseline, diags, config)
        files = tr("count.files", n=len({d.path for d in diags}))
        sys.stderr.write(tr("cli.baseline-written", findings=tr("count.findings", n=count),
                            files=files, path=args.write_baseline) + "\n")
        return EXIT_OK
    if recorded is not None:
        diags, gone = recorded.filter(diags, config)
        if not args.quiet:
            hidden = tr("count.findings", n=len(result.diagnostics) - len(diags))
            note = tr("cli.baseline-hidden", findings=hidden)
            if gone:
                note += tr("cli.baseline-gone", recorded=tr("count.recorded", n=gone))
            sys.stderr.write(tr("cli.note", message=note) + "\n")
    out = sys.stdout
    colour = args.format == "text" and args.output_file is None and use_colour(out, os.environ)
    if args.statistics or args.file_statistics:
        out.write(statistics(diags) if args.statistics else "")
        out.write(file_statistics(diags) if args.file_statistics else "")
    elif args.format == "text" and args.show_source:
        out.write(format_full(diags, source_lines(diags, config, secret_rules(selected, known)),
                              colour))
    elif args.format == "text":
        out.write(format_concise(diags, selected, colour))
    else:
        out.write(get_formatter(args.format)(diags, selected))
    if args.format == "text" and not args.quiet:
        out.write(summary(diags, result.files, {r.code for r in selected if r.unsafe_fix}))
    threshold = Severity.parse(config["fail-on"])
    return EXIT_FINDINGS if any(d.severity >= threshold for d in diags) else EXIT_OK


def check_stdin(args: argparse.Namespace, name: Path, config: Config,
                selected: tuple[Rule, ...], known: tuple[Rule, ...]) -> int:
    """``check -``: the draft on stdin, checked as the file ``name`` (--stdin-filename:
    its configuration, per-file ignores and format). With --fix the fixed text goes to
    stdout; with --diff the diff. Nothing is cached; cross-document rules see no other
    draft."""
    limit = config["max-file-size"]
    data = sys.stdin.buffer.read(limit + 1)
    if config["force-exclude"] and config.is_excluded(name):
        if args.fix:
            sys.stdout.buffer.write(data)
        return EXIT_OK
    if args.fix or args.diff:
        from checker.fix import fix_data, fix_modes, unified_diff

        fixed = fix_data(name, data, selected, config, fix_modes(selected, args.unsafe_fixes),
                         secret_rules(selected, known))
        if args.fix:
            sys.stdout.flush()
            sys.stdout.buffer.write(fixed.after)
            return EXIT_OK
        sys.stdout.write(unified_diff(fixed))
        return EXIT_FINDINGS if fixed.changed else EXIT_OK
    loaded = Loaded(data) if len(data) <= limit else Loaded(None, InputProblem(
        "E004", tr("input.stdin-too-large", limit=limit)))
    _doc, result = check_path(name, selected, config, {r.code: r for r in known}, loaded)
    run = RunResult(sorted(result.diagnostics, key=ORDER), 1, [result])
    return report(args, run, config, selected, known, None)


def source_lines(diags: list[Diagnostic], config: Config,
                  secret: tuple[Rule, ...]) -> dict[str, list[str]]:
    """The lines of each file with a diagnostic, for --show-source, secrets masked (a
    .docx: line N is paragraph N)."""
    lines = {}
    for path in sorted({d.path for d in diags}):
        doc = read_path(Path(path), path, config["max-file-size"], controls=False).document
        if doc is None:
            continue
        text_lines = mask_spans(doc.text, secret_spans(doc, secret)).split("\n")
        if doc.source_map:
            by_para: dict[int, str] = {}
            for text_line, para in zip(text_lines, doc.source_map):
                by_para.setdefault(para, text_line)
            lines[path] = [by_para.get(i, "") for i in range(1, max(by_para, default=0) + 1)]
        else:
            lines[path] = text_lines
    return lines
