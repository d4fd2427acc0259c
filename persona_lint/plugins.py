"""Python plugins: rules a team writes with the API persona-lint's own rules use.

A plugin is code persona-lint runs (docs/security.md), so none is loaded unless the
configuration names it in ``plugins``:

- ``"tools/our_rules.py"`` (a path ending in ``.py``): a module of the repository,
  relative to the configuration file's folder and inside it (no ``..``, no link leading
  out), at most :data:`MAX_PLUGIN_SIZE` bytes. A pull request may bring both the module
  and the configuration naming it, so such a module runs only when the run itself allows
  it, from outside the tree: ``--local-plugins`` or ``PERSONA_LINT_LOCAL_PLUGINS=1``
  (else the configuration is an error naming the plugin);
- ``"acme"`` (any other name): the installed package that declares the entry point
  ``acme`` in the group :data:`ENTRY_POINT_GROUP`. Entry points are looked up only then:
  importlib.metadata scans every installed distribution.

``--no-plugins`` or ``PERSONA_LINT_NO_PLUGINS=1`` (CI on untrusted pull requests) loads
none: their rules do not run, and selectors naming their codes select nothing.

Loading a plugin runs its module once per process, inside :func:`loading_plugin`, so the
rules it registers with :func:`persona_lint.api.rule` are marked as its own. A plugin that
fails to import, or registers a code that is taken, is a :class:`PluginError` naming it
(the configuration reader makes it a configuration error at the ``plugins`` line), and
the rules it registered before failing are forgotten.
"""

from __future__ import annotations

import os
import sys
import types
from pathlib import Path
from typing import NamedTuple

from persona_lint.errors import describe
from persona_lint.rules.registry import forget_plugin, load_families, loading_plugin
from persona_lint.source.read import inside, read_capped

ENTRY_POINT_GROUP = "persona_lint.rules"
DISABLING_VARIABLE = "PERSONA_LINT_NO_PLUGINS"
LOCAL_VARIABLE = "PERSONA_LINT_LOCAL_PLUGINS"
MAX_PLUGIN_SIZE = 1024 * 1024


class Plugin(NamedTuple):
    """A plugin to load, as the configuration names it, and what identifies its code.

    ``name``: as written in ``plugins``; ``location``: the module's absolute path (a local
    plugin) or the entry point's value (an installed one); ``digest``: a hash of the local
    module's bytes, or the distribution's name and version (part of the cache key).
    """

    name: str
    location: str
    digest: str
    local: bool


class PluginError(Exception):
    """A plugin that cannot be found or loaded; the message names it."""


_disabled = False
_local_allowed = False
_loaded: dict[str, Plugin] = {}


def disable_plugins() -> None:
    """Load no plugin in this process (``--no-plugins``)."""
    global _disabled
    _disabled = True


def allow_local_plugins() -> None:
    """Let this process run the repository's own plugin modules (``--local-plugins``)."""
    global _local_allowed
    _local_allowed = True


def _set(variable: str) -> bool:
    return os.environ.get(variable, "") not in ("", "0")


def plugins_disabled() -> bool:
    """Whether plugins are off: ``--no-plugins``, or PERSONA_LINT_NO_PLUGINS set (not 0)."""
    return _disabled or _set(DISABLING_VARIABLE)


def local_plugins_allowed() -> bool:
    """Whether local plugins may run: ``--local-plugins`` or PERSONA_LINT_LOCAL_PLUGINS set."""
    return _local_allowed or _set(LOCAL_VARIABLE)


def refused_local(name: str) -> str | None:
    """Why the configuration may not load the plugin ``name`` in this run, if it may not."""
    if not is_local(name) or local_plugins_allowed():
        return None
    return (
        f"plugin {name!r} is a module of the repository, which a pull request may bring: "
        "it runs only with --local-plugins (or PERSONA_LINT_LOCAL_PLUGINS=1); "
        "--no-plugins lints without it"
    )


def loaded_plugins() -> list[Plugin]:
    """The plugins this process loaded, in the order loaded."""
    return list(_loaded.values())


def is_local(name: str) -> bool:
    """Whether ``plugins`` names a module of the repository (else an entry point)."""
    return name.endswith(".py")


def load(name: str, root: Path) -> Plugin:
    """Find and load (once) the plugin ``name`` of a configuration in folder ``root``."""
    plugin, source = _local(name, root) if is_local(name) else (_installed(name), b"")
    return _activate(plugin, source)


