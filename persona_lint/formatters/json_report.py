r"""``json``: the whole run as one document; ``json-lines``: one diagnostic per line.

``json`` is described by ``schemas/report.schema.json``; each line of ``json-lines`` is the
same diagnostic object as in ``json``.

The document's ``version`` changes only when a field is removed, renamed or changes
meaning; fields may be added without a version change (and to the schema with them).
Output is ASCII (other characters as ``\u`` escapes), so it is valid whatever the
encoding of the stream it is written to.
"""

from __future__ import annotations

import json
from typing import TextIO

from persona_lint.formatters import Report
from persona_lint.formatters.common import TOOL_NAME, TOOL_VERSION, diagnostic_json
from persona_lint.formatters.escape import json_path

FORMAT_VERSION = 1
SCHEMA_URL = (
    "https://raw.githubusercontent.com/persona-lint/persona-lint/main/schemas/report.schema.json"
)


def report_json(report: Report) -> dict[str, object]:
    """The ``json`` document of a run, as Python data."""
    return {
        "$schema": SCHEMA_URL,
        "version": FORMAT_VERSION,
        "tool": {"name": TOOL_NAME, "version": TOOL_VERSION},
        "files": [
            {
                "path": json_path(result.path),
                "skipped": result.skipped,
                "format": result.format,
                "diagnostics": [diagnostic_json(d) for d in sorted(result.diagnostics)],
            }
            for result in report.results
        ],
        "summary": {
            "files_checked": report.files_checked,
            "files_skipped": report.files_skipped,
            "errors": report.errors,
            "warnings": report.warnings,
        },
    }


def json_report(report: Report, out: TextIO) -> None:
    """Write the run as one JSON document."""
    out.write(json.dumps(report_json(report), indent=2, allow_nan=False) + "\n")


def json_lines(report: Report, out: TextIO) -> None:
    """Write one JSON diagnostic object per line."""
    for diagnostic in report.diagnostics:
        out.write(json.dumps(diagnostic_json(diagnostic), allow_nan=False) + "\n")
