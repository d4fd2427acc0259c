"""The one pure core: bytes or text of a file, plus settings, in; diagnostics out.

Nothing here reads files, prints or looks at the environment: the CLI and the language
server call :func:`lint_source` with what they read, then :func:`check_corpus` for the rules
that look across files. Severity overrides, rule selection and inline suppressions are
applied here, after the rules, so rules stay pure and simple.
"""

from __future__ import annotations

from persona_lint.diagnostics import Diagnostic
from persona_lint.document import Document, parse_document
from persona_lint.postprocess import cap_findings, check_corpus, finalize, suppress
from persona_lint.result import FileResult, PersonaFacts
from persona_lint.rules.context import RuleContext
from persona_lint.rules.registry import document_rules, get_rule
from persona_lint.settings import Settings
from persona_lint.source import SourceProblem, decode
from persona_lint.suppress import may_hold_directives


def lint_source(
    path: str,
    data: bytes | str,
    settings: Settings | None = None,
    *,
    explicit: bool = True,
    defer_suppressions: bool = False,
) -> FileResult:
    """Lint one file's contents.

    ``explicit``: the file was named, not found by a walk. ``defer_suppressions``: leave
    inline suppressions to :func:`check_corpus` (which must then be called), so they also
    cover cross-file diagnostics.
    """
    settings = settings or Settings()
    if isinstance(data, bytes):
        if len(data) > settings.max_file_size:
            return _only(path, "PL003", _too_large(settings), settings)
        text = decode(data)
        if isinstance(text, SourceProblem):
            return _only(path, "PL002", text.message, settings, text.line, text.column)
    else:
        text = data.replace("\r\n", "\n").replace("\r", "\n").removeprefix("\ufeff")
        try:
            size = len(text.encode("utf-8"))
        except UnicodeEncodeError as exc:  # a lone surrogate (an editor can send one)
            line = text.count("\n", 0, exc.start) + 1
            column = exc.start - (text.rfind("\n", 0, exc.start) + 1) + 1
            message = f"lone surrogate U+{ord(text[exc.start]):04X}: the text is not valid Unicode"
            return _only(path, "PL002", message, settings, line, column)
        if size > settings.max_file_size:
            return _only(path, "PL003", _too_large(settings), settings)
    document = parse_document(path, text)
    if not document.has_persona_markers:
        if not explicit:
            return FileResult(
                path, (), document, skipped=True, settings=settings, lines=document.lines
            )
        message = (
            "not a persona document: no version table, no '# <Name> Persona' title and "
            "no <persona_context> block"
        )
        return _only(path, "PL100", message, settings, lines=document.lines)
    context = RuleContext(settings)
    found: list[Diagnostic] = []
    rules = document_rules(settings.select)  # loads the rule families
    from persona_lint.rules.structure import OTHER_LAYOUT_CODES, in_persona_layout

    if not in_persona_layout(document):  # a module, an older layout: no cascade
        rules = tuple(rule for rule in rules if rule.code in OTHER_LAYOUT_CODES)
    for rule in rules:
        if rule.check is None:
            continue  # document_rules gives none such; this tells mypy
        try:
            found.extend(rule.check(document, context))
        except Exception as exc:
            message = f"internal error in rule {rule.code} ({rule.name}): {type(exc).__name__}"
            found.append(_diagnostic(path, "PL001", message))
    diagnostics = tuple(finalize(found, settings))
    result = FileResult(
        path,
        diagnostics,
        document,
        settings=settings,
        suppressed=False,
        lines=document.lines if diagnostics or may_hold_directives(text) else (),
        facts=_facts(document),
    )
    return result if defer_suppressions else cap_findings(suppress(result))


def _facts(document: Document) -> PersonaFacts | None:
    from persona_lint.rules.identity import active_slug

    found = active_slug(document)
    if found is None:
        return None
    slug, (line, column) = found
    return PersonaFacts(document.path, slug, line, column)


def _too_large(settings: Settings) -> str:
    return f"file is larger than max-file-size ({settings.max_file_size} bytes); not parsed"


def _diagnostic(path: str, code: str, message: str, line: int = 1, column: int = 1) -> Diagnostic:
    rule = get_rule(code)
    assert rule is not None, code
    return Diagnostic(path, line, column, code, message, rule.severity)


def _only(
    path: str,
    code: str,
    message: str,
    settings: Settings,
    line: int = 1,
    column: int = 1,
    lines: tuple[str, ...] = (),
) -> FileResult:
    found = finalize([_diagnostic(path, code, message, line, column)], settings)
    return FileResult(path, tuple(found), settings=settings, lines=lines)


def problem(path: str, code: str, message: str, settings: Settings | None = None) -> FileResult:
    """A file-level problem found by the caller (unreadable file, refused symlink)."""
    return _only(path, code, message, settings or Settings())


__all__ = ["FileResult", "PersonaFacts", "check_corpus", "finalize", "lint_source", "problem"]
