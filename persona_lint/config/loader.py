"""Configuration: discovery, strict validation, and the settings in force for each file.

Settings come from ``[tool.persona-lint]`` in ``pyproject.toml`` or from
``.persona-lint.toml`` (the same keys at the top level), found by walking up from each
linted file: the nearest file wins, and ``.persona-lint.toml`` beats ``pyproject.toml`` in
the same folder (a ``pyproject.toml`` without the table does not count). ``--config PATH``
names one file for every linted file; ``--isolated`` ignores all files. Command-line options
override the file. Without any file, the defaults of :mod:`persona_lint.config.settings` apply.

Every error (unknown key, unknown code, wrong type, bad glob, invalid TOML) is a
:class:`ConfigError`: one message naming the file, the key and the line, with the closest
valid name when there is a near miss. The CLI turns it into exit code 2.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import stat
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from persona_lint.config.globs import GlobPattern, compile_glob
from persona_lint.config.settings import (
    DEFAULT_GATE_TOPICS,
    DEFAULT_MAX_FILE_SIZE,
    DEFAULT_REQUIRED_TOPICS,
    DEFAULT_STATUSES,
    Settings,
)
from persona_lint.config.toml_lines import KeyPath, deepest_line, key_lines, line_of
from persona_lint.diagnostics import Severity
from persona_lint.errors import RunError
from persona_lint.rules.registry import DEFAULT_OFF, NOT_CHECKED

CONFIG_NAME = ".persona-lint.toml"
PYPROJECT = "pyproject.toml"
SECTION = "tool.persona-lint"

# Every key, with its default and a one-line description. README's "Configuration" section
# documents each one; a test keeps the two in step.
KEYS: dict[str, str] = {
    "select": "codes, prefixes (PL4) or names to enable; default: every rule not off by default",
    "extend-select": "codes, prefixes or names to enable on top of select",
    "ignore": "codes, prefixes or names to disable",
    "severity": "table of code or name -> error, warning or off",
    "per-file-ignores": "table of glob -> list of codes, prefixes or names to disable",
    "exclude": "globs of files and folders never linted when walking a folder",
    "extend-exclude": "globs excluded on top of exclude",
    "required-gates": "gate policy: topics (name -> keywords), default, per-file",
    "statuses": "allowed values of the version table's status",
    "max-file-size": "largest file parsed, in bytes",
    "today": "the date rules treat as today (YYYY-MM-DD), for reproducible runs",
    "strict": "warnings fail the run too",
}
GATE_KEYS = ("topics", "default", "per-file")
# Folders no one wants linted: version control, virtual environments, tool caches, vendored
# and built code (ruff's default exclude, plus persona-lint's cache). Hidden folders are
# walked otherwise: real personas live under .claude/.
DEFAULT_EXCLUDE = (
    ".bzr",
    ".direnv",
    ".eggs",
    ".git",
    ".hg",
    ".ipynb_checkpoints",
    ".mypy_cache",
    ".nox",
    ".persona_lint_cache",
    ".pytest_cache",
    ".pytype",
    ".ruff_cache",
    ".svn",
    ".tox",
    ".venv",
    "__pycache__",
    "__pypackages__",
    "_build",
    "buck-out",
    "build",
    "dist",
    "env",
    "node_modules",
    "site-packages",
    "third_party",
    "vendor",
    "venv",
)


class ConfigError(RunError):
    """An invalid configuration; the message says where and what. ``path`` is the
    configuration file and ``line`` (1-based) the line the message names, when known (an
    editor shows the error there)."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.line = line


def _shown(value: object) -> str:
    """``value`` as a message quotes it: ``repr`` (escaped), cut after 60 characters (a
    configuration file can hold any string, of any length)."""
    text = repr(value)
    return text if len(text) <= 60 else text[:60] + "…"


