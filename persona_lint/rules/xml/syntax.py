"""PL201-PL203: an ```` ```xml ```` block is not well-formed XML in the persona dialect."""

from __future__ import annotations

from collections.abc import Iterator

from persona_lint.diagnostics import Diagnostic
from persona_lint.document.model import Document
from persona_lint.rules.context import RuleContext
from persona_lint.rules.registry import rule
from persona_lint.rules.xml.shared import E, _only


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
