"""One open document's lint, as the server keeps it, and what a run would report of it.

:func:`lint_document` lints a document's current text with :func:`lint_source`
(``explicit=False``: Markdown that is not a persona gets nothing), with its inline
suppressions deferred until the cross-file rules have seen the other open documents;
:func:`finished` adds those cross-file findings and applies the suppressions and the
per-rule cap, as a run does. A :class:`Linted` keeps the result without the parsed
document (the server keeps one parsed document at a time).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from persona_lint.config.settings import Settings
from persona_lint.diagnostics import Diagnostic
from persona_lint.document.model import Document
from persona_lint.engine.lint import FileResult, lint_source
from persona_lint.engine.postprocess import cap_findings, finalize, suppress
from persona_lint.lsp.configuration import ConfigProblem, Resolved
from persona_lint.lsp.lines import Lines
from persona_lint.lsp.slugs import SlugKey
from persona_lint.source.walk import project_place


@dataclass(frozen=True)
class Linted:
    """The lint of one version of an open document, before cross-file rules.

    ``group`` is the workspace folder whose open documents form one corpus; ``shown`` the
    path diagnostics and fixes name. ``result`` keeps the suppressions deferred to the
    cross-file rules, without the parsed document; it is None when there is nothing to
    report (not a persona, excluded, or a ``problem``). ``settings`` are the settings and
    whether the document is excluded, or the configuration problem. ``problem`` is the one
    diagnostic to show instead of any other (an invalid configuration, an internal error).
    """

    uri: str
    version: int | None
    lines: Lines
    group: str | None
    shown: str
    result: FileResult | None
    settings: Resolved | str
    problem: str | None = None

    @property
    def slug(self) -> SlugKey | None:
        """The slug this document holds among the open documents of its folder."""
        result = self.result
        if result is None or result.skipped or result.facts is None:
            return None
        return (self.group, result.facts.slug)


def lint_document(
    uri: str, version: int | None, lines: Lines, where: tuple[str, str | None], resolved: Resolved
) -> tuple[Linted, Document | None]:
    """Lint one version of a document, and return its parsed document too.

    ``where`` is the path diagnostics name and the workspace folder (None: outside any);
    ``resolved`` the document's settings, or the configuration problem: then a document of
    a built-in format, or one with an ```xml block (a team format of the broken
    configuration may claim it), gets that one problem, and other Markdown nothing.
    """
    shown, group = where
    place = _place(shown, group)
    if isinstance(resolved, ConfigProblem):
        probe = lint_source(shown, lines.text, Settings(), explicit=False, place=place)
        xml = probe.document is not None and bool(probe.document.xml_blocks)
        problem = None if probe.skipped and not xml else invalid_configuration(resolved)
        return Linted(uri, version, lines, group, shown, None, resolved, problem), None
    settings, excluded = resolved
    if excluded:
        return Linted(uri, version, lines, group, shown, None, resolved), None
    result = lint_source(
        shown, lines.text, settings, explicit=False, defer_suppressions=True, place=place
    )
    light = result._replace(document=None)
    return Linted(uri, version, lines, group, shown, light, resolved), result.document


def failed_lint(uri: str, version: int | None, lines: Lines, error: Exception) -> Linted:
    """Return the lint of a document that the linter failed on: one diagnostic says so."""
    problem = f"persona-lint failed on this document: {type(error).__name__}"
    return Linted(uri, version, lines, None, uri, None, problem, problem)


def invalid_configuration(problem: ConfigProblem) -> str:
    """Return the message of the one diagnostic an invalid configuration becomes."""
    return f"invalid persona-lint configuration: {problem.message}"


def parse(entry: Linted) -> Document | None:
    """Parse a linted document again (its lint keeps no parsed document)."""
    if entry.result is None:
        return None
    place = _place(entry.shown, entry.group)
    return lint_source(
        entry.shown, entry.lines.text, entry.result.settings, explicit=False, place=place
    ).document


def _place(shown: str, group: str | None) -> str:
    """A document's path inside its project: below its workspace folder, else its project's.

    See :func:`persona_lint.source.walk.project_place`.
    """
    return shown if group is not None else project_place(shown)


def finished(result: FileResult, cross_file: Iterable[Diagnostic]) -> tuple[Diagnostic, ...]:
    """Return a persona's diagnostics as a run reports them.

    Its own, its cross-file ones (before selection), then its inline suppressions and the
    per-rule cap.
    """
    added = finalize(cross_file, result.settings)
    if added:
        result = result._replace(diagnostics=(*result.diagnostics, *added))
    return cap_findings(suppress(result)).diagnostics


WARM_UP = """\
| version | last_updated | status |
|---------|--------------|--------|
| 1.0.0   | 2025-01-01   | draft  |

# Warm Up Persona

```xml
<persona_context active="warm-up"><persona_identity><name>Warm Up</name></persona_identity>
</persona_context>
```

```xml
<warm_up_behavior><approach>x</approach></warm_up_behavior>
```

**Usage**: `--persona warm-up`
"""


def warm_up() -> None:
    """Build the schemas and the Markdown parser before the first document arrives."""
    # Imported here: xmlschema is heavy, and a lint imports it only when libxml2 finds a fault.
    from persona_lint.xml.schema import behavior_schema, persona_schema

    persona_schema()
    behavior_schema()
    lint_source("warm-up.md", WARM_UP, Settings(), explicit=False)
