import sys, re
def patch(p, pairs):
    s=open(p).read()
    for a,b in pairs:
        if a not in s: print("MISSING", p, a[:80], file=sys.stderr); continue
        s=s.replace(a,b)
    open(p,'w').write(s)
patch('checker/cli.py', [
('''    check = sub.add_parser("check", help="check files and directories")
    check.add_argument("paths", nargs="*", type=Path,
                       help="files or directories (default: .); - reads one draft from stdin")
    check.add_argument("--format", choices=FORMATS, default="text", help="output format")''','''    check = sub.add_parser("check", help=tr("help.check"))
    check.add_argument("paths", nargs="*", type=Path, help=tr("help.paths"))
    check.add_argument("--format", choices=FORMATS, default="text", help=tr("help.format"))'''),
('''                       help="lowest severity that fails the run (default: warning)")''','''                       help=tr("help.fail-on"))'''),
('''                       help="with 'check -': the name the draft read from stdin has (its "
                            "configuration, per-file ignores, format and the output use it)")''','''                       help=tr("help.stdin-filename"))'''),
('''                       help="write the output to FILE instead of stdout")''','''                       help=tr("help.output-file"))'''),
('''                       help="exit 0 even when there are findings (2 still means a usage error)")''','''                       help=tr("help.exit-zero"))'''),
('''                       help="print a table of counts per file instead of each diagnostic")''','''                       help=tr("help.file-statistics"))'''),
('''                       help="skip excluded files even when they are named on the command line "
                            "(pre-commit names every staged file)")''','''                       help=tr("help.force-exclude"))'''),
('''                       help="skip files over this many bytes (E004)")''','''                       help=tr("help.max-file-size"))'''),
('''                        help="print the fixes --fix would make as a unified diff and write "
                             "nothing; exit 1 if there would be changes, 0 if none")''','''                        help=tr("help.diff"))'''),
('''                       help="with --fix or --diff, also apply the fixes that change words "
                            "(D101 deletes a doubled word); check the result")''','''                       help=tr("help.unsafe-fixes"))'''),
('''        raise ConfigError(f"--output-file {args.output_file}: {exc.strerror or exc}") from None''','''        raise ConfigError(tr("cli.output-file", path=args.output_file,
                             reason=exc.strerror or exc)) from None'''),
('''        raise ConfigError(f"{missing[0]}: no such file or directory")''','''        raise ConfigError(tr("cli.no-such-path", path=missing[0]))'''),
('''        raise ConfigError("--select: an empty selection selects no rule, so every draft would "
                          "pass; name the rules (ALL for every rule)")''','''        raise ConfigError(tr("cli.empty-select"))'''),
('''        raise ConfigError(f"--{'statistics' if args.statistics else 'file-statistics'} prints "
                          f"a text table; it cannot be combined with --format {args.format}")''','''        raise ConfigError(tr("cli.statistics-format", format=args.format,
                             option="statistics" if args.statistics else "file-statistics"))'''),
('''        sys.stderr.write(f"draftlint: {printable(note)}\\n")''','''        sys.stderr.write(tr("cli.note", message=printable(note)) + "\\n")'''),
('''        raise ConfigError(f"{args.path}: no such file or directory")''','''        raise ConfigError(tr("cli.no-such-path", path=args.path))'''),
('''        flags = ("" if r.enabled else " (off by default)") + (
            " (fixable with --unsafe-fixes)" if r.unsafe_fix else " (fixable)" if r.fixable else "")''','''        flags = ("" if r.enabled else tr("rules.off")) + (
            tr("rules.unsafe-fixable") if r.unsafe_fix
            else tr("rules.fixable") if r.fixable else "")'''),
('''    return "with --unsafe-fixes" if rule.unsafe_fix else "yes" if rule.fixable else "no"''','''    return tr("explain.unsafe" if rule.unsafe_fix else "explain.yes" if rule.fixable
              else "explain.no")'''),
('''    parts = [f"{rule.code} ({rule.name})", "",
             f"Kind: {rule.kind}    Severity: {rule.severity}    "
             f"Default: {'on' if rule.enabled else 'off'}    Fixable: {_fixable(rule)}",
             f"Pack: {Path(rule.source).name}", "", rule.docs, "", f"Message: {rule.message}"]
    for label, key in (("Fails", "bad"), ("Passes", "good")):''','''    header = tr("explain.header", kind=rule.kind, severity=rule.severity,
                default=tr("explain.on" if rule.enabled else "explain.off"),
                fixable=_fixable(rule))
    parts = [f"{rule.code} ({rule.name})", "", header,
             tr("explain.pack", pack=Path(rule.source).name), "", rule.docs, "",
             tr("explain.message", message=rule.message)]
    for label, key in (("explain.fails", "bad"), ("explain.passes", "good")):'''),
])
patch('checker/report.py', [
('''def plural(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


''',''''''),
('''        sys.stderr.write(f"draftlint: warning: {warning}\\n")''','''        sys.stderr.write(tr("cli.warning", message=warning) + "\\n")'''),
('''        sys.stderr.write(f"Wrote {plural(count, 'finding')} in "
                         f"{plural(len({d.path for d in diags}), 'file')} to "
                         f"{args.write_baseline}.\\n")''','''        files = tr("count.files", n=len({d.path for d in diags}))
        sys.stderr.write(tr("cli.baseline-written", findings=tr("count.findings", n=count),
                            files=files, path=args.write_baseline) + "\\n")'''),
('''            note = f"{plural(len(result.diagnostics) - len(diags), 'finding')} in the baseline "
            note += "not shown"
            if gone:
                note += (f"; {plural(gone, 'recorded finding')} gone (shrink the baseline "
                         f"with --write-baseline)")
            sys.stderr.write(f"draftlint: {note}\\n")''','''            hidden = tr("count.findings", n=len(result.diagnostics) - len(diags))
            note = tr("cli.baseline-hidden", findings=hidden)
            if gone:
                note += tr("cli.baseline-gone", recorded=tr("count.recorded", n=gone))
            sys.stderr.write(tr("cli.note", message=note) + "\\n")'''),
('''from checker.formatters.text import''','''from checker.i18n import tr
from checker.formatters.text import'''),
])
patch('checker/formatters/text.py', [
('''        return f"All checks passed ({files} file{'s' if files != 1 else ''} checked).\\n"
    risky = sum(1 for d in diagnostics if d.fix and d.code in unsafe)
    fixable = sum(1 for d in diagnostics if d.fix) - risky
    notes = ([f"{fixable} fixable with --fix"] if fixable else []) + (
        [f"{risky} more with --fix --unsafe-fixes"] if risky else [])
    tail = f" ({', '.join(notes)})" if notes else ""
    return f"Found {n} problem{'s' if n != 1 else ''} in {files} file{'s' if files != 1 else ''} checked{tail}.\\n"''','''        return tr("summary.passed", files=counted) + "\\n"
    risky = sum(1 for d in diagnostics if d.fix and d.code in unsafe)
    fixable = sum(1 for d in diagnostics if d.fix) - risky
    notes = ([tr("summary.fixable-with-fix", n=fixable)] if fixable else []) + (
        [tr("summary.unsafe-fixable", n=risky)] if risky else [])
    tail = tr("summary.fixable", notes=tr("words.list-separator").join(notes)) if notes else ""
    return tr("summary.found", problems=tr("count.problems", n=n), files=counted,
              fixable=tail) + "\\n"'''),
('''    out = [f"{'error':>6} {'warning':>7} {'info':>6} {'total':>6}  file\\n"]''','''    heads = {k: _pad(tr(f"statistics.{k}"), width)
             for k, width in (("error", 6), ("warning", 7), ("info", 6), ("total", 6))}
    out = [tr("statistics.header", **heads) + "\\n"]'''),
('''def format_full(''','''def _pad(text: str, width: int) -> str:
    """``text`` right-aligned in ``width`` terminal columns."""
    return " " * max(0, width - _width(text)) + text


def format_full('''),
])
patch('checker/fix.py', [
('''            run.notes.append(f"{display}: {result.refused} fix{'es' if result.refused != 1 else ''}"
                             f" refused: they would change letters, digits or masked text")''','''            run.notes.append(tr("fix.refused", path=display,
                                fixes=tr("count.fixes", n=result.refused)))'''),
('''            run.notes.append(f"{display}: not written: it is a link to a file outside the "
                             f"checked tree")''','''            run.notes.append(tr("fix.outside-link", path=display))'''),
])
patch('checker/scaffold.py', [
('''        note = (f"{pre_commit} exists; add this hook to one of its repos "
                f"(or under a '- repo: local' entry with 'hooks:'):\\n\\n{hook_text(command)}")''','''        note = tr("init.hook-exists", path=pre_commit, hook=hook_text(command))'''),
])
patch('checker/config.py', [
('''        raise ConfigError(f"{path}: cannot read configuration: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML, so its [tool.draftlint] settings cannot "
                          f"be read: {exc}") from None''','''        raise ConfigError(tr("error.cannot-read", path=path, what=tr("error.what.configuration"),
                             reason=exc.strerror or exc)) from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(tr("error.pyproject-invalid", path=path, error=exc)) from None'''),
])
patch('checker/packs.py', [
('''        raise ConfigError(f"{path}: cannot read {what}: {exc.strerror or exc}") from None
    if not stat.S_ISREG(st.st_mode):
        raise ConfigError(f"{path}: cannot read {what}: not a regular file")''','''        raise ConfigError(tr("error.cannot-read", path=path, what=tr(f"error.what.{what}"),
                             reason=exc.strerror or exc)) from None
    if not stat.S_ISREG(st.st_mode):
        raise ConfigError(tr("error.cannot-read", path=path, what=tr(f"error.what.{what}"),
                             reason=tr("error.not-regular")))'''),
])
patch('checker/engine.py', [
('''        return f"{config.source}: key '{key}'"
    return f"--{key}"''','''        return tr("error.origin-key", where=config.source, key=key)
    return f"--{key}"'''),
])
def add(p, text):
    s=open(p).read().rstrip(); s=s[:-1]+text+"}\n"; open(p,'w').write(s)
