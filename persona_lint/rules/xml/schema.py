"""PL210-PL216: the `persona_context` and behaviour blocks against the XSD schemas."""

from __future__ import annotations

from collections.abc import Iterator

from persona_lint.diagnostics import Diagnostic
from persona_lint.document.model import Document
from persona_lint.rules.context import RuleContext
from persona_lint.rules.registry import rule
from persona_lint.rules.xml.shared import E, _only


@rule(
    "PL210",
    "missing-element",
    E,
    "a required element is missing",
)
def missing_element(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """A section lacks an element the schema requires.

    ## What it does
    Validates the `persona_context` and behaviour blocks against the schemas and reports a
    missing required element at the section's start tag: `<persona_identity> is missing
    <experience_level>`. An element that comes too early is reported as the missing one before
    it. Also checks every approach of the behaviour block (`<development_approach>`, or a
    persona-specific section holding approach children, such as `<user_first_approach>`): it
    must have `always_start_with`, `default_thinking`, `decision_criteria` and
    `pattern_preference`, in that order; annotation children with other names
    (`<defensive_context>`) are allowed between and after them.

    ## Why is this bad?
    Every persona answers the same questions, and the tools that load personas read those
    answers by name; a missing answer is a gap in the persona that the AI fills by guessing.

    ## Example
    ```xml
    <persona_identity>
      <name>Backend Engineer</name>
      <expertise_domain>Server-Side Development</expertise_domain>
      <perspective>API-first</perspective>
    </persona_identity>
    ```

    ## Use instead
    ```xml
    <persona_identity>
      <name>Backend Engineer</name>
      <expertise_domain>Server-Side Development</expertise_domain>
      <experience_level>Senior</experience_level>
      <perspective>API-first</perspective>
    </persona_identity>
    ```
    """
    return _only("PL210", document)


@rule(
    "PL211",
    "unknown-element",
    E,
    "an element the schema does not know",
)
def unknown_element(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """An element is not allowed where it stands.

    ## What it does
    Reports an element the schema does not allow at its place (a typo, or an invention), with
    the names that are allowed there. Persona-specific sections (free names) are allowed after
    `<domain_knowledge>` in `<persona_context>` and anywhere in the behaviour block.

    ## Why is this bad?
    Tools read personas by element name: an unknown name is ignored by them, so what it says
    never reaches the AI.

    ## Example
    ```xml
    <persona_identity>
      ...
      <favorite_color>blue</favorite_color>
      <perspective>API-first</perspective>
    </persona_identity>
    ```

    ## Use instead
    ```xml
    <persona_identity>
      ...
      <perspective>API-first</perspective>
    </persona_identity>
    ```
    """
    return _only("PL211", document)


@rule(
    "PL212",
    "misplaced-element",
    E,
    "a known element in the wrong place",
)
def misplaced_element(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """A known element is repeated or after the place where it belongs.

    ## What it does
    Reports an element the section knows that is repeated, or that stands after the place
    where it belongs (an element that comes too early is reported as the missing one, PL210);
    in an approach, one of its four children given twice.

    ## Why is this bad?
    The core sections have a fixed order so that every persona reads the same way; a repeated
    element leaves the tool that loads the persona to pick one of two answers.

    ## Example
    ```xml
    <persona_identity>
      <name>Backend Engineer</name>
      ...
      <perspective>API-first</perspective>
      <name>Backend Engineer</name>
    </persona_identity>
    ```

    ## Use instead
    ```xml
    <persona_identity>
      <name>Backend Engineer</name>
      ...
      <perspective>API-first</perspective>
    </persona_identity>
    ```
    """
    return _only("PL212", document)


@rule(
    "PL213",
    "empty-element",
    E,
    "an element with empty or whitespace-only text",
)
def empty_element(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """An element has empty or whitespace-only text.

    ## What it does
    Reports an element of a core section, or one of an approach's four children, that has no
    text or only whitespace.

    ## Why is this bad?
    An empty gate or metric looks like a requirement and demands nothing: the AI is handed a
    rule with no content.

    ## Example
    ```xml
    <mandatory_gates>
      <gate>  </gate>
    </mandatory_gates>
    ```

    ## Use instead
    ```xml
    <mandatory_gates>
      <gate>API design review</gate>
    </mandatory_gates>
    ```
    """
    return _only("PL213", document)


@rule(
    "PL214",
    "invalid-attribute",
    E,
    "a missing or unexpected attribute",
)
def invalid_attribute(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """An attribute is missing or not defined by the schema.

    ## What it does
    Reports a `<persona_context>` without its `active` attribute, and an attribute the schema
    does not define on any element.

    ## Why is this bad?
    `active` is the slug that tools select the persona by (`--persona backend-engineer`);
    without it the persona cannot be selected. An unknown attribute is ignored by them.

    ## Example
    ```xml
    <persona_context>
    ```

    ## Use instead
    ```xml
    <persona_context active="backend-engineer">
    ```
    """
    return _only("PL214", document)


@rule(
    "PL215",
    "section-layout",
    E,
    "persona-specific sections and error_handling_philosophy out of place",
)
def section_layout(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """Persona-specific sections and `error_handling_philosophy` are out of place.

    ## What it does
    Checks what follows `<domain_knowledge>` in `<persona_context>`: one or more
    persona-specific sections (free names such as `<backend_engineering_framework>`), then
    `<error_handling_philosophy>` last, once; no core section appears again. XSD 1.0 cannot
    express "any element except error_handling_philosophy", so this part of the layout is
    checked here rather than in the schema.

    ## Why is this bad?
    Every persona reads the same way: the core sections, what is specific to this persona,
    then how it handles errors. A section after `error_handling_philosophy`, a second one, or a
    repeated core section leaves readers and tools unsure which part is which.

    ## Example
    ```xml
      <error_handling_philosophy>...</error_handling_philosophy>
      <notes><note>Keep it short</note></notes>
    </persona_context>
    ```

    ## Use instead
    ```xml
      <notes><note>Keep it short</note></notes>
      <error_handling_philosophy>...</error_handling_philosophy>
    </persona_context>
    ```
    """
    return _only("PL215", document)


@rule(
    "PL216",
    "invalid-content",
    E,
    "an element's content does not match its type",
)
def invalid_content(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """An element's content does not match its type.

    ## What it does
    Reports an element whose content its type does not allow: a value outside an enumeration
    (`<experience_level>` is one of Junior, Intermediate, Senior, Staff, Lead, Principal,
    Expert), or text beside child elements (or child elements where text is expected, as in
    an approach's four children).

    ## Why is this bad?
    Tools that load personas rely on these values; a level they do not know, or text mixed
    into a list, is dropped or misread.

    ## Example
    ```xml
    <experience_level>Guru</experience_level>
    ```

    ## Use instead
    ```xml
    <experience_level>Expert</experience_level>
    ```
    """
    return _only("PL216", document)
