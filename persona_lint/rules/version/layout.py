"""PL308: the version table's canonical aligned layout, and the renderer `init` uses too."""

from __future__ import annotations

from collections.abc import Iterator

from persona_lint.diagnostics import Diagnostic, Fix, LineEdit
from persona_lint.document.model import VERSION_COLUMNS, Document
from persona_lint.rules.context import RuleContext
from persona_lint.rules.registry import finding, rule
from persona_lint.rules.version.cells import _TEXT, W, _version_row


# The canonical layout: each column as wide as its widest cell, one space of padding, a
# delimiter row of dashes only.
def render_table(header: tuple[str, ...], row: tuple[str, ...]) -> tuple[str, str, str]:
    """The three lines of a version table in the canonical layout."""
    header = tuple(_escape_cell(text) for text in header)
    row = tuple(_escape_cell(text) for text in row)
    widths = [max(len(a), len(b)) for a, b in zip(header, row, strict=True)]
    return (
        "| " + " | ".join(t.ljust(w) for t, w in zip(header, widths, strict=True)) + " |",
        "|" + "|".join("-" * (w + 2) for w in widths) + "|",
        "| " + " | ".join(t.ljust(w) for t, w in zip(row, widths, strict=True)) + " |",
    )


def _escape_cell(text: str) -> str:
    return text.replace("|", "\\|")


def table_layout(document: Document) -> tuple[int, tuple[str, str, str]] | None:
    """The version table's first line and its canonical three lines.

    None unless the table has the right header and one full row on three consecutive lines
    (else PL302 and PL303 speak), outside a block quote.
    """
    table = document.version_table
    row = _version_row(document)
    if table is None or row is None or len(row) != len(VERSION_COLUMNS):
        return None
    if row[0].line != table.line + 2:
        return None
    for line in document.lines[table.line - 1 : table.line + 2]:
        if line.lstrip().startswith(">"):
            return None  # inside a block quote: left alone
    return table.line, render_table(VERSION_COLUMNS, tuple(map(_TEXT, row)))


@rule(
    "PL308",
    "version-table-layout",
    W,
    "the version table is not in the canonical aligned layout",
    fixable=True,
)
def version_table_layout(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """The version table is not in the canonical aligned layout.

    ## What it does
    Checks that the version table is laid out like the canonical persona's: each column as wide
    as its widest cell, one space of padding inside every pipe, leading and trailing pipes, a
    delimiter row of dashes only. It is reported at the first line that differs. A table in a
    block quote is left alone.

    ## Why is this bad?
    The table is the one part of a persona that tools edit (version bumps, dates); one layout
    keeps those edits and their diffs small.

    ## Example
    ```markdown
    | version | last_updated | status |
    |---------|--------------|--------|
    | 1.0.0 | 2025-07-11 | stable |
    ```

    ## Use instead
    ```markdown
    | version | last_updated | status |
    |---------|--------------|--------|
    | 1.0.0   | 2025-07-11   | stable |
    ```

    ## Fix
    `--fix` rewrites the table's three lines in the canonical layout; the cells keep their text.
    """
    found = table_layout(document)
    if found is None:
        return
    first, expected = found
    for offset, want in enumerate(expected):
        if document.lines[first - 1 + offset] != want:
            yield finding(
                "PL308",
                document,
                first + offset,
                1,
                "the version table is not in the canonical layout (aligned columns, one "
                f"space of padding); expected {want!r}",
                fix=Fix.safe(LineEdit(first, first + len(expected) - 1, expected)),
            )
            return
