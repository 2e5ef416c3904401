"""The tool's own words in English (see :mod:`checker.i18n`). A value is a str.format
template; a ``{"one": ..., "other": ...}`` pair is chosen by the field ``n``. Every key
is in the Chinese table too, with the same fields (tests/test_i18n.py)."""

from __future__ import annotations

TEXTS: dict[str, str | dict[str, str]] = {
    # counted nouns, composed into the sentences below
    "count.problems": {"one": "{n} problem", "other": "{n} problems"},
    "count.files": {"one": "{n} file", "other": "{n} files"},
    "count.findings": {"one": "{n} finding", "other": "{n} findings"},
    "count.recorded": {"one": "{n} recorded finding", "other": "{n} recorded findings"},
    "count.fixes": {"one": "{n} fix", "other": "{n} fixes"},
    "count.fixable": {"one": "{n} fixable problem", "other": "{n} fixable problems"},
    # messages of the command line
    "cli.error": "draftlint: error: {message}",
    "cli.warning": "draftlint: warning: {message}",
    "cli.note": "draftlint: {message}",
    "cli.interrupted": "draftlint: interrupted",
    "cli.no-such-path": "{path}: no such file or directory",
    "cli.no-config-file": "{path}: configuration file not found",
    "cli.no-such-directory": "{path}: no such directory",
    "cli.exists": "{path} already exists; not overwriting it",
    "cli.unknown-rule": "unknown rule '{code}' (see 'draftlint rules')",
    "cli.baseline-written": "Wrote {findings} in {files} to {path}.",
    "cli.baseline-hidden": "{findings} in the baseline not shown",
    "cli.baseline-gone": "; {recorded} gone (shrink the baseline with --write-baseline)",
    "cli.would-fix": "draftlint: would fix {problems} in {files}",
    "cli.fixed": "draftlint: fixed {problems} in {files}",
    "cli.nothing-to-fix": "draftlint: nothing to fix",
    "cli.wrote": "Wrote {path}",
    "cli.adopt": ("To adopt draftlint on existing drafts without fixing them all first, "
                  "record today's findings:\n    draftlint check --write-baseline {baseline}"),
    "cli.cache-removed": "Removed the cache {path}",
    "cli.no-cache": "No cache at {path}",
    # the summary after the text output
    "summary.passed": "All checks passed ({files} checked).",
    "summary.found": "Found {problems} in {files} checked{fixable}.",
    "summary.fixable": " ({notes})",
    "summary.separator": ", ",
    "statistics.header": "{error} {warning} {info} {total}  file",
    "statistics.error": "error",
    "statistics.warning": "warning",
    "statistics.info": "info",
    "statistics.total": "total",
    # draftlint rules / explain
    "rules.off": " (off by default)",
    "rules.fixable": " (fixable)",
    "explain.header": ("Kind: {kind}    Severity: {severity}    Default: {default}    "
                       "Fixable: {fixable}"),
    "explain.on": "on",
    "explain.off": "off",
    "explain.yes": "yes",
    "explain.no": "no",
    "explain.pack": "Pack: {pack}",
    "explain.message": "Message: {message}",
    "explain.fails": "Fails:",
    "explain.passes": "Passes:",
    "explain.options": "Options:",
    # --fix
    "fix.docx": "{path}: {fixable} not fixed: .docx files are never modified (report only)",
    "fix.refused": "{path}: {fixes} refused: they would change letters, digits or masked text",
    "fix.not-written": "{path}: not written: {reason}",
    "fix.not-fixed": "{path}: not fixed: {reason}",
    # the progress bar
    "progress.files": "{done}/{total} files",
    # draftlint init
    "init.hook-exists": ("{path} exists; add this hook to one of its repos (or under a "
                         "'- repo: local' entry with 'hooks:'):\n\n{hook}"),
    "init.install-hook": "Install the hook with: pre-commit install",
    "init.header": ("# draftlint configuration, written by `draftlint init` (draftlint {version}).\n"
                    "# Every key is optional: remove the '# ' before a key to set it. Shown are the\n"
                    "# defaults, or an example where the default is empty.\n"
                    "# List the rules: draftlint rules      Explain one: draftlint explain P101"),
    "init.example": " (example)",
    # help texts of the command line
    "help.description": "Lint Chinese document drafts before they are published.",
    "help.language": ("language of messages and texts (default: the configuration's "
                      "language, else the locale's, else zh-CN)"),
    "help.check": "check files and directories",
    "help.paths": "files or directories (default: .)",
    "help.format": "output format",
    "help.show-source": "text format: print the offending line with a caret",
    "help.select": ("codes/prefixes/names to enable, replacing the configured selection "
                    "(comma-separated; ALL for all)"),
    "help.extend-select": "codes/prefixes/names to enable in addition",
    "help.ignore": "codes/prefixes/names to disable",
    "help.config": ("configuration file (.draftlint.yaml or pyproject.toml); default: found "
                    "from the first path upward"),
    "help.fail-on": "lowest severity that fails the run (default: warning)",
    "help.quiet": "print diagnostics only, no summary",
    "help.statistics": "print counts per rule instead of each diagnostic",
    "help.file-statistics": "print a table of counts per file instead of each diagnostic",
    "help.max-file-size": "skip files over this many bytes (E004)",
    "help.fix": ("apply the safe fixes of fixable rules to the files, then report what "
                 "remains (.docx files are never modified)"),
    "help.diff": ("print the fixes --fix would make as a unified diff and write nothing; "
                  "exit 1 if there would be changes, 0 if none"),
    "help.jobs": ("worker processes for large runs (default: the CPU count; small runs "
                  "always stay in one process)"),
    "help.no-cache": "neither read nor write the result cache",
    "help.cache-dir": ("result cache directory (default: cache-dir of the configuration, "
                       ".draftlint_cache at its root)"),
    "help.baseline": "report only findings not recorded in this baseline file",
    "help.write-baseline": "record every current finding in FILE and exit 0",
    "help.init": "write a commented .draftlint.yaml and a pre-commit hook",
    "help.init-directory": "the drafts repo (default: .)",
    "help.clean": "remove the result cache",
    "help.clean-path": "where to look for the configuration (default: .)",
    "help.clean-config": "configuration file",
    "help.clean-cache-dir": "the cache directory",
    "help.rules": "list every rule",
    "help.packs-config": "configuration file (adds its packs)",
    "help.rules-format": "output format",
    "help.explain": "show a rule's documentation and examples",
    "help.code": "rule code or name, e.g. M101 or paid-unclosed",
    "help.positive": "expected a positive integer, got {value!r}",
    # the meaning of each configuration key (draftlint init writes them as comments)
    "config.select": ("rule codes, prefixes or names to enable instead of the defaults (ALL "
                      "for every rule)"),
    "config.extend-select": "codes, prefixes or names to enable on top of select",
    "config.ignore": "codes, prefixes or names to disable",
    "config.per-file-ignores": "glob -> codes to disable for matching paths",
    "config.packs": "extra rule packs (YAML files), relative to the config file",
    "config.extensions": "file extensions checked when walking directories",
    "config.exclude": "globs of files and directories never checked",
    "config.extend-exclude": "globs added to exclude",
    "config.max-file-size": "files larger than this many bytes get E004 and are not checked",
    "config.fail-on": "lowest severity that makes the exit code 1: error, warning or info",
    "config.rules": "per-rule settings: CODE or name -> {severity, options}",
    "config.templates": ("glob -> skeleton template (id or label, or none) for matching "
                         "paths; other drafts get the template their title names"),
    "config.template-packs": ("extra skeleton templates (YAML files), relative to the config "
                              "file"),
    "config.cache-dir": ("cache directory (results and the cross-document fingerprint index), "
                         "relative to the config root"),
    "config.language": ("language of messages, explain pages and summaries: zh-CN or en "
                        "(default: from the locale, else zh-CN); --language overrides it"),
    "config.formulation-packs": ("extra formulation packs (YAML files, see docs/formulations.md) "
                                 "for the N rules, relative to the config file"),
    "config.fixed-terms": ("fixed terms (set phrases such as 两个维护) added to "
                           "rules/fixed_terms.txt: never cut apart by segmentation, never "
                           "counted as repeated or overused by the D rules"),
    # argparse's own words (looked up by its English text; see cli._argparse_words)
    "argparse.usage: ": "usage: ",
    "argparse.positional arguments": "positional arguments",
    "argparse.options": "options",
    "argparse.show this help message and exit": "show this help message and exit",
    "argparse.show program's version number and exit": "show program's version number and exit",
    "argparse.argument %(argument_name)s: %(message)s": "argument %(argument_name)s: %(message)s",
    "argparse.invalid choice: %(value)r (choose from %(choices)s)":
        "invalid choice: %(value)r (choose from %(choices)s)",
    "argparse.invalid %(type)s value: %(value)r": "invalid %(type)s value: %(value)r",
    "argparse.expected one argument": "expected one argument",
    "argparse.unrecognized arguments: %s": "unrecognized arguments: %s",
    "argparse.the following arguments are required: %s":
        "the following arguments are required: %s",
    "argparse.not allowed with argument %s": "not allowed with argument %s",
    "argparse.ambiguous option: %(option)s could match %(matches)s":
        "ambiguous option: %(option)s could match %(matches)s",
    "argparse.one of the arguments %s is required": "one of the arguments %s is required",
    # words the checks put into messages ({context}, {where}, {found} …)
    "words.after": "after {label}",
    "words.first-of-level": "as the first heading of its level",
    "words.first-under": "as the first heading under {label}",
    "words.again": "{found} again",
    "words.list-start": "at the start of the list",
    "words.directly-under": "directly under {label}",
    "words.before-level-1": "before any level-1 heading",
    "words.a-heading": "a heading",
    "words.body-text": "body text",
    "words.end-of": "the end of {label}",
    "words.end-of-draft": "the end of the draft",
    "words.first": "first",
    "words.parts": "parts {labels}",
    "words.part": "part {label}",
    "words.part-headings": "part headings such as 一、{label}",
    "words.no-part-heading": "no heading that names a part",
    "words.it-after": "it after {label}",
    "words.it-first": "it as the first part",
    "words.closing-missing": "missing",
    "words.closing-at-end": "'{example}' at the end",
    "words.last-paragraph": "'{text}' as the last paragraph",
    "words.not-last": "'{text}' is not last",
    "words.it-at-end": "it at the end of the draft",
    "words.after-it": "'{text}' after it",
    "words.quoted": "'{text}'",
    "words.ends-with": "ends with '{mark}'",
    "words.ends-unpunctuated": "ends without punctuation",
    "words.expect-list-end": "。 at the end of the last item of a list",
    "words.expect-introduced": "the text it introduces to follow it",
    "words.expect-sentence-end": "the rest of the sentence, ending with 。",
    "words.leak": ("; the text from there to the {marker} at line {line} is published free "
                   "and a stray </paid> shows"),
    "words.redundant-begin": "; this begin marker is redundant",
    "words.paid-span-opens": "the paid span opens here",
    "words.front-matter": "front matter {key}: {value}",
    "words.repo-policy": "the repo policy requires one",
    "words.first-item": "first '{item}' here",
    "words.first-occurrence": "first occurrence",
    "words.no-indentation": "no indentation",
    "words.ascii-space": {"one": "{n} ASCII space", "other": "{n} ASCII spaces"},
    "words.tab": {"one": "{n} tab", "other": "{n} tabs"},
    "words.full-width-space": {"one": "{n} full-width space (U+3000)",
                               "other": "{n} full-width spaces (U+3000)"},
    "words.no-break-space": {"one": "{n} no-break space (U+00A0)",
                             "other": "{n} no-break spaces (U+00A0)"},
    "words.mixed-whitespace": "mixed whitespace ({kinds})",
    "words.ascii-space-kind": "ASCII space",
    "words.tab-kind": "tab",
    "words.full-width-space-kind": "full-width space",
    "words.no-break-space-kind": "no-break space",
    "words.similar-paragraph": "similar paragraph ({similarity})",
    "words.verbatim-copy": "a verbatim copy of",
    "words.similar-to": "{similarity} similar to",
    "words.more-copies": {"one": " (and {n} more copy)", "other": " (and {n} more copies)"},
    "words.at-least-more-copies": {"one": " (and at least {n} more copy)",
                                   "other": " (and at least {n} more copies)"},
    # input problems (family E): what the readers and the walk report
    "input.link-loop": ("symbolic link loop: the {what} links back to itself; not checked (fix "
                        "or remove the link)"),
    "input.link-loop-walk": ("symbolic link loop: the link never reaches a file; not checked "
                             "(fix or remove the link)"),
    "input.what-file": "file",
    "input.what-directory": "directory",
    "input.cannot-read": "cannot read {what}: {reason}",
    "input.not-regular-directory": "cannot read file: a directory",
    "input.not-regular": "cannot read file: not a regular file (a pipe, socket or device)",
    "input.too-large": "file is {size:,} bytes, over the limit of {limit:,} (max-file-size); not checked",
    "input.too-large-read": "file is over the limit of {limit:,} bytes (max-file-size); not checked",
    "input.docx-is-doc": ("not a .docx: this is a legacy Word 97-2003 .doc or a password-protected "
                          ".docx; save it as an unprotected .docx"),
    "input.docx-is-pdf": "not a .docx: this is a PDF file",
    "input.docx-is-text": ("not a .docx: the file is plain text with a .docx name; rename it to "
                           ".txt (or .md)"),
    "input.text-is-zip": ("not a .{fmt} draft: this is a zip archive (a Word .docx saved with the "
                          "wrong name?); rename it to .docx"),
    "input.text-is-doc": "not a .{fmt} draft: this is a legacy Word .doc file; save it as .docx",
    "input.text-is-pdf": "not a .{fmt} draft: this is a PDF file",
    "input.line": "line",
    "input.paragraph": "paragraph",
    "input.line-too-long": ("{unit} {number} is {length:,} characters long (limit {limit:,}): not "
                            "a draft paragraph (generated or minified data?); file not checked"),
    "input.bad-bom": "starts with a {name} byte-order mark but is not valid {name}: {reason}",
    "input.binary": "binary file (contains NUL bytes); not checked",
    "input.binary-text": "binary file (contains NUL characters); not checked",
    "input.undecodable": ("not valid UTF-8 (byte 0x{byte:02x} at offset {offset}) nor GB18030; "
                          "save the file as UTF-8"),
    "input.gb18030": "decoded as GB18030/GBK, not UTF-8; consider saving the file as UTF-8",
    "input.empty": "empty file: nothing to check",
    "input.control": ("invisible control character U+{code:04X}{more}, left by a copy from "
                      "another program; delete it"),
    "input.control-count": " ({n} in the file)",
    "input.front-matter-long": "front matter is {length:,} characters long (limit {limit:,}); not read",
    "input.front-matter-invalid": "front matter is not valid {syntax}: {detail}",
    "input.front-matter-not-mapping": ("front matter must be a mapping of keys (such as "
                                       "'title: ...'), got a {type}; it ends on line {line}"),
    "input.unknown-directive": "unknown directive 'draftlint-{what}' (known: {known})",
    "input.bad-selector": ("'draftlint-{what}': '{selector}' is not a rule code, code prefix or "
                           "rule name (write e.g. 'draftlint-{what} P101 D')"),
    "input.comment-ignored": "{problem}; the comment is ignored",
    "input.enable-without-disable": ("'draftlint-enable {selector}' without an earlier "
                                     "'draftlint-disable {selector}'; the comment is ignored"),
    "input.unknown-selector": ("suppression comment names '{selector}', which matches no rule "
                               "(see 'draftlint rules'); nothing is suppressed by it"),
    "input.too-deep": {"one": ("directory nesting deeper than {limit} levels; {n} subdirectory "
                               "below here not checked"),
                       "other": ("directory nesting deeper than {limit} levels; {n} "
                                 "subdirectories below here not checked")},
    "input.zip-damaged": ("not a valid .docx: the zip archive is truncated or damaged ({reason}); "
                          "open and save it again in Word or WPS"),
    "input.zip-members": ".docx archive has {count:,} members (limit {limit:,}); not unpacked",
    "input.zip-bomb": (".docx would unpack to {size:,} bytes ({ratio:,.0f} times its size; limit "
                       "{limit:,}): a zip bomb or not a draft; not unpacked"),
    "input.zip-not-word": ("not a valid .docx: a zip archive without [Content_Types].xml (not "
                           "saved by Word or WPS)"),
    "input.docx-too-deep": "not a valid .docx: its XML is nested too deeply",
    "input.docx-unreadable": ("cannot read this .docx as a Word document ({reason}); open and "
                              "save it again in Word or WPS"),
    "input.docx-empty": "empty .docx: no text in the document body",
    "input.docx-comments": {"one": ("the .docx has {n} Word comment (批注); they are not checked "
                                    "and must not be published: resolve and delete them"),
                            "other": ("the .docx has {n} Word comments (批注); they are not "
                                      "checked and must not be published: resolve and delete "
                                      "them")},
    "input.docx-changes": {"one": ("the .docx has {n} unaccepted tracked change; checked as if "
                                   "all were accepted: accept or reject them before publishing"),
                           "other": ("the .docx has {n} unaccepted tracked changes; checked as "
                                     "if all were accepted: accept or reject them before "
                                     "publishing")},
    "input.rule-timed-out": "rule {code} ({name}) timed out on this file; its pattern may be too slow",
    "input.rule-failed": "rule {code} ({name}) failed on this file: {reason}",
    "input.rule-over-time": "rule {code} ({name}) timed out on this file: ran over {limit:g} s of CPU on this file",
    "yaml.alias-bomb": "aliases expand the document by more than {limit:,} values (an anchor bomb?); not read",
    "yaml.alias-recursive": "an alias refers to a value that contains it; not read",
    "input.lines": "lines",
    "input.paragraphs": "paragraphs",
    "input.too-many-lines": ("the file has {count:,} {units} (limit {limit:,}): not a draft "
                             "(generated data or a log?); file not checked"),
    "input.zip-bomb-inflated": (".docx unpacks to more than {limit:,} bytes (its zip headers said "
                                "less): a zip bomb or not a draft; not read further"),
    "input.docx-too-many-paragraphs": ".docx has more than {limit:,} paragraphs: not a draft; not checked",
    "input.docx-too-many-elements": ".docx holds more than {limit:,} XML elements: not a draft; not checked",
    "input.zip-member-damaged": ("not a valid .docx: a member of its zip archive is damaged "
                                 "({reason}); open and save it again in Word or WPS"),
    "words.list-separator": ", ",
    # configuration and pack errors (exit 2): "{where}: rule {code}: …" and the like
    "error.rule": "{where}: rule {code}: {problem}",
    "error.rule-key": "{where}: rule {code}: key '{key}': {problem}",
    "error.rule-option": "{where}: rule {code}: option '{key}': {problem}",
    "error.entry": "{where}: rules[{index}]: {problem}",
    "error.expected-got": "expected {expected}, got {value}",
    "error.expected": "expected {expected}",
    "error.severity": "error, warning or info",
    "error.regex-string": "a regular expression string",
    "error.string": "a string",
    "error.one-of": "one of {choices}",
    "error.bool": "true or false",
    "error.integer": "an integer",
    "error.number": "a number",
    "error.list": "a list",
    "error.string-list": "a list of strings",
    "error.mapping": "a mapping",
    "error.invalid-regex": "invalid regular expression {pattern!r}: {error}",
    "error.unknown-option": "unknown option '{option}' for kind '{kind}' (known: {known})",
    "error.none": "none",
    "error.option-required": "option '{option}' is required for kind '{kind}'",
    "error.code": "a letter and three digits such as P101",
    "error.unknown-key": "unknown key '{key}'",
    "error.key-required": "key '{key}' is required (a string)",
    "error.kebab-case": "kebab-case",
    "error.unknown-kind": "unknown kind {kind!r} (known: {known})",
    "error.examples": "a mapping with 'bad' and 'good' lists",
    "error.strings": "strings",
    "error.formats": "a list from {formats}",
    "error.cannot-read": "{path}: cannot read {what}: {reason}",
    "error.what.rule pack": "rule pack",
    "error.what.template": "template",
    "error.what.formulation pack": "formulation pack",
    "error.what.configuration": "configuration",
    "error.not-yaml": "{path}: not valid YAML: {error}",
    "error.not-toml": "{path}: not valid TOML: {error}",
    "error.not-pack": "{where}: a rule pack is a mapping with a 'rules' list",
    "error.unknown-top-key": "{where}: unknown top-level key '{key}'",
    "error.defined-twice": "{where}: rule {code}: {key} is already defined in {other}",
    "error.text-required": "is required (a string, or a mapping of zh-CN and en texts)",
    "error.unknown-language": "unknown language '{language}' (known: {known})",
    "error.missing-language": ("missing the '{language}' text (a mapping needs {needed}; a plain "
                               "string serves both)"),
    "error.empty-text": "'{language}': expected a non-empty string, got {value!r}",
    "error.different-fields": "the {first} and {other} texts use different fields: {a} vs {b}",
    "error.config-unknown-key": "{where}: unknown key '{key}' (known: {known})",
    "error.config-type": "{where}: key '{key}': expected {kind}, got {value!r}",
    "error.config-choice": "{where}: key '{key}': expected {choices}, got {value!r}",
    "error.config-mapping": "{where}: expected a mapping of settings",
    "error.selector": "{key}: '{selector}' matches no rule (see 'draftlint rules')",
    "error.rule-setting": "{where}: expected a mapping with 'severity' and/or 'options'",
    "error.not-a-rule": "{where}: key 'rules': '{key}' is not a rule code or name",
    "error.baseline-missing": "{where}: no such file (create it with --write-baseline)",
    "error.baseline-unreadable": "{where}: cannot read it: {reason}",
    "error.baseline-version": "{where}: not a draftlint baseline of version {version}",
    "error.template": "{path}: template {template}: key '{key}': {problem}",
    "error.unknown-key-known": "unknown key (known: {known})",
    "error.entry-key": "{where}: rules[{index}]: key '{key}': {problem}",
    "error.baseline-entry": ("{where}: findings[{index}]: expected path, code, fingerprint "
                             "(strings) and count (a positive integer)"),
    "error.cache-dir": ("cache-dir: {path} is the project root or above it; the cache needs a "
                        "directory of its own (default .draftlint_cache)"),
    "error.nonempty-string": "a non-empty string",
    "error.regex-list": "a non-empty list of regular expressions",
    "error.not-template": "{path}: a template is a mapping with 'template', 'label', 'match' and 'parts'",
    "error.template-id": "a kebab-case id such as self-examination",
    "error.parts-list": "a non-empty list of parts",
    "error.role-name": "a kebab-case role name",
    "error.role-twice": "role '{role}' is listed twice",
    "error.config-at-least": "{where}: key '{key}': expected a number of at least {least}, got {value}",
    "error.config-empty-select": ("{where}: key 'select': an empty list selects no rule, so every "
                                  "draft would pass; name the rules (ALL for every rule)"),
    "error.selector-per-file": ("{where}: key 'per-file-ignores' ({glob}): '{selector}' matches "
                                "no rule (see 'draftlint rules')"),
    "error.nothing-selected": ("no rule is selected (select, extend-select and ignore leave none), "
                               "so every draft would pass; select some rules"),
    "error.bool-or-unsafe": "true or false (or unsafe)",
    "help.stdin-filename": ("with 'check -': the name the draft read from stdin has (its "
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
    "config.force-exclude": ("apply exclude and extend-exclude to files named on the command "
                             "line too (as pre-commit names staged files)"),
    "config.secret-prefix": ("how many leading characters of a secret (password, phone or ID "
                             "number, e-mail, share link) the L rules' messages may show; the "
                             "rest is masked in every output"),
}
