"""``gitlab``: a GitLab Code Quality report (a subset of the Code Climate issue format),
shown in merge requests when a job publishes it as ``artifacts:reports:codequality``.

A JSON array with one issue per diagnostic: ``description``, ``check_name`` (the code),
``fingerprint``, ``severity`` (error: ``major``, warning: ``minor``) and
``location.path`` / ``location.lines.begin``. GitLab compares fingerprints between the
source and target branches to tell new issues from fixed ones, so the fingerprint leaves
out the line number: it survives lines inserted or removed elsewhere in the file (see
:func:`persona_lint.formatters.common.fingerprints`).
"""

from __future__ import annotations

import json
from typing import TextIO

from persona_lint.diagnostics import Severity
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
                "location": {
                    "path": json_path(posix_path(diagnostic.path)),
                    "lines": {"begin": diagnostic.line},
                },
            }
        )
    return issues


def gitlab(report: Report, out: TextIO) -> None:
    out.write(json.dumps(code_quality(report), indent=2, allow_nan=False) + "\n")
