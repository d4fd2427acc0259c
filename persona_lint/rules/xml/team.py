"""PL217-PL218: persona-specific sections against the team's own schemas (``schemas``)."""

from __future__ import annotations

from collections.abc import Iterator
from xml.etree.ElementTree import Element

from persona_lint.config.settings import TeamSchema
from persona_lint.diagnostics import Diagnostic
from persona_lint.document.model import Document, XmlBlock
from persona_lint.rules.context import RuleContext
from persona_lint.rules.registry import finding, rule
from persona_lint.rules.xml.shared import E
from persona_lint.xml.shape import CORE_SECTIONS, LAST_SECTION, behavior_sections


def persona_specific_sections(document: Document) -> Iterator[tuple[XmlBlock, Element]]:
    """The open sections of a persona: where the built-in schemas allow any name.

    In ``<persona_context>``, the children that are neither core sections nor
    ``error_handling_philosophy``; in the behaviour block, the children whose names
    behavior.xsd does not declare.
    """
    context = document.persona_context
    if context is not None and context.root is not None:
        fixed = {*CORE_SECTIONS, LAST_SECTION}
        yield from ((context, child) for child in context.root if child.tag not in fixed)
    behavior = document.behavior
    if behavior is not None and behavior.root is not None:
        known = behavior_sections().known
        yield from ((behavior, child) for child in behavior.root if child.tag not in known)


def _declared(schemas: tuple[TeamSchema, ...]) -> dict[str, TeamSchema]:
    """Each declared section name, with the team schema that declares it."""
    return {name: schema for schema in schemas for name, _ in schema.sections}


def _at_tag(
    code: str, document: Document, block: XmlBlock, element: Element, message: str
) -> Diagnostic:
    """The diagnostic ``code`` at the start tag of ``element`` (its ``<`` and name)."""
    line, column = block.locate(element)
    return finding(code, document, line, column, message, end_column=column + len(element.tag) + 1)


@rule("PL217", "team-schema", E, "a team section does not match its team schema")
def team_schema(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """A persona-specific section does not match the team schema that declares it.

    ## What it does
    Validates every persona-specific section (after `<domain_knowledge>` in
    `<persona_context>`, or a section of the behaviour block that the built-in schema does
    not declare) whose name is a global element of a team schema (the `schemas` and
    `per-file-schemas` settings) against that declaration, and reports each violation at the
    element: a missing or unknown child, an empty value, an attribute, a value outside an
    enumeration. The message names the team schema. Without team schemas it reports nothing.

    ## Why is this bad?
    A team that adds its own sections wants them as dependable as the built-in ones: the
    tools and prompts that read `<release_checklist>` expect its `<owner>` and its steps.

    ## Example
    With `schemas = ["schemas/release.xsd"]` declaring `release_checklist` as an `owner`
    followed by one or more `step`:
    ```xml
    <release_checklist>
      <step>Tag the release</step>
    </release_checklist>
    ```

    ## Use instead
    ```xml
    <release_checklist>
      <owner>Backend team</owner>
      <step>Tag the release</step>
    </release_checklist>
    ```
    """
    if not context.settings.team_schemas:
        return
    # The validators: imported only for files with team schemas in force.
    from persona_lint.xml.team import validate_section

    declared = _declared(context.settings.team_schemas)
    for block, section in persona_specific_sections(document):
        schema = declared.get(section.tag)
        if schema is None:
            continue
        for issue in validate_section(schema.data, section).issues:
            message = f"{issue.message} (team schema {schema.name})"
            yield _at_tag("PL217", document, block, issue.element, message)


@rule("PL218", "undeclared-section", E, "a persona-specific section no team schema declares")
def undeclared_section(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """A persona-specific section is not declared by any team schema (`strict-sections`).

    ## What it does
    With `strict-sections = true`, reports every persona-specific section whose name no team
    schema in force declares (see PL217), at its start tag. Without that setting, such
    sections are free, and this rule reports nothing.

    ## Why is this bad?
    A team that declares its sections may want only those: a misspelt `<release_checklst>`
    would otherwise pass as one more free section, and escape its schema.

    ## Example
    With `strict-sections = true` and a team schema declaring `release_checklist`:
    ```xml
    <release_checklst>
      <owner>Backend team</owner>
    </release_checklst>
    ```

    ## Use instead
    ```xml
    <release_checklist>
      <owner>Backend team</owner>
    </release_checklist>
    ```
    """
    if not context.settings.strict_sections:
        return
    declared = _declared(context.settings.team_schemas)
    for block, section in persona_specific_sections(document):
        if section.tag not in declared:
            message = f"<{section.tag}> is not declared by any team schema (strict-sections)"
            yield _at_tag("PL218", document, block, section, message)
