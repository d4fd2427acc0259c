"""Team formats: a team's own kind of document, declared in configuration.

A team whose Markdown files hold its own XML (runbooks, playbooks) declares the format in
``[team-formats.NAME]`` (read by :mod:`persona_lint.config.team_formats`): the root element
of the file's first ```` ```xml ```` block that recognises it, its code prefix, optionally
its XSD 1.0 schemas (team schemas, read under the same rules) and the keys its YAML front
matter must hold. A :class:`TeamFormat` is plain data, so that it travels in
:class:`~persona_lint.config.settings.Settings` to worker processes and into the cache key;
:func:`as_format` makes it a :class:`~persona_lint.formats.base.Format` like the built-in
ones, tried after them.

A team format's codes are its prefix and the number of the BMAD rule that checks the same
thing (:data:`CHECKS`): ``ACME101``/``ACME102`` the front matter, ``ACME201``-``ACME203``
well-formedness in the persona dialect, ``ACME210``-``ACME216`` its schema. Its other rules
are the ``[[rules]]`` entries whose ``block`` names its root (any other number).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

from persona_lint.diagnostics import Severity
from persona_lint.formats.base import MATCH, NO_MARKERS, Format, Recognition
from persona_lint.rules.registry import Rule

if TYPE_CHECKING:
    from persona_lint.config.settings import TeamSchema
    from persona_lint.document.model import Document

# The root elements of the built-in formats: a team format may not claim them.
BUILT_IN_ROOTS = ("persona_context", "agent")


class Check(NamedTuple):
    """One rule every team format has: its number, name (after the format's) and summary."""

    number: int
    name: str
    summary: str
    what: str  # "## What it does", for explain


CHECKS = (
    Check(
        101,
        "front-matter-yaml",
        "the front matter is not valid YAML",
        "Parses the YAML front matter (between a first line `---` and the next) with a safe "
        "loader and reports its first error at its line and column.",
    ),
    Check(
        102,
        "front-matter-keys",
        "the front matter is missing or lacks a required key",
        "Reports, at the front matter's first line, each key of the format's `front-matter` "
        "list that is missing or empty, and at 1:1 a file with no front matter at all.",
    ),
    Check(
        201,
        "xml-syntax",
        "an ```xml block is not well-formed",
        "Reports the first well-formedness error of each ```` ```xml ```` block, in the "
        "persona dialect and with PL201's messages (bare `&` and `<` are text).",
    ),
    Check(
        202,
        "doctype",
        "a DOCTYPE or entity declaration in an ```xml block",
        "Reports a `<!DOCTYPE` or `<!ENTITY` declaration, as PL202 does.",
    ),
    Check(
        203,
        "nesting-depth",
        "elements nested more than 64 levels deep",
        "Reports the element that goes past 64 levels, as PL203 does.",
    ),
    Check(
        210,
        "missing-element",
        "the block lacks an element its schema requires",
        "Validates the block against the format's schema and reports a missing required "
        "element at its parent's start tag.",
    ),
    Check(
        211,
        "unknown-element",
        "an element the schema does not allow there",
        "Reports an element the schema does not allow where it stands, with the allowed names.",
    ),
    Check(
        212,
        "misplaced-element",
        "an element repeated or out of order",
        "Reports an element that stands after the place where it belongs, or a second one "
        "where one is allowed.",
    ),
    Check(
        213,
        "empty-value",
        "an element the schema requires to hold text is empty",
        "Reports an empty element whose type requires text (a `minLength` facet).",
    ),
    Check(
        214,
        "invalid-attribute",
        "a missing or unexpected attribute",
        "Reports a missing required attribute and an attribute the schema does not define.",
    ),
    Check(
        216,
        "invalid-content",
        "an element's content does not match its type",
        "Reports text where only elements are allowed, elements where text is expected, and "
        "a value outside an enumeration or its type.",
    ),
)


@dataclass(frozen=True)
class TeamFormat:
    """A format declared in configuration (``[team-formats.NAME]``), checked and read.

    Attributes:
        name: The format's name, as ``formats``, reports and ``config`` write it.
        root: The root element of the first ```` ```xml ```` block of its documents.
        code_prefix: The capital letters of its codes (never ``PL`` or ``BM``).
        schemas: Its team schemas; the one declaring ``root`` validates the block.
        front_matter: The keys its YAML front matter must hold; None: not checked.
        summary: One line on what its documents are.
        origin: The configuration file declaring it.
    """

    name: str
    root: str
    code_prefix: str
    schemas: tuple[TeamSchema, ...] = ()
    front_matter: tuple[str, ...] | None = None
    summary: str = ""
    origin: str = field(default="", compare=False)

    def __str__(self) -> str:
        """Everything that changes its findings: what the cache key holds of it."""
        schemas = ",".join(str(schema) for schema in self.schemas)
        return f"{self.name}:<{self.root}>:{self.code_prefix}:{self.front_matter}:[{schemas}]"

    def code(self, number: int) -> str:
        """The code of the check ``number`` (``ACME201``)."""
        return f"{self.code_prefix}{number}"

    @property
    def root_schema(self) -> TeamSchema | None:
        """The schema that declares the root element (None: no schema)."""
        return next(
            (s for s in self.schemas if any(name == self.root for name, _ in s.sections)), None
        )

    def checks(self) -> tuple[Check, ...]:
        """The checks that apply: the front matter's only when ``front_matter`` is set."""
        return tuple(
            check
            for check in CHECKS
            if (self.front_matter is not None or check.number >= 200)
            and (self.schemas or check.number < 210)
        )


def describe(team: TeamFormat) -> tuple[Rule, ...]:
    """Its checks as the registry describes rules: for ``rules``, ``explain``, SARIF, hovers."""
    return tuple(_described(team, check) for check in team.checks())


def _described(team: TeamFormat, check: Check) -> Rule:
    """One check as a rule.

    No path in it: two configuration files (two folders of a monorepo) that declare the
    same format describe the same rules.
    """
    validated = "validated by its schema" if team.schemas else "no schema"
    documentation = (
        f"A check of the team format `{team.name}`, declared in configuration "
        f"(`[team-formats.{team.name}]`): documents whose first ```` ```xml ```` block has "
        f"the root `<{team.root}>` ({validated}).\n\n"
        f"## What it does\n{check.what}\n\n"
        f"## Why is this bad?\nThe team's tools read `{team.name}` documents by this "
        "structure: a document that breaks it is read wrongly, or not at all."
    )
    return Rule(
        team.code(check.number),
        f"{team.name}-{check.name}",
        Severity.ERROR,
        check.summary,
        documentation=documentation,
    )


@lru_cache(maxsize=64)
def as_format(team: TeamFormat) -> Format:
    """``team`` as a :class:`Format` (one object per definition, per process)."""

    def recognise(document: Document, place: str) -> Recognition:
        first = document.xml_blocks[0].root_tag if document.xml_blocks else None
        return MATCH if first == team.root else NO_MARKERS

    def scaffold(name: str, today: datetime.date) -> str:
        raise NotImplementedError(f"no scaffold for the team format {team.name!r}")

    return Format(
        name=team.name,
        code_prefix=team.code_prefix,
        summary=team.summary or f"a team format: the first ```xml block's root is <{team.root}>",
        schemas=tuple(schema.name for schema in team.schemas),
        recognise=recognise,
        scaffold=scaffold,
        file_name=lambda name: f"{name}.md",
    )
