"""The ``schemas`` and ``per-file-schemas`` keys: reading a team's XSD files, strictly.

A schema is named by a path relative to the configuration file that names it. A pull
request writes both, so a team schema is read like a configuration file: a local file (never
a URL), inside the current directory (unless the configuration itself is a file outside the
tree that the user named with ``--config``), through no link leading out of it, a regular
file of at most :data:`MAX_TEAM_SCHEMA_SIZE` bytes, at most :data:`MAX_TEAM_SCHEMAS` per
configuration. :func:`persona_lint.xml.team.check_team_schema` then decides whether its
content is acceptable; any refusal is a configuration error naming the schema file and line.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from persona_lint.config.errors import ConfigError, quoted
from persona_lint.config.globs import Glob
from persona_lint.config.readers import Source, read_strings
from persona_lint.config.settings import TeamSchema
from persona_lint.config.toml_lines import KeyPath
from persona_lint.source.read import current_directory, escape, inside, read_capped

# The largest team schema read: the built-in schemas together are about 20 KB.
MAX_TEAM_SCHEMA_SIZE = 256 * 1024
# The most team schemas one configuration file names (schemas and per-file-schemas).
MAX_TEAM_SCHEMAS = 32
# A URL, or any "scheme:" prefix longer than a Windows drive letter.
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:")


def read_team_schemas(source: Source, at: KeyPath, value: Any) -> tuple[TeamSchema, ...]:
    """A list of team schema paths: each schema read and checked."""
    return tuple(_team_schema(source, at, name) for name in read_strings(source, at, value))


def read_per_file_schemas(
    source: Source, at: KeyPath, value: Any
) -> tuple[tuple[Glob, tuple[TeamSchema, ...]], ...]:
    """A table of glob = schema paths: the team schemas added for the files each glob matches."""
    if not isinstance(value, dict):
        raise source.fail(at, f"{at[0]!r} must be a table of glob = [schema files]")
    return tuple(
        (source.glob(place, pattern), read_team_schemas(source, place, names))
        for pattern, names in value.items()
        for place in [(*at, pattern)]
    )


def _team_schema(source: Source, at: KeyPath, name: str) -> TeamSchema:
    """Read and check the team schema ``name`` (relative to the configuration file)."""
    source.team_schemas += 1
    if source.team_schemas > MAX_TEAM_SCHEMAS:
        raise source.fail(at, f"{quoted(at[0])}: more than {MAX_TEAM_SCHEMAS} team schemas")
    if _URL.match(name):
        raise source.fail(at, f"{quoted(at[0])}: {quoted(name)} is a URL; team schemas are local")
    path = Path(os.path.normpath(source.root / name))
    cwd = current_directory()
    if not source.outside_ok and not inside(os.path.realpath(path), cwd):
        raise source.fail(
            at, f"{quoted(at[0])}: {quoted(name)} is outside the current directory; not read"
        )
    shown = os.path.relpath(path, cwd) if inside(str(path), cwd) else str(path)
    refused = escape(path, strict_last=False)
    if refused is not None:
        raise source.fail(at, f"{quoted(at[0])}: {quoted(name)}: {refused}")
    try:
        data = read_capped(path, MAX_TEAM_SCHEMA_SIZE)
    except FileNotFoundError:
        raise source.fail(at, f"{quoted(at[0])}: no such schema file {quoted(name)}") from None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise source.fail(at, f"{quoted(at[0])}: cannot read {quoted(name)}: {reason}") from None
    import hashlib  # 4 ms: only configurations that name a team schema pay it

    return TeamSchema(shown, hashlib.sha256(data).hexdigest(), _sections(shown, data), data)


def _sections(shown: str, data: bytes) -> tuple[tuple[str, int], ...]:
    """The sections the schema declares, or a ConfigError at the schema file's line."""
    # lxml and xmlschema: imported only by configurations that name a team schema.
    from persona_lint.xml.team import TeamSchemaError, check_team_schema

    try:
        return check_team_schema(data)
    except TeamSchemaError as exc:
        place = f"{shown}:{exc.line}" if exc.line else shown
        raise ConfigError(f"{place}: team schema: {exc.message}", shown, exc.line) from None


def check_no_conflict(schemas: tuple[TeamSchema, ...]) -> None:
    """Two team schemas in force for one file must not declare the same section."""
    owner: dict[str, TeamSchema] = {}
    for schema in schemas:
        for name, line in schema.sections:
            first = owner.setdefault(name, schema)
            if first is not schema:
                raise ConfigError(
                    f"{schema.name}:{line}: team schema: <{name}> is already declared by "
                    f"{first.name}",
                    schema.name,
                    line,
                )
