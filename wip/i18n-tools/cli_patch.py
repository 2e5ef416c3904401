import re, sys
p='/work/dl-i18n/checker/cli.py'
s=open(p).read()
def rep(a, b, count=1):
    global s
    if a not in s:
        print("MISSING:", a[:80], file=sys.stderr); return
    s = s.replace(a, b, count)

rep('''from checker.i18n import LANGUAGES, language_in_argv, locale_language, set_language
''','''from checker.i18n import LANGUAGES, language_in_argv, locale_language, set_language, tr
''')
rep('''        self.exit(EXIT_USAGE, f"draftlint: error: {message}\\n")''','''        self.exit(EXIT_USAGE, tr("cli.error", message=message) + "\\n")''')
rep('''def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


''','')
rep('''        raise argparse.ArgumentTypeError(f"expected a positive integer, got {value!r}")''','''        raise argparse.ArgumentTypeError(tr("help.positive", value=value))''')
rep('''    parser = _Parser(prog="draftlint", description="Lint Chinese document drafts before they "
                     "are published.")''','''    parser = _Parser(prog="draftlint", description=tr("help.description"))''')
rep('''                          help="language of messages and texts (default: the configuration's "
                               "language, else the locale's, else zh-CN)")''','''                          help=tr("help.language"))''')
# help="..." strings possibly spanning lines -> tr keys
helps = {
 'check = sub.add_parser("check", help=': "help.check",
}
s = re.sub(r'help="check files and directories"', 'help=tr("help.check")', s)
s = re.sub(r'help="files or directories \(default: \.\)"', 'help=tr("help.paths")', s)
s = re.sub(r'default="text", help="output format"', 'default="text", help=tr("help.format")', s)
def sub_help(pattern_text, key):
    global s
    # pattern_text: the English, possibly split over adjacent string literals
    words = pattern_text.split()
    rx = r'help=' + r'(?:"\s*)?'.join('') 
    # build a regex that allows the literal to be split anywhere between words
    parts = [re.escape(w) for w in words]
    sep = r'(?:\s|"\s*\n\s*")+'
    rx = r'help="' + sep.join(parts) + r'"'
    new, n = re.subn(rx, f'help=tr("{key}")', s)
    if n == 0:
        print("MISSING help:", key, file=sys.stderr)
    s = new
sub_help("text format: print the offending line with a caret", "help.show-source")
sub_help("codes/prefixes/names to enable, replacing the configured selection (comma-separated; ALL for all)", "help.select")
sub_help("codes/prefixes/names to enable in addition", "help.extend-select")
sub_help("codes/prefixes/names to disable", "help.ignore")
sub_help("configuration file (.draftlint.yaml or pyproject.toml); default: found from the first path upward", "help.config")
sub_help("lowest severity that fails the run (default: warning)", "help.fail-on")
sub_help("print diagnostics only, no summary", "help.quiet")
sub_help("print counts per rule instead of each diagnostic", "help.statistics")
sub_help("print a table of counts per file instead of each diagnostic", "help.file-statistics")
sub_help("skip files over this many bytes (E004)", "help.max-file-size")
sub_help("apply the safe fixes of fixable rules to the files, then report what remains (.docx files are never modified)", "help.fix")
sub_help("print the fixes --fix would make as a unified diff and write nothing; exit 1 if there would be changes, 0 if none", "help.diff")
sub_help("worker processes for large runs (default: the CPU count; small runs always stay in one process)", "help.jobs")
sub_help("neither read nor write the result cache", "help.no-cache")
sub_help("result cache directory (default: cache-dir of the configuration, .draftlint_cache at its root)", "help.cache-dir")
sub_help("report only findings not recorded in this baseline file", "help.baseline")
sub_help("record every current finding in FILE and exit 0", "help.write-baseline")
sub_help("write a commented .draftlint.yaml and a pre-commit hook", "help.init")
sub_help("the drafts repo (default: .)", "help.init-directory")
sub_help("remove the result cache", "help.clean")
sub_help("where to look for the configuration (default: .)", "help.clean-path")
sub_help("configuration file", "help.clean-config")
sub_help("the cache directory", "help.clean-cache-dir")
sub_help("list every rule", "help.rules")
s = s.replace('help="configuration file (adds its packs)"', 'help=tr("help.packs-config")')
sub_help("show a rule's documentation and examples", "help.explain")
sub_help("rule code or name, e.g. M101 or paid-unclosed", "help.code")
rep('''    rules.add_argument("--format", choices=("text", "json"), default="text")''','''    rules.add_argument("--format", choices=("text", "json"), default="text",
                       help=tr("help.rules-format"))''')
rep('''            raise ConfigError(f"{args.config}: configuration file not found")''','''            raise ConfigError(tr("cli.no-config-file", path=args.config))''')
rep('''        raise ConfigError(f"{missing[0]}: no such file or directory")''','''        raise ConfigError(tr("cli.no-such-path", path=missing[0]))''')
rep('''        sys.stderr.write(f"draftlint: warning: {warning}\\n")''','''        sys.stderr.write(tr("cli.warning", message=warning) + "\\n")''')
rep('''        sys.stderr.write(f"Wrote {_plural(count, 'finding')} in "
                         f"{_plural(len({d.path for d in diags}), 'file')} to "
                         f"{args.write_baseline}.\\n")''','''        files = tr("count.files", n=len({d.path for d in diags}))
        sys.stderr.write(tr("cli.baseline-written", findings=tr("count.findings", n=count),
                            files=files, path=args.write_baseline) + "\\n")''')
