"""Diagnostics: immutable, ordered values pointing at a place in a Markdown file.

Lines and columns are 1-based and count characters (Unicode code points), as editors
show them. Conversions to other conventions (LSP's 0-based UTF-16 positions, SARIF
regions) happen at the edges, in the formatters and the language server.

A rule that can repair what it reports attaches the repair to the diagnostic (ruff's
``set_fix``): a :class:`Fix`, the text edits to make and how safe they are. The fix engine
(:mod:`persona_lint.fix.engine`) applies the fixes the diagnostics carry; nothing else
knows how a rule repairs its findings.
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
        """The lower-case name users write in configuration (``error``, ``warning``)."""
        return self.value


class Applicability(enum.Enum):
    """How far a fix may be trusted (ruff's applicability).

    ``SAFE``: it changes how a persona is written, never what it says; ``--fix`` and the
    editor's "fix all" apply it.
    """

    SAFE = "safe"


@dataclass(frozen=True)
class TextEdit:
    """Replace characters ``column`` up to ``end_column`` (1-based, exclusive) of ``line``."""

    line: int
    column: int
    end_column: int
    text: str


@dataclass(frozen=True)
class LineEdit:
    """Replace lines ``first``..``last`` (1-based, inclusive) with ``lines``.

    ``last == first - 1`` inserts the lines before line ``first``.
    """

    first: int
    last: int
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Fix:
    """The edits that repair one diagnostic, and how far they may be trusted."""

    edits: tuple[TextEdit | LineEdit, ...]
    applicability: Applicability = Applicability.SAFE

    @classmethod
    def safe(cls, *edits: TextEdit | LineEdit) -> Fix:
        """A fix that only changes how the persona is written."""
        return cls(edits, Applicability.SAFE)


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One finding at one place in one file.

    Ordered by path, then position, then code, so sorting a run's diagnostics gives the
    order people read them in. ``fix`` is the rule's repair, when it has one for this
    finding; it takes no part in comparisons and is not kept by the result cache (``--fix``
    and the language server lint afresh).
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
    fix: Fix | None = field(compare=False, default=None, repr=False)

    @property
    def end(self) -> tuple[int, int] | None:
        """The line and (exclusive) column where the range ends; None for a point."""
        if self.end_column is None:
            return None
        return (self.line if self.end_line is None else self.end_line), self.end_column

    @property
    def is_error(self) -> bool:
        """Whether this diagnostic fails the run."""
        return self.severity is Severity.ERROR
