"""What a format is: how to recognise a document, its schemas, its rules, its scaffold."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from persona_lint.document.model import Document


class Recognition(NamedTuple):
    """What one format makes of a document.

    ``markers``: the document carries this format's markers. ``reason``: why, having them,
    it is still not a document of this format (None when it is one).
    """

    markers: bool
    reason: str | None = None

    @property
    def matches(self) -> bool:
        """Whether the document is of this format."""
        return self.markers and self.reason is None


NO_MARKERS = Recognition(False)
MATCH = Recognition(True)


@dataclass(frozen=True)
class Format:
    """One kind of document persona-lint checks.

    Plain data and a few functions, so that a format declared in configuration (a root
    element, its schemas, its rules: :mod:`persona_lint.formats.team`) is one more entry.
    """

    name: str  # as written in configuration and reports: "persona", "bmad-agent"
    code_prefix: str  # the letters of its rule codes: "PL", "BM"
    summary: str
    schemas: tuple[str, ...]  # XSD 1.0 files of schemas/
    # The document and its place (its path inside the project, see formats.detect) -> whether
    # it is of this format.
    recognise: Callable[[Document, str], Recognition]
    # A display name and today's date -> the text of a new document (``persona-lint new``).
    scaffold: Callable[[str, datetime.date], str]
    # The file name ``persona-lint new`` gives a new document of this name.
    file_name: Callable[[str], str]

    def owns(self, code: str) -> bool:
        """Whether rule ``code`` belongs to this format's family (``BM301`` to ``BM``)."""
        rest = code[len(self.code_prefix) :]
        return code.startswith(self.code_prefix) and rest[:1].isdigit()
