"""The readers of configuration values, and the :class:`Source` they read from.

A reader turns the raw TOML value of one key into the value the resolver merges (a
frozenset of codes, rooted globs, a date...), or raises a :class:`ConfigError` at the key's
line. Readers are strict: a wrong type is an error, never a silent default. The table of
keys that uses them is :mod:`persona_lint.config.keys`.
"""

from __future__ import annotations

import datetime
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from persona_lint.config.errors import ConfigError, did_you_mean, dotted, quoted
from persona_lint.config.globs import Glob, compile_glob
from persona_lint.config.selectors import resolve_selector
from persona_lint.config.toml_lines import KeyPath, key_lines, line_of
from persona_lint.diagnostics import Severity
from persona_lint.formats.names import FORMAT_NAMES
from persona_lint.rules.registry import BUILT_IN_PREFIXES, NOT_CHECKED
from persona_lint.source.read import current_directory, inside

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
        outside_ok: The file is one the user named outside the current directory
            (``--config``), so the tree does not control it: the files it names (``extend``,
            ``schemas``) may lie outside the current directory too.
    """

    def __init__(
        self,
        where: str,
        root: Path,
        file: str | None = None,
        text: str = "",
        table: KeyPath = (),
        outside_ok: bool = False,
    ) -> None:
        """Name the source; nothing is read until a reader fails."""
        self.where = where
        self.root = root
        self.file = file
        self.text = text
        self.table = table
        self._lines: dict[KeyPath, int] | None = None  # read on the first error
        self.outside_ok = outside_ok
        self._globs = 0
        self.team_schemas = 0  # counted by config.team_schemas against its cap
        # Plugins named but not loaded (--no-plugins): selectors may name their codes.
        self.plugins_skipped = False
        # The team formats this file declares (``team-formats``): ``formats`` may name them.
        self.team_formats: tuple[str, ...] = ()

    def fail(self, at: KeyPath, message: str) -> ConfigError:
        """The error about the key at ``at`` (a path inside the table), placed at its line."""
        place, line = self.place(at)
        return ConfigError(f"{place}: {message}", self.file, line)

    def place(self, at: KeyPath) -> tuple[str, int | None]:
        """Where the key at ``at`` is, as messages name it (``file:line``), and its line."""
        line = None
        if self.text:
            if self._lines is None:
                self._lines = key_lines(self.text)
            line = line_of(self._lines, self.table + at)
        return (f"{self.where}:{line}" if line else self.where), line

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
            if not _of_a_skipped_plugin(source, item):
                raise source.fail(at, f"{quoted(at[0])}: {exc}") from None
    return frozenset(codes)


def _of_a_skipped_plugin(source: Source, selector: str) -> bool:
    """Whether an unknown selector may name rules of plugins not loaded (a team's code).

    Never one of persona-lint's own families: ``PLX9`` is a typo, not a plugin's code.
    """
    code = selector.strip()
    return (
        source.plugins_skipped
        and re.fullmatch(r"[A-Z]{2,10}[0-9]*", code) is not None
        and not code.startswith(BUILT_IN_PREFIXES)
    )


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
            if _of_a_skipped_plugin(source, name):
                continue
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


def read_statuses(source: Source, at: KeyPath, value: Any) -> tuple[str, ...]:
    """A non-empty list of strings."""
    statuses = read_strings(source, at, value)
    if not statuses:
        raise source.fail(at, f"{at[0]!r} must not be empty")
    return statuses


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


class ExtendTarget(NamedTuple):
    """The value of ``extend``: the configuration file this one builds on.

    Attributes:
        path: The extended file, relative to the naming file's folder, normalised.
        place: Where ``extend`` is written (``file:line``), for errors about the chain.
        file: The naming configuration file.
        line: The line of ``extend`` in it.
        outside_ok: The extended file lies outside the current directory and may: the
            naming file is itself one the user chose outside the tree.
    """

    path: Path
    place: str
    file: str | None
    line: int | None
    outside_ok: bool

    def fail(self, message: str) -> ConfigError:
        """The error about this ``extend``, at its line in the naming file."""
        return ConfigError(f"{self.place}: {message}", self.file, self.line)


def read_extend(source: Source, at: KeyPath, value: Any) -> ExtendTarget:
    """A configuration file to build on, relative to this one; inside the tree (see Source)."""
    if not isinstance(value, str) or not value:
        raise source.fail(at, "'extend' must be the path of a configuration file")
    place, line = source.place(at)
    path = Path(os.path.normpath(source.root / value))
    outside = not inside(os.path.realpath(path), current_directory())
    if outside and not source.outside_ok:
        raise source.fail(
            at,
            f"'extend': {quoted(value)} is outside the current directory; not read (a file of "
            "the tree may extend only files of the tree: name a shared file with --config)",
        )
    return ExtendTarget(path, place, source.file, line, outside)


def read_formats(source: Source, at: KeyPath, value: Any) -> tuple[str, ...]:
    """A non-empty list of known format names: built-in, or a team format of this file."""
    names = read_strings(source, at, value)
    if not names:
        raise source.fail(at, f"{at[0]!r} must not be empty")
    known = (*FORMAT_NAMES, *source.team_formats)
    for name in names:
        if name not in known:
            hint = did_you_mean(name, known)
            raise source.fail(at, f"unknown format {quoted(name)} in {at[0]!r}{hint}")
    return names


def read_boolean(source: Source, at: KeyPath, value: Any) -> bool:
    """``true`` or ``false``."""
    if not isinstance(value, bool):
        raise source.fail(at, f"{at[0]!r} must be true or false")
    return value