def ensure_loaded(plugins: tuple[Plugin, ...]) -> None:
    """Load the plugins a configuration loaded, in a process that has not (a spawned worker).

    The same code only: a module whose bytes changed since is a :class:`PluginError`.
    """
    for plugin in plugins:
        if plugin.location in _loaded:
            continue
        source = b""
        if plugin.local:
            folder, file = os.path.split(plugin.location)
            again, source = _local(file, Path(folder))
            if again.digest != plugin.digest:
                raise PluginError(f"plugin {plugin.name!r} changed while persona-lint ran")
        _activate(plugin, source)


def _activate(plugin: Plugin, source: bytes) -> Plugin:
    """Run the plugin's module (``source``, or the entry point's) unless already run."""
    if plugin.location in _loaded:
        return _loaded[plugin.location]
    namesake = next((known for known in _loaded.values() if known.name == plugin.name), None)
    if namesake is not None:
        # Rules are marked with their plugin's name, which each file's settings select by:
        # two modules under one name would run each other's rules (and key no cache).
        raise PluginError(
            f"plugin {plugin.name!r} names two modules in one run ({namesake.location} and "
            f"{plugin.location}); give each its own path or name"
        )
    load_families()  # a plugin's code may not take a built-in one
    try:
        with loading_plugin(plugin.name):
            if plugin.local:
                _run_module(plugin, source)
            else:
                _import_entry_point(plugin.name)
    except (Exception, SystemExit) as exc:
        forget_plugin(plugin.name)
        raise PluginError(f"plugin {plugin.name!r} failed to load: {describe(exc)}") from None
    _loaded[plugin.location] = plugin
    return plugin


def _local(name: str, root: Path) -> tuple[Plugin, bytes]:
    """The repository's module ``name`` and its bytes: relative, inside ``root``, a file."""
    if os.path.isabs(name) or ".." in Path(name).parts:
        raise PluginError(f"plugin {name!r}: a path relative to the configuration's folder")
    path = root / name
    real = os.path.realpath(path)
    if not inside(real, os.path.realpath(root)):
        raise PluginError(f"plugin {name!r} leads out of the configuration's folder")
    try:
        data = read_capped(Path(real), MAX_PLUGIN_SIZE)
    except OSError as exc:
        raise PluginError(f"plugin {name!r}: cannot read: {exc.strerror or exc}") from None
    import hashlib  # engine.run imports this module: hashlib stays off its cold path

    return Plugin(name, real, hashlib.sha256(data).hexdigest(), local=True), data


def _run_module(plugin: Plugin, data: bytes) -> None:
    """Run the local module from the bytes hashed (not from a file that may change since)."""
    module_name = f"persona_lint_plugin_{plugin.digest[:16]}"
    module = types.ModuleType(module_name)
    module.__file__ = plugin.location
    sys.modules[module_name] = module  # dataclasses and pickling look modules up there
    try:
        exec(compile(data, plugin.location, "exec"), module.__dict__)
    except BaseException:
        del sys.modules[module_name]
        raise


def _installed(name: str) -> Plugin:
    """The entry point ``name`` of the group, from the installed distributions."""
    # importlib.metadata scans every installed distribution (tens of ms): only here.
    from importlib.metadata import entry_points

    found = [ep for ep in entry_points(group=ENTRY_POINT_GROUP) if ep.name == name]
    if not found:
        raise PluginError(
            f"plugin {name!r}: no installed package declares it (entry point group "
            f"{ENTRY_POINT_GROUP!r})"
        )
    point = found[0]
    dist = point.dist
    version = f"{dist.name} {dist.version}" if dist is not None else "unknown"
    return Plugin(name, point.value, version, local=False)


def _import_entry_point(name: str) -> None:
    """Import the module the entry point ``name`` names (its rules register themselves)."""
    from importlib.metadata import entry_points  # see _installed

    for point in entry_points(group=ENTRY_POINT_GROUP):
        if point.name == name:
            point.load()
            return


def available_entry_points() -> list[tuple[str, str]]:
    """(name, distribution) of every installed plugin, enabled or not."""
    from importlib.metadata import entry_points  # see _installed

    return sorted(
        (point.name, point.dist.name if point.dist is not None else "?")
        for point in entry_points(group=ENTRY_POINT_GROUP)
    )
