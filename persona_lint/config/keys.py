"""Every configuration key, declared once: name, reader (checks), default, documentation.

:data:`KEYS` is the single source of truth about the keys: :func:`validate` accepts exactly
these names, ``persona-lint config`` lists them in this order, and the README's table of keys
is generated from it (:mod:`persona_lint.config.readme`; a test fails when they drift).

A key's reader turns the raw TOML value into the value the resolver merges (a frozenset of
codes, rooted globs, a :class:`GatePolicy`...), or raises a :class:`ConfigError` at the key's
line. Readers are strict: a wrong type is an error, never a silent default.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from persona_lint.config.errors import ConfigError, did_you_mean, dotted, quoted
from persona_lint.config.globs import Glob, compile_glob
from persona_lint.config.selectors import resolve_selector
from persona_lint.config.settings import (
    DEFAULT_EXCLUDE,
    DEFAULT_GATE_TOPICS,
    DEFAULT_MAX_FILE_SIZE,
    DEFAULT_REQUIRED_TOPICS,
    DEFAULT_STATUSES,
    Settings,
)
from persona_lint.config.toml_lines import KeyPath, key_lines, line_of
from persona_lint.diagnostics import Severity
from persona_lint.formats.names import FORMAT_NAMES
from persona_lint.rules.registry import DEFAULT_OFF, NOT_CHECKED

# The most globs one configuration holds (exclude, extend-exclude, per-file-ignores and
# required-gates.per-file together): every linted path is matched against each.
MAX_GLOBS = 256


class Source:
    """One source of configuration being read: a file, or the command line.

    Readers report errors through :meth:`fail`, which finds the line of the wrong key only
    when there is an error (most runs have none), and create globs through :meth:`glob`,
    which roots them at the file's folder and counts them against :data:`MAX_GLOBS`.

    Args:
        where: How messages name the source (``pyproject.toml [tool.persona-lint]``).
        root: The folder globs are relative to: the configuration file's.
        file: The configuration file, for the error's ``path``.
        text: The file's content, to find the line of a key.
        table: The key path of persona-lint's table in the file (``tool.persona-lint``).
    """

    def __init__(
        self,
        where: str,
        root: Path,
        file: str | None = None,
        text: str = "",
        table: KeyPath = (),
    ) -> None:
        """Name the source; nothing is read until a reader fails."""
        self.where = where
        self.root = root
        self.file = file
        self.text = text
        self.table = table
        self._lines: dict[KeyPath, int] | None = None  # read on the first error
        self._globs = 0

    def fail(self, at: KeyPath, message: str) -> ConfigError:
        """The error about the key at ``at`` (a path inside the table), placed at its line."""
        line = None
        if self.text:
            if self._lines is None:
                self._lines = key_lines(self.text)
            line = line_of(self._lines, self.table + at)
        place = f"{self.where}:{line}" if line else self.where
        return ConfigError(f"{place}: {message}", self.file, line)

    def glob(self, at: KeyPath, pattern: str) -> Glob:
        """The glob ``pattern`` of the key at ``at``, rooted at the source's folder."""
        self._globs += 1
        if self._globs > MAX_GLOBS:
            raise self.fail(
                at, f"{quoted(at[0])}: more than {MAX_GLOBS:,} globs in one configuration"
            )
        try:
            return Glob(pattern, compile_glob(pattern), self.root)
        except ValueError as exc:
            raise self.fail(at, f"{quoted(at[0])}: bad glob {quoted(pattern)}: {exc}") from None


# A reader: the source, the key path of the value, the raw TOML value -> the checked value.
Reader = Callable[[Source, KeyPath, Any], Any]


def read_strings(source: Source, at: KeyPath, value: Any) -> tuple[str, ...]:
    """A list of strings."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise source.fail(at, f"{quoted(dotted(at))} must be a list of strings")
    return tuple(value)


def read_selectors(source: Source, at: KeyPath, value: Any) -> frozenset[str]:
    """A list of rule selectors (codes, prefixes, names, ``ALL``): the codes they mean."""
    codes: set[str] = set()
    for item in dict.fromkeys(read_strings(source, at, value)):  # each once, however repeated
        try:
            codes |= resolve_selector(item)
        except ValueError as exc:
            raise source.fail(at, f"{quoted(at[0])}: {exc}") from None
    return frozenset(codes)


def read_globs(source: Source, at: KeyPath, value: Any) -> tuple[Glob, ...]:
    """A list of globs, rooted at the source's folder."""
    return tuple(source.glob(at, item) for item in read_strings(source, at, value))


def read_severities(source: Source, at: KeyPath, value: Any) -> dict[str, Severity | None]:
    """A table of selector = level: the level of each code (None: switched off)."""
    key = at[0]
    if not isinstance(value, dict):
        raise source.fail(at, f'{key!r} must be a table of code = "error|warning|off"')
    levels: dict[str, Severity | None] = {}
    for name, level in value.items():
        try:
            codes = resolve_selector(name)
        except ValueError as exc:
            raise source.fail((key, name), f"{key!r}: {exc}") from None
        if level not in ("error", "warning", "off"):
            raise source.fail(
                (key, name),
                f"{key!r}: {dotted((name,))} = {quoted(level)}; "
                'expected "error", "warning" or "off"',
            )
        for code in codes:
            if code in NOT_CHECKED and len(codes) > 1:
                continue  # a prefix or ALL never hides a file that was not checked
            levels[code] = None if level == "off" else Severity(level)
    return levels


