"""``sarif``: SARIF 2.1.0, the format GitHub code scanning and most code-review tools read.

One run; ``tool.driver.rules`` lists every rule (not only those that fired), so a result's
``ruleIndex`` is the rule's place in ``persona-lint rules``. Regions are 1-based and their
columns count UTF-16 code units, SARIF's default, stated as ``run.columnKind``: persona-lint
counts code points, so a column after a character outside the Basic Multilingual Plane
(most emoji) grows by one per such character. ``endColumn`` is exclusive, as in SARIF.

Artifact URIs are the paths as given, ``/``-separated and percent-encoded: a relative path
stays a relative reference (run persona-lint from the repository root and code scanning
resolves it), an absolute path becomes a ``file://`` URI.
"""

from __future__ import annotations

import bisect
import json
import re
from typing import TextIO

from persona_lint.diagnostics import Diagnostic
from persona_lint.formatters import Report
from persona_lint.formatters.common import (
    PROJECT_URL,
    TOOL_NAME,
    TOOL_VERSION,
    artifact_uri,
    fingerprints,
    source_line,
    source_lines,
)
from persona_lint.formatters.escape import json_text
from persona_lint.rules import Rule, all_rules
from persona_lint.rules.docs import help_markdown, help_text

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
FINGERPRINT_KEY = "personaLint/v1"


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class Utf16Columns:
    """The UTF-16 column (SARIF's) of a code point column (persona-lint's), in many lines.

    A character outside the Basic Multilingual Plane (most emoji) is two UTF-16 code units.
    The characters outside it are found once per line, then counted by bisection: many
    diagnostics on one long line cost one scan of it.
    """

    def __init__(self, lines: dict[str, tuple[str, ...]]) -> None:
        """Convert columns in these lines, by path."""
        self._lines = lines
        self._astral: dict[tuple[str, int], list[int]] = {}

    def __call__(self, path: str, number: int, column: int) -> int:
        """Return the UTF-16 column of ``column`` in line ``number`` of ``path``.

        Both columns are 1-based; where the line is unknown, the column is unchanged.
        """
        place = (path, number)
        astral = self._astral.get(place)
        if astral is None:
            line = source_line(self._lines.get(path), number)
            found = _ASTRAL.finditer(line) if line is not None else ()
            astral = self._astral[place] = [match.start() for match in found]
        return column + bisect.bisect_left(astral, column - 1)


def _rule(rule: Rule) -> dict[str, object]:
    doc = rule.doc or rule.summary
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": doc},
        "help": {"text": help_text(rule), "markdown": help_markdown(rule)},
        "helpUri": rule.help_uri,
        "defaultConfiguration": {"level": str(rule.severity)}
        if rule.default_enabled
        else {"level": str(rule.severity), "enabled": False},
        "properties": {"tags": [f"{rule.family}xx"]},
    }


def _region(diagnostic: Diagnostic, columns: Utf16Columns) -> dict[str, int]:
    path = diagnostic.path
    region = {
        "startLine": diagnostic.line,
        "startColumn": columns(path, diagnostic.line, diagnostic.column),
    }
    if diagnostic.end is not None:
        end_line, end_column = diagnostic.end
        region["endLine"] = end_line
        region["endColumn"] = columns(path, end_line, end_column)
    elif diagnostic.end_line is not None:
        region["endLine"] = diagnostic.end_line
    return region


def sarif_log(report: Report) -> dict[str, object]:
    """The SARIF log of a run, as Python data."""
    rules = list(all_rules())
    index = {rule.code: number for number, rule in enumerate(rules)}
    columns = Utf16Columns(source_lines(report))
    results = []
    for diagnostic, fingerprint in fingerprints(report):
        result: dict[str, object] = {"ruleId": diagnostic.code}
        if diagnostic.code in index:
            result["ruleIndex"] = index[diagnostic.code]
        result["level"] = str(diagnostic.severity)
        result["message"] = {"text": json_text(diagnostic.message)}
        result["locations"] = [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": artifact_uri(diagnostic.path)},
                    "region": _region(diagnostic, columns),
                }
            }
        ]
        result["partialFingerprints"] = {FINGERPRINT_KEY: fingerprint}
        results.append(result)
    return {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": TOOL_NAME,
                        "version": TOOL_VERSION,
                        "semanticVersion": TOOL_VERSION,
                        "informationUri": PROJECT_URL,
                        "rules": [_rule(rule) for rule in rules],
                    }
                },
                "columnKind": "utf16CodeUnits",
                "artifacts": _artifacts(report),
                "results": results,
            }
        ],
    }


def _artifacts(report: Report) -> list[dict[str, object]]:
    """Each file checked as a format, with that format (``properties.format``)."""
    return [
        {
            "location": {"uri": artifact_uri(result.path)},
            "properties": {"format": result.format},
        }
        for result in report.results
        if result.format is not None
    ]


def sarif(report: Report, out: TextIO) -> None:
    """Write the SARIF log of a run."""
    out.write(json.dumps(sarif_log(report), indent=2, allow_nan=False) + "\n")
