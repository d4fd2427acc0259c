"""What linting one file gives.

A light value that the cache, the formatters and the cross-file rules share without
importing the parsers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from persona_lint.config.settings import Settings
from persona_lint.diagnostics import Diagnostic

if TYPE_CHECKING:
    from persona_lint.document.model import Document


class PersonaFacts(NamedTuple):
    """What the cross-file rules need to know of one persona document."""

    path: str
    slug: str  # persona_context/@active
    line: int  # where the slug's value is
    column: int


class FileResult(NamedTuple):
    """What linting one file gave."""

    path: str
    diagnostics: tuple[Diagnostic, ...]
    document: Document | None = None  # None when served from the cache
    # Found by walking a directory and not a persona document: skipped, not reported.
    skipped: bool = False
    settings: Settings = Settings()  # immutable: one shared default
    # Whether inline suppressions were applied (they wait for the cross-file rules).
    suppressed: bool = True
    # The source lines, for suppressions and for formatters that quote them; left empty for
    # a file with no diagnostics and no suppression comment (10,000 clean files would hold
    # all their text): see ``needs_lines`` and run.py's ``_quote_sources``.
    lines: tuple[str, ...] = ()
    facts: PersonaFacts | None = None
    # The format the file was checked as ("persona", "bmad-agent"); None: not checked as any
    # (skipped, or a file-level problem such as PL002 or PL100).
    format: str | None = None

    @property
    def failed(self) -> bool:
        """Whether this file fails the run: an error, or a warning under strict settings."""
        return any(d.is_error or self.settings.strict for d in self.diagnostics)

    @property
    def needs_lines(self) -> bool:
        """Whether a cross-file rule added diagnostics to a file whose lines were not kept.

        The caller reads them again to quote them.
        """
        return bool(self.diagnostics) and not self.lines and self.facts is not None
