"""The settings a lint run uses for one file: one immutable value, and the defaults.

The defaults below are the embedded configuration (the README's section "Configuration",
generated from :mod:`persona_lint.config.keys`, shows them); configuration files and the
command line only override them. Every rule, cache key and formatter reads :class:`Settings`
alone, never the configuration files.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from persona_lint.diagnostics import Severity

if TYPE_CHECKING:
    from persona_lint.formats.team import TeamFormat
    from persona_lint.plugins import Plugin
    from persona_lint.rules.configured import ConfiguredRule
    from persona_lint.rules.options import RuleOptions

DEFAULT_STATUSES = ("draft", "review", "stable", "deprecated")
# The built-in gate topics a policy may require, topic -> keywords; a topic is met by a gate
# that has one of its keywords at the start of a word, case-insensitively.
DEFAULT_GATE_TOPICS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "security",
        ("security", "secure", "threat", "vulnerabilit", "authentication", "authorization"),
    ),
)
# The topics the default policy requires: none. Real personas have domain gates (product,
# mobile, ML, SRE personas rarely name security), so requiring a topic is a project's choice:
# `required-gates.default = ["security"]` in its configuration.
DEFAULT_REQUIRED_TOPICS: tuple[str, ...] = ()
DEFAULT_MAX_FILE_SIZE = 1024 * 1024
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


class PreviousVersion(NamedTuple):
    """What a persona looked like at the git revision given to ``--changed-since``.

    Found by :mod:`persona_lint.changes` (the git edge) before linting, and read by the
    change-aware rules PL310 and PL311, which stay pure: they compare it with the document.
    """

    ref: str  # the revision as the user wrote it, for messages
    version: str | None  # the version table's cells at ``ref``, when it had them
    last_updated: str | None
    # persona_lint.rules.version.content_digest of the file at ``ref``: the content without
    # the version table and without whitespace.
    digest: str
    renamed_from: str | None = None  # the path at ``ref`` when git detected a rename


@dataclass(frozen=True)
class TeamSchema:
    """A team schema (the ``schemas`` setting): an XSD file read and checked with the configuration.

    Not a tuple on purpose: the cache key (``settings_fingerprint``) writes it as
    :meth:`__str__`, its name and the digest of its bytes, so that changing the file
    changes the key, without copying the file into every key.

    Attributes:
        name: The file as messages name it (relative to the current directory when inside).
        digest: SHA-256 of the file's bytes.
        sections: The global elements it declares (the team sections), each with its line.
        data: The file's bytes, which the validators compile (once per process).
    """

    name: str
    digest: str
    sections: tuple[tuple[str, int], ...]
    data: bytes = field(repr=False)

    def __str__(self) -> str:
        """The name and digest: what the cache key holds of the schema."""
        return f"{self.name}@sha256:{self.digest}"


class Settings(NamedTuple):
    """Everything that can change what persona-lint reports for one file."""

    statuses: tuple[str, ...] = DEFAULT_STATUSES
    # The required gate topics in force for this file, each with its keywords (by default,
    # DEFAULT_REQUIRED_TOPICS: none).
    required_gates: tuple[tuple[str, tuple[str, ...]], ...] = ()
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    today: datetime.date | None = None  # None: the real date of the run
    # The enabled codes; None means every rule.
    select: frozenset[str] | None = None
    # Per-code severity overrides (a code switched "off" is simply not selected).
    severity: tuple[tuple[str, Severity], ...] = ()
    # Warnings fail the run too (--warnings-as-errors, or strict = true).
    strict: bool = False
    # The file at the --changed-since revision; None: no such option, or a new file.
    previous: PreviousVersion | None = None
    # The rules of the configuration in force (``[[rules]]``): plain data, so that they
    # reach worker processes and the cache key with the rest.
    team_rules: tuple[ConfiguredRule, ...] = ()
    # The plugins the configuration in force loaded: only their rules run for the file.
    plugins: tuple[Plugin, ...] = ()
    # The team schemas in force for this file (``schemas`` and ``per-file-schemas``).
    team_schemas: tuple[TeamSchema, ...] = ()
    # Persona-specific sections that no team schema declares are errors (PL218).
    strict_sections: bool = False
    # The formats a file may be checked as (``formats`` key); None: every format.
    formats: tuple[str, ...] | None = None
    # The team's own formats (``team-formats``), tried after the built-in ones.
    team_formats: tuple[TeamFormat, ...] = ()
    # The rule options configuration set (``rule-options``), per rule code, sorted; each
    # rule reads its defaults with these on top (rules.options.options_in_force).
    rule_options: RuleOptions = ()

    def current_date(self) -> datetime.date:
        """The date rules treat as today: ``today`` when pinned, else the real date."""
        return self.today or datetime.date.today()
