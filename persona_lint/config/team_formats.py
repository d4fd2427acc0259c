"""The ``team-formats`` key: a team's own formats, each a table named after the format.

::

    [team-formats.acme-runbook]
    root = "runbook"
    code-prefix = "ACME"
    schemas = ["schemas/runbook.xsd"]
    front-matter = ["title", "owner"]

A table per format, keyed by its name, because the name is what ``formats``, reports and
``persona-lint config`` show, TOML itself refuses a name declared twice, and every key's
line is found for an error. Each definition becomes a
:class:`~persona_lint.formats.team.TeamFormat`; anything wrong is a :class:`ConfigError` at
the line of the key at fault: an unknown or missing key, a root a built-in format or
another team format recognises, a prefix that is ``PL``, ``BM`` or another format's, a
schema refused as a team schema is (:mod:`persona_lint.config.team_schemas`), schemas that
do not declare the root, a code that another rule has. The format's checks are then
described to the registry, for ``rules``, ``explain``, selectors and SARIF.
"""

from __future__ import annotations

import re
from typing import Any

from persona_lint.config.errors import did_you_mean, quoted
from persona_lint.config.readers import Source, read_strings
from persona_lint.config.settings import TeamSchema
from persona_lint.config.team_schemas import check_no_conflict, read_team_schemas
from persona_lint.config.toml_lines import KeyPath
from persona_lint.formats.names import FORMAT_NAMES
from persona_lint.formats.team import BUILT_IN_ROOTS, TeamFormat, describe
from persona_lint.rules.registry import BUILT_IN_PREFIXES, describe_configured, forget_configured

MAX_TEAM_FORMATS = 8
REQUIRED = ("root", "code-prefix")
OPTIONAL = ("schemas", "front-matter", "summary")
_NAME = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
_XML_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")
_PREFIX = re.compile(r"[A-Z]{2,10}")


def read_team_formats(source: Source, at: KeyPath, value: Any) -> tuple[TeamFormat, ...]:
    """The ``team-formats`` table: each format checked, and its checks described."""
    if not isinstance(value, dict) or not all(isinstance(v, dict) for v in value.values()):
        raise source.fail(at, "'team-formats' must hold one table per format: [team-formats.NAME]")
    if len(value) > MAX_TEAM_FORMATS:
        raise source.fail(at, f"more than {MAX_TEAM_FORMATS} team formats in one configuration")
    formats: list[TeamFormat] = []
    for name, definition in value.items():
        team = _read_format(source, (*at, name), name, definition)
        for other in formats:
            if other.root == team.root:
                raise source.fail(
                    (*at, name, "root"),
                    f"root = {quoted(team.root)} is already the root of the team format "
                    f"{other.name!r}",
                )
            if other.code_prefix == team.code_prefix:
                raise source.fail(
                    (*at, name, "code-prefix"),
                    f"code-prefix = {quoted(team.code_prefix)} is already the prefix of the "
                    f"team format {other.name!r}",
                )
        formats.append(team)
    _describe(source, at, formats)
    source.team_formats = tuple(team.name for team in formats)
    return tuple(formats)


def _read_format(source: Source, at: KeyPath, name: str, definition: dict[str, Any]) -> TeamFormat:
    """One ``[team-formats.NAME]`` table."""
    if not _NAME.fullmatch(name):
        raise source.fail(at, f"team format {quoted(name)}: expected a kebab-case name")
    if name in FORMAT_NAMES:
        raise source.fail(at, f"team format {quoted(name)} is the name of a built-in format")
    for key in definition:
        if key not in REQUIRED and key not in OPTIONAL:
            hint = did_you_mean(key, (*REQUIRED, *OPTIONAL))
            raise source.fail((*at, key), f"unknown key {quoted(key)}{hint}")
    for key in REQUIRED:
        if key not in definition:
            raise source.fail(at, f"team format {name!r}: missing key {key!r}")
    root = _root(source, (*at, "root"), definition["root"])
    prefix = _prefix(source, (*at, "code-prefix"), definition["code-prefix"])
    schemas: tuple[TeamSchema, ...] = ()
    if "schemas" in definition:
        schemas = _schemas(source, (*at, "schemas"), definition["schemas"], name, root)
    front_matter = None
    if "front-matter" in definition:
        front_matter = read_strings(source, (*at, "front-matter"), definition["front-matter"])
    summary = (
        _text(source, (*at, "summary"), definition["summary"]) if "summary" in definition else ""
    )
    return TeamFormat(
        name,
        root,
        prefix,
        schemas,
        front_matter,
        summary,
        source.file or source.where,
    )


def _root(source: Source, at: KeyPath, value: Any) -> str:
    """``root``: an element name no built-in format recognises."""
    root = _text(source, at, value)
    if not _XML_NAME.fullmatch(root):
        raise source.fail(at, f"root = {quoted(root)}: expected an element name")
    if root in BUILT_IN_ROOTS:
        raise source.fail(at, f"root = {quoted(root)} is the root of a built-in format")
    return root


def _prefix(source: Source, at: KeyPath, value: Any) -> str:
    """``code-prefix``: a team's capital letters, neither persona-lint's PL nor BM."""
    prefix = _text(source, at, value)
    if not _PREFIX.fullmatch(prefix) or prefix in BUILT_IN_PREFIXES:
        raise source.fail(
            at, f"code-prefix = {quoted(prefix)}: expected 2 to 10 capital letters, not PL or BM"
        )
    return prefix


def _schemas(
    source: Source, at: KeyPath, value: Any, name: str, root: str
) -> tuple[TeamSchema, ...]:
    """``schemas``: team schemas (read as the ``schemas`` key reads them), one declaring root."""
    schemas = read_team_schemas(source, at, value)
    check_no_conflict(schemas)
    if not any(root == declared for schema in schemas for declared, _ in schema.sections):
        raise source.fail(
            at,
            f"no schema of the team format {name!r} declares its root <{root}> "
            f'(a global <xs:element name="{root}">)',
        )
    return schemas


def _text(source: Source, at: KeyPath, value: Any) -> str:
    """A non-empty string of one line."""
    if not isinstance(value, str) or not value.strip() or "\n" in value or len(value) > 500:
        raise source.fail(at, f"{at[-1]!r} must be a non-empty string of one line")
    return value


def _describe(source: Source, at: KeyPath, formats: list[TeamFormat]) -> None:
    """Make the formats' checks known to listings, selectors and reports."""
    origin = f"{source.file or source.where} [team-formats]"
    forget_configured(origin)
    for team in formats:
        for rule in describe(team):
            try:
                describe_configured(origin, rule)
            except ValueError as exc:
                raise source.fail(
                    (*at, team.name, "code-prefix"),
                    f"the team format {team.name!r}: rule {rule.code} ({rule.name}) {exc}",
                ) from None
