import re, sys
def patch(p, pairs):
    s=open(p).read()
    miss = 0
    for a,b in pairs:
        if a not in s: print("MISSING", p, a[:70], file=sys.stderr); miss += 1; continue
        s=s.replace(a,b)
    if "from checker.i18n import tr" not in s:
        lines=s.split("\n")
        idx=[i for i,l in enumerate(lines) if re.match(r"^from checker[.\w]* import", l)]
        pos=next((i for i in idx if lines[i].split()[1] > "checker.i18n"), idx[-1]+1)
        lines.insert(pos,"from checker.i18n import tr")
        s="\n".join(lines)
    open(p,'w').write(s)
R='checker/readers/base.py'
patch(R, [
('''        return InputProblem("E012", f"symbolic link loop: the {what} links back to itself; "
                                    f"not checked (fix or remove the link)")
    return InputProblem("E001", f"cannot read {what}: {exc.strerror or exc}")''',
'''        return InputProblem("E012", tr("input.link-loop", what=tr(f"input.what-{what}")))
    return InputProblem("E001", tr("input.cannot-read", what=tr(f"input.what-{what}"),
                                   reason=exc.strerror or exc))'''),
('''            return InputProblem("E009", "not a .docx: this is a legacy Word 97-2003 .doc or a "
                                        "password-protected .docx; save it as an unprotected "
                                        ".docx")''','''            return InputProblem("E009", tr("input.docx-is-doc"))'''),
('''            return InputProblem("E009", "not a .docx: this is a PDF file")''','''            return InputProblem("E009", tr("input.docx-is-pdf"))'''),
('''            return InputProblem("E009", "not a .docx: the file is plain text with a .docx name; "
                                        "rename it to .txt (or .md)")''','''            return InputProblem("E009", tr("input.docx-is-text"))'''),
('''        return InputProblem("E009", f"not a .{fmt} draft: this is a zip archive (a Word .docx "
                                    f"saved with the wrong name?); rename it to .docx")''','''        return InputProblem("E009", tr("input.text-is-zip", fmt=fmt))'''),
('''        return InputProblem("E009", f"not a .{fmt} draft: this is a legacy Word .doc file; "
                                    f"save it as .docx")''','''        return InputProblem("E009", tr("input.text-is-doc", fmt=fmt))'''),
('''        return InputProblem("E009", f"not a .{fmt} draft: this is a PDF file")''','''        return InputProblem("E009", tr("input.text-is-pdf", fmt=fmt))'''),
('''        kind = "a directory" if stat.S_ISDIR(st.st_mode) else "not a regular file (a pipe, " \\
            "socket or device)"
        return Loaded(None, InputProblem("E001", f"cannot read file: {kind}"), st)''','''        kind = "input.not-regular-directory" if stat.S_ISDIR(st.st_mode) else "input.not-regular"
        return Loaded(None, InputProblem("E001", tr(kind)), st)'''),
('''        return Loaded(None, InputProblem(
            "E004", f"file is {size:,} bytes, over the limit of {max_bytes:,} "
                    f"(max-file-size); not checked"), st)''','''        return Loaded(None, InputProblem(
            "E004", tr("input.too-large", size=size, limit=max_bytes)), st)'''),
('''        return Loaded(None, InputProblem(
            "E004", f"file is over the limit of {max_bytes:,} bytes (max-file-size); "
                    f"not checked"), st)''','''        return Loaded(None, InputProblem(
            "E004", tr("input.too-large-read", limit=max_bytes)), st)'''),
('''            unit = "paragraph" if doc.format == "docx" else "line"
            return ReadResult(None, (*result.problems, InputProblem(
                "E010", f"{unit} {shown} is {len(line):,} characters long (limit "
                        f"{MAX_LINE_LENGTH:,}): not a draft paragraph (generated or "
                        f"minified data?); file not checked", shown, 1)))''','''            unit = tr("input.paragraph" if doc.format == "docx" else "input.line")
            return ReadResult(None, (*result.problems, InputProblem(
                "E010", tr("input.line-too-long", unit=unit, number=shown, length=len(line),
                           limit=MAX_LINE_LENGTH), shown, 1)))'''),
])
T='checker/readers/text.py'
patch(T, [
('''                return None, name, (InputProblem("E003", f"starts with a {name} byte-order mark "
                                                 f"but is not valid {name}: {exc.reason}"),)''','''                return None, name, (InputProblem("E003", tr("input.bad-bom", name=name,
                                                            reason=exc.reason)),)'''),
('''        return None, "", (InputProblem("E002", "binary file (contains NUL bytes); not checked"),)''','''        return None, "", (InputProblem("E002", tr("input.binary")),)'''),
('''            "E003", f"not valid UTF-8 (byte 0x{data[utf8_error.start]:02x} at offset "
                    f"{utf8_error.start}) nor GB18030; save the file as UTF-8", line),)''','''            "E003", tr("input.undecodable", byte=data[utf8_error.start],
                       offset=utf8_error.start), line),)'''),
('''        "E101", "decoded as GB18030/GBK, not UTF-8; consider saving the file as UTF-8"),)''','''        "E101", tr("input.gb18030")),)'''),
('''    more = f" ({count} in the file)" if count > 1 else ""
    return InputProblem("E013", f"invisible control character U+{ord(first.group()):04X}{more}, "
                                f"left by a copy from another program; delete it", line, column)''','''    more = tr("input.control-count", n=count) if count > 1 else ""
    return InputProblem("E013", tr("input.control", code=ord(first.group()), more=more),
                        line, column)'''),
('''        return ReadResult(None, (*problems, InputProblem("E002", "binary file (contains NUL "
                                                         "characters); not checked")))''','''        return ReadResult(None, (*problems, InputProblem("E002", tr("input.binary-text"))))'''),
('''InputProblem("E005", "empty file: nothing to check")''','''InputProblem("E005", tr("input.empty"))'''),
])
M='checker/readers/markdown.py'
patch(M, [
('''        return m.span(), {}, [InputProblem("E007", f"front matter is {len(body):,} characters "
                                           f"long (limit {MAX_FRONT_MATTER:,}); not read")]''','''        return m.span(), {}, [InputProblem("E007", tr("input.front-matter-long", length=len(body),
                                                      limit=MAX_FRONT_MATTER))]'''),
('''        return m.span(), {}, [InputProblem("E007", f"front matter is not valid {lang}: {detail}",
                                           1, 1)]''','''        return m.span(), {}, [InputProblem("E007", tr("input.front-matter-invalid", syntax=lang,
                                                      detail=detail), 1, 1)]'''),
('''            "E007", f"front matter must be a mapping of keys (such as 'title: ...'), got a "
                    f"{type(loaded).__name__}; it ends on line {end_line}")]''','''            "E007", tr("input.front-matter-not-mapping", type=type(loaded).__name__,
                       line=end_line))]'''),
('''        return f"unknown directive 'draftlint-{what}' (known: " + \\
            ", ".join(f"draftlint-{d}" for d in DIRECTIVES) + ")"''','''        return tr("input.unknown-directive", what=what,
                  known=", ".join(f"draftlint-{d}" for d in DIRECTIVES))'''),
('''        return (f"'draftlint-{what}': '{bad[0]}' is not a rule code, code prefix or rule name "
                f"(write e.g. 'draftlint-{what} P101 D')")''','''        return tr("input.bad-selector", what=what, selector=bad[0])'''),
('''            self.problems.append(InputProblem("E014", parsed + "; the comment is ignored",
                                              line, column))''','''            self.problems.append(InputProblem("E014", tr("input.comment-ignored", problem=parsed),
                                              line, column))'''),
('''                        "E014", f"'draftlint-enable {sel}' without an earlier "
                                f"'draftlint-disable {sel}'; the comment is ignored",
                        line, column))''','''                        "E014", tr("input.enable-without-disable", selector=sel), line, column))'''),
])
D='checker/readers/docx.py'
patch(D, [
('''        return _e("E006", f"not a valid .docx: the zip archive is truncated or damaged "
                          f"({exc}); open and save it again in Word or WPS")''','''        return _e("E006", tr("input.zip-damaged", reason=exc))'''),
('''        return _e("E008", f".docx archive has {len(infos):,} members (limit {MAX_MEMBERS:,}); "
                          f"not unpacked")''','''        return _e("E008", tr("input.zip-members", count=len(infos), limit=MAX_MEMBERS))'''),
('''        return _e("E008", f".docx would unpack to {total:,} bytes ({ratio:,.0f} times its size; "
                          f"limit {MAX_UNPACKED:,}): a zip bomb or not a draft; not unpacked")''','''        return _e("E008", tr("input.zip-bomb", size=total, ratio=ratio, limit=MAX_UNPACKED))'''),
('''        return _e("E006", "not a valid .docx: a zip archive without [Content_Types].xml (not "
                          "saved by Word or WPS)")''','''        return _e("E006", tr("input.zip-not-word"))'''),
('''        return _e("E006", "not a valid .docx: its XML is nested too deeply")''','''        return _e("E006", tr("input.docx-too-deep"))'''),
('''        return _e("E006", f"cannot read this .docx as a Word document ({type(exc).__name__}: "
                          f"{detail}); open and save it again in Word or WPS")''','''        return _e("E006", tr("input.docx-unreadable", reason=f"{type(exc).__name__}: {detail}"))'''),
('''        return ReadResult(None, (*problems, InputProblem("E005", "empty .docx: no text in the "
                                                          "document body")))''','''        return ReadResult(None, (*problems, InputProblem("E005", tr("input.docx-empty"))))'''),
('''        out.append(InputProblem("E015", f"the .docx has {comments} Word comment"
                                        f"{'s' if comments != 1 else ''} (批注); they are not "
                                        f"checked and must not be published: resolve and delete "
                                        f"them"))''','''        out.append(InputProblem("E015", tr("input.docx-comments", n=comments)))'''),
('''        out.append(InputProblem("E016", f"the .docx has {changes} unaccepted tracked change"
                                        f"{'s' if changes != 1 else ''}; checked as if all were "
                                        f"accepted: accept or reject them before publishing"))''','''        out.append(InputProblem("E016", tr("input.docx-changes", n=changes)))'''),
])
E='checker/engine.py'
patch(E, [
('''    if isinstance(exc, TimeoutError):
        what = "timed out on this file; its pattern may be too slow"
    else:
        what = f"failed on this file: {type(exc).__name__}: {exc}"
    return Diagnostic(path, 1, 1, 1, 1, "E900", "rule-failed", Severity.ERROR,
                      f"rule {rule.code} ({rule.name}) {what}")''','''    if isinstance(exc, TimeoutError):
        message = tr("input.rule-timed-out", code=rule.code, name=rule.name)
    else:
        message = tr("input.rule-failed", code=rule.code, name=rule.name,
                     reason=f"{type(exc).__name__}: {exc}")
    return Diagnostic(path, 1, 1, 1, 1, "E900", "rule-failed", Severity.ERROR, message)'''),
('''                        yield SourceFile(item, key), InputProblem(
                            "E012", "symbolic link loop: the link never reaches a file; not "
                                    "checked (fix or remove the link)")''','''                        yield SourceFile(item, key), InputProblem(
                            "E012", tr("input.link-loop-walk"))'''),
('''                yield SourceFile(directory, abs_dir), InputProblem(
                    "E011", f"directory nesting deeper than {max_depth} levels; "
                            f"{len(subdirs)} subdirector{'y' if len(subdirs) == 1 else 'ies'} "
                            f"below here not checked")''','''                yield SourceFile(directory, abs_dir), InputProblem(
                    "E011", tr("input.too-deep", limit=max_depth, n=len(subdirs)))'''),
('''                out.append(input_diagnostic(display, InputProblem(
                    "E014", f"suppression comment names '{sel}', which matches no rule (see "
                            f"'draftlint rules'); nothing is suppressed by it",
                    sup.line, sup.column), known))''','''                out.append(input_diagnostic(display, InputProblem(
                    "E014", tr("input.unknown-selector", selector=sel), sup.line, sup.column),
                    known))'''),
])
