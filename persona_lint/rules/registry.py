"""The rule registry: one entry per diagnostic code, found by code or by name.

A rule is a small pure function over a parsed document (or, for cross-file rules, over what
the run knows of every document) that yields diagnostics. It declares everything about
itself, and every list is derived from those declarations:

- its code, name, default severity and one-line summary;
- its options, with their defaults (``options={"name": default}``), which it reads through
  its context (``context.options["name"]``) and which the documentation renders;
- whether it is off by default (``default_enabled=False``);
- whether it is fixable (``fixable=True``): it then attaches its fix to each diagnostic it
  can repair (``finding(..., fix=Fix.safe(...))``), and ``--fix`` applies it;
- its documentation: the function's docstring (see :mod:`persona_lint.rules.docs`).

Document rules are registered with :func:`rule`, cross-file rules with :func:`corpus_rule`.
"""

from __future__ import annotations

import importlib
import inspect
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple

from persona_lint.diagnostics import Diagnostic, Fix, Severity
from persona_lint.rules.options import option_kind

if TYPE_CHECKING:
    from persona_lint.document.model import Document
    from persona_lint.engine.result import PersonaFacts
    from persona_lint.rules.context import RuleContext

DocumentCheck = Callable[["Document", "RuleContext"], Iterable[Diagnostic]]
# Cross-file rules see what the cache keeps of each persona, not the parsed documents, so a
# run served from the cache still checks across files.
CorpusCheck = Callable[[Sequence["PersonaFacts"], "RuleContext"], Iterable[Diagnostic]]

DOCS_URL = "https://github.com/persona-lint/persona-lint/blob/main/docs/rules.md"
# Where rules that do not ship with persona-lint (configuration, plugins) are explained.
TEAM_DOCS_URL = "https://github.com/persona-lint/persona-lint/blob/main/docs/plugins.md"
# The letters of persona-lint's own rule families (personas, BMAD agents): never a team's.
BUILT_IN_PREFIXES = ("PL", "BM")
# A code: a family's letters (``PL``, a team's ``ACME``), then digits.
CODE_SHAPE = re.compile(r"[A-Z]{2,10}[0-9]{1,6}")

# The codes of the rules declared ``default_enabled=False``. Applying the selection to
# cached results must not import the rule families: that costs a third of a fully cached
# run (0.20 s -> 0.27 s on personas/, measured), so the codes are written here too and
# registering a rule checks that its declaration agrees.
DEFAULT_OFF = frozenset({"PL220"})
# The codes that say a file could not be checked: a bug (PL001), not UTF-8 text (PL002), too
# large (PL003), unreadable (PL004), a named file of no format (PL100), a BMAD agent whose
# <agent> block stands in a fence that is not ```xml, so no rule reads it (BM200). A selection
# chooses which checks run; it must not turn "not checked" into "passed", so these are
# selected whatever ``select``, ``ignore`` or ``per-file-ignores`` say. Only ``severity``
# naming one of them alone (or an inline suppression) changes how one is reported.
NOT_CHECKED = frozenset({"PL001", "PL002", "PL003", "PL004", "PL100", "BM200"})
# The family module that holds every cross-file rule: a run served from the cache imports
# it alone to check across files.
CORPUS_FAMILY = "corpus"
NO_OPTIONS: Mapping[str, Any] = MappingProxyType({})


class Rule(NamedTuple):
    """A registered rule: its declaration and its check."""

    code: str
    name: str
    severity: Severity
    summary: str
    check: DocumentCheck | None = None
    check_all: CorpusCheck | None = None
    # ``--fix`` can repair it without changing what the persona means: its diagnostics
    # carry their fix when it has one for them.
    fixable: bool = False
    # False: not in the default selection; enabled only when a selection names it.
    default_enabled: bool = True
    # Option name -> default value, read by the check as ``context.options[name]``.
    options: Mapping[str, Any] = NO_OPTIONS
    # The documentation of a rule that has no docstring (a rule in configuration).
    documentation: str = ""
    # Where the rule is documented, when not in docs/rules.md.
    url: str | None = None
    # The plugin that registered the rule (None: persona-lint's own, or configuration).
    plugin: str | None = None

    @property
    def doc(self) -> str:
        """The check's docstring, dedented (or the declared documentation)."""
        if self.documentation:
            return self.documentation
        function = self.check or self.check_all
        return inspect.cleandoc(function.__doc__ or "") if function else ""

    @property
    def family(self) -> str:
        """The code's letters and first digit (``PL3`` for the version table rules)."""
        letters = self.code.rstrip("0123456789")
        return self.code[: len(letters) + 1]

    @property
    def cross_file(self) -> bool:
        """Whether the rule checks across the documents of a run."""
        return self.check_all is not None

    @property
    def help_uri(self) -> str:
        """Where the rule is documented online."""
        if self.url is not None:
            return self.url
        if self.plugin is not None or not self.code.startswith(BUILT_IN_PREFIXES):
            return TEAM_DOCS_URL
        return f"{DOCS_URL}#{self.code.lower()}-{self.name}"