def read_per_file_ignores(
    source: Source, at: KeyPath, value: Any
) -> tuple[tuple[Glob, frozenset[str]], ...]:
    """A table of glob = selectors: the codes turned off for the files each glob matches."""
    if not isinstance(value, dict):
        raise source.fail(at, f"{at[0]!r} must be a table of glob = [codes]")
    return tuple(
        (source.glob(place, pattern), read_selectors(source, place, codes))
        for pattern, codes in value.items()
        for place in [(*at, pattern)]
    )


class GatePolicy(NamedTuple):
    """The value of ``required-gates``: which gate topics personas must meet.

    Attributes:
        topics: Every topic that may be required (the built-in ones and the file's), with
            its keywords.
        default: The topics every persona must meet.
        per_file: (glob, topics) pairs: the last glob that matches a file replaces
            ``default`` for it.
    """

    topics: Mapping[str, tuple[str, ...]]
    default: tuple[str, ...]
    per_file: tuple[tuple[Glob, tuple[str, ...]], ...] = ()


# The keys of the required-gates table, in the order they are read.
GATE_PARTS = ("topics", "default", "per-file")


def read_gate_policy(source: Source, at: KeyPath, value: Any) -> GatePolicy:
    """The ``required-gates`` table: topics, then those required by default and per file.

    Every required topic must be a known one: built in, or defined under ``topics``.
    """
    key = at[0]
    if not isinstance(value, dict):
        raise source.fail(at, f"{key!r} must be a table with topics, default, per-file")
    for part in value:
        if part not in GATE_PARTS:
            raise source.fail(
                (key, part),
                f"unknown key {quoted(part)} in {key!r}{did_you_mean(part, GATE_PARTS)}",
            )
    topics = _gate_topics(source, key, value.get("topics", {}))

    def known(at: KeyPath, raw: Any) -> tuple[str, ...]:
        names = read_strings(source, at, raw)
        for name in names:
            if name not in topics:
                raise source.fail(
                    at, f"{key}.{at[1]}: unknown topic {quoted(name)}{did_you_mean(name, topics)}"
                )
        return names

    default = known((key, "default"), value.get("default", list(DEFAULT_REQUIRED_TOPICS)))
    per_file_raw = value.get("per-file", {})
    if not isinstance(per_file_raw, dict):
        raise source.fail((key, "per-file"), f"{key}.per-file must be a table of glob = [topics]")
    per_file = tuple(
        (source.glob(place, pattern), known(place, names))
        for pattern, names in per_file_raw.items()
        for place in [(key, "per-file", pattern)]
    )
    return GatePolicy(topics, default, per_file)


def _gate_topics(source: Source, key: str, raw: Any) -> dict[str, tuple[str, ...]]:
    """The built-in gate topics, plus (or replaced by) the table's ``topics``."""
    if not isinstance(raw, dict):
        raise source.fail((key, "topics"), f"{key}.topics must be a table of topic = [keywords]")
    topics = dict(DEFAULT_GATE_TOPICS)
    for topic, keywords in raw.items():
        at = (key, "topics", topic)
        words = read_strings(source, at, keywords)
        if not words or not all(word.strip() for word in words):
            raise source.fail(at, f"{dotted(at)} needs non-empty keywords")
        topics[topic] = tuple(word.strip() for word in words)
    return topics


def read_statuses(source: Source, at: KeyPath, value: Any) -> tuple[str, ...]:
    """A non-empty list of strings."""
    statuses = read_strings(source, at, value)
    if not statuses:
        raise source.fail(at, f"{at[0]!r} must not be empty")
    return statuses


def read_formats(source: Source, at: KeyPath, value: Any) -> tuple[str, ...]:
    """A non-empty list of known format names (``persona``, ``bmad-agent``)."""
    names = read_strings(source, at, value)
    if not names:
        raise source.fail(at, f"{at[0]!r} must not be empty")
    for name in names:
        if name not in FORMAT_NAMES:
            hint = did_you_mean(name, FORMAT_NAMES)
            raise source.fail(at, f"unknown format {quoted(name)} in {at[0]!r}{hint}")
    return names


def read_size(source: Source, at: KeyPath, value: Any) -> int:
    """A positive whole number of bytes (``true`` is not one, though Python says it is 1)."""
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise source.fail(at, f"{at[0]!r} must be a positive whole number of bytes")
    return value


def read_date(source: Source, at: KeyPath, value: Any) -> datetime.date:
    """A TOML date (``2025-07-11``), or a string holding one; not a date and time."""
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
    raise source.fail(at, f"{at[0]!r} must be a date such as 2025-07-11")


def read_boolean(source: Source, at: KeyPath, value: Any) -> bool:
    """``true`` or ``false``."""
    if not isinstance(value, bool):
        raise source.fail(at, f"{at[0]!r} must be true or false")
    return value


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
    """One glob, or one (glob, codes) pair of per-file-ignores."""
    if isinstance(item, Glob):
        return item.pattern
    if isinstance(item, tuple):
        glob, codes = item
        return f"{glob.pattern} -> {', '.join(sorted(codes))}"
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


KEYS: tuple[Key, ...] = (
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
        "formats",
        read_formats,
        "every format: " + _code_list(FORMAT_NAMES),
        "the formats a file may be checked as (see Formats); a file of another format is "
        "skipped when walked, one PL100 when named",
        lambda settings, value: ", ".join(settings.formats or FORMAT_NAMES),
    ),
)
_BY_NAME = {key.name: key for key in KEYS}


def validate(source: Source, raw: Mapping[str, Any]) -> dict[str, Any]:
    """The checked value of every key of one source's table; unknown keys are errors."""
    values: dict[str, Any] = {}
    for name, value in raw.items():
        key = _BY_NAME.get(name)
        if key is None:
            raise source.fail((name,), f"unknown key {quoted(name)}{did_you_mean(name, _BY_NAME)}")
        values[name] = key.read(source, (name,), value)
    return values
