"""The settings in force for each linted file: layers per folder, per-file patterns, merging.

For each linted file, the :class:`Resolver` finds the governing configuration file by
walking up from the file's folder: the nearest file wins, and ``.persona-lint.toml`` beats
``pyproject.toml`` in the same folder (a ``pyproject.toml`` without the table does not
count); files further up are not merged in. ``--config PATH`` names one file for every
linted file; ``--isolated`` ignores all files. The command line's layer goes on top, and
:func:`build_settings` merges the layers into one :class:`Settings` (later layers win),
applying the patterns of ``per-file-ignores`` and ``required-gates.per-file``.

A run asks once per file, so lookups are cached per folder and per set of layers; the
working directory is read once (a run does not change it).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from persona_lint.config.errors import ConfigError
from persona_lint.config.gates import GatePolicy
from persona_lint.config.globs import Glob, GlobPattern, absolute_posix, compile_glob
from persona_lint.config.keys import KEYS
from persona_lint.config.loader import (
    CONFIG_NAME,
    PYPROJECT,
    SECTION,
    Layer,
    config_file_at,
    load_chain,
)
from persona_lint.config.rule_options import merge_rule_options
from persona_lint.config.settings import (
    DEFAULT_EXCLUDE,
    DEFAULT_GATE_TOPICS,
    DEFAULT_MAX_FILE_SIZE,
    DEFAULT_REQUIRED_TOPICS,
    DEFAULT_STATUSES,
    Settings,
    TeamSchema,
)
from persona_lint.config.team_schemas import check_no_conflict
from persona_lint.diagnostics import Severity
from persona_lint.rules import all_rules
from persona_lint.rules.registry import DEFAULT_OFF, NOT_CHECKED
from persona_lint.source.read import current_directory, inside

# A set of layers, as a cache key: layers live as long as the resolver that read them.
_LayersKey = tuple[int, ...]


@dataclass
class Resolver:
    """The settings in force for each linted file (each configuration file read once).

    Attributes:
        cli: The command line's layer, on top of any file's.
        config_path: ``--config``: the one file for every linted file.
        isolated: ``--isolated``: no configuration file at all.
    """

    cli: Layer = field(default_factory=lambda: Layer("command line", {}))
    config_path: Path | None = None
    isolated: bool = False
    _files: dict[Path, tuple[Layer, ...] | None] = field(default_factory=dict)
    _nearest: dict[Path, Path | None] = field(default_factory=dict)
    # Per run, by folder (absolute text): the governing chain; by layers: the settings,
    # when no layer holds a per-file pattern (then settings do not depend on the path).
    _by_folder: dict[str, tuple[Layer, ...]] = field(default_factory=dict)
    _settings: dict[_LayersKey, Settings] = field(default_factory=dict)
    # By folder as the path is written: the layers in force; by layers: (whether the default
    # excludes apply, the exclude and extend-exclude globs).
    _by_written_folder: dict[str, list[Layer]] = field(default_factory=dict)
    _exclusions: dict[_LayersKey, tuple[bool, tuple[Glob, ...]]] = field(default_factory=dict)
    _cwd: str | None = None

    def __post_init__(self) -> None:
        """Read the ``--config`` file now: a missing or table-less one is an error at once."""
        if self.config_path is not None:
            if not os.path.lexists(self.config_path) or os.path.isdir(self.config_path):
                raise ConfigError(f"{self.config_path}: no such configuration file")
            # A file named outside the tree is the user's: what it extends may be too.
            outside = not inside(os.path.realpath(self.config_path), current_directory())
            chain = load_chain(self.config_path, outside_ok=outside)
            if chain is None:
                raise ConfigError(f"{self.config_path}: has no [{SECTION}] table")
            self._files[self.config_path.absolute()] = chain

    def layer_for(self, path: Path) -> Layer | None:
        """The configuration file's layer that governs ``path``, if any (not its bases)."""
        chain = self.chain_for(path)
        return chain[-1] if chain else None

    def chain_for(self, path: Path) -> tuple[Layer, ...]:
        """The layers of the configuration that governs ``path``: the files it extends first."""
        if self.isolated:
            return ()
        if self.config_path is not None:
            return self._files[self.config_path.absolute()] or ()
        folder = os.path.dirname(absolute_posix(path, self._working_directory()))
        if folder not in self._by_folder:
            found = self._find(Path(folder))
            self._by_folder[folder] = (self._files.get(found) or ()) if found else ()
        return self._by_folder[folder]

    def _working_directory(self) -> str:
        if self._cwd is None:
            self._cwd = os.getcwd()
        return self._cwd

    def _find(self, folder: Path) -> Path | None:
        """The nearest configuration file at or above ``folder``.

        The answer is remembered for every folder passed on the way up: the files of one
        tree share their ancestors.
        """
        trail = []
        current: Path | None = folder
        result: Path | None = None
        while current is not None and result is None:
            if current in self._nearest:
                result = self._nearest[current]
                break
            trail.append(current)
            result = self._file_in(current)
            current = current.parent if current.parent != current else None
        for visited in trail:
            self._nearest[visited] = result
        return result

    def _file_in(self, folder: Path) -> Path | None:
        """The configuration file of ``folder`` itself, if it has one that counts."""
        for name in (CONFIG_NAME, PYPROJECT):
            candidate = folder / name
            if config_file_at(candidate):
                if candidate not in self._files:
                    self._files[candidate] = load_chain(candidate)
                if self._files[candidate] is not None:
                    return candidate
        return None

    def _layers(self, path: Path) -> list[Layer]:
        """The layers in force for ``path``: its configuration's chain, then the command line's.

        Asked twice per file (exclusion, settings): cached by the folder as written, which
        names one folder for the whole run (the working directory does not change).
        """
        folder = os.path.dirname(str(path))
        layers = self._by_written_folder.get(folder)
        if layers is None:
            layers = [*self.chain_for(path), self.cli]
            self._by_written_folder[folder] = layers
        return layers

    def settings_for(self, path: Path) -> Settings:
        """The settings in force for ``path``."""
        layers = self._layers(path)
        if any(_has_per_file_patterns(layer) for layer in layers):
            return build_settings(layers, path)
        key = tuple(id(layer) for layer in layers)
        if key not in self._settings:
            self._settings[key] = build_settings(layers, path)
        return self._settings[key]

    def excluded(self, path: Path) -> bool:
        """Whether ``path`` matches exclude or extend-exclude (or the default excludes)."""
        defaults, globs = self._exclusion_globs(self._layers(path))
        absolute = ""
        if defaults:
            # The default patterns hold no "/": each matches the path's own name.
            name = path.name
            if not name:  # "." or "/": the name of the folder it stands for
                absolute = absolute_posix(path, self._working_directory())
                name = absolute.rsplit("/", 1)[-1]
            plain_names, default_globs = _default_exclude()
            if name in plain_names or any(glob.matches(name) for glob in default_globs):
                return True
        if not globs:
            return False
        absolute = absolute or absolute_posix(path, self._working_directory())
        return any(glob.matches_absolute(absolute) for glob in globs)

    def _exclusion_globs(self, layers: list[Layer]) -> tuple[bool, tuple[Glob, ...]]:
        """Whether the default excludes apply, and the globs excluded besides.

        The defaults apply when no layer sets ``exclude``; the globs are those of the last
        ``exclude`` (a file's replaces the one of the file it extends) and of every
        ``extend-exclude``.
        """
        key = tuple(id(layer) for layer in layers)
        found = self._exclusions.get(key)
        if found is None:
            setting = [layer for layer in layers if "exclude" in layer.values]
            base = setting[-1] if setting else None
            globs: list[Glob] = [] if base is None else list(base.values["exclude"])
            for layer in layers:
                globs += layer.values.get("extend-exclude", ())
            found = self._exclusions[key] = (base is None, tuple(globs))
        return found

    def describe(self, path: Path) -> list[tuple[str, str, str]]:
        """(key, value, origin) for every key, as ``persona-lint config`` prints it.

        The origin is the last layer that sets the key; when files of an ``extend`` chain
        set it too, they follow: ``team.toml; also set in base.toml``.
        """
        layers = self._layers(path)
        settings = build_settings(layers, path)
        rows = []
        for key in KEYS:
            setting = [layer for layer in layers if key.name in layer.values]
            value = setting[-1].values[key.name] if setting else None
            origins = [layer.origin for layer in setting]
            origin = origins[-1] if origins else "default"
            if len(origins) > 1:
                origin += f"; also set in {', '.join(reversed(origins[:-1]))}"
            rows.append((key.name, key.show(settings, value), origin))
        return rows


