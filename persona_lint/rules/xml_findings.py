"""The XML findings every format reports: well-formedness and schema issues, in place.

Part of the rule API: the persona XML family (PL2xx), the BMAD family (BM2xx) and a team's
own formats report a block's first well-formedness error and its schema issues the same
way, each under its own codes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from persona_lint.diagnostics import Diagnostic
from persona_lint.document.model import Document, XmlBlock
from persona_lint.rules.registry import finding
from persona_lint.xml.shape import SchemaIssue

# The markup a well-formedness error stands at, which is the diagnostic's extent: a tag's
# opening (through its ">" when no attribute follows the name), a reference, a
# declaration's keyword. An error at anything else is reported as a point.
_MARKUP = re.compile(r"</?(?:[^\W\d]|:)[\w.:-]*>?|&[^\s;<&]+;|<!(?:DOCTYPE|ENTITY)")


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
