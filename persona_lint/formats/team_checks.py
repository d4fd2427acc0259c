"""The checks of a team format (:mod:`persona_lint.formats.team`): pure functions of a document.

One computation per document finds every finding of the format's checks, with the machinery
of the built-in formats: the persona dialect's well-formedness messages, libxml2's verdict
on the block and xmlschema's words when it is invalid (:func:`persona_lint.xml.team.
validate_section`, as for team schemas), and the YAML front matter as BMAD agents read it.
Each check's rule reports its own share. The findings carry their severity themselves: a
worker process started afresh knows nothing of the configuration's rule descriptions.

Imported by the engine only for a file recognised as a team format: the validators and
PyYAML stay off every other run.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from persona_lint.diagnostics import Diagnostic, Severity
from persona_lint.document.model import Document, Shared
from persona_lint.formats.team import TeamFormat, describe
from persona_lint.rules.bmad.front_matter import front_matter
from persona_lint.rules.context import RuleContext
from persona_lint.rules.registry import Rule
from persona_lint.rules.xml_findings import syntax_findings
from persona_lint.xml.team import validate_section

# The persona rules whose messages the shared machinery words, and the check that says it.
_SYNTAX_CODES = {"syntax": "PL201", "doctype": "PL202", "depth": "PL203"}
_NUMBER = {f"PL2{n}": int(f"2{n}") for n in ("01", "02", "03", "10", "11", "12", "13", "14")}
_NUMBER |= {"PL216": 216, "PL217": 216}  # PL217: a violation xmlschema could not word


@lru_cache(maxsize=64)
def team_format_rules(team: TeamFormat) -> tuple[Rule, ...]:
    """The format's checks as runnable rules (described by :func:`describe`)."""
    question: Shared[list[Diagnostic]] = Shared(
        f"team format {team.name}", lambda document: list(_findings(team, document))
    )

    def runnable(rule: Rule) -> Rule:
        def check(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
            return (d for d in document.once(question) if d.code == rule.code)

        return rule._replace(check=check)

    return tuple(runnable(rule) for rule in describe(team))


def _findings(team: TeamFormat, document: Document) -> Iterator[Diagnostic]:
    """Every finding of the format's checks in ``document``."""
    if team.front_matter is not None:
        yield from _front_matter(team, document)
    for found in syntax_findings(document, _SYNTAX_CODES):
        yield _renamed(team, found)
    schema = team.root_schema
    block = document.xml_blocks[0] if document.xml_blocks else None
    if schema is None or block is None or block.root is None:
        return
    for issue in validate_section(schema.data, block.root).issues:
        line, column = block.locate(issue.element)
        yield Diagnostic(
            document.path,
            line,
            column,
            team.code(_NUMBER.get(issue.code, 216)),
            issue.message,
            Severity.ERROR,
            end_column=column + len(issue.element.tag) + 1,
            end_line=line,
        )


def _renamed(team: TeamFormat, found: Diagnostic) -> Diagnostic:
    """A persona rule's finding under the team format's code for the same check."""
    number = _NUMBER[found.code]
    return dataclasses.replace(found, code=team.code(number), severity=Severity.ERROR)


def _front_matter(team: TeamFormat, document: Document) -> Iterator[Diagnostic]:
    """The front matter: valid YAML (101), present and holding each required key (102)."""
    found = front_matter(document)
    if found is None:
        keys = ", ".join(team.front_matter or ()) or "none"
        message = f"no YAML front matter ('---' on the first line); required keys: {keys}"
        yield _at(team, document, 102, 1, message)
        return
    if found.error is not None:
        line, column, message = found.error
        yield _at(team, document, 101, line, message, column)
        return
    for key in team.front_matter or ():
        value: Any = found.data.get(key)
        if key not in found.data:
            yield _at(team, document, 102, found.first_line, f"the front matter lacks {key!r}")
        elif value is None or (isinstance(value, str) and not value.strip()):
            message = f"the front matter has an empty {key!r}"
            yield _at(team, document, 102, found.first_line, message)


def _at(
    team: TeamFormat, document: Document, number: int, line: int, message: str, column: int = 1
) -> Diagnostic:
    return Diagnostic(document.path, line, column, team.code(number), message, Severity.ERROR)