@cache
def _default_exclude() -> tuple[frozenset[str], tuple[GlobPattern, ...]]:
    """The default patterns, each matched against one name: plain names, and the others.

    The plain names are a set: the walk asks for every folder.
    """
    names = frozenset(p for p in DEFAULT_EXCLUDE if not any(char in p for char in "*?[/"))
    return names, tuple(compile_glob(p) for p in DEFAULT_EXCLUDE if p not in names)


def _has_per_file_patterns(layer: Layer) -> bool:
    """Whether the layer holds patterns that make settings differ from file to file."""
    policy = layer.values.get("required-gates")
    return (
        "per-file-ignores" in layer.values
        or "per-file-schemas" in layer.values
        or (policy is not None and bool(policy.per_file))
    )


# The keys that change which rules run; without any, every default rule does.
_SELECTION_KEYS = ("select", "extend-select", "ignore", "per-file-ignores", "severity")


def build_settings(layers: list[Layer], path: Path) -> Settings:
    """Merge layers (later ones win) into the Settings for the file at ``path``."""
    merged: dict[str, Any] = {}
    for layer in layers:
        for key in (
            "statuses",
            "max-file-size",
            "today",
            "strict",
            "required-gates",
            "rules",
            "plugins",
            "schemas",
            "strict-sections",
            "formats",
            "team-formats",
        ):
            if key in layer.values:
                merged[key] = layer.values[key]
    selecting = any(key in layer.values for layer in layers for key in _SELECTION_KEYS)
    # Without selection keys every rule runs: no need to load the rule families.
    all_codes = frozenset(rule.code for rule in all_rules()) if selecting else frozenset()
    default = all_codes - DEFAULT_OFF
    selected, severity = _selection(layers, path, default)
    return Settings(
        statuses=merged.get("statuses", DEFAULT_STATUSES),
        required_gates=_required_gates(merged.get("required-gates"), path),
        max_file_size=merged.get("max-file-size", DEFAULT_MAX_FILE_SIZE),
        today=merged.get("today"),
        select=None if not all_codes or selected == default else frozenset(selected),
        severity=tuple(sorted((c, s) for c, s in severity.items() if s is not None)),
        strict=merged.get("strict", False),
        team_rules=merged.get("rules", ()),
        plugins=merged.get("plugins", ()),
        team_schemas=_team_schemas(layers, merged.get("schemas", ()), path),
        strict_sections=merged.get("strict-sections", False),
        formats=merged.get("formats"),
        rule_options=merge_rule_options(layer.values for layer in layers),
        team_formats=merged.get("team-formats", ()),
    )


