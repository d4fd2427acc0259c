"""The settings a lint run uses: one immutable value, whose defaults are the embedded
configuration documented in the README (section "Configuration")."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from persona_lint.diagnostics import Severity

DEFAULT_STATUSES = ("draft", "review", "stable", "deprecated")
# Topic -> keywords; a topic is met by a gate whose text contains any keyword (as a word
# prefix, case-insensitively).
DEFAULT_REQUIRED_GATES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "security",
        ("security", "secure", "threat", "vulnerabilit", "authentication", "authorization"),
    ),
)
DEFAULT_MAX_FILE_SIZE = 1024 * 1024


@dataclass(frozen=True)
class Settings:
    """Everything that can change what persona-lint reports for one file."""

    statuses: tuple[str, ...] = DEFAULT_STATUSES
    required_gates: tuple[tuple[str, tuple[str, ...]], ...] = DEFAULT_REQUIRED_GATES
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    today: datetime.date | None = None  # None: the real date of the run
    # Enabled codes; None means every rule.
    select: frozenset[str] | None = None
    severity: tuple[tuple[str, Severity], ...] = field(default_factory=tuple)

    def current_date(self) -> datetime.date:
        return self.today or datetime.date.today()
