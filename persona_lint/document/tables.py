"""Pipe tables of a persona document: their cells, with the place of each.

The version table (``| version | last_updated | status |``) is the one table rules read;
:attr:`persona_lint.document.model.Document.version_table` finds it among the tables read
here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from persona_lint.document.blocks import Block

VERSION_COLUMNS = ("version", "last_updated", "status")
_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


class Cell(NamedTuple):
    """A table cell: its trimmed text and the 1-based place where that text starts."""

    text: str
    line: int
    column: int

    @property
    def end_column(self) -> int:
        """The 1-based column just after the cell's text."""
        return self.column + len(self.text)


class Table(NamedTuple):
    """A pipe table: its header cells and data rows, with positions."""

    line: int
    header: tuple[Cell, ...]
    rows: tuple[tuple[Cell, ...], ...]
    is_first_block: bool


def split_row(line: str, line_number: int) -> tuple[Cell, ...]:
    r"""Split one pipe-table row into cells with their 1-based columns.

    A pipe with a backslash before it is part of a cell (``a\|b`` reads ``a|b``); a
    leading and a trailing pipe start and end the row.
    """
    cells: list[Cell] = []
    stripped = line.lstrip()
    start = len(line) - len(stripped)
    if stripped.startswith("|"):
        start += 1
    ends = [pipe.start() for pipe in _UNESCAPED_PIPE.finditer(line, start)]
    ends.append(len(line))
    for end in ends:
        raw = line[start:end]
        if end == len(line) and not raw.strip() and cells:
            break  # the trailing pipe
        content = raw.strip()
        lead = len(raw) - len(raw.lstrip())
        cells.append(Cell(content.replace("\\|", "|"), line_number, start + lead + 1))
        start = end + 1
    return tuple(cells)


def read_table(lines: Sequence[str], block: Block, *, is_first_block: bool) -> Table:
    """The table of ``block``: its header row, then its data rows (blank lines skipped)."""
    begin, end = block.begin, block.end
    header = split_row(lines[begin], begin + 1)
    rows = tuple(split_row(lines[n], n + 1) for n in range(begin + 2, end) if lines[n].strip())
    return Table(begin + 1, header, rows, is_first_block)
