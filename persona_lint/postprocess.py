"""After the rules: selection and severity overrides, cross-file rules, inline suppressions.

Kept apart from the parsers so that a run served entirely from the cache imports neither
markdown-it nor an XML validator.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence

from persona_lint.diagnostics import Diagnostic
from persona_lint.result import FileResult
from persona_lint.rules.registry import DEFAULT_OFF
from persona_lint.settings import Settings
from persona_lint.suppress import apply_suppressions


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
    """Whether ``code`` is selected; ``select`` None is the default selection, which leaves
    out the rules that are off by default."""
    if settings.select is None:
        return code not in DEFAULT_OFF
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
        finished.append(suppress(result))
    return finished


def corpus_findings(
    results: Sequence[FileResult], settings: Settings | None = None
) -> dict[str, list[Diagnostic]]:
    """The cross-file rules' diagnostics, by path (before selection and suppressions)."""
    from persona_lint.rules.context import RuleContext
    from persona_lint.rules.corpus import CORPUS_RULES

    facts = [r.facts for r in results if r.facts is not None and not r.skipped]
    extra: dict[str, list[Diagnostic]] = {}
    context = RuleContext(settings or Settings())
    for check in CORPUS_RULES:
        try:
            found = list(check(facts, context))
        except Exception as exc:  # a bug in a cross-file rule must not end the run
            found = [
                Diagnostic(
                    fact.path,
                    1,
                    1,
                    "PL001",
                    f"internal error in cross-file rule {check.__name__}: {type(exc).__name__}",
                )
                for fact in facts
            ]
        for diagnostic in found:
            extra.setdefault(diagnostic.path, []).append(diagnostic)
    return extra


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
