"""What a rule may know besides the document: the settings in force for the file, which
include what the file looked like at the ``--changed-since`` revision."""

from __future__ import annotations

import datetime
from typing import NamedTuple

from persona_lint.config.settings import PreviousVersion, Settings


class RuleContext(NamedTuple):
    settings: Settings

    @property
    def today(self) -> datetime.date:
        return self.settings.current_date()

    @property
    def previous(self) -> PreviousVersion | None:
        """The file at the ``--changed-since`` revision (None: no such option, or new)."""
        return self.settings.previous
