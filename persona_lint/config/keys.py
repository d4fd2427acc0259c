"""Every configuration key, declared once: name, reader (checks), default, documentation.

:data:`KEYS` is the single source of truth about the keys: :func:`validate` accepts exactly
these names, ``persona-lint config`` lists them in this order, and the README's table of keys
is generated from it (:mod:`persona_lint.config.readme`; a test fails when they drift).

A key's reader (:mod:`persona_lint.config.readers`; ``required-gates`` in
:mod:`persona_lint.config.gates`) turns the raw TOML value into the value the resolver merges,
or raises a :class:`ConfigError` at the key's line.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from persona_lint.config.errors import did_you_mean, quoted
from persona_lint.config.gates import read_gate_policy
from persona_lint.config.globs import Glob
from persona_lint.config.readers import (
    Reader,
    Source,
    read_boolean,
    read_date,
    read_extend,
    read_formats,
    read_globs,
    read_per_file_ignores,
    read_selectors,
    read_severities,
    read_size,
    read_statuses,
)
from persona_lint.config.rule_options import read_rule_options, show_rule_options
from persona_lint.config.settings import (
    DEFAULT_EXCLUDE,
    DEFAULT_MAX_FILE_SIZE,
    DEFAULT_STATUSES,
    Settings,
    TeamSchema,
)
from persona_lint.config.team_schemas import read_per_file_schemas, read_team_schemas
from persona_lint.config.toml_lines import KeyPath
from persona_lint.formats.names import FORMAT_NAMES
from persona_lint.rules.registry import DEFAULT_OFF

# How ``persona-lint config`` shows a key: from the settings in force for the file, and the
# value of the last layer that sets the key (None when no layer does).
Shower = Callable[[Settings, Any], str]


def _show_value(value: Any) -> str:
    """A key's value as the last layer that sets it holds it: codes, globs, pairs."""
    if value is None:
        return "(none)"
    if isinstance(value, frozenset):
        return ", ".join(sorted(value))
    if isinstance(value, tuple):
        return ", ".join(_show_item(item) for item in value)
    return str(value)


def _show_item(item: Any) -> str:
    """One glob, one (glob, codes or schemas) pair of a per-file key, or one team schema."""
    if isinstance(item, Glob):
        return item.pattern
    if isinstance(item, TeamSchema):
        return item.name
    if isinstance(item, tuple):
        glob, values = item
        return f"{glob.pattern} -> {', '.join(sorted(_show_item(v) for v in values))}"
    return str(item)


def _show_selection(settings: Settings, value: Any) -> str:
    if settings.select is None:
        return f"ALL except the rules off by default ({', '.join(sorted(DEFAULT_OFF))})"
    return ", ".join(sorted(settings.select))


def _show_exclude(settings: Settings, value: Any) -> str:
    return ", ".join(DEFAULT_EXCLUDE) if value is None else _show_value(value)


def _show_gates(settings: Settings, value: Any) -> str:
    gates = settings.required_gates
    return "; ".join(f"{topic}: {', '.join(words)}" for topic, words in gates) or "(none)"


def _show_schemas(settings: Settings, value: Any) -> str:
    """Every team schema in force for the file; those only per-file-schemas adds say so."""
    named = {schema.digest for schema in value or ()}
    shown = (
        schema.name + ("" if schema.digest in named else " (per-file-schemas)")
        for schema in settings.team_schemas
    )
    return ", ".join(shown) or "(none)"


def _show_extend(settings: Settings, value: Any) -> str:
    return "(none)" if value is None else str(value.path)


def _show_today(settings: Settings, value: Any) -> str:
    return settings.today.isoformat() if settings.today else "(the real date)"


@dataclass(frozen=True)
class Key:
    """One configuration key.

    Attributes:
        name: The key as a configuration file writes it.
        read: Checks the raw TOML value and returns the value the resolver merges.
        default: The default, in Markdown, for the README.
        help: What the key means, in Markdown, for the README.
        show: The value in force, as ``persona-lint config`` prints it.
    """

    name: str
    read: Reader
    default: str
    help: str
    show: Shower = lambda settings, value: _show_value(value)


def _code_list(values: tuple[str, ...]) -> str:
    return ", ".join(f"`{value}`" for value in values)


def _team_reader(name: str, module: str = "team_rules") -> Reader:
    """The reader ``name`` of ``persona_lint.config.<module>`` (``rules``, ``plugins``, ...).

    Imported when a configuration sets the key: the XPath and pattern compilers,
    ElementTree and the plugin loader (about 10 ms) stay off every other run.
    """

    def read(source: Source, at: KeyPath, value: Any) -> Any:
        reader: Reader = getattr(importlib.import_module(f"persona_lint.config.{module}"), name)
        return reader(source, at, value)

    return read


