"""``gitlab``: a GitLab Code Quality report (a subset of the Code Climate issue format).

GitLab shows it in merge requests when a job publishes it as ``artifacts:reports:codequality``.

A JSON array with one issue per diagnostic: ``description``, ``check_name`` (the code),
``fingerprint``, ``severity`` (error: ``major``, warning: ``minor``) and ``location``:
its ``path`` and, for a diagnostic with a range, ``positions.begin`` and ``positions.end``
(each a 1-based ``line`` and ``column``; the end column is exclusive, as everywhere in
persona-lint and in ruff's report), else ``lines.begin``.

GitLab compares fingerprints between the source and target branches to tell new issues
from fixed ones, so the fingerprint leaves out the line number: it survives lines inserted
or removed elsewhere in the file (see :func:`persona_lint.formatters.common.fingerprints`).
"""

from __future__ import annotations

import json
from typing import TextIO

from persona_lint.diagnostics import Diagnostic, Severity
from persona_lint.formatters import Report
from persona_lint.formatters.common import fingerprints, posix_path, rule_name
from persona_lint.formatters.escape import json_path, json_text

SEVERITIES = {Severity.ERROR: "major", Severity.WARNING: "minor"}


def code_quality(report: Report) -> list[dict[str, object]]:
    """The Code Quality issues of a run, as Python data."""
    issues: list[dict[str, object]] = []
    for diagnostic, fingerprint in fingerprints(report):
        name = rule_name(diagnostic.code)
        label = f"{diagnostic.code} ({name})" if name else diagnostic.code
        issues.append(
            {
                "type": "issue",
                "description": f"{label}: {json_text(diagnostic.message)}",
                "check_name": diagnostic.code,
                "fingerprint": fingerprint,
                "severity": SEVERITIES[diagnostic.severity],
                "location": {"path": json_path(posix_path(diagnostic.path)), **_place(diagnostic)},
            }
        )
    return issues


def _place(diagnostic: Diagnostic) -> dict[str, object]:
    """The ``positions`` of a diagnostic with a range, else its ``lines``."""
    if diagnostic.end is None:
        return {"lines": {"begin": diagnostic.line}}
    end_line, end_column = diagnostic.end
    return {
        "positions": {
            "begin": {"line": diagnostic.line, "column": diagnostic.column},
            "end": {"line": end_line, "column": end_column},
        }
    }


def gitlab(report: Report, out: TextIO) -> None:
    """Write the Code Quality report of a run."""
    out.write(json.dumps(code_quality(report), indent=2, allow_nan=False) + "\n")