RULES: dict[str, Rule] = {}
_BY_NAME: dict[str, Rule] = {}
# Rules in configuration, described here for listings, selectors and reports (each file's
# Settings carry the ones that run for it): code -> (the file defining it, the rule).
_CONFIGURED: dict[str, tuple[str, Rule]] = {}
# The plugin being loaded: the rules it registers are marked with its name.
_loading_plugin: str | None = None


def _register(rule: Rule) -> None:
    """Add ``rule``, checking that its declaration agrees with the registry's constants."""
    if _loading_plugin is not None:
        if rule.code.startswith(BUILT_IN_PREFIXES) or not CODE_SHAPE.fullmatch(rule.code):
            raise ValueError(
                f"rule code {rule.code!r}: a plugin's codes are a team's letters (not PL or BM) "
                "and digits, such as ACME201"
            )
        if rule.check_all is not None:
            raise ValueError(f"rule {rule.code}: plugins register per-document rules only")
        rule = rule._replace(plugin=_loading_plugin)
    taken = RULES.get(rule.code) or _BY_NAME.get(rule.name)
    if taken is None and _configured(rule.code, rule.name) is not None:
        raise ValueError(f"rule {rule.code} {rule.name} is taken by a rule in configuration")
    if taken is not None:
        owner = f"plugin {taken.plugin!r}" if taken.plugin else "persona-lint"
        raise ValueError(
            f"rule {rule.code} {rule.name} registered twice (taken by {taken.code} "
            f"{taken.name} of {owner})"
        )
    for option, default in rule.options.items():
        if option_kind(default) is None:
            raise ValueError(
                f"rule {rule.code}: option {option!r} defaults to {default!r}; an option is "
                "a list of strings, a whole number, true or false, or a string"
            )
    if rule.plugin is not None and not rule.default_enabled:
        raise ValueError(f"rule {rule.code}: a plugin's rules are enabled by default")
    if rule.plugin is None and rule.default_enabled == (rule.code in DEFAULT_OFF):
        raise ValueError(f"rule {rule.code}: default_enabled disagrees with DEFAULT_OFF")
    home = f"{__package__}.{CORPUS_FAMILY}"
    if rule.plugin is None and rule.check_all is not None and rule.check_all.__module__ != home:
        raise ValueError(f"rule {rule.code}: cross-file rules live in rules/{CORPUS_FAMILY}.py")
    RULES[rule.code] = rule
    _BY_NAME[rule.name] = rule


def rule(
    code: str,
    name: str,
    severity: Severity,
    summary: str,
    *,
    fixable: bool = False,
    default_enabled: bool = True,
    options: Mapping[str, Any] | None = None,
) -> Callable[[DocumentCheck], DocumentCheck]:
    """Register a per-document rule; the decorated function's docstring documents it."""
    declared = NO_OPTIONS if not options else MappingProxyType(dict(options))

    def register(check: DocumentCheck) -> DocumentCheck:
        _register(
            Rule(
                code,
                name,
                severity,
                summary,
                check=check,
                fixable=fixable,
                default_enabled=default_enabled,
                options=declared,
            )
        )
        return check

    return register


def corpus_rule(
    code: str,
    name: str,
    severity: Severity,
    summary: str,
    *,
    options: Mapping[str, Any] | None = None,
) -> Callable[[CorpusCheck], CorpusCheck]:
    """Register a rule over all documents of a run (cross-file checks)."""
    declared = NO_OPTIONS if not options else MappingProxyType(dict(options))

    def register(check: CorpusCheck) -> CorpusCheck:
        _register(Rule(code, name, severity, summary, check_all=check, options=declared))
        return check

    return register


# The family modules below persona_lint.rules, by the code prefix of their rules: a run
# that checks only personas never imports the BMAD family (nor the BMAD format it reads).
FAMILIES = {
    "PL": (
        "structure",
        "xml",
        "version",
        "identity",
        "gates",
        "metrics",
        "sequences",
        "corpus",
        "template",
    ),
    "BM": ("bmad",),
}
_loaded: set[str] = set()  # the prefixes whose families are imported


def load_families(*prefixes: str) -> None:
    """Import the family modules of ``prefixes`` (none: every family), once; PL's always.

    Importing a family module registers its rules. The PL families hold the checks of
    every format (PL0xx); a prefix with no family (a team's) is passed over.
    """
    for prefix in (*prefixes, "PL") if prefixes else tuple(FAMILIES):
        if prefix in FAMILIES and prefix not in _loaded:
            for family in FAMILIES[prefix]:
                importlib.import_module(f"persona_lint.rules.{family}")
            _loaded.add(prefix)


def get_rule(code_or_name: str) -> Rule | None:
    """Find a rule by its code (``PL305``, any case) or its name (``version-semver``)."""
    code, name = code_or_name.upper(), code_or_name.lower()
    load_families(code[:2])  # every family only if the code's does not have it
    found = RULES.get(code) or _BY_NAME.get(name)
    if found is None:
        load_families()
        found = RULES.get(code) or _BY_NAME.get(name)
    return found or _configured(code, name)


