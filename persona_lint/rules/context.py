"""What a rule may know besides the document.

The settings in force for the file (which include what the file looked like at the
``--changed-since`` revision) and the rule's own options.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, NamedTuple

from persona_lint.config.settings import PreviousVersion, Settings
from persona_lint.rules.registry import NO_OPTIONS


class RuleContext(NamedTuple):
    """The context a check runs in; the engine gives each rule its own ``options``."""

    settings: Settings
    # The rule's options (its declared defaults): ``context.options["name"]``.
    options: Mapping[str, Any] = NO_OPTIONS

    @property
    def today(self) -> datetime.date:
        """Today's date, or the date the ``today`` setting pins."""
        return self.settings.current_date()

    @property
    def previous(self) -> PreviousVersion | None:
        """The file at the ``--changed-since`` revision (None: no such option, or new)."""
        return self.settings.previous

    def for_rule(self, options: Mapping[str, Any]) -> RuleContext:
        """This context for a rule declaring ``options``."""
        return self if options is self.options else self._replace(options=options)
