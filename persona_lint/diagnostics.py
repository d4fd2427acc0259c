"""Diagnostics: immutable, ordered values pointing at a place in a Markdown file.

Lines and columns are 1-based and count characters (Unicode code points), as editors
show them. Conversions to other conventions (LSP's 0-based UTF-16 positions, SARIF
regions) happen at the edges, in the formatters and the language server.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any


class Severity(enum.Enum):
    """How serious a diagnostic is; errors fail the run, warnings do not (by default)."""

    ERROR = "error"
    WARNING = "warning"

    def __str__(self) -> str:
        """Return the word shown in reports: ``error`` or ``warning``."""
        return self.value


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One finding at one place in one file.

    Ordered by path, then position, then code, so sorting a run's diagnostics gives the
    order people read them in.
    """

    path: str
    line: int
    column: int
    code: str
    message: str = field(compare=False)
    severity: Severity = field(compare=False, default=Severity.ERROR)
    end_line: int | None = field(compare=False, default=None)
    end_column: int | None = field(compare=False, default=None)
    # Structured extra data (for example a parsed metric), shown in JSON output.
    data: tuple[tuple[str, Any], ...] | None = field(compare=False, default=None)

    @property
    def end(self) -> tuple[int, int] | None:
        """The line and (exclusive) column where the range ends; None for a point."""
        if self.end_column is None:
            return None
        return (self.line if self.end_line is None else self.end_line), self.end_column

    @property
    def is_error(self) -> bool:
        """Whether the diagnostic is an error (which fails the run)."""
        return self.severity is Severity.ERROR