add('checker/i18n/en.py', '''    "help.stdin-filename": ("with 'check -': the name the draft read from stdin has (its "
                            "configuration, per-file ignores, format and the output use it)"),
    "help.output-file": "write the output to FILE instead of stdout",
    "help.exit-zero": "exit 0 even when there are findings (2 still means a usage error)",
    "help.force-exclude": ("skip excluded files even when they are named on the command line "
                           "(pre-commit names every staged file)"),
    "help.unsafe-fixes": ("with --fix or --diff, also apply the fixes that change words (D101 "
                          "deletes a doubled word); check the result"),
    "cli.output-file": "--output-file {path}: {reason}",
    "cli.empty-select": ("--select: an empty selection selects no rule, so every draft would "
                         "pass; name the rules (ALL for every rule)"),
    "cli.statistics-format": ("--{option} prints a text table; it cannot be combined with "
                              "--format {format}"),
    "rules.unsafe-fixable": " (fixable with --unsafe-fixes)",
    "explain.unsafe": "with --unsafe-fixes",
    "summary.fixable-with-fix": "{n} fixable with --fix",
    "summary.unsafe-fixable": "{n} more with --fix --unsafe-fixes",
    "fix.outside-link": "{path}: not written: it is a link to a file outside the checked tree",
    "error.pyproject-invalid": ("{path}: not valid TOML, so its [tool.draftlint] settings cannot "
                                "be read: {error}"),
    "error.not-regular": "not a regular file",
    "error.origin-key": "{where}: key '{key}'",
''')
add('checker/i18n/zh_CN.py', '''    "help.stdin-filename": "与“check -”合用：从标准输入读入的稿件所用的文件名（配置、按文件忽略、格式和输出都按它处理）",
    "help.output-file": "把输出写入 FILE，而不是标准输出",
    "help.exit-zero": "即使发现问题也以 0 退出（用法错误仍为 2）",
    "help.force-exclude": "即使在命令行上点名，也跳过被排除的文件（pre-commit 会点名每个暂存的文件）",
    "help.unsafe-fixes": "与 --fix 或 --diff 合用：同时应用会改动词语的修复（D101 删除重复的词）；请核对结果",
    "cli.output-file": "--output-file {path}：{reason}",
    "cli.empty-select": "--select：空的选择不选任何规则，每篇稿件都会通过；请写出规则（ALL 表示全部）",
    "cli.statistics-format": "--{option} 输出的是文本表格，不能与 --format {format} 同时使用",
    "rules.unsafe-fixable": "（可用 --unsafe-fixes 修复）",
    "explain.unsafe": "需加 --unsafe-fixes",
    "summary.fixable-with-fix": "其中 {n} 个可用 --fix 修复",
    "summary.unsafe-fixable": "另有 {n} 个可用 --fix --unsafe-fixes 修复",
    "fix.outside-link": "{path}：未写入：它是指向所检查目录之外文件的链接",
    "error.pyproject-invalid": "{path}：不是有效的 TOML，因此读不出其中的 [tool.draftlint] 设置：{error}",
    "error.not-regular": "不是普通文件",
    "error.origin-key": "{where}：键“{key}”",
''')
