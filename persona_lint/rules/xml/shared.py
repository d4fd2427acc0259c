"""The one XML computation that the PL2xx well-formedness and schema rules share.

The XML of every ```` ```xml ```` block is parsed once per document; the `persona_context`
and behaviour blocks are validated once against `schemas/`. Each rule reports its own share
of those results through `_only`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from persona_lint.diagnostics import Diagnostic, Severity
from persona_lint.document.model import Document, XmlBlock, shared
from persona_lint.rules.registry import finding
from persona_lint.xml.libxml import explained, is_valid
from persona_lint.xml.schema import (
    SchemaIssue,
    check_approaches,
    check_tail,
    validate_behavior,
    validate_persona_context,
)

E = Severity.ERROR
_SYNTAX_CODES = {"syntax": "PL201", "doctype": "PL202", "depth": "PL203"}
# The markup a well-formedness error stands at, which is the diagnostic's extent: a tag's
# opening (through its ">" when no attribute follows the name), a reference, a
# declaration's keyword. An error at anything else is reported as a point.
_MARKUP = re.compile(r"</?(?:[^\W\d]|:)[\w.:-]*>?|&[^\s;<&]+;|<!(?:DOCTYPE|ENTITY)")


def xml_diagnostics(document: Document) -> list[Diagnostic]:
    """All PL2xx diagnostics of a document, computed once and kept with the document."""
    return document.once(_computed)


@shared("xml")
def _computed(document: Document) -> list[Diagnostic]:
    return list(_compute(document))


def syntax_findings(document: Document, codes: Mapping[str, str]) -> Iterator[Diagnostic]:
    """The first well-formedness error of each ```` ```xml ```` block, under ``codes``.

    ``codes`` maps the kind of error (``syntax``, ``doctype``, ``depth``) to the code of
    the format's rule (PL201-PL203 for personas, BM201-BM203 for BMAD agents).
    """
    for block in document.xml_blocks:
        error = block.parsed.error
        if error is None:
            continue
        line, column = block.code.to_file(error.line, error.column)
        message = error.message
        if error.related is not None:
            related_line, related_column = block.code.to_file(*error.related)
            message = message.replace("{related}", f"line {related_line}, column {related_column}")
        text = document.lines[line - 1] if line <= len(document.lines) else ""
        markup = _MARKUP.match(text, column - 1)
        end = column + len(markup.group()) if markup else None
        yield finding(codes[error.kind], document, line, column, message, end_column=end)


def _compute(document: Document) -> Iterator[Diagnostic]:
    yield from syntax_findings(document, _SYNTAX_CODES)
    context = document.persona_context
    if context is not None and context.root is not None:
        if is_valid(context.root, "persona.xsd"):
            issues = check_tail(context.root)  # what XSD 1.0 cannot say
        else:
            issues = explained(validate_persona_context, context.root)
        yield from schema_findings(document, context, issues)
    behavior = document.behavior
    if behavior is not None and behavior.root is not None:
        if is_valid(behavior.root, "behavior.xsd", behavior=True):
            issues = check_approaches(behavior.root)  # what XSD 1.0 cannot say
        else:
            issues = explained(validate_behavior, behavior.root)
        yield from schema_findings(document, behavior, issues)


def schema_findings(
    document: Document,
    block: XmlBlock,
    issues: list[SchemaIssue],
    codes: Mapping[str, str] | None = None,
) -> Iterator[Diagnostic]:
    """The diagnostics of schema ``issues`` in ``block``; ``codes`` renames PL codes."""
    for issue in issues:
        line, column = block.locate(issue.element)
        yield finding(
            codes.get(issue.code, issue.code) if codes else issue.code,
            document,
            line,
            column,
            issue.message,
            end_column=column + len(issue.element.tag) + 1,
        )


def _only(code: str, document: Document) -> Iterator[Diagnostic]:
    return (d for d in xml_diagnostics(document) if d.code == code)