def _name(at: KeyPath) -> str:
    """A key path as TOML writes it: ``per-file-ignores."legacy/*.md"``."""
    return ".".join(
        part if re.fullmatch(r"[A-Za-z0-9_-]+", part) else json.dumps(part) for part in at
    )


def _suggest(word: str, choices: Iterable[str]) -> str:
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


class Glob(NamedTuple):
    """A glob of a configuration file (see :mod:`persona_lint.config.globs`)."""

    pattern: str
    compiled: GlobPattern
    root: Path  # globs are relative to the folder of the file that defines them

    def matches(self, path: Path) -> bool:
        return self.matches_absolute(absolute_posix(path))

    def matches_absolute(self, absolute: str) -> bool:
        """``matches`` for a path already made absolute by :func:`absolute_posix`."""
        prefix = str(self.root).rstrip("/") + "/"
        if absolute == prefix[:-1]:
            return self.compiled.matches(".")
        return absolute.startswith(prefix) and self.compiled.matches(absolute[len(prefix) :])


def absolute_posix(path: Path, cwd: str | None = None) -> str:
    """``path.absolute().as_posix()`` without building Path objects (called per file);
    ``cwd``: the working directory, when the caller already knows it."""
    text = str(path)
    if text.startswith("/"):
        return text
    cwd = cwd if cwd is not None else os.getcwd()
    return cwd if text == "." else os.path.join(cwd, text)


@cache
def _default_exclude() -> tuple[frozenset[str], tuple[GlobPattern, ...]]:
    """The default patterns, matched against one name: the plain names as a set (the walk
    asks for every folder), and the others."""
    names = frozenset(p for p in DEFAULT_EXCLUDE if not any(char in p for char in "*?[/"))
    return names, tuple(compile_glob(p) for p in DEFAULT_EXCLUDE if p not in names)


class GatePolicy(NamedTuple):
    topics: Mapping[str, tuple[str, ...]]
    default: tuple[str, ...]
    per_file: tuple[tuple[Glob, tuple[str, ...]], ...] = ()


class Layer(NamedTuple):
    """Validated values of one source (a file, or the command line), with their origin."""

    origin: str
    values: Mapping[str, Any]


def _known_selectors() -> tuple[dict[str, str], list[str]]:
    from persona_lint.rules import all_rules

    names = {}
    codes = []
    for rule in all_rules():
        names[rule.name] = rule.code
        codes.append(rule.code)
    return names, codes


def resolve_selector(selector: str) -> frozenset[str]:
    """The codes a selector means: a code, a prefix (``PL4``, ``PL``), ``ALL`` or a name."""
    names, codes = _known_selectors()
    text = selector.strip()
    if text.upper() == "ALL":
        return frozenset(codes)
    if text.lower() in names:
        return frozenset({names[text.lower()]})
    upper = text.upper()
    matched = frozenset(c for c in codes if c.startswith(upper))
    if matched and re.fullmatch(r"PL\d{0,3}", upper):
        return matched
    raise ValueError(
        f"unknown rule code or name {_shown(selector)}{_suggest(text, [*codes, *names])}"
    )


# The most globs one configuration holds (exclude, extend-exclude, per-file-ignores and
# required-gates.per-file together): every linted path is matched against each.
MAX_GLOBS = 256


