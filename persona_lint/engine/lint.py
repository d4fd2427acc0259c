"""The one pure core: bytes or text of a file, plus settings, in; diagnostics out.

Nothing here reads files, prints or looks at the environment: the CLI and the language
server call :func:`lint_source` with what they read, then :func:`check_corpus` for the rules
that look across files. Severity overrides, rule selection and inline suppressions are
applied here, after the rules, so rules stay pure and simple.
"""

from __future__ import annotations

from persona_lint.config.settings import Settings
from persona_lint.diagnostics import Diagnostic
from persona_lint.document.model import ComputationFailed, Document, parse_document
from persona_lint.document.persona import active_slug
from persona_lint.engine.postprocess import (
    cap_findings,
    check_corpus,
    enabled,
    finalize,
    suppress,
)
from persona_lint.engine.result import FileResult, PersonaFacts
from persona_lint.engine.suppress import may_hold_directives
from persona_lint.errors import describe
from persona_lint.formats import PERSONA, Format, detect
from persona_lint.rules.context import RuleContext
from persona_lint.rules.registry import Rule, document_rules, get_rule
from persona_lint.rules.structure import OTHER_LAYOUT_CODES, in_persona_layout
from persona_lint.source.decode import SourceProblem, source_text


def lint_source(
    path: str,
    data: bytes | str,
    settings: Settings | None = None,
    *,
    explicit: bool = True,
    defer_suppressions: bool = False,
    place: str | None = None,
) -> FileResult:
    """Lint one file's contents: its bytes, or its text (language server, ``--fix``).

    Text takes the same decode path as bytes (:func:`persona_lint.source.decode.source_text`).

    ``explicit``: the file was named, not found by a walk. ``defer_suppressions``: leave
    inline suppressions to :func:`check_corpus` (which must then be called), so they also
    cover cross-file diagnostics. ``place``: the file's path inside the project, for
    :func:`~persona_lint.formats.detect` (default: ``path``).
    """
    settings = settings or Settings()
    text = source_text(data, settings.max_file_size)
    if isinstance(text, SourceProblem):
        return _only(path, text.code, text.message, settings, text.line, text.column)
    document = parse_document(path, text)
    detection = detect(document, settings.formats, _team_formats(settings), place)
    kind = detection.format
    if kind is None:
        if not explicit:
            return FileResult(
                path, (), document, skipped=True, settings=settings, lines=document.lines
            )
        message = detection.reason or _no_markers(settings)
        return _only(path, "PL100", message, settings, lines=document.lines)
    diagnostics = tuple(finalize(_check(document, settings, kind), settings))
    result = FileResult(
        path,
        diagnostics,
        document,
        settings=settings,
        suppressed=False,
        lines=document.lines if diagnostics or may_hold_directives(text) else (),
        facts=_facts(document) if kind is PERSONA else None,
        format=kind.name,
    )
    return result if defer_suppressions else cap_findings(suppress(result))


def _no_markers(settings: Settings) -> str:
    """Why a named file that shows no format's markers is not checked (PL100).

    Names every format it may be checked as, and what each one looks for.
    """
    formats = [
        (
            "a persona document",
            "persona",
            "no version table, no '# <Name> Persona' title and no <persona_context> block",
        ),
        ("a BMAD agent definition", "bmad-agent", "no <agent> block"),
        *(
            (f"a document of format {team.name!r}", team.name, f"no <{team.root}> block")
            for team in settings.team_formats
        ),
    ]
    tried = [
        (kind, missing)
        for kind, name, missing in formats
        if settings.formats is None or name in settings.formats
    ]
    kinds = " or ".join(kind for kind, _ in tried)
    return f"not {kinds}: {'; '.join(missing for _, missing in tried)}"


