"""After the rules: selection and severity overrides, cross-file rules, inline suppressions.

Kept apart from the parsers so that a run served entirely from the cache imports neither
markdown-it nor an XML validator.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from typing import Any

from persona_lint.config.settings import Settings
from persona_lint.diagnostics import Diagnostic, Severity
from persona_lint.engine.result import FileResult, PersonaFacts
from persona_lint.engine.suppress import apply_suppressions
from persona_lint.errors import describe
from persona_lint.rules.context import RuleContext
from persona_lint.rules.options import configured_for, options_in_force
from persona_lint.rules.registry import DEFAULT_OFF, Rule, corpus_rules


def finalize(diagnostics: Iterable[Diagnostic], settings: Settings) -> list[Diagnostic]:
    """Apply the settings' selection and severity overrides to rule findings."""
    overrides = dict(settings.severity)
    out = []
    for diagnostic in diagnostics:
        if not enabled(diagnostic.code, settings):
            continue
        severity = overrides.get(diagnostic.code)
        if severity is not None and severity is not diagnostic.severity:
            diagnostic = dataclasses.replace(diagnostic, severity=severity)
        out.append(diagnostic)
    return out


def enabled(code: str, settings: Settings) -> bool:
    """Return whether ``code`` is selected.

    ``select`` None is the default selection, which leaves out the rules that are off by
    default.
    """
    if settings.select is None:
        return code not in DEFAULT_OFF  # the rules declared default_enabled=False
    return code in settings.select


def check_corpus(
    results: Sequence[FileResult], settings: Settings | None = None
) -> list[FileResult]:
    """Run the cross-file rules over every linted persona, then inline suppressions."""
    extra = corpus_findings(results, settings)
    finished = []
    for result in results:
        added = finalize(extra.get(result.path, []), result.settings)
        if added:
            result = result._replace(diagnostics=(*result.diagnostics, *added))
        finished.append(cap_findings(suppress(result)))
    return finished


def corpus_findings(
    results: Sequence[FileResult], settings: Settings | None = None
) -> dict[str, list[Diagnostic]]:
    """The cross-file rules' diagnostics, by path (before selection and suppressions)."""
    facts = [r.facts for r in results if r.facts is not None and not r.skipped]
    extra: dict[str, list[Diagnostic]] = {}
    context = RuleContext(settings or Settings())
    for rule in corpus_rules():
        check = rule.check_all
        assert check is not None
        try:
            found = _in_each_file_options(rule, facts, results, context)
        except Exception as exc:  # a bug in a cross-file rule must not end the run
            found = [
                Diagnostic(
                    fact.path,
                    1,
                    1,
                    "PL001",
                    f"internal error in cross-file rule {check.__name__}: {describe(exc)}",
                )
                for fact in facts
            ]
        for diagnostic in found:
            extra.setdefault(diagnostic.path, []).append(diagnostic)
    return extra


def _in_each_file_options(
    rule: Rule, facts: list[PersonaFacts], results: Sequence[FileResult], context: RuleContext
) -> list[Diagnostic]:
    """A cross-file rule's findings, each file's with the rule's options in force for it.

    The rule runs once per set of options the files' configurations give it (once, unless
    they differ), and each file keeps the findings of the run with its own options.
    """
    assert rule.check_all is not None
    covered: dict[tuple[tuple[str, Any], ...], set[str]] = {}
    for result in results:
        chosen = configured_for(rule.code, result.settings.rule_options)
        covered.setdefault(chosen, set()).add(result.path)
    found: list[Diagnostic] = []
    for chosen, paths in covered.items():
        options = options_in_force(rule.code, rule.options, ((rule.code, chosen),))
        ran = rule.check_all(facts, context._replace(options=options))
        found += ran if len(covered) == 1 else (d for d in ran if d.path in paths)
    return found


def suppress(result: FileResult) -> FileResult:
    """Apply the file's inline suppressions (once) and sort its diagnostics."""
    if result.suppressed:
        return result
    diagnostics: Iterable[Diagnostic] = result.diagnostics
    if result.lines:
        diagnostics = finalize(
            apply_suppressions(
                result.path, result.lines, result.diagnostics, result.settings.select
            ),
            result.settings,
        )
    return result._replace(diagnostics=tuple(sorted(diagnostics)), suppressed=True)


# Findings of one rule in one file shown in full; the rest become one summary diagnostic.
# A line of 6,500 "TODO" is 6,500 PL901: beyond a hundred, more of them tell nothing new,
# and every format's cost grows with the number of diagnostics (docs/security.md).
MAX_FINDINGS_PER_RULE = 100


def cap_findings(result: FileResult) -> FileResult:
    """Keep the first :data:`MAX_FINDINGS_PER_RULE` diagnostics of each code in the file.

    The rest of that code become one ``… and N more`` diagnostic at the first one left out,
    an error if any left out is one (the verdict never changes). One past the cap is kept
    as it is rather than summarised, which also makes capping a capped result a no-op (a
    cached result may be capped again).
    """
    counts: dict[str, int] = {}
    for diagnostic in result.diagnostics:
        counts[diagnostic.code] = counts.get(diagnostic.code, 0) + 1
    if all(count <= MAX_FINDINGS_PER_RULE + 1 for count in counts.values()):
        return result
    kept: list[Diagnostic] = []
    seen: dict[str, int] = {}
    dropped: dict[str, list[Diagnostic]] = {}
    for diagnostic in result.diagnostics:  # sorted by suppress()
        index = seen[diagnostic.code] = seen.get(diagnostic.code, 0) + 1
        if index <= MAX_FINDINGS_PER_RULE or counts[diagnostic.code] <= MAX_FINDINGS_PER_RULE + 1:
            kept.append(diagnostic)
        else:
            dropped.setdefault(diagnostic.code, []).append(diagnostic)
    for code, rest in dropped.items():
        first = rest[0]
        severity = Severity.ERROR if any(d.is_error for d in rest) else first.severity
        message = (
            f"\u2026 and {len(rest)} more {code} findings in this file (at most "
            f"{MAX_FINDINGS_PER_RULE} of one rule are shown per file)"
        )
        kept.append(Diagnostic(first.path, first.line, first.column, code, message, severity))
    return result._replace(diagnostics=tuple(sorted(kept)))
