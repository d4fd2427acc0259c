"""PL9xx: leftovers of the template a persona was written from."""

from __future__ import annotations

from collections.abc import Iterator

from persona_lint.diagnostics import Diagnostic, Severity
from persona_lint.document.model import Document
from persona_lint.document.placeholders import PLACEHOLDER, may_hold_placeholder
from persona_lint.rules.context import RuleContext
from persona_lint.rules.registry import finding, rule


@rule(
    "PL901",
    "template-placeholder",
    Severity.WARNING,
    "an unfilled template placeholder",
)
def template_placeholder(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """Text or an attribute still holds a template placeholder.

    ## What it does
    Checks every line of the file, inside and outside the XML blocks, for a template
    placeholder: `{persona_name}`, `{senior|expert}`-style alternatives, or the words `TODO`,
    `TBD`, `FIXME` (as words of their own). So `<persona_context active="{persona_name}">`,
    `<experience_level>{Senior|Expert}</experience_level>` and `<gate>TODO</gate>` fail. A
    metric holding a placeholder is left to this rule by the metric rules (PL6xx).

    ## Why is this bad?
    Module files in the public corpus shipped with `active="{persona_name}"`; a placeholder is
    a persona that was never finished, and the AI that loads it reads the placeholder
    literally.

    ## Example
    ```xml
    <persona_context active="{persona_name}">
    ```

    ## Use instead
    ```xml
    <persona_context active="backend-engineer">
    ```
    """
    if not may_hold_placeholder(document.text):
        return  # nearly every file
    for number, line in enumerate(document.lines, start=1):
        if "{" not in line and "T" not in line and "F" not in line:
            continue
        for match in PLACEHOLDER.finditer(line):
            yield finding(
                "PL901",
                document,
                number,
                match.start() + 1,
                f"unfilled template placeholder {match.group()!r}",
                end_column=match.end() + 1,
            )