def _check(document: Document, settings: Settings, kind: Format) -> list[Diagnostic]:
    """Return the findings of every selected rule of format ``kind``'s family.

    A rule that raises is one PL001 naming it and the exception, and a shared computation
    that raises (for each rule asking it) is one PL001 naming the computation and the first
    rule that asked.
    """
    context = RuleContext(settings)
    found: list[Diagnostic] = []
    failed: list[ComputationFailed] = []
    rules = format_rules(kind, settings.select)  # loads the rule families
    if kind is PERSONA and not in_persona_layout(document):  # an older layout: no cascade
        rules = tuple(rule for rule in rules if rule.code in OTHER_LAYOUT_CODES)
    elif kind is PERSONA and (settings.plugins or settings.team_rules):
        rules += _team_rules(settings)
    elif kind.name == "bmad-agent" and settings.team_rules:  # by name: BMAD is imported lazily
        rules += _rules_on_root("agent", settings)
    elif kind.name in {team.name for team in settings.team_formats}:
        rules = _team_format_rules(kind.name, settings)
    for rule in rules:
        if rule.check is None:
            continue  # document_rules gives none such; this tells mypy
        try:
            found.extend(rule.check(document, context.for_rule(rule)))
        except ComputationFailed as failure:
            if any(failure is seen for seen in failed):
                continue  # reported when the first rule asked
            failed.append(failure)
            message = (
                f"internal error in the computation {failure.key!r} that rules share (first "
                f"asked by {rule.code} {rule.name}): {describe(failure.cause)}"
            )
            found.append(_diagnostic(document.path, "PL001", message))
        except Exception as exc:
            origin = f" of plugin {rule.plugin}" if rule.plugin else ""
            message = f"internal error in rule {rule.code} ({rule.name}){origin}: {describe(exc)}"
            found.append(_diagnostic(document.path, "PL001", message))
    return found


def _team_rules(settings: Settings) -> tuple[Rule, ...]:
    """The rules a team brings, for a persona: its plugins' and its configuration's.

    A worker process started afresh (not forked) loads the plugins first.
    """
    # The plugin loader and the XPath and pattern engines: only for a configuration that
    # names plugins or rules.
    from persona_lint.plugins import ensure_loaded
    from persona_lint.rules.configured import configured_rules

    ensure_loaded(settings.plugins)
    plugins = {plugin.name for plugin in settings.plugins}
    loaded = (
        r for r in document_rules(settings.select) if r.plugin is not None and r.plugin in plugins
    )
    return (*loaded, *configured_rules(settings))


def _team_formats(settings: Settings) -> tuple[Format, ...]:
    """The settings' team formats, as formats (tried after the built-in ones)."""
    if not settings.team_formats:
        return ()
    from persona_lint.formats.team import as_format  # only configurations that declare one

    return tuple(as_format(team) for team in settings.team_formats)


def _team_format_rules(name: str, settings: Settings) -> tuple[Rule, ...]:
    """The rules of the team format ``name``: its checks, and the ``[[rules]]`` on its root."""
    # The validators and PyYAML: only for a file of a team format.
    from persona_lint.formats.team_checks import team_format_rules

    team = next(team for team in settings.team_formats if team.name == name)
    checks = tuple(r for r in team_format_rules(team) if enabled(r.code, settings))
    return (*checks, *_rules_on_root(team.root, settings))


def _rules_on_root(root: str, settings: Settings) -> tuple[Rule, ...]:
    """The ``[[rules]]`` whose block is ``root``: a BMAD ``agent``, a team format's root."""
    own = tuple(rule for rule in settings.team_rules if rule.block == root)
    if not own:
        return ()
    # The XPath and pattern engines: only for a configuration with rules on this root.
    from persona_lint.rules.configured import configured_rules

    return tuple(configured_rules(settings._replace(team_rules=own)))


# The document rules of each (format, selection): asked once per file.
_format_rules: dict[
    tuple[str, frozenset[str] | None], tuple[tuple[Rule, ...], tuple[Rule, ...]]
] = {}


def format_rules(kind: Format, select: frozenset[str] | None) -> tuple[Rule, ...]:
    """The rules of ``select`` (None: the default selection) in format ``kind``'s family."""
    rules = document_rules(select, kind.code_prefix)
    cached = _format_rules.get((kind.name, select))
    if cached is None or cached[0] is not rules:
        owned = tuple(rule for rule in rules if kind.owns(rule.code))
        cached = _format_rules[kind.name, select] = (rules, owned)
    return cached[1]


def _facts(document: Document) -> PersonaFacts | None:
    found = active_slug(document)
    if found is None:
        return None
    slug, (line, column) = found
    return PersonaFacts(document.path, slug, line, column)


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
