"""What a rule may know besides the document: the settings in force for the file."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from persona_lint.settings import Settings


@dataclass(frozen=True)
class RuleContext:
    settings: Settings

    @property
    def today(self) -> datetime.date:
        return self.settings.current_date()