class _Validator:
    """Validates the raw table of one source. ``where`` names the source in messages; for a
    file, ``text`` is its content and ``table`` the key path of persona-lint's table in it,
    to find the line of a wrong key."""

    def __init__(
        self,
        where: str,
        root: Path,
        file: str | None = None,
        text: str = "",
        table: KeyPath = (),
    ) -> None:
        self.where = where
        self.root = root
        self.file = file
        self.text = text
        self.table = table
        self._lines: dict[KeyPath, int] | None = None  # read on the first error
        self._globs = 0

    def fail(self, at: KeyPath, message: str) -> ConfigError:
        """The error about the key at ``at`` (a path inside the table), at its line."""
        line = None
        if self.text:
            if self._lines is None:
                self._lines = key_lines(self.text)
            line = line_of(self._lines, self.table + at)
        place = f"{self.where}:{line}" if line else self.where
        return ConfigError(f"{place}: {message}", self.file, line)

    def validate(self, raw: Mapping[str, Any]) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for key, value in raw.items():
            if key not in KEYS:
                raise self.fail((key,), f"unknown key {_shown(key)}{_suggest(key, KEYS)}")
            values[key] = getattr(self, "_" + key.replace("-", "_"))(key, value)
        return values

    def _strings(self, at: KeyPath, value: Any) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(at, f"{_shown(_name(at))} must be a list of strings")
        return tuple(value)

    def _selectors(self, at: KeyPath, value: Any) -> frozenset[str]:
        codes: set[str] = set()
        for item in dict.fromkeys(self._strings(at, value)):  # each once, however often listed
            try:
                codes |= resolve_selector(item)
            except ValueError as exc:
                raise self.fail(at, f"{_shown(at[0])}: {exc}") from None
        return frozenset(codes)

    def _select(self, key: str, value: Any) -> frozenset[str]:
        return self._selectors((key,), value)

    _extend_select = _ignore = _select

    def _exclude(self, key: str, value: Any) -> tuple[Glob, ...]:
        return tuple(self._glob((key,), item) for item in self._strings((key,), value))

    _extend_exclude = _exclude

    def _glob(self, at: KeyPath, pattern: str) -> Glob:
        self._globs += 1
        if self._globs > MAX_GLOBS:
            raise self.fail(
                at, f"{_shown(at[0])}: more than {MAX_GLOBS:,} globs in one configuration"
            )
        try:
            return Glob(pattern, compile_glob(pattern), self.root)
        except (ValueError, re.error) as exc:
            raise self.fail(at, f"{_shown(at[0])}: bad glob {_shown(pattern)}: {exc}") from None

    def _severity(self, key: str, value: Any) -> dict[str, Severity | None]:
        if not isinstance(value, dict):
            raise self.fail((key,), f'{key!r} must be a table of code = "error|warning|off"')
        out: dict[str, Severity | None] = {}
        for name, level in value.items():
            try:
                codes = resolve_selector(name)
            except ValueError as exc:
                raise self.fail((key, name), f"{key!r}: {exc}") from None
            if level not in ("error", "warning", "off"):
                raise self.fail(
                    (key, name),
                    f"{key!r}: {_name((name,))} = {_shown(level)}; "
                    'expected "error", "warning" or "off"',
                )
            for code in codes:
                if code in NOT_CHECKED and len(codes) > 1:
                    continue  # a prefix or ALL never hides a file that was not checked
                out[code] = None if level == "off" else Severity(level)
        return out

    def _per_file_ignores(self, key: str, value: Any) -> tuple[tuple[Glob, frozenset[str]], ...]:
        if not isinstance(value, dict):
            raise self.fail((key,), f"{key!r} must be a table of glob = [codes]")
        return tuple(
            (self._glob((key, pattern), pattern), self._selectors((key, pattern), codes))
            for pattern, codes in value.items()
        )

    def _required_gates(self, key: str, value: Any) -> GatePolicy:
        if not isinstance(value, dict):
            raise self.fail((key,), f"{key!r} must be a table with topics, default, per-file")
        for sub in value:
            if sub not in GATE_KEYS:
                raise self.fail(
                    (key, sub),
                    f"unknown key {_shown(sub)} in {key!r}{_suggest(sub, GATE_KEYS)}",
                )
        topics = dict(DEFAULT_GATE_TOPICS)
        raw_topics = value.get("topics", {})
        if not isinstance(raw_topics, dict):
            raise self.fail((key, "topics"), f"{key}.topics must be a table of topic = [keywords]")
        for topic, keywords in raw_topics.items():
            words = self._strings((key, "topics", topic), keywords)
            if not words or not all(w.strip() for w in words):
                raise self.fail(
                    (key, "topics", topic),
                    f"{_name((key, 'topics', topic))} needs non-empty keywords",
                )
            topics[topic] = tuple(w.strip() for w in words)

        def known(names: tuple[str, ...], at: KeyPath) -> tuple[str, ...]:
            for name in names:
                if name not in topics:
                    raise self.fail(
                        at,
                        f"{key}.{at[1]}: unknown topic {_shown(name)}{_suggest(name, topics)}",
                    )
            return names

        default_at = (key, "default")
        default = known(
            self._strings(default_at, value.get("default", list(DEFAULT_REQUIRED_TOPICS))),
            default_at,
        )
        per_file_raw = value.get("per-file", {})
        if not isinstance(per_file_raw, dict):
            raise self.fail((key, "per-file"), f"{key}.per-file must be a table of glob = [topics]")
        per_file = tuple(
            (self._glob(at, pattern), known(self._strings(at, names), at))
            for pattern, names in per_file_raw.items()
            for at in [(key, "per-file", pattern)]
        )
        return GatePolicy(topics, default, per_file)

    def _statuses(self, key: str, value: Any) -> tuple[str, ...]:
        statuses = self._strings((key,), value)
        if not statuses:
            raise self.fail((key,), f"{key!r} must not be empty")
        return statuses

    def _max_file_size(self, key: str, value: Any) -> int:
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            raise self.fail((key,), f"{key!r} must be a positive whole number of bytes")
        return value

    def _today(self, key: str, value: Any) -> datetime.date:
        if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
            return value
        if isinstance(value, str):
            try:
                return datetime.date.fromisoformat(value)
            except ValueError:
                pass
        raise self.fail((key,), f"{key!r} must be a date such as 2025-07-11")

    def _strict(self, key: str, value: Any) -> bool:
        if not isinstance(value, bool):
            raise self.fail((key,), f"{key!r} must be true or false")
        return value


