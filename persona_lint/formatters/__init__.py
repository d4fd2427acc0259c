"""Output formats: each takes a run's results and writes one format.

Formatters are found by name in :data:`FORMATTERS`, which also feeds the CLI's choices.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TextIO

from persona_lint.linter import FileResult


@dataclass(frozen=True)
class Report:
    """Everything a formatter may show."""

    results: Sequence[FileResult]
    color: bool = False

    @property
    def diagnostics(self) -> list:  # type: ignore[type-arg]
        return sorted(d for r in self.results for d in r.diagnostics)


Formatter = Callable[[Report, TextIO], None]


def _registry() -> dict[str, Formatter]:
    from persona_lint.formatters import text

    return {"concise": text.concise, "full": text.full}


FORMAT_NAMES = ("full", "concise")


def get_formatter(name: str) -> Formatter:
    return _registry()[name]
