"""The rule registry: one entry per diagnostic code, found by code or by name.

A rule is a small pure function over a parsed document (or, for cross-file rules, over all
documents of a run) that yields diagnostics. Its docstring is its documentation: what it
checks and why, shown by ``persona-lint explain``, in the README's rule table and in SARIF
rule metadata. Each rule also carries a failing and a passing example, written as an edit
of the canonical persona; the test suite applies both, so the documentation cannot lie.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, NamedTuple

from persona_lint.diagnostics import Diagnostic, Severity

if TYPE_CHECKING:
    from persona_lint.document.model import Document
    from persona_lint.engine.result import PersonaFacts
    from persona_lint.rules.context import RuleContext

DocumentCheck = Callable[["Document", "RuleContext"], Iterable[Diagnostic]]
# Cross-file rules see what the cache keeps of each persona, not the parsed documents, so a
# run served from the cache still checks across files.
CorpusCheck = Callable[[Sequence["PersonaFacts"], "RuleContext"], Iterable[Diagnostic]]

DOCS_URL = "https://github.com/persona-lint/persona-lint/blob/main/docs/rules.md"

# Rules that only run when selected by name, code, prefix or ``ALL`` (``default_enabled``
# False). Kept here as a constant so that applying the selection to cached results does not
# import the rule families (and their parsers); registering a rule checks the two agree.
DEFAULT_OFF = frozenset({"PL220"})
# The codes that say a file could not be checked: a bug (PL001), not UTF-8 text (PL002), too
# large (PL003), unreadable (PL004), a named file that is no persona (PL100). A selection
# chooses which checks run; it must not turn "not checked" into "passed", so these are
# selected whatever ``select``, ``ignore`` or ``per-file-ignores`` say. Only ``severity``
# naming one of them alone (or an inline suppression) changes how one is reported.
NOT_CHECKED = frozenset({"PL001", "PL002", "PL003", "PL004", "PL100"})


class Edit(NamedTuple):
    """Replace every occurrence of ``find`` in the canonical persona with ``replace``."""

    find: str
    replace: str

    def apply(self, text: str) -> str:
        if self.find not in text:
            raise ValueError(f"example edit does not apply: {self.find!r} not found")
        return text.replace(self.find, self.replace)


class Rule(NamedTuple):
    code: str
    name: str
    severity: Severity
    summary: str
    check: DocumentCheck | None = None
    check_all: CorpusCheck | None = None
    fails: Edit | None = None
    passes: Edit | None = None
    # ``--fix`` can repair it without changing what the persona means (persona_lint.fix.engine).
    fixable: bool = False
    # False: not in the default selection; enabled only when a selection names it.
    default_enabled: bool = True

    @property
    def doc(self) -> str:
        function = self.check or self.check_all
        return inspect.cleandoc(function.__doc__ or "") if function else ""

    @property
    def family(self) -> str:
        return self.code[:3]

    @property
    def help_uri(self) -> str:
        return f"{DOCS_URL}#{self.code.lower()}-{self.name}"


RULES: dict[str, Rule] = {}
_BY_NAME: dict[str, Rule] = {}


def _register(rule: Rule) -> None:
    if rule.code in RULES or rule.name in _BY_NAME:
        raise ValueError(f"rule {rule.code} {rule.name} registered twice")
    if rule.default_enabled == (rule.code in DEFAULT_OFF):
        raise ValueError(f"rule {rule.code}: default_enabled disagrees with DEFAULT_OFF")
    RULES[rule.code] = rule
    _BY_NAME[rule.name] = rule


def rule(
    code: str,
    name: str,
    severity: Severity,
    summary: str,
    *,
    fails: Edit | None = None,
    passes: Edit | None = None,
    fixable: bool = False,
    default_enabled: bool = True,
) -> Callable[[DocumentCheck], DocumentCheck]:
    """Register a per-document rule; the decorated function's docstring documents it."""

    def register(check: DocumentCheck) -> DocumentCheck:
        _register(
            Rule(
                code,
                name,
                severity,
                summary,
                check,
                None,
                fails,
                passes,
                fixable,
                default_enabled,
            )
        )
        return check

    return register


def corpus_rule(
    code: str, name: str, severity: Severity, summary: str
) -> Callable[[CorpusCheck], CorpusCheck]:
    """Register a rule over all documents of a run (cross-file checks)."""

    def register(check: CorpusCheck) -> CorpusCheck:
        _register(Rule(code, name, severity, summary, None, check))
        return check

    return register


FAMILIES = (
    "structure",
    "xml",
    "version",
    "identity",
    "gates",
    "metrics",
    "sequences",
    "corpus",
    "template",
)


_families_loaded = False


def load_families() -> None:
    """Import every family module, which registers its rules (once)."""
    global _families_loaded
    if _families_loaded:
        return
    import importlib

    for family in FAMILIES:
        importlib.import_module(f"persona_lint.rules.{family}")
    _families_loaded = True


def get_rule(code_or_name: str) -> Rule | None:
    """Find a rule by its code (``PL305``, any case) or its name (``version-semver``)."""
    load_families()
    return RULES.get(code_or_name.upper()) or _BY_NAME.get(code_or_name.lower())


def all_rules() -> Iterator[Rule]:
    """Every rule, sorted by code."""
    return iter(_sorted_rules())


# The registry as last sorted, and the document rules of each selection: a lint asks for
# them once per file. Keyed on the registry's entries, so a rule added later (tests do)
# is seen.
_sorted: tuple[tuple[Rule, ...], tuple[Rule, ...]] = ((), ())
_checks: dict[frozenset[str] | None, tuple[tuple[Rule, ...], tuple[Rule, ...]]] = {}


def _sorted_rules() -> tuple[Rule, ...]:
    global _sorted
    load_families()
    entries = tuple(RULES.values())
    if _sorted[0] != entries:
        _sorted = (entries, tuple(RULES[code] for code in sorted(RULES)))
    return _sorted[1]


def document_rules(select: frozenset[str] | None) -> tuple[Rule, ...]:
    """The per-document rules that selection ``select`` enables, sorted by code (``None``
    is the default selection: every rule but those off by default)."""
    ordered = _sorted_rules()
    cached = _checks.get(select)
    if cached is None or cached[0] is not ordered:
        chosen = tuple(
            rule
            for rule in ordered
            if rule.check is not None
            and (rule.code not in DEFAULT_OFF if select is None else rule.code in select)
        )
        cached = _checks[select] = (ordered, chosen)
    return cached[1]


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
) -> Diagnostic:
    """A diagnostic of rule ``code`` in ``document``, with the rule's default severity."""
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
    )