KEYS: tuple[Key, ...] = (
    Key(
        "extend",
        read_extend,
        "none",
        "a configuration file to build on (its settings first, this file's on top), relative "
        "to this file; inside the current directory unless this file was named with "
        "`--config` from outside it; at most 8 files extended in a row, no cycles",
        _show_extend,
    ),
    Key(
        "select",
        read_selectors,
        f"every rule except those off by default ({', '.join(sorted(DEFAULT_OFF))})",
        "codes (`PL304`), prefixes (`PL3`, `PL`), rule names (`version-semver`) or `ALL` to enable",
        _show_selection,
    ),
    Key("extend-select", read_selectors, "none", "enabled on top of `select`"),
    Key("ignore", read_selectors, "none", "codes, prefixes or names to disable"),
    Key(
        "severity",
        read_severities,
        "each rule's own",
        'table of code or name = `"error"`, `"warning"` or `"off"`',
        lambda settings, value: (
            ", ".join(f"{code}={level}" for code, level in settings.severity) or "(rule defaults)"
        ),
    ),
    Key(
        "per-file-ignores",
        read_per_file_ignores,
        "none",
        "table of glob = list of codes, prefixes or names disabled for matching files",
    ),
    Key(
        "exclude",
        read_globs,
        f"{_code_list(DEFAULT_EXCLUDE)} (like ruff's default; other hidden folders are walked)",
        "globs never linted when walking a folder (and for named files too with "
        "`--force-exclude`); setting it replaces the default list, so add to it with "
        "`extend-exclude`",
        _show_exclude,
    ),
    Key("extend-exclude", read_globs, "none", "globs excluded on top of `exclude`"),
    Key(
        "required-gates",
        read_gate_policy,
        "`default = []`: no topic required",
        "gate policy: `topics` (topic = list of keywords, added to the built-in `security` "
        "topic), `default` (topics every persona must meet), `per-file` (glob = topics, "
        "replacing `default` for matching files); a required topic a persona lacks is an "
        "error (PL502)",
        _show_gates,
    ),
    Key(
        "statuses",
        read_statuses,
        _code_list(DEFAULT_STATUSES),
        "allowed values of the version table's `status`",
        lambda settings, value: ", ".join(settings.statuses),
    ),
    Key(
        "max-file-size",
        read_size,
        f"`{DEFAULT_MAX_FILE_SIZE}`",
        "largest file parsed, in bytes; a larger file is one PL003 at 1:1",
        lambda settings, value: str(settings.max_file_size),
    ),
    Key(
        "today",
        read_date,
        "the real date",
        "the date rules treat as today (`YYYY-MM-DD`), for reproducible runs",
        _show_today,
    ),
    Key(
        "strict",
        read_boolean,
        "`false`",
        "warnings fail the run too (like `--warnings-as-errors`)",
        lambda settings, value: str(settings.strict).lower(),
    ),
    Key(
        "schemas",
        read_team_schemas,
        "none",
        "team schemas: XSD 1.0 files (relative to this file, inside the tree, at most "
        "256 KiB each and 32 per configuration) whose global elements declare persona-specific "
        "sections; a section with a declared name is validated against it (PL217)",
        _show_schemas,
    ),
    Key(
        "per-file-schemas",
        read_per_file_schemas,
        "none",
        "table of glob = list of team schemas added to `schemas` for matching files",
    ),
    Key(
        "strict-sections",
        read_boolean,
        "`false`",
        "a persona-specific section that no team schema in force declares is an error (PL218)",
        lambda settings, value: str(settings.strict_sections).lower(),
    ),
    Key(
        "formats",
        read_formats,
        "every format: " + _code_list(FORMAT_NAMES) + " and the team formats",
        "the formats a file may be checked as (see Formats), built-in or declared in "
        "`team-formats` of the same file; a file of another format is skipped when walked, "
        "one PL100 when named",
        lambda settings, value: ", ".join(
            settings.formats or (*FORMAT_NAMES, *(t.name for t in settings.team_formats))
        ),
    ),
    Key(
        "team-formats",
        _team_reader("read_team_formats", "team_formats"),
        "none",
        "a team's own formats, one table each (`[team-formats.NAME]`): `root` (the root "
        "element of the first ```` ```xml ```` block), `code-prefix`, optional `schemas`, "
        "`front-matter` (required keys) and `summary` (see Formats)",
        lambda settings, value: (
            ", ".join(f"{t.name} (<{t.root}>, {t.code_prefix})" for t in settings.team_formats)
            or "(none)"
        ),
    ),
    Key(
        "rules",
        _team_reader("read_team_rules"),
        "none",
        "the team's own rules, `[[rules]]` entries: `code`, `name`, `message`, `block`, "
        "`given` (XPath), `then` (see [docs/plugins.md](docs/plugins.md))",
        lambda settings, value: ", ".join(r.code for r in settings.team_rules) or "(none)",
    ),
    Key(
        "rule-options",
        read_rule_options,
        "each rule's own",
        "table of rule (code or name) = table of option = value, of the option's default's "
        "kind (see *Rule options*; `persona-lint explain CODE` lists a rule's options); "
        "through `extend`, merged option by option",
        show_rule_options,
    ),
    Key(
        "plugins",
        _team_reader("read_plugins"),
        "none",
        "Python plugins to load: a module of the repository (`tools/our_rules.py`) or an "
        "installed package's entry point in the group `persona_lint.rules`; code you run: a "
        "module of the repository only with `--local-plugins` (`--no-plugins` loads none)",
        lambda settings, value: ", ".join(p.name for p in settings.plugins) or "(none)",
    ),
)
_BY_NAME = {key.name: key for key in KEYS}
# Read before the others: selectors may name the rules they define, and ``formats`` the
# team formats (whose checks collide with no rule in configuration).
_READ_FIRST = ("plugins", "rules", "team-formats")


def validate(source: Source, raw: Mapping[str, Any]) -> dict[str, Any]:
    """The checked value of every key of one source's table; unknown keys are errors."""
    values: dict[str, Any] = {}
    first = {name: index for index, name in enumerate(_READ_FIRST)}
    for name, value in sorted(raw.items(), key=lambda item: first.get(item[0], len(first))):
        key = _BY_NAME.get(name)
        if key is None:
            raise source.fail((name,), f"unknown key {quoted(name)}{did_you_mean(name, _BY_NAME)}")
        values[name] = key.read(source, (name,), value)
    return values
