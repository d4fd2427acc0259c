"""Rule options: the kinds of value an option may hold, and the options in force for a rule.

A rule declares its options with their defaults (``options={"named-holders": 3}``); a
configuration sets them per rule (``[tool.persona-lint.rule-options.PL801]``), each to a
value of its default's kind. :class:`~persona_lint.config.settings.Settings` carries what
configuration set, as plain tuples (worker processes and the cache key see them), and
:func:`options_in_force` lays them over the defaults when a rule runs.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

# What configuration set, per rule: ((code, ((option, value), ...)), ...), sorted.
RuleOptions = tuple[tuple[str, tuple[tuple[str, Any], ...]], ...]


def option_kind(value: object) -> str | None:
    """What an option's value is, as messages say it; None for a kind options cannot be.

    An option's default says what configuration may set it to: a value of the same kind.
    Lists of strings, whole numbers, booleans and strings only: what TOML writes plainly
    and a cache key holds.
    """
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int):
        return "a whole number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, (list, tuple)) and all(isinstance(item, str) for item in value):
        return "a list of strings"
    return None


def configured_for(code: str, configured: RuleOptions) -> tuple[tuple[str, Any], ...]:
    """The options configuration set for rule ``code`` (none: an empty tuple)."""
    return next((options for rule, options in configured if rule == code), ())


def options_in_force(
    code: str, defaults: Mapping[str, Any], configured: RuleOptions
) -> Mapping[str, Any]:
    """Rule ``code``'s options: ``defaults``, with what configuration set on top."""
    chosen = configured_for(code, configured) if configured else ()
    return MappingProxyType({**defaults, **dict(chosen)}) if chosen else defaults
