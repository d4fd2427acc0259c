"""PL220 strict-xml: a bare `&` or `<` that only the persona dialect accepts, and its fix."""

from __future__ import annotations

import re
from collections.abc import Iterator

from persona_lint.diagnostics import Diagnostic, Fix, TextEdit
from persona_lint.document.model import Document
from persona_lint.rules.context import RuleContext
from persona_lint.rules.registry import finding, rule
from persona_lint.rules.xml.shared import E
from persona_lint.xml.dialect import REFERENCE as _REFERENCE
from persona_lint.xml.dialect import to_strict_xml


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
