"""PL301-PL303: the version table is there, first, with the right columns and one row."""

from __future__ import annotations

from collections.abc import Iterator

from persona_lint.diagnostics import Diagnostic
from persona_lint.document.model import VERSION_COLUMNS, Document
from persona_lint.rules.context import RuleContext
from persona_lint.rules.registry import finding, rule
from persona_lint.rules.version.cells import E


@rule(
    "PL301",
    "version-table-missing",
    E,
    "the version table is missing or not the first block",
)
def version_table_missing(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """The document does not open with its version table.

    ## What it does
    Checks that the first block of the file is the version table: no text, heading or front
    matter before it. A document without any version table is reported at its first block.

    ## Why is this bad?
    Tools and people read the version and status first, before they load the persona; a table
    buried in the text is not found by them, and is easy to forget to update.

    ## Example
    ```markdown
    Intro.

    | version | last_updated | status |
    |---------|--------------|--------|
    | 1.0.0   | 2025-07-11   | stable |
    ```

    ## Use instead
    ```markdown
    | version | last_updated | status |
    |---------|--------------|--------|
    | 1.0.0   | 2025-07-11   | stable |
    ```
    """
    table = document.version_table
    if table is None:
        yield finding(
            "PL301",
            document,
            document.first_block_line or 1,
            1,
            "no version table (| version | last_updated | status |) at the top of the file",
        )
    elif not table.is_first_block:
        yield finding(
            "PL301",
            document,
            table.line,
            1,
            f"the version table must be the first block of the file (it starts at line "
            f"{table.line}; the file starts at line {document.first_block_line})",
        )


@rule(
    "PL302",
    "version-table-columns",
    E,
    "the version table's columns are not exactly version | last_updated | status",
)
def version_table_columns(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """The version table's columns are not exactly `version`, `last_updated`, `status`.

    ## What it does
    Checks that the header row of the version table is exactly
    `| version | last_updated | status |`, in that order; reported at the first column that
    differs.

    ## Why is this bad?
    Tools and people read the version, the date and the status by column name: a renamed or
    reordered column is not found, and the persona's version cannot be read.

    ## Example
    ```markdown
    | version | updated | status |
    ```

    ## Use instead
    ```markdown
    | version | last_updated | status |
    ```
    """
    table = document.version_table
    if table is None:
        return
    found = tuple(c.text for c in table.header)
    if found != VERSION_COLUMNS:
        first_bad = next(
            (c for c, want in zip(table.header, VERSION_COLUMNS, strict=False) if c.text != want),
            table.header[-1],
        )
        yield finding(
            "PL302",
            document,
            first_bad.line,
            first_bad.column,
            f"version table columns are {' | '.join(found)}; expected "
            f"{' | '.join(VERSION_COLUMNS)}",
        )


@rule(
    "PL303",
    "version-table-rows",
    E,
    "the version table does not have exactly one data row",
)
def version_table_rows(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """The version table does not have exactly one data row.

    ## What it does
    Checks that the version table has exactly one data row, the current version, with one cell
    per column.

    ## Why is this bad?
    History belongs in git or a changelog; a second row makes "the version" ambiguous to the
    tools that read it, and a short row leaves a column empty.

    ## Example
    ```markdown
    | version | last_updated | status |
    |---------|--------------|--------|
    | 1.0.0   | 2025-07-11   | stable |
    | 0.9.0   | 2025-07-01   | draft  |
    ```

    ## Use instead
    ```markdown
    | version | last_updated | status |
    |---------|--------------|--------|
    | 1.0.0   | 2025-07-11   | stable |
    ```
    """
    table = document.version_table
    if table is None:
        return
    if len(table.rows) != 1:
        line = table.rows[1][0].line if len(table.rows) > 1 else table.line
        yield finding(
            "PL303",
            document,
            line,
            1,
            f"the version table has {len(table.rows)} data rows; expected exactly one",
        )
    elif len(table.rows[0]) != len(table.header):
        row = table.rows[0]
        yield finding(
            "PL303",
            document,
            row[0].line,
            1,
            f"the version row has {len(row)} cells; expected {len(table.header)}",
        )
