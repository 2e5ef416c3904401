import re, sys
def patch(p, pairs, imp="from checker.i18n import tr"):
    s=open(p).read()
    for a,b in pairs:
        if a not in s: print("MISSING", p, a[:80], file=sys.stderr); continue
        s=s.replace(a,b)
    open(p,'w').write(s)
P='checker/packs.py'
patch(P, [
('''from checker.i18n import current_language, localized_text''','''from checker.i18n import current_language, localized_text, tr'''),
('''        raise ConfigError(f"{where}: rule {code}: key 'severity': expected error, warning "
                          f"or info, got {value!r}") from None''','''        raise ConfigError(tr("error.rule-key", where=where, code=code, key="severity",
                             problem=tr("error.expected-got", expected=tr("error.severity"),
                                        value=repr(value)))) from None'''),
('''    def bad(expected: str) -> ConfigError:
        return ConfigError(f"{where}: rule {code}: option '{key}': expected {expected}, "
                           f"got {type(value).__name__} {value!r}")''','''    def bad(expected: str) -> ConfigError:
        got = f"{type(value).__name__} {value!r}"
        return ConfigError(tr("error.rule-option", where=where, code=code, key=key,
                              problem=tr("error.expected-got", expected=expected, value=got)))'''),
('''            raise bad("a regular expression string")''','''            raise bad(tr("error.regex-string"))'''),
('''            raise ConfigError(f"{where}: rule {code}: option '{key}': invalid regular "
                              f"expression {pattern!r}: {exc}") from None''','''            raise ConfigError(tr("error.rule-option", where=where, code=code, key=key,
                                 problem=tr("error.invalid-regex", pattern=pattern,
                                            error=exc))) from None'''),
('''            raise bad("a string")''','''            raise bad(tr("error.string"))'''),
('''            raise bad("one of " + ", ".join(opt.choices))''','''            raise bad(tr("error.one-of", choices=", ".join(opt.choices)))'''),
('''            raise bad("true or false")''','''            raise bad(tr("error.bool"))'''),
('''            raise bad("an integer")''','''            raise bad(tr("error.integer"))'''),
('''            raise bad("a number")''','''            raise bad(tr("error.number"))'''),
('''            raise bad("a list")''','''            raise bad(tr("error.list"))'''),
('''            raise bad("a list of strings")''','''            raise bad(tr("error.string-list"))'''),
('''            raise bad("a mapping")''','''            raise bad(tr("error.mapping"))'''),
('''        raise ConfigError(f"{where}: rule {code}: key 'options': expected a mapping")''','''        raise ConfigError(tr("error.rule-key", where=where, code=code, key="options",
                             problem=tr("error.expected", expected=tr("error.mapping"))))'''),
('''        known = ", ".join(sorted(spec)) or "none"
        raise ConfigError(f"{where}: rule {code}: unknown option '{unknown[0]}' for kind "
                          f"'{kind}' (known: {known})")''','''        known = ", ".join(sorted(spec)) or tr("error.none")
        raise ConfigError(tr("error.rule", where=where, code=code,
                             problem=tr("error.unknown-option", option=unknown[0], kind=kind,
                                        known=known)))'''),
('''            raise ConfigError(f"{where}: rule {code}: option '{key}' is required for kind "
                              f"'{kind}'")''','''            raise ConfigError(tr("error.rule", where=where, code=code,
                                 problem=tr("error.option-required", option=key, kind=kind)))'''),
('''        raise ConfigError(f"{where}: rule {code}: key '{key}' {exc}") from None''','''        raise ConfigError(tr("error.rule-key", where=where, code=code, key=key,
                             problem=exc)) from None'''),
('''        raise ConfigError(f"{where}: rules[{index}]: expected a mapping")''','''        raise ConfigError(tr("error.entry", where=where, index=index,
                             problem=tr("error.expected", expected=tr("error.mapping"))))'''),
('''        raise ConfigError(f"{where}: rules[{index}]: key 'code': expected a letter and three "
                          f"digits such as P101, got {code!r}")''','''        raise ConfigError(tr("error.entry", where=where, index=index, problem=tr(
            "error.rule-key", where="", code="", key="code", problem=tr(
                "error.expected-got", expected=tr("error.code"), value=repr(code))
        ).split("code", 1)[0].lstrip(": ：") + "code: " + tr(
            "error.expected-got", expected=tr("error.code"), value=repr(code))))'''),
('''        raise ConfigError(f"{where}: rule {code}: unknown key '{unknown[0]}'")''','''        raise ConfigError(tr("error.rule", where=where, code=code,
                             problem=tr("error.unknown-key", key=unknown[0])))'''),
('''            raise ConfigError(f"{where}: rule {code}: key '{key}' is required (a string)")''','''            raise ConfigError(tr("error.rule", where=where, code=code,
                                 problem=tr("error.key-required", key=key)))'''),
('''        raise ConfigError(f"{where}: rule {code}: key 'name': expected kebab-case, got {name!r}")''','''        raise ConfigError(tr("error.rule-key", where=where, code=code, key="name",
                             problem=tr("error.expected-got", expected=tr("error.kebab-case"),
                                        value=repr(name))))'''),
('''        raise ConfigError(f"{where}: rule {code}: key 'kind': unknown kind {kind!r} "
                          f"(known: {', '.join(sorted(KINDS))})")''','''        raise ConfigError(tr("error.rule-key", where=where, code=code, key="kind",
                             problem=tr("error.unknown-kind", kind=kind,
                                        known=", ".join(sorted(KINDS)))))'''),
('''        raise ConfigError(f"{where}: rule {code}: key 'examples': expected a mapping with "
                          f"'bad' and 'good' lists")''','''        raise ConfigError(tr("error.rule-key", where=where, code=code, key="examples",
                             problem=tr("error.expected", expected=tr("error.examples"))))'''),
('''            raise ConfigError(f"{where}: rule {code}: key 'examples.{k}': expected strings")''','''            raise ConfigError(tr("error.rule-key", where=where, code=code, key=f"examples.{k}",
                                 problem=tr("error.expected", expected=tr("error.strings"))))'''),
('''        raise ConfigError(f"{where}: rule {code}: key 'formats': expected a list from "
                          f"{', '.join(FORMATS)}")''','''        raise ConfigError(tr("error.rule-key", where=where, code=code, key="formats",
                             problem=tr("error.expected", expected=tr(
                                 "error.formats", formats=", ".join(FORMATS)))))'''),
('''            raise ConfigError(f"{where}: rule {code}: key '{key}': expected true or false")''','''            raise ConfigError(tr("error.rule-key", where=where, code=code, key=key,
                                 problem=tr("error.expected", expected=tr("error.bool"))))'''),
('''        raise ConfigError(f"{path}: cannot read {what}: {exc.strerror or exc}") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from None''','''        raise ConfigError(tr("error.cannot-read", path=path, what=tr(f"error.what.{what}"),
                             reason=exc.strerror or exc)) from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ConfigError(tr("error.not-yaml", path=path, error=exc)) from None'''),
('''        raise ConfigError(f"{where}: a rule pack is a mapping with a 'rules' list")''','''        raise ConfigError(tr("error.not-pack", where=where))'''),
('''        raise ConfigError(f"{where}: unknown top-level key '{unknown[0]}'")''','''        raise ConfigError(tr("error.unknown-top-key", where=where, key=unknown[0]))'''),
('''                    raise ConfigError(f"{rule.source}: rule {rule.code}: {key} is already "
                                      f"defined in {table[key].source}")''','''                    raise ConfigError(tr("error.defined-twice", where=rule.source,
                                         code=rule.code, key=key, other=table[key].source))'''),
])