def _selection(
    layers: list[Layer], path: Path, default: frozenset[str]
) -> tuple[set[str], dict[str, Severity | None]]:
    """The codes selected for ``path``, and the severity overrides (None: off).

    Applied layer by layer, like ruff: a later ``select`` starts over, then its
    ``extend-select`` adds and its ``ignore`` removes. The default selection leaves out the
    rules that are off by default (DEFAULT_OFF); any selector that names one enables it.
    """
    selected = set(default)
    severity: dict[str, Severity | None] = {}
    per_file: list[tuple[Glob, frozenset[str]]] = []
    for layer in layers:
        values = layer.values
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
    return selected, severity


def _team_schemas(
    layers: list[Layer], schemas: tuple[TeamSchema, ...], path: Path
) -> tuple[TeamSchema, ...]:
    """The team schemas in force for ``path``; no section may be declared twice.

    The last ``schemas``, then the schemas of every layer's ``per-file-schemas`` whose glob
    matches ``path``, each schema once.
    """
    found = {schema.digest: schema for schema in schemas}
    for layer in layers:
        for glob, added in layer.values.get("per-file-schemas", ()):
            if glob.matches(path):
                found.update((schema.digest, schema) for schema in added)
    in_force = tuple(found.values())
    check_no_conflict(in_force)
    return in_force


def _required_gates(
    policy: GatePolicy | None, path: Path
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The gate topics ``path`` must meet, each with its keywords."""
    if policy is None:
        return tuple((t, k) for t, k in DEFAULT_GATE_TOPICS if t in DEFAULT_REQUIRED_TOPICS)
    names = policy.default
    for glob, topics in policy.per_file:
        if glob.matches(path):
            names = topics
    return tuple((name, policy.topics[name]) for name in names)