# The largest configuration file read: a pyproject.toml of a large project is tens of KB.
MAX_CONFIG_SIZE = 1024 * 1024


def _config_file(candidate: Path) -> bool:
    """Whether discovery finds a configuration file at ``candidate``. A folder reached
    through a link out of the current directory is not searched (its files are not linted
    either); anything else there but a folder is a configuration file, which
    :func:`load_file` then refuses unless it is a regular file inside the tree."""
    from persona_lint.source.read import escape

    if escape(candidate.parent, strict_last=False) is not None:
        return False
    try:
        found = os.stat(candidate)
    except (FileNotFoundError, NotADirectoryError):
        return os.path.islink(candidate)  # a dangling link: load_file says so
    except OSError as exc:  # EACCES: a file there may or may not govern the run
        raise ConfigError(f"{candidate}: cannot look for configuration: {exc.strerror}") from None
    return not stat.S_ISDIR(found.st_mode)


def load_file(path: Path) -> Layer | None:
    """Read and validate one configuration file; None for a pyproject.toml without the table.

    Read like a persona: a regular file only, at most :data:`MAX_CONFIG_SIZE` bytes, and not
    through a link leading out of the current directory (a link to /proc/self/environ, or
    to another user's files, would be parsed, and parts of it echoed in errors)."""
    from persona_lint.source.read import escape, read_capped

    refused = escape(path, strict_last=False)
    if refused is not None:
        raise ConfigError(f"{path}: {refused.replace('followed', 'read')}", str(path))
    try:
        text = read_capped(path, MAX_CONFIG_SIZE).decode("utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: cannot read configuration: no such file", str(path)) from None
    except OSError as exc:
        raise ConfigError(
            f"{path}: cannot read configuration: {exc.strerror or exc}", str(path)
        ) from None
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"{path}: cannot read configuration: not UTF-8 (byte {exc.start + 1})", str(path)
        ) from None
    data = _parse_toml(path, text)
    table: KeyPath = ()
    if path.name == PYPROJECT:
        tool = data.get("tool")
        if not isinstance(tool, dict) or "persona-lint" not in tool:
            return None
        raw, table, where = tool["persona-lint"], ("tool", "persona-lint"), f"{path} [{SECTION}]"
    else:
        raw, where = data, str(path)
    validator = _Validator(where, path.parent.absolute(), str(path), text, table)
    if not isinstance(raw, dict):
        raise validator.fail((), "must be a table")
    return Layer(str(path), validator.validate(raw))


