"""The one XML computation that the PL2xx well-formedness and schema rules share.

The XML of every ```` ```xml ```` block is parsed once per document; the `persona_context`
and behaviour blocks are validated once against `schemas/`. Each rule reports its own share
of those results through `_only`.
"""

from __future__ import annotations

from collections.abc import Iterator

from persona_lint.diagnostics import Diagnostic, Severity
from persona_lint.document.model import Document, shared
from persona_lint.rules.xml_findings import schema_findings, syntax_findings
from persona_lint.xml.libxml import explained, is_valid
from persona_lint.xml.schema import validate_behavior, validate_persona_context
from persona_lint.xml.shape import check_approaches, check_tail

E = Severity.ERROR
_SYNTAX_CODES = {"syntax": "PL201", "doctype": "PL202", "depth": "PL203"}


def xml_diagnostics(document: Document) -> list[Diagnostic]:
    """All PL2xx diagnostics of a document, computed once and kept with the document."""
    return document.once(_computed)


@shared("xml")
def _computed(document: Document) -> list[Diagnostic]:
    return list(_compute(document))


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


def _only(code: str, document: Document) -> Iterator[Diagnostic]:
    return (d for d in xml_diagnostics(document) if d.code == code)
