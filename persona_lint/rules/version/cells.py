"""Shared by the PL3xx rules: the version table's data cells, the formats they must match.

| version | last_updated | status |
|---------|--------------|--------|
| 1.0.0   | 2025-07-11   | stable |
"""

from __future__ import annotations

import re
from operator import attrgetter

from persona_lint.diagnostics import Diagnostic, Fix, Severity
from persona_lint.document.model import VERSION_COLUMNS, Cell, Document
from persona_lint.rules.registry import finding

E, W = Severity.ERROR, Severity.WARNING
# The regular expression published with SemVer 2.0.0 (semver.org).
SEMVER = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$"
)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


_TEXT = attrgetter("text")  # a cell's text


def _version_row(document: Document) -> tuple[Cell, ...] | None:
    """The version table's data row.

    None unless the header is exactly right and there is one row (PL302 and PL303 speak).
    """
    table = document.version_table
    if table is None or len(table.rows) != 1:
        return None
    return table.rows[0] if tuple(map(_TEXT, table.header)) == VERSION_COLUMNS else None


_COLUMN_INDEX = {name: index for index, name in enumerate(VERSION_COLUMNS)}


def version_cell(document: Document, column: str) -> Cell | None:
    """The version table's data cell under `column` (`version`, `last_updated` or `status`).

    None unless the table has the exact header and one row.
    """
    row = _version_row(document)
    if row is None:
        return None
    index = _COLUMN_INDEX[column]
    return row[index] if index < len(row) else None


def _mark(
    code: str, document: Document, cell: Cell, message: str, fix: Fix | None = None
) -> Diagnostic:
    return finding(
        code, document, cell.line, cell.column, message, end_column=cell.end_column, fix=fix
    )
