"""PL2xx: XML well-formedness (in the persona dialect) and the XSD schemas.

The XML of every ```` ```xml ```` block is parsed once per document; the `persona_context`
and behaviour blocks are validated once against `schemas/`. Each rule below reports its own
share of those results.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from persona_lint.diagnostics import Diagnostic, Fix, Severity, TextEdit
from persona_lint.document.model import Document, XmlBlock, shared
from persona_lint.rules.context import RuleContext
from persona_lint.rules.registry import finding, rule
from persona_lint.xml.dialect import REFERENCE as _REFERENCE
from persona_lint.xml.dialect import to_strict_xml
from persona_lint.xml.libxml import is_valid
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


def _compute(document: Document) -> Iterator[Diagnostic]:
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
        yield finding(_SYNTAX_CODES[error.kind], document, line, column, message, end_column=end)
    context = document.persona_context
    if context is not None and context.root is not None:
        if is_valid(context.parsed.strict, "persona.xsd"):
            issues = check_tail(context.root)  # what XSD 1.0 cannot say
        else:
            issues = validate_persona_context(context.root)
        yield from _issues(document, context, issues)
    behavior = document.behavior
    if behavior is not None and behavior.root is not None:
        if is_valid(behavior.parsed.strict, "behavior.xsd", behavior=True):
            issues = check_approaches(behavior.root)  # what XSD 1.0 cannot say
        else:
            issues = validate_behavior(behavior.root)
        yield from _issues(document, behavior, issues)


def _issues(document: Document, block: XmlBlock, issues: list[SchemaIssue]) -> Iterator[Diagnostic]:
    for issue in issues:
        line, column = block.locate(issue.element)
        yield finding(
            issue.code,
            document,
            line,
            column,
            issue.message,
            end_column=column + len(issue.element.tag) + 1,
        )


def _only(code: str, document: Document) -> Iterator[Diagnostic]:
    return (d for d in xml_diagnostics(document) if d.code == code)


@rule(
    "PL201",
    "xml-syntax",
    E,
    "an ```xml block is not well-formed",
)
def xml_syntax(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """An ```` ```xml ```` block is not well-formed in the persona dialect.

    ## What it does
    Parses every ```` ```xml ```` block and reports the first well-formedness error of each: a
    mismatched or unclosed tag, an unquoted attribute, an undefined entity, text outside the
    root. The dialect is strict XML except that a `&` that starts no entity reference and a
    `<` that cannot start markup are literal text (`Research & Development`, `< 200ms`), as in
    every real persona (PL220, off by default, reports those). The position is the exact place
    in the Markdown file.

    ## Why is this bad?
    A block that does not parse cannot be read by the tool that loads the persona: the whole
    definition may be dropped or read up to the error only, and no schema rule can check it.

    ## Example
    ```xml
    <perspective>API-first</perspectiv>
    ```

    ## Use instead
    ```xml
    <perspective>API-first</perspective>
    ```
    """
    return _only("PL201", document)


@rule("PL202", "doctype", E, "a DOCTYPE or entity declaration in an ```xml block")
def doctype(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """An ```` ```xml ```` block contains a `<!DOCTYPE` or `<!ENTITY` declaration.

    ## What it does
    Reports a document type or entity declaration in an ```` ```xml ```` block, at its
    position; nothing of the block is parsed after it. persona-lint never processes DTDs or
    entities.

    ## Why is this bad?
    DTDs and entities are how XML files reach other files, the network, or expand to
    gigabytes ("billion laughs"): a persona must not make the tool that loads it do any of
    that, and a persona has no use for them.

    ## Example
    ```xml
    <!DOCTYPE persona_context [<!ENTITY x "y">]>
    <persona_context active="backend-engineer">
    ```

    ## Use instead
    ```xml
    <persona_context active="backend-engineer">
    ```
    """
    return _only("PL202", document)


@rule("PL203", "nesting-depth", E, "XML elements nested too deeply")
def nesting_depth(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """Elements are nested more than 64 levels deep.

    ## What it does
    Reports an element nested more than 64 levels deep; the block is not parsed further.

    ## Why is this bad?
    Personas nest four or five levels; thousands of levels are an attack on the stack of the
    parser of whatever tool loads the persona.

    ## Example
    ```xml
    <a><a><a><a> ... (65 levels) ... </a></a></a></a>
    ```

    ## Use instead
    ```xml
    <persona_identity>
      <name>Backend Engineer</name>
    </persona_identity>
    ```
    """
    return _only("PL203", document)


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


def bare_characters(document: Document) -> Iterator[tuple[int, int, str]]:
    """Every `&` and `<` that only the persona dialect reads as literal text.

    Yields the 1-based (line, column) in the Markdown file and the character. Comments and
    CDATA sections are strict XML already and are never reported.
    """
    for block in document.xml_blocks:
        content = block.code.content
        strict = to_strict_xml(content)
        if len(strict.text) == len(content):
            continue  # nothing was escaped
        source = content.split("\n")
        for number, line in enumerate(strict.text.split("\n")):
            for match in _ESCAPES.finditer(line):
                column = strict.original_column(number, match.start())
                original = source[number] if number < len(source) else ""
                char = original[column : column + 1]
                if char == "<" or (char == "&" and not _REFERENCE.match(original, column)):
                    yield (*block.code.to_file(number, column), char)


_ESCAPES = re.compile(r"&amp;|&lt;")


@rule(
    "PL220",
    "strict-xml",
    E,
    "a bare & or < that only the persona dialect accepts (off by default)",
    fixable=True,
    default_enabled=False,
)
def strict_xml(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """A bare `&` or `<` that only the persona dialect accepts.

    ## What it does
    Reports a `&` that starts no entity reference, or a `<` that cannot start markup, in an
    ```` ```xml ```` block: literal text in the persona dialect (`Research & Development`,
    `< 200ms`) but an error for every other XML tool. Off by default: enable it with
    `extend-select = ["PL220"]` (or `--extend-select strict-xml`) to keep every
    ```` ```xml ```` block strictly well-formed XML.

    ## Why is this bad?
    Personas that are strict XML can be read by xmllint, lxml or any XML library directly,
    without `persona-lint export`; a tool that loads the persona with a strict parser fails on
    the bare character.

    ## Example
    ```xml
    <expertise_domain>Research & Development</expertise_domain>
    ```

    ## Use instead
    ```xml
    <expertise_domain>Research &amp; Development</expertise_domain>
    ```

    ## Fix
    `--fix` writes `&amp;` and `&lt;` instead, which mean the same characters, so the text of
    every element stays the same.
    """
    for line, column, char in bare_characters(document):
        escape = "&amp;" if char == "&" else "&lt;"
        yield finding(
            "PL220",
            document,
            line,
            column,
            f"bare {char!r} is not strict XML; write {escape}",
            end_column=column + 1,
            fix=Fix.safe(TextEdit(line, column, column + 1, escape)),
        )
