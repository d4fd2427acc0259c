"""The one pure core: bytes or text of a file, plus settings, in; diagnostics out.

Nothing here reads files, prints or looks at the environment: the CLI and the language
server call :func:`lint_source` with what they read, then :func:`check_corpus` for the rules
that look across files.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from persona_lint.diagnostics import Diagnostic, Severity
from persona_lint.document import Document, parse_document
from persona_lint.rules import all_rules
from persona_lint.rules.context import RuleContext
from persona_lint.rules.registry import RULES
from persona_lint.settings import Settings
from persona_lint.source import SourceProblem, decode


@dataclass(frozen=True)
class FileResult:
    """What linting one file gave."""

    path: str
    diagnostics: tuple[Diagnostic, ...]
    document: Document | None = None
    # Found by walking a directory and not a persona document: skipped, not reported.
    skipped: bool = False


def lint_source(
    path: str,
    data: bytes | str,
    settings: Settings | None = None,
    *,
    explicit: bool = True,
) -> FileResult:
    """Lint one file's contents. ``explicit``: the file was named, not found by a walk."""
    settings = settings or Settings()
    if isinstance(data, bytes):
        if len(data) > settings.max_file_size:
            return _only(path, "PL003", 1, 1, _too_large(settings), settings)
        text = decode(data)
        if isinstance(text, SourceProblem):
            return _only(path, "PL002", text.line, text.column, text.message, settings)
    else:
        text = data.replace("\r\n", "\n").replace("\r", "\n").removeprefix("\ufeff")
        if len(text.encode("utf-8", "surrogatepass")) > settings.max_file_size:
            return _only(path, "PL003", 1, 1, _too_large(settings), settings)
    document = parse_document(path, text)
    if not document.has_persona_markers:
        if not explicit:
            return FileResult(path, (), document, skipped=True)
        message = (
            "not a persona document: no version table, no '# <Name> Persona' title and "
            "no <persona_context> block"
        )
        return _only(path, "PL100", 1, 1, message, settings)
    context = RuleContext(settings)
    found: list[Diagnostic] = []
    for rule in all_rules():
        if rule.check is None or not _enabled(rule.code, settings):
            continue
        try:
            found.extend(rule.check(document, context))
        except Exception as exc:
            found.append(
                _diagnostic(
                    path,
                    "PL001",
                    1,
                    1,
                    f"internal error in rule {rule.code} ({rule.name}): {type(exc).__name__}",
                )
            )
    return FileResult(path, tuple(sorted(finalize(found, settings))), document)


def check_corpus(
    results: Sequence[FileResult], settings: Settings | None = None
) -> list[FileResult]:
    """Run the cross-file rules over every linted document and merge their findings."""
    settings = settings or Settings()
    documents = [r.document for r in results if r.document is not None and not r.skipped]
    extra: dict[str, list[Diagnostic]] = {}
    context = RuleContext(settings)
    for rule in all_rules():
        if rule.check_all is None or not _enabled(rule.code, settings):
            continue
        for diagnostic in rule.check_all(documents, context):
            extra.setdefault(diagnostic.path, []).append(diagnostic)
    if not extra:
        return list(results)
    return [
        dataclasses.replace(
            r,
            diagnostics=tuple(sorted([*r.diagnostics, *finalize(extra.get(r.path, []), settings)])),
        )
        for r in results
    ]


def finalize(diagnostics: Iterable[Diagnostic], settings: Settings) -> list[Diagnostic]:
    """Apply the settings' selection and severity overrides to rule findings."""
    overrides = dict(settings.severity)
    out = []
    for diagnostic in diagnostics:
        if not _enabled(diagnostic.code, settings):
            continue
        severity = overrides.get(diagnostic.code)
        if severity is not None and severity is not diagnostic.severity:
            diagnostic = dataclasses.replace(diagnostic, severity=severity)
        out.append(diagnostic)
    return out


def _enabled(code: str, settings: Settings) -> bool:
    return settings.select is None or code in settings.select


def _too_large(settings: Settings) -> str:
    return f"file is larger than max-file-size ({settings.max_file_size} bytes); not parsed"


def _diagnostic(path: str, code: str, line: int, column: int, message: str) -> Diagnostic:
    return Diagnostic(path, line, column, code, message, RULES[code].severity)


def _only(
    path: str,
    code: str,
    line: int,
    column: int,
    message: str,
    settings: Settings | None = None,
) -> FileResult:
    found = finalize([_diagnostic(path, code, line, column, message)], settings or Settings())
    return FileResult(path, tuple(found))


def problem(path: str, code: str, message: str, settings: Settings | None = None) -> FileResult:
    """A file-level problem found by the caller (unreadable file, refused symlink)."""
    return _only(path, code, 1, 1, message, settings)


__all__ = ["FileResult", "Severity", "check_corpus", "lint_source", "problem"]
