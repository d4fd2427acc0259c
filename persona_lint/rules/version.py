"""PL3xx: the version table that opens every persona document.

| version | last_updated | status |
|---------|--------------|--------|
| 1.0.0   | 2025-07-11   | stable |
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator

from persona_lint.diagnostics import Diagnostic, Severity
from persona_lint.document import VERSION_COLUMNS, Cell, Document, Table
from persona_lint.rules.context import RuleContext
from persona_lint.rules.registry import Edit, finding, rule

E = Severity.ERROR
# The regular expression published with SemVer 2.0.0 (semver.org).
SEMVER = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$"
)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _cell(table: Table, column: str) -> Cell | None:
    """The data cell under ``column`` when the header is exactly right and has one row."""
    if tuple(c.text for c in table.header) != VERSION_COLUMNS or len(table.rows) != 1:
        return None
    row = table.rows[0]
    index = VERSION_COLUMNS.index(column)
    return row[index] if index < len(row) else None


def _mark(code: str, document: Document, cell: Cell, message: str) -> Diagnostic:
    return finding(code, document, cell.line, cell.column, message, end_column=cell.end_column)


@rule(
    "PL301",
    "version-table-missing",
    E,
    "the version table is missing or not the first block",
    fails=Edit(
        "| version | last_updated | status |", "Intro.\n\n| version | last_updated | status |"
    ),
    passes=Edit("| version | last_updated | status |", "| version | last_updated | status |"),
)
def version_table_missing(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """The document must open with its version table: no text, heading or front matter
    before it.

    Why: tools and people read the version and status first; a table buried in the text is
    easy to forget to update.

    Fails: a paragraph before ``| version | last_updated | status |``.
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
    fails=Edit("| version | last_updated | status |", "| version | updated | status |"),
    passes=Edit("| version | last_updated | status |", "| version | last_updated | status |"),
)
def version_table_columns(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """The header must be exactly ``| version | last_updated | status |``, in that order.

    Fails: ``| version | updated | status |``
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
    fails=Edit(
        "| 1.0.0   | 2025-07-11   | stable |",
        "| 1.0.0   | 2025-07-11   | stable |\n| 0.9.0   | 2025-07-01   | draft  |",
    ),
    passes=Edit("| 1.0.0   | 2025-07-11   | stable |", "| 1.0.0   | 2025-07-11   | stable |"),
)
def version_table_rows(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """The table has exactly one data row, with one cell per column: the current version.

    Why: history belongs in git or a changelog; a second row makes "the version" ambiguous.
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


@rule(
    "PL304",
    "version-semver",
    E,
    "version is not SemVer 2.0.0",
    fails=Edit("| 1.0.0   |", "| 1.0     |"),
    passes=Edit("| 1.0.0   |", "| 1.0.1   |"),
)
def version_semver(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """``version`` is a SemVer 2.0.0 version: ``MAJOR.MINOR.PATCH``, optionally with a
    pre-release (``-rc.1``) and build metadata (``+build.5``), no leading zeros, no ``v``.

    Why: consumers compare versions to know when a persona changed; ``1.0`` or ``v1`` do not
    compare reliably.

    Fails: ``1.0``, ``v1.0.0``, ``01.0.0``

    Passes: ``1.0.1``, ``2.0.0-rc.1``
    """
    table = document.version_table
    cell = _cell(table, "version") if table else None
    if cell is not None and not SEMVER.match(cell.text):
        yield _mark(
            "PL304", document, cell, f"version {cell.text!r} is not SemVer (MAJOR.MINOR.PATCH)"
        )


@rule(
    "PL305",
    "last-updated-date",
    E,
    "last_updated is not a real YYYY-MM-DD date",
    fails=Edit("| 2025-07-11   |", "| 2025-02-30   |"),
    passes=Edit("| 2025-07-11   |", "| 2025-02-28   |"),
)
def last_updated_date(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """``last_updated`` is a calendar date written ``YYYY-MM-DD`` that exists.

    Fails: ``2025-02-30``, ``11/07/2025``, ``2025-7-11``

    Passes: ``2025-07-11``
    """
    table = document.version_table
    cell = _cell(table, "last_updated") if table else None
    if cell is None:
        return
    if not _DATE.match(cell.text):
        yield _mark("PL305", document, cell, f"last_updated {cell.text!r} is not YYYY-MM-DD")
        return
    try:
        datetime.date.fromisoformat(cell.text)
    except ValueError:
        yield _mark("PL305", document, cell, f"last_updated {cell.text!r} is not a real date")


@rule(
    "PL306",
    "last-updated-future",
    E,
    "last_updated is later than today",
    fails=Edit("| 2025-07-11   |", "| 2999-07-11   |"),
    passes=Edit("| 2025-07-11   |", "| 2025-07-12   |"),
)
def last_updated_future(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """``last_updated`` is not later than today (the ``today`` setting pins the date for
    reproducible runs).

    Why: a date in the future is a typo, and it hides when the persona really changed.
    """
    table = document.version_table
    cell = _cell(table, "last_updated") if table else None
    if cell is None or not _DATE.match(cell.text):
        return
    try:
        date = datetime.date.fromisoformat(cell.text)
    except ValueError:
        return
    if date > context.today:
        yield _mark(
            "PL306",
            document,
            cell,
            f"last_updated {cell.text} is later than today ({context.today.isoformat()})",
        )


@rule(
    "PL307",
    "status-value",
    E,
    "status is not one of the allowed values",
    fails=Edit("| stable |", "| final  |"),
    passes=Edit("| stable |", "| review |"),
)
def status_value(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """``status`` is one of the ``statuses`` setting: by default ``draft``, ``review``,
    ``stable``, ``deprecated``.

    Fails: ``final``, ``Stable``
    """
    table = document.version_table
    cell = _cell(table, "status") if table else None
    allowed = context.settings.statuses
    if cell is not None and cell.text not in allowed:
        yield _mark(
            "PL307",
            document,
            cell,
            f"status {cell.text!r} is not one of {', '.join(allowed)}",
        )
