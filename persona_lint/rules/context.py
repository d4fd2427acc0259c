"""What a rule may know besides the document.

The settings in force for the file (which include what the file looked like at the
``--changed-since`` revision) and the rule's own options: its declared defaults, with what
configuration set (``rule-options``) on top.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from persona_lint.config.settings import PreviousVersion, Settings
from persona_lint.rules.options import options_in_force
from persona_lint.rules.registry import NO_OPTIONS

if TYPE_CHECKING:
    from persona_lint.rules.registry import Rule


class RuleContext(NamedTuple):
    """The context a check runs in; the engine gives each rule its own ``options``."""

    settings: Settings
    # The rule's options in force: ``context.options["name"]``.
    options: Mapping[str, Any] = NO_OPTIONS

    @property
    def today(self) -> datetime.date:
        """Today's date, or the date the ``today`` setting pins."""
        return self.settings.current_date()

    @property
    def previous(self) -> PreviousVersion | None:
        """The file at the ``--changed-since`` revision (None: no such option, or new)."""
        return self.settings.previous

    def for_rule(self, rule: Rule) -> RuleContext:
        """This context for ``rule``: its options in force for the file."""
        options = options_in_force(rule.code, rule.options, self.settings.rule_options)
        return self if options is self.options else self._replace(options=options)