def _parse_toml(path: Path, text: str) -> dict[str, Any]:
    """The TOML document, or a ConfigError naming the file and the line of the problem."""
    if sys.version_info >= (3, 11):  # imported here: a tree without configuration never needs it
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    line: int | None
    try:
        data: dict[str, Any] = tomllib.loads(text)
        return data
    except tomllib.TOMLDecodeError as exc:
        problem, line = _decode_error(str(exc), text)
    except RecursionError:  # tomllib recurses once per nested array or inline table
        problem, line = "arrays or tables nested too deeply", deepest_line(text)
    except ValueError:  # int() refuses more digits than sys.get_int_max_str_digits()
        problem = "an integer has more digits than Python reads"
        found = _LONG_INTEGER.search(text)
        line = text.count("\n", 0, found.start()) + 1 if found else None
    place = f"{path}:{line}" if line else str(path)
    raise ConfigError(f"{place}: invalid TOML: {problem}", str(path), line)


# Python's default limit on the digits of an integer (sys.get_int_max_str_digits()): 4300.
_LONG_INTEGER = re.compile(r"\d(?:_?\d){4300}")


def _decode_error(message: str, text: str) -> tuple[str, int]:
    """The problem and the line of a tomllib error, whose message ends with where it is."""
    at = re.search(r" \(at line (\d+), column (\d+)\)$", message)
    if at is not None:
        return f"{message[: at.start()]} (column {at.group(2)})", int(at.group(1))
    problem = message.removesuffix(" (at end of document)")
    return problem, text.rstrip("\n").count("\n") + 1


def command_line_layer(
    select: Iterable[str] = (),
    extend_select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    strict: bool = False,
) -> Layer:
    """Options given on the command line, validated like a file's."""
    validator = _Validator("command line", Path.cwd())
    raw: dict[str, Any] = {}
    for key, given in (("select", select), ("extend-select", extend_select), ("ignore", ignore)):
        items = [part for item in given for part in re.split(r"[,\s]+", item) if part]
        if items:
            raw[key] = items
    if strict:
        raw["strict"] = True
    return Layer("command line", validator.validate(raw))


