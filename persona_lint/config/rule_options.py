"""The ``rule-options`` key: rules' options set in configuration, checked, merged, shown.

Like yamllint's rule configuration and ruff's per-rule settings, a table per rule (by code
or name) sets the options the rule declares::

    [tool.persona-lint.rule-options.BM301]
    install-placeholders = ["bmad_folder", "bmad-folder", "agent-filename", "docs_folder"]

Each option takes a value of its default's kind (a list of strings, a whole number from 0,
true or false, a string). An unknown rule, a rule without options, an unknown option (with the
closest name) or a value of another kind is a configuration error at its line. Through an
``extend`` chain the tables merge option by option: a later file's value of an option
replaces the base's, and the options it does not set keep the base's values.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from persona_lint.config.errors import did_you_mean, dotted, quoted
from persona_lint.rules.options import RuleOptions, option_kind, options_in_force
from persona_lint.rules.registry import CODE_SHAPE, all_rules, get_rule

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from persona_lint.config.readers import Source
    from persona_lint.config.settings import Settings
    from persona_lint.config.toml_lines import KeyPath

KEY = "rule-options"


def read_rule_options(source: Source, at: KeyPath, value: Any) -> dict[str, dict[str, Any]]:
    """The table of rule = { option = value }: code -> option -> checked value."""
    if not isinstance(value, dict):
        raise source.fail(at, f"{KEY!r} must be a table of rule = {{ option = value }}")
    chosen: dict[str, dict[str, Any]] = {}
    for name, options in value.items():
        place = (*at, name)
        rule = get_rule(name)
        if rule is None:
            if source.plugins_skipped and CODE_SHAPE.fullmatch(name):
                continue  # may be a rule of a plugin not loaded (--no-plugins)
            names = [known for r in all_rules() if r.options for known in (r.code, r.name)]
            hint = did_you_mean(name, names)
            raise source.fail(place, f"{KEY!r}: unknown rule code or name {quoted(name)}{hint}")
        if not rule.options:
            raise source.fail(place, f"{KEY!r}: rule {rule.code} ({rule.name}) has no options")
        if rule.code in chosen:
            raise source.fail(place, f"{KEY!r}: rule {rule.code} ({rule.name}) is set twice")
        if not isinstance(options, dict):
            raise source.fail(place, f"{dotted(place)!r} must be a table of option = value")
        chosen[rule.code] = {
            option: _option_value(source, (*place, option), rule.options, option, given)
            for option, given in options.items()
        }
    return chosen


def _option_value(
    source: Source, at: KeyPath, declared: Mapping[str, Any], option: str, value: Any
) -> Any:
    """One option's value, of its default's kind (a list becomes a tuple)."""
    if option not in declared:
        hint = did_you_mean(option, declared)
        raise source.fail(at, f"{dotted(at[:-1])!r}: unknown option {quoted(option)}{hint}")
    expected = option_kind(declared[option])
    if option_kind(value) != expected or (expected == "a whole number" and value < 0):
        kind = f"{expected} from 0" if expected == "a whole number" else expected
        raise source.fail(at, f"{dotted(at)!r} must be {kind}, like its default")
    return tuple(value) if isinstance(value, list) else value


def merge_rule_options(layers: Iterable[Mapping[str, Any]]) -> RuleOptions:
    """The options set by the ``rule-options`` of layers' values, later layers winning.

    Merged option by option: a later layer sets some options of a rule, the others keep
    the value an earlier layer gave them.
    """
    merged: dict[str, dict[str, Any]] = {}
    for values in layers:
        for code, options in values.get(KEY, {}).items():
            merged.setdefault(code, {}).update(options)
    return tuple((code, tuple(sorted(merged[code].items()))) for code in sorted(merged))


def show_rule_options(settings: Settings, value: Any) -> str:
    """Every option of every rule, with its value in force for the file (``config``)."""
    import json  # ``persona-lint config`` only: keeps json off a run's start

    shown = []
    for rule in all_rules():
        in_force = options_in_force(rule.code, rule.options, settings.rule_options)
        shown += [f"{rule.code}.{name} = {json.dumps(v)}" for name, v in in_force.items()]
    return "; ".join(shown) or "(none)"
