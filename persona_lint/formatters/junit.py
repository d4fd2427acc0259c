"""``junit``: JUnit XML.

The test report format Jenkins, GitLab, Azure Pipelines and most CI servers show.

``<testsuites>`` holds one ``<testsuite name="persona-lint">`` with one ``<testcase>`` per
linted file (``classname="persona-lint"``, ``name`` = the path); files skipped by a
folder walk are not test cases (their number is the ``files_skipped`` property). Each
error is a ``<failure>`` (``message`` = the message, ``type`` = the code, text
``path:line:col: error: message [CODE]``). Warnings do not fail a test case, as they do
not fail the run: they are lines of the test case's ``<system-out>``; under strict
settings (``--warnings-as-errors``), where they do fail the run, they are failures too.
``failures`` counts failed test cases (files with at least one failure), as JUnit
defines it; ``errors`` (crashed tests) and ``skipped`` are always 0.

The output is ASCII (other characters as character references); characters XML 1.0
cannot hold at all become U+FFFD.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import TextIO

from persona_lint.formatters import Report
from persona_lint.formatters.common import TOOL_NAME, TOOL_VERSION
from persona_lint.formatters.escape import human_path, human_text
from persona_lint.formatters.text import concise_line

SUITE_NAME = "persona-lint"
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def junit_tree(report: Report) -> ET.Element:
    """The JUnit document of a run, as an element tree."""
    tests = failures = 0
    suite = ET.Element("testsuite", {"name": SUITE_NAME})
    properties = ET.SubElement(suite, "properties")
    for name, value in (
        ("tool.name", TOOL_NAME),
        ("tool.version", TOOL_VERSION),
        ("files_skipped", str(report.files_skipped)),
    ):
        ET.SubElement(properties, "property", {"name": name, "value": value})
    for result in report.results:
        if result.skipped:
            continue
        tests += 1
        case = ET.SubElement(
            suite, "testcase", {"classname": SUITE_NAME, "name": _xml_text(human_path(result.path))}
        )
        diagnostics = sorted(result.diagnostics)
        # Under strict settings (--warnings-as-errors) warnings fail the run, so here too.
        strict = result.settings.strict
        failing = [d for d in diagnostics if d.is_error or strict]
        failures += bool(failing)
        for diagnostic in failing:
            failure = ET.SubElement(
                case,
                "failure",
                {"message": _xml_text(human_text(diagnostic.message)), "type": diagnostic.code},
            )
            failure.text = _xml_text(concise_line(diagnostic))
        warnings = [concise_line(d) for d in diagnostics if not (d.is_error or strict)]
        if warnings:
            ET.SubElement(case, "system-out").text = _xml_text("\n".join(warnings) + "\n")
    counts = {"tests": str(tests), "failures": str(failures), "errors": "0"}
    suite.attrib.update({**counts, "skipped": "0"})
    root = ET.Element("testsuites", {"name": SUITE_NAME, **counts})
    root.append(suite)
    return root


def junit(report: Report, out: TextIO) -> None:
    """Write the JUnit XML report of a run."""
    tree = junit_tree(report)
    ET.indent(tree)
    body = ET.tostring(tree, encoding="us-ascii", xml_declaration=False).decode("ascii")
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n")