@dataclass
class Resolver:
    """The settings in force for each linted file (cached per configuration file)."""

    cli: Layer = field(default_factory=lambda: Layer("command line", {}))
    config_path: Path | None = None
    isolated: bool = False
    _files: dict[Path, Layer | None] = field(default_factory=dict)
    _nearest: dict[Path, Path | None] = field(default_factory=dict)
    # Per run, by folder (absolute text): the governing layer; by layers: the settings,
    # when no layer holds a per-file pattern (then settings do not depend on the path).
    _by_folder: dict[str, Layer | None] = field(default_factory=dict)
    _settings: dict[tuple[int, ...], Settings] = field(default_factory=dict)
    # By folder as the path is written: the layers in force; by layers: (whether the default
    # excludes apply, the exclude and extend-exclude globs).
    _by_written_folder: dict[str, list[Layer]] = field(default_factory=dict)
    _exclusions: dict[tuple[int, ...], tuple[bool, tuple[Glob, ...]]] = field(default_factory=dict)
    _cwd: str | None = None  # the working directory, read once (a run does not change it)

    def __post_init__(self) -> None:
        if self.config_path is not None:
            if not os.path.lexists(self.config_path) or os.path.isdir(self.config_path):
                raise ConfigError(f"{self.config_path}: no such configuration file")
            layer = load_file(self.config_path)
            if layer is None:
                raise ConfigError(f"{self.config_path}: has no [{SECTION}] table")
            self._files[self.config_path.absolute()] = layer

    def layer_for(self, path: Path) -> Layer | None:
        """The configuration file's layer that governs ``path``, if any."""
        if self.isolated:
            return None
        if self.config_path is not None:
            return self._files[self.config_path.absolute()]
        folder = os.path.dirname(absolute_posix(path, self._working_directory()))
        if folder not in self._by_folder:
            found = self._find(Path(folder))
            self._by_folder[folder] = self._files.get(found) if found is not None else None
        return self._by_folder[folder]

    def _working_directory(self) -> str:
        if self._cwd is None:
            self._cwd = os.getcwd()
        return self._cwd

    def _find(self, folder: Path) -> Path | None:
        trail = []
        current: Path | None = folder
        result: Path | None = None
        while current is not None:
            if current in self._nearest:
                result = self._nearest[current]
                break
            trail.append(current)
            for name in (CONFIG_NAME, PYPROJECT):
                candidate = current / name
                if _config_file(candidate):
                    layer = (
                        self._files[candidate] if candidate in self._files else load_file(candidate)
                    )
                    self._files[candidate] = layer
                    if layer is not None:
                        result = candidate
                        break
            if result is not None:
                break
            current = current.parent if current.parent != current else None
        for visited in trail:
            self._nearest[visited] = result
        return result

    def _layers(self, path: Path) -> list[Layer]:
        # Asked twice per file (exclusion, settings): cached by the folder as written, which
        # names one folder for the whole run (the working directory does not change).
        folder = os.path.dirname(str(path))
        layers = self._by_written_folder.get(folder)
        if layers is None:
            layer = self.layer_for(path)
            layers = [layer, self.cli] if layer is not None else [self.cli]
            self._by_written_folder[folder] = layers
        return layers

    def settings_for(self, path: Path) -> Settings:
        layers = self._layers(path)
        if any(_per_file(layer) for layer in layers):
            return build_settings(layers, path)
        key = tuple(id(layer) for layer in layers)  # layers live as long as the resolver
        if key not in self._settings:
            self._settings[key] = build_settings(layers, path)
        return self._settings[key]

    def excluded(self, path: Path) -> bool:
        """Whether ``path`` matches exclude or extend-exclude (or the default excludes)."""
        layers = self._layers(path)
        key = tuple(id(layer) for layer in layers)  # layers live as long as the resolver
        patterns = self._exclusions.get(key)
        if patterns is None:
            base = next((layer for layer in layers if "exclude" in layer.values), None)
            globs: list[Glob] = [] if base is None else list(base.values["exclude"])
            for layer in layers:
                globs += layer.values.get("extend-exclude", ())
            patterns = self._exclusions[key] = (base is None, tuple(globs))
        defaults, globs_in_force = patterns
        # The default patterns hold no "/": relative to the path's own folder, each matches
        # its name.
        absolute = ""
        if defaults:
            name = path.name
            if not name:  # "." or "/": the name of the folder it stands for
                absolute = absolute_posix(path, self._working_directory())
                name = absolute.rsplit("/", 1)[-1]
            plain_names, default_globs = _default_exclude()
            if name in plain_names or any(glob.matches(name) for glob in default_globs):
                return True
        if not globs_in_force:
            return False
        absolute = absolute or absolute_posix(path, self._working_directory())
        return any(glob.matches_absolute(absolute) for glob in globs_in_force)

    def describe(self, path: Path) -> list[tuple[str, str, str]]:
        """(key, value, origin) for every key, as ``persona-lint config`` prints it."""
        layers = self._layers(path)
        settings = build_settings(layers, path)
        rows = []
        for key in KEYS:
            origin = "default"
            for layer in layers:
                if key in layer.values:
                    origin = layer.origin
            rows.append((key, _show(key, settings, layers), origin))
        return rows