rep('''            note = f"{_plural(len(result.diagnostics) - len(diags), 'finding')} in the baseline "
            note += "not shown"
            if gone:
                note += (f"; {_plural(gone, 'recorded finding')} gone (shrink the baseline "
                         f"with --write-baseline)")
            sys.stderr.write(f"draftlint: {note}\\n")''','''            hidden = tr("count.findings", n=len(result.diagnostics) - len(diags))
            note = tr("cli.baseline-hidden", findings=hidden)
            if gone:
                note += tr("cli.baseline-gone", recorded=tr("count.recorded", n=gone))
            sys.stderr.write(tr("cli.note", message=note) + "\\n")''')
rep('''        sys.stderr.write(f"draftlint: {note}\\n")''','''        sys.stderr.write(tr("cli.note", message=note) + "\\n")''')
rep('''    counted = (f"{n} problem{'s' if n != 1 else ''} in {files} file{'s' if files != 1 else ''}")
    if args.diff:
        for fix in changed:
            sys.stdout.write(unified_diff(fix))
        sys.stderr.write(f"draftlint: would fix {counted}\\n" if changed
                         else "draftlint: nothing to fix\\n")
        return EXIT_FINDINGS if changed else EXIT_OK
    if not args.quiet:
        sys.stderr.write(f"draftlint: fixed {counted}\\n")''','''    counted = {"problems": tr("count.problems", n=n), "files": tr("count.files", n=files)}
    if args.diff:
        for fix in changed:
            sys.stdout.write(unified_diff(fix))
        sys.stderr.write((tr("cli.would-fix", **counted) if changed
                          else tr("cli.nothing-to-fix")) + "\\n")
        return EXIT_FINDINGS if changed else EXIT_OK
    if not args.quiet:
        sys.stderr.write(tr("cli.fixed", **counted) + "\\n")''')
rep('''        flags = ("" if r.enabled else " (off by default)") + (" (fixable)" if r.fixable else "")''','''        flags = ("" if r.enabled else tr("rules.off")) + (tr("rules.fixable") if r.fixable else "")''')
rep('''    parts = [f"{rule.code} ({rule.name})", "",
             f"Kind: {rule.kind}    Severity: {rule.severity}    "
             f"Default: {'on' if rule.enabled else 'off'}    Fixable: {'yes' if rule.fixable else 'no'}",
             f"Pack: {Path(rule.source).name}", "", rule.docs, "", f"Message: {rule.message}"]
    for label, key in (("Fails", "bad"), ("Passes", "good")):
        if rule.examples.get(key):
            parts += ["", f"{label}:"] + [f"    {line}" for ex in rule.examples[key]
                                           for line in ex.splitlines()]
    shown = {k: v for k, v in rule.raw_options.items()}
    if shown:
        parts += ["", "Options:"]''','''    header = tr("explain.header", kind=rule.kind, severity=rule.severity,
                default=tr("explain.on" if rule.enabled else "explain.off"),
                fixable=tr("explain.yes" if rule.fixable else "explain.no"))
    parts = [f"{rule.code} ({rule.name})", "", header,
             tr("explain.pack", pack=Path(rule.source).name), "", rule.docs, "",
             tr("explain.message", message=rule.message)]
    for label, key in (("explain.fails", "bad"), ("explain.passes", "good")):
        if rule.examples.get(key):
            parts += ["", tr(label)] + [f"    {line}" for ex in rule.examples[key]
                                        for line in ex.splitlines()]
    shown = {k: v for k, v in rule.raw_options.items()}
    if shown:
        parts += ["", tr("explain.options")]''')
rep('''    raise ConfigError(f"unknown rule '{args.code}' (see 'draftlint rules')")''','''    raise ConfigError(tr("cli.unknown-rule", code=args.code))''')
rep('''        raise ConfigError(f"{args.directory}: no such directory")''','''        raise ConfigError(tr("cli.no-such-directory", path=args.directory))''')
rep('''        raise ConfigError(f"{exc.args[0]} already exists; not overwriting it") from None
    for path in written:
        sys.stdout.write(f"Wrote {path}\\n")
    sys.stdout.write(f"{note}\\nTo adopt draftlint on existing drafts without fixing them all "
                     f"first, record today's findings:\\n    draftlint check "
                     f"--write-baseline {scaffold.BASELINE_NAME}\\n")''','''        raise ConfigError(tr("cli.exists", path=exc.args[0])) from None
    for path in written:
        sys.stdout.write(tr("cli.wrote", path=path) + "\\n")
    sys.stdout.write(f"{note}\\n{tr('cli.adopt', baseline=scaffold.BASELINE_NAME)}\\n")''')
rep('''        sys.stdout.write(f"Removed the cache {directory}\\n")
    else:
        sys.stdout.write(f"No cache at {directory}\\n")''','''        sys.stdout.write(tr("cli.cache-removed", path=directory) + "\\n")
    else:
        sys.stdout.write(tr("cli.no-cache", path=directory) + "\\n")''')
rep('''        sys.stderr.write(f"draftlint: error: {exc}\\n")''','''        sys.stderr.write(tr("cli.error", message=exc) + "\\n")''')
rep('''        sys.stderr.write("draftlint: interrupted\\n")''','''        sys.stderr.write(tr("cli.interrupted") + "\\n")''')
open(p,'w').write(s)
left = re.findall(r'help="[^"]*"', s)
print("untranslated help:", left)