def all_rules() -> Iterator[Rule]:
    """Every rule, sorted by code: persona-lint's, plugins' and those in configuration."""
    if not _CONFIGURED:
        return iter(_sorted_rules())
    described = [rule for _, rule in _CONFIGURED.values()]
    return iter(sorted([*_sorted_rules(), *described], key=lambda rule: rule.code))


def _configured(code: str, name: str) -> Rule | None:
    """The rule in configuration with this code or name, if one is described."""
    found = _CONFIGURED.get(code)
    if found is None:
        found = next((entry for entry in _CONFIGURED.values() if entry[1].name == name), None)
    return found[1] if found is not None else None


def describe_configured(origin: str, rule: Rule) -> None:
    """Make a rule in configuration known to listings, selectors and reports.

    ``origin``: the configuration file defining it. ValueError when its code or name is
    taken by another rule: persona-lint's, a plugin's, or a different rule of another file
    (two files may share the same definition).
    """
    load_families()
    previous = _CONFIGURED.get(rule.code)
    if previous is not None and previous[1] == rule:
        return
    taken = RULES.get(rule.code) or _BY_NAME.get(rule.name) or _configured(rule.code, rule.name)
    if taken is not None:
        if taken.plugin is not None:
            owner = f"plugin {taken.plugin!r}"
        elif taken.code in _CONFIGURED:
            owner = _CONFIGURED[taken.code][0]
        else:
            owner = "persona-lint"
        raise ValueError(f"collides with {taken.code} {taken.name} of {owner}")
    _CONFIGURED[rule.code] = (origin, rule)


def forget_configured(origin: str) -> None:
    """Forget the rules file ``origin`` defined: it is being read again."""
    for code in [code for code, (where, _) in _CONFIGURED.items() if where == origin]:
        del _CONFIGURED[code]


@contextmanager
def loading_plugin(name: str) -> Iterator[None]:
    """Mark the rules registered meanwhile as plugin ``name``'s (and check their codes)."""
    global _loading_plugin
    _loading_plugin = name
    try:
        yield
    finally:
        _loading_plugin = None


def forget_plugin(name: str) -> None:
    """Forget the rules plugin ``name`` registered: it failed to load."""
    for code in [code for code, rule in RULES.items() if rule.plugin == name]:
        del _BY_NAME[RULES.pop(code).name]


def plugin_rules(name: str) -> list[Rule]:
    """The rules plugin ``name`` registered, sorted by code."""
    return [rule for rule in _sorted_rules() if rule.plugin == name]


# The registry as last sorted, and the document rules of each selection: a lint asks for
# them once per file. Keyed on the registry's entries, so a rule added later (tests do)
# is seen.
_sorted: tuple[tuple[Rule, ...], tuple[Rule, ...]] = ((), ())
_checks: dict[frozenset[str] | None, tuple[tuple[Rule, ...], tuple[Rule, ...]]] = {}


def _sorted_rules(*prefixes: str) -> tuple[Rule, ...]:
    """The rules once the families of ``prefixes`` (none: all) are loaded, sorted by code."""
    global _sorted
    load_families(*prefixes)
    entries = tuple(RULES.values())
    if _sorted[0] != entries:
        _sorted = (entries, tuple(RULES[code] for code in sorted(RULES)))
    return _sorted[1]


def document_rules(select: frozenset[str] | None, prefix: str | None = None) -> tuple[Rule, ...]:
    """The per-document rules that selection ``select`` enables, sorted by code.

    ``None`` is the default selection: every rule but those off by default. ``prefix``: only
    that family's rules are wanted, so only its modules need be imported (the result may
    still hold rules of families imported before: the caller filters them).
    """
    ordered = _sorted_rules() if prefix is None else _sorted_rules(prefix)
    cached = _checks.get(select)
    if cached is None or cached[0] is not ordered:
        chosen = tuple(
            rule
            for rule in ordered
            if rule.check is not None
            and (rule.default_enabled if select is None else rule.code in select)
        )
        cached = _checks[select] = (ordered, chosen)
    return cached[1]


def corpus_rules() -> tuple[Rule, ...]:
    """The cross-file rules, sorted by code; imports only the family that holds them."""
    importlib.import_module(f"{__package__}.{CORPUS_FAMILY}")
    return tuple(sorted((r for r in RULES.values() if r.cross_file), key=lambda r: r.code))


def fixable_codes() -> frozenset[str]:
    """The codes of the rules that attach fixes to their diagnostics."""
    return frozenset(rule.code for rule in _sorted_rules() if rule.fixable)


def finding(
    code: str,
    document: Document,
    line: int,
    column: int,
    message: str,
    *,
    end_line: int | None = None,
    end_column: int | None = None,
    data: tuple[tuple[str, object], ...] | None = None,
    fix: Fix | None = None,
) -> Diagnostic:
    """A diagnostic of rule ``code`` in ``document``, with the rule's default severity.

    ``fix``: the repair, for a fixable rule that has one for this finding.
    """
    return Diagnostic(
        path=document.path,
        line=line,
        column=column,
        code=code,
        message=message,
        severity=RULES[code].severity,
        end_line=end_line if end_line is not None else line if end_column is not None else None,
        end_column=end_column,
        data=data,
        fix=fix,
    )
