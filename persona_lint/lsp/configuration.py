"""The server's configuration: the command line's discovery, kept between requests.

One :class:`Resolver` caches the settings of each folder; :class:`Configuration` caps the
folders it keeps (:data:`MAX_RESOLVER_FOLDERS`) and turns a configuration error into a
:class:`ConfigProblem`, a value (two equal errors compare equal, so a reload relints only
the documents whose settings changed) that keeps the file and the line
:class:`ConfigError` names, for the diagnostic in the configuration file itself.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from lsprotocol import types

from persona_lint.config.errors import ConfigError
from persona_lint.config.loader import CONFIG_NAME, PYPROJECT
from persona_lint.config.resolver import Resolver
from persona_lint.config.settings import Settings

CONFIG_FILES = (CONFIG_NAME, PYPROJECT)
# Folders whose configuration the resolver keeps before it starts afresh.
MAX_RESOLVER_FOLDERS = 1000

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ConfigProblem:
    """An invalid configuration, where it is.

    The message the command line prints, the configuration file it is about and its
    1-based line there (None when unknown).
    """

    message: str
    path: str | None = None
    line: int | None = None

    def line_in(self, path: Path) -> int | None:
        """Return the line of the configuration file ``path`` to show this problem at.

        The line the loader named, else the first; None when the problem is about another
        file.
        """
        if self.path is None or Path(self.path) != path:
            return None
        return self.line or 1


# A document's settings and whether it is excluded, or why there are none.
Resolved = tuple[Settings, bool] | ConfigProblem


class Configuration:
    """The settings of each document's path, as discovered by the command line."""

    def __init__(self) -> None:
        """Start with nothing read."""
        self._resolver = Resolver()
        self._folders: set[str] = set()

    def __len__(self) -> int:
        """Return how many folders' configuration is kept."""
        return len(self._folders)

    def reset(self) -> None:
        """Forget what was read: configuration files changed."""
        self._resolver = Resolver()
        self._folders.clear()

    def resolve(self, path: Path) -> Resolved:
        """Return the settings of ``path`` and whether it is excluded, or the problem.

        The resolver caches by folder: past :data:`MAX_RESOLVER_FOLDERS` it starts afresh.
        """
        folder = str(path.parent)
        if folder not in self._folders:
            if len(self._folders) >= MAX_RESOLVER_FOLDERS:
                self.reset()
            self._folders.add(folder)
        try:
            return (self._resolver.settings_for(path), self._resolver.excluded(path))
        except ConfigError as exc:
            return ConfigProblem(str(exc), exc.path, exc.line)
        except Exception as exc:  # a loader bug: still an invalid configuration to the user
            logger.exception("persona-lint: reading the configuration of %s failed", path)
            return ConfigProblem(f"it cannot be read ({type(exc).__name__})")


def is_config_name(uri: str) -> bool:
    """Whether a URI names a configuration file (by its last segment)."""
    return uri.rsplit("/", 1)[-1] in CONFIG_FILES


def watch_registration(capabilities: types.ClientCapabilities) -> types.RegistrationParams | None:
    """Return the request that asks a client to report changes of configuration files.

    None when the client cannot take it (no dynamic registration of watched files).
    """
    workspace = capabilities.workspace
    watched = workspace.did_change_watched_files if workspace else None
    if watched is None or not watched.dynamic_registration:
        return None
    options = types.DidChangeWatchedFilesRegistrationOptions(
        watchers=[types.FileSystemWatcher(glob_pattern=f"**/{name}") for name in CONFIG_FILES]
    )
    registration = types.Registration(
        id="persona-lint-configuration",
        method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
        register_options=options,
    )
    return types.RegistrationParams(registrations=[registration])