def _per_file(layer: Layer) -> bool:
    """Whether the layer holds patterns that make settings differ from file to file."""
    policy = layer.values.get("required-gates")
    return "per-file-ignores" in layer.values or (policy is not None and bool(policy.per_file))


def _show(key: str, settings: Settings, layers: list[Layer]) -> str:
    if key == "select":
        if settings.select is None:
            return f"ALL except the rules off by default ({', '.join(sorted(DEFAULT_OFF))})"
        return ", ".join(sorted(settings.select))
    if key == "severity":
        return ", ".join(f"{c}={s}" for c, s in settings.severity) or "(rule defaults)"
    if key == "required-gates":
        return "; ".join(f"{t}: {', '.join(k)}" for t, k in settings.required_gates) or "(none)"
    if key == "statuses":
        return ", ".join(settings.statuses)
    if key == "max-file-size":
        return str(settings.max_file_size)
    if key == "today":
        return settings.today.isoformat() if settings.today else "(the real date)"
    if key == "strict":
        return str(settings.strict).lower()
    for layer in reversed(layers):
        if key in layer.values:
            value = layer.values[key]
            if isinstance(value, frozenset):
                return ", ".join(sorted(value))
            if isinstance(value, tuple):
                return ", ".join(
                    getattr(v, "pattern", None)
                    or (
                        f"{v[0].pattern} -> {', '.join(sorted(v[1]))}"
                        if isinstance(v, tuple)
                        else str(v)
                    )
                    for v in value
                )
            return str(value)
    if key == "exclude":
        return ", ".join(DEFAULT_EXCLUDE)
    return "(none)"


def build_settings(layers: list[Layer], path: Path) -> Settings:
    """Merge layers (later ones win) into the Settings for one file."""
    merged: dict[str, Any] = {}
    selection_keys = ("select", "extend-select", "ignore", "per-file-ignores", "severity")
    if not any(key in layer.values for layer in layers for key in selection_keys):
        all_codes: frozenset[str] = frozenset()  # every rule: no need to load the registry
    else:
        from persona_lint.rules import all_rules

        all_codes = frozenset(r.code for r in all_rules())
    # Selection is applied layer by layer, like ruff: a later select starts over, then its
    # extend-select adds and its ignore removes. The default selection leaves out the rules
    # that are off by default (DEFAULT_OFF); any selector that names one enables it.
    default = all_codes - DEFAULT_OFF
    selected = set(default)
    severity: dict[str, Severity | None] = {}
    per_file: list[tuple[Glob, frozenset[str]]] = []
    for layer in layers:
        values = layer.values
        for key in ("statuses", "max-file-size", "today", "strict", "required-gates"):
            if key in values:
                merged[key] = values[key]
        if "select" in values:
            selected = set(values["select"])
        selected |= values.get("extend-select", frozenset())
        selected -= values.get("ignore", frozenset())
        severity.update(values.get("severity", {}))
        per_file += values.get("per-file-ignores", ())
    for glob, codes in per_file:
        if glob.matches(path):
            selected -= codes
    selected |= NOT_CHECKED  # whatever the selection: see rules/registry.py
    selected -= {code for code, level in severity.items() if level is None}
    policy: GatePolicy | None = merged.get("required-gates")
    if policy is None:
        gates = tuple((t, k) for t, k in DEFAULT_GATE_TOPICS if t in DEFAULT_REQUIRED_TOPICS)
    else:
        names = policy.default
        for glob, topics in policy.per_file:
            if glob.matches(path):
                names = topics
        gates = tuple((name, policy.topics[name]) for name in names)
    return Settings(
        statuses=merged.get("statuses", DEFAULT_STATUSES),
        required_gates=gates,
        max_file_size=merged.get("max-file-size", DEFAULT_MAX_FILE_SIZE),
        today=merged.get("today"),
        select=None if not all_codes or selected == default else frozenset(selected),
        severity=tuple(sorted((c, s) for c, s in severity.items() if s is not None)),
        strict=merged.get("strict", False),
    )
