"""Every output format, parsed back: SARIF against the official SARIF 2.1.0 schema, JSON
against our published schema, JUnit against a JUnit XSD, GitHub workflow commands and
GitLab Code Quality issues matched exactly, and the human formats against snapshots.

The reports come from linting real text: the canonical persona with a few edits. After an
intended change of the human formats, regenerate the snapshots with
``python -c 'import sys; sys.path[:0] = ["tests"]; import test_formatters as t; t.write_snapshots()'``
and review the diff.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import os
import stat
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any, TextIO

import jsonschema
import pytest
from conftest import CANONICAL, PERSONAS, ROOT, SETTINGS, SHARED, edit
from lxml import etree

from persona_lint.diagnostics import Diagnostic, Severity
from persona_lint.engine.lint import check_corpus, lint_source
from persona_lint.formatters import FORMAT_NAMES, Report, get_formatter, write_report
from persona_lint.formatters import json_report as json_module
from persona_lint.formatters.common import artifact_uri, fingerprints
from persona_lint.formatters.github import escape_data, escape_property
from persona_lint.formatters.sarif import Utf16Columns
from persona_lint.formatters.text import SNIPPET_BEFORE, SNIPPET_WIDTH, caret_span, display
from persona_lint.rules import all_rules
from persona_lint.rules.docs import help_markdown, help_text

SNAPSHOTS = Path(__file__).parents[1] / "snapshots"
SARIF_SCHEMA = SHARED / "schemas" / "sarif-schema-2.1.0.json"
REPORT_SCHEMA = ROOT / "schemas" / "report.schema.json"
JUNIT_XSD = Path(__file__).parents[1] / "data" / "junit.xsd"

BROKEN_PATH = "personas/backend.md"
CLEAN_PATH = "personas/qa-engineer.md"
SKIPPED_PATH = "personas/README.md"

# The line of the closing tag, as edited: multi-byte (é, —), wide (日本) and astral (🚀)
# characters before the column of the error.
MULTIBYTE_LINE = "    <always_start_with>Développement — 日本 🚀 API design</always_start_wth>"


def broken_text() -> str:
    """The canonical persona with four findings: a bad version (a range), a mismatched
    tag after multi-byte characters, a wrong --persona on a line with a tab (a range),
    and, for the file name, a warning."""
    text = edit("| 1.0.0   |", "| 1.0     |")
    text = edit(
        "    <always_start_with>API design and database schema planning</always_start_with>",
        MULTIBYTE_LINE,
        text,
    )
    text = edit("**Usage**: Automatically", "**Usage**:\tAutomatically", text)
    return edit("`--persona backend-engineer`", "`--persona backend-enginer`", text)


def make_report(*files: tuple[str, str, bool], color: bool = False) -> Report:
    """Lint (path, text, explicit) triples as one run, today pinned."""
    results = [
        lint_source(path, text, SETTINGS, explicit=explicit) for path, text, explicit in files
    ]
    return Report(check_corpus(results, SETTINGS), color=color)


def run_report(color: bool = False) -> Report:
    """The main fixture: a broken persona, a clean one, and a skipped non-persona."""
    return make_report(
        (BROKEN_PATH, broken_text(), True),
        (CLEAN_PATH, (PERSONAS / "qa-engineer.md").read_text(encoding="utf-8"), False),
        (SKIPPED_PATH, "# Personas\n\nThe persona documents of the team.\n", False),
        color=color,
    )


def render(name: str, report: Report) -> str:
    out = io.StringIO()
    get_formatter(name)(report, out)
    return out.getvalue()


EMPTY = Report([])

# --- the fixture itself -------------------------------------------------------------------


def test_fixture_gives_the_expected_diagnostics() -> None:
    report = run_report()
    assert [r.skipped for r in report.results] == [False, False, True]
    assert [
        (d.code, d.line, d.column, d.end_line, d.end_column, d.severity) for d in report.diagnostics
    ] == [
        ("PL407", 1, 1, None, None, Severity.WARNING),
        ("PL304", 3, 3, 3, 6, Severity.ERROR),
        ("PL201", 182, 55, 182, 74, Severity.ERROR),
        ("PL406", 215, 116, 215, 131, Severity.ERROR),
    ]
    lines = report.results[0].document.lines  # type: ignore[union-attr]
    assert lines[181] == MULTIBYTE_LINE
    assert lines[181][54:73] == "</always_start_wth>"


# --- the registry ---------------------------------------------------------------------------


def test_format_names_and_registry() -> None:
    assert FORMAT_NAMES == (
        "full",
        "concise",
        "json",
        "json-lines",
        "sarif",
        "github",
        "junit",
        "gitlab",
    )
    for name in FORMAT_NAMES:
        assert callable(get_formatter(name))
    with pytest.raises(ValueError, match="unknown output format 'xml'; choose from full, "):
        get_formatter("xml")


# --- full and concise -----------------------------------------------------------------------


def write_snapshots() -> None:
    """Rewrite the snapshots from the current formatters (see the module docstring)."""
    for name in ("concise", "full"):
        (SNAPSHOTS / f"{name}.txt").write_text(render(name, run_report()), encoding="utf-8")


def test_concise_snapshot() -> None:
    expected = (SNAPSHOTS / "concise.txt").read_text(encoding="utf-8")
    assert render("concise", run_report()) == expected


def test_full_snapshot() -> None:
    expected = (SNAPSHOTS / "full.txt").read_text(encoding="utf-8")
    assert render("full", run_report()) == expected


def test_full_caret_stands_under_the_column_after_wide_characters() -> None:
    lines = render("full", run_report()).splitlines()
    source = lines.index("182 |" + " " + MULTIBYTE_LINE)
    caret = lines[source + 1]
    # 54 code points before column 55, of which 日, 本 and 🚀 take two cells each; the
    # run covers the 19 characters of </always_start_wth>.
    assert caret == "    | " + " " * (54 + 3) + "^" * 19
    usage = next(i for i, line in enumerate(lines) if line.startswith("215 | **Usage**:  Auto"))
    # The tab after "**Usage**:" (10 cells) reaches the tab stop at 12: one cell more.
    assert lines[usage + 1] == "    | " + " " * (115 + 1) + "^" * 15


def test_display_widths() -> None:
    assert display("a\tb") == ("a   b", [0, 1, 4, 5])
    assert display("日a") == ("日a", [0, 2, 3])
    # A combining accent takes no cell; control characters are shown, not obeyed.
    assert display("e\u0301x") == ("e\u0301x", [0, 1, 1, 2])
    assert display("\x1b[31m") == ("\u241b[31m", [0, 1, 2, 3, 4, 5])


def test_caret_span_covers_wide_characters_and_lines_past_their_end() -> None:
    point = Diagnostic("x.md", 1, 2, "PL201", "m")
    assert caret_span("a日b", point) == ("a日b", 1, 2)
    past = dataclasses.replace(point, column=6)
    assert caret_span("a日b", past) == ("a日b", 6, 1)
    ranged = dataclasses.replace(point, end_line=1, end_column=4)
    assert caret_span("a日bc", ranged) == ("a日bc", 1, 3)
    to_next_line = dataclasses.replace(point, end_line=2, end_column=1)
    assert caret_span("a日bc", to_next_line) == ("a日bc", 1, 4)


def test_colour() -> None:
    report = Report([lint_source(BROKEN_PATH, broken_text(), SETTINGS)], color=True)
    first = render("concise", report).splitlines()[0]
    assert first == (
        "\x1b[1mpersonas/backend.md:1:1:\x1b[0m \x1b[1m\x1b[33mwarning\x1b[0m: file name "
        "'backend.md' does not match the persona's slug 'backend-engineer'; expected "
        "'backend-engineer.md' \x1b[2m[PL407]\x1b[0m"
    )
    assert "\x1b[1m\x1b[31m^^^\x1b[0m" in render("full", report)


# --- json and json-lines ----------------------------------------------------------------------


def report_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(REPORT_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return schema


def validate_report(document: object) -> None:
    jsonschema.Draft202012Validator(report_schema()).validate(document)


def validate_diagnostic(diagnostic: object) -> None:
    """Validate one json-lines object against the schema's diagnostic definition."""
    schema = {"$ref": "#/$defs/diagnostic", "$defs": report_schema()["$defs"]}
    jsonschema.Draft202012Validator(schema).validate(diagnostic)


def test_json_report_is_valid_and_exact() -> None:
    document = json.loads(render("json", run_report()))
    validate_report(document)
    assert document["version"] == 1
    assert document["tool"] == {"name": "persona-lint", "version": "0.1.0"}
    assert document["summary"] == {
        "files_checked": 2,
        "files_skipped": 1,
        "errors": 3,
        "warnings": 1,
    }
    assert [(f["path"], f["skipped"], len(f["diagnostics"])) for f in document["files"]] == [
        (BROKEN_PATH, False, 4),
        (CLEAN_PATH, False, 0),
        (SKIPPED_PATH, True, 0),
    ]
    first, second = document["files"][0]["diagnostics"][:2]
    assert first == {
        "path": BROKEN_PATH,
        "range": {"start": {"line": 1, "column": 1}, "end": None},
        "code": "PL407",
        "name": "file-name-slug",
        "severity": "warning",
        "message": "file name 'backend.md' does not match the persona's slug "
        "'backend-engineer'; expected 'backend-engineer.md'",
        "url": "https://github.com/persona-lint/persona-lint/blob/main/docs/rules.md"
        "#pl407-file-name-slug",
    }
    assert second["range"] == {"start": {"line": 3, "column": 3}, "end": {"line": 3, "column": 6}}
    assert (second["code"], second["name"], second["severity"]) == (
        "PL304",
        "version-semver",
        "error",
    )
    # The whole closing tag </always_start_wth>: ends are exclusive, in code points.
    third = document["files"][0]["diagnostics"][2]
    assert (third["code"], third["range"]) == (
        "PL201",
        {"start": {"line": 182, "column": 55}, "end": {"line": 182, "column": 74}},
    )


def test_json_carries_structured_data() -> None:
    report = run_report()
    broken = report.results[0]
    metric = {"subject": "API response time", "comparator": Severity.ERROR, "threshold": None}
    data = (("metric", metric), ("qualifiers", ("for 95%", "p95")), ("ratio", float("inf")))
    with_data = dataclasses.replace(broken.diagnostics[1], data=data)
    results = [broken._replace(diagnostics=(with_data,))]
    document = json.loads(render("json", Report(results)))
    validate_report(document)
    assert document["files"][0]["diagnostics"][0]["data"] == {
        "metric": {"subject": "API response time", "comparator": "error", "threshold": None},
        "qualifiers": ["for 95%", "p95"],
        "ratio": "inf",
    }
    line = json.loads(render("json-lines", Report(results)))
    assert line["data"]["qualifiers"] == ["for 95%", "p95"]


def test_json_is_ascii_and_rejects_unknown_fields() -> None:
    report = make_report(("personas/développeur.md", CANONICAL, True))
    text = render("json", report)
    assert text.isascii()
    document = json.loads(text)
    assert document["files"][0]["path"] == "personas/développeur.md"
    document["files"][0]["diagnostics"][0]["extra"] = 1
    with pytest.raises(jsonschema.ValidationError):
        validate_report(document)


def test_json_lines_are_the_json_diagnostics() -> None:
    report = run_report()
    lines = render("json-lines", report).splitlines()
    document = json.loads(render("json", report))
    flat = [d for f in document["files"] for d in f["diagnostics"]]
    assert [json.loads(line) for line in lines] == flat
    for line in lines:
        validate_diagnostic(json.loads(line))
    with pytest.raises(jsonschema.ValidationError):
        validate_diagnostic({**json.loads(lines[0]), "severity": "info"})


# --- sarif ------------------------------------------------------------------------------------


def sarif_validator() -> jsonschema.Draft4Validator:
    if not SARIF_SCHEMA.is_file():
        pytest.skip(f"the SARIF 2.1.0 schema is absent: {SARIF_SCHEMA}")
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    return jsonschema.Draft4Validator(schema)


def test_sarif_is_valid_and_exact() -> None:
    log = json.loads(render("sarif", run_report()))
    sarif_validator().validate(log)
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"], driver["informationUri"]) == (
        "persona-lint",
        "0.1.0",
        "https://github.com/persona-lint/persona-lint",
    )
    rules = list(all_rules())
    assert [r["id"] for r in driver["rules"]] == [rule.code for rule in rules]
    for entry, rule in zip(driver["rules"], rules, strict=True):
        assert entry["name"] == rule.name
        assert entry["shortDescription"] == {"text": rule.summary}
        assert entry["fullDescription"] == {"text": rule.doc}
        assert entry["help"] == {"text": help_text(rule), "markdown": help_markdown(rule)}
        assert entry["helpUri"] == rule.help_uri
        configuration: dict[str, object] = {"level": str(rule.severity)}
        if not rule.default_enabled:
            configuration["enabled"] = False
        assert entry["defaultConfiguration"] == configuration
    layout = next(r for r in driver["rules"] if r["id"] == "PL308")["help"]
    assert "\n## Example\n```markdown\n| version |" in layout["markdown"]
    assert "\nExample\n    | version |" in layout["text"] and "`" not in layout["text"]
    assert run["columnKind"] == "utf16CodeUnits"
    summary = [
        (
            r["ruleId"],
            driver["rules"][r["ruleIndex"]]["id"],
            r["level"],
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"],
        )
        for r in run["results"]
    ]
    assert summary == [
        ("PL407", "PL407", "warning", BROKEN_PATH, {"startLine": 1, "startColumn": 1}),
        (
            "PL304",
            "PL304",
            "error",
            BROKEN_PATH,
            {"startLine": 3, "startColumn": 3, "endLine": 3, "endColumn": 6},
        ),
        # Code points 55 and 74 are UTF-16 units 56 and 75: 🚀 takes two units.
        (
            "PL201",
            "PL201",
            "error",
            BROKEN_PATH,
            {"startLine": 182, "startColumn": 56, "endLine": 182, "endColumn": 75},
        ),
        (
            "PL406",
            "PL406",
            "error",
            BROKEN_PATH,
            {"startLine": 215, "startColumn": 116, "endLine": 215, "endColumn": 131},
        ),
    ]
    assert run["results"][2]["message"] == {
        "text": "closing tag </always_start_wth> does not match <always_start_with> opened at "
        "line 182, column 5"
    }


def test_sarif_uris_are_percent_encoded() -> None:
    report = make_report(("my personas/50% #1: draft.md", CANONICAL, True))
    log = json.loads(render("sarif", report))
    sarif_validator().validate(log)
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "my%20personas/50%25%20%231%3A%20draft.md"}
    assert artifact_uri("./personas/équipe.md") == "personas/%C3%A9quipe.md"
    assert artifact_uri("/srv/repo/a b.md") == "file:///srv/repo/a%20b.md"


def test_utf16_column() -> None:
    columns = Utf16Columns({"p.md": ("a🚀b🚀c", "a🚀")})
    assert columns("p.md", 1, 1) == 1
    assert columns("p.md", 1, 3) == 4
    assert columns("p.md", 1, 5) == 7
    assert columns("p.md", 2, 9) == 10
    assert columns("p.md", 3, 4) == 4  # no such line
    assert columns("other.md", 1, 4) == 4  # no such file


# --- github -----------------------------------------------------------------------------------


def test_github_commands_exact() -> None:
    assert render("github", run_report()).splitlines() == [
        "::warning file=personas/backend.md,line=1,col=1,title=PL407 (file-name-slug)::file "
        "name 'backend.md' does not match the persona's slug 'backend-engineer'; expected "
        "'backend-engineer.md'",
        "::error file=personas/backend.md,line=3,col=3,endLine=3,endColumn=6,"
        "title=PL304 (version-semver)::version '1.0' is not SemVer (MAJOR.MINOR.PATCH)",
        "::error file=personas/backend.md,line=182,col=55,endLine=182,endColumn=74,"
        "title=PL201 (xml-syntax)::closing tag </always_start_wth> does not match "
        "<always_start_with> opened at line 182, column 5",
        "::error file=personas/backend.md,line=215,col=116,endLine=215,endColumn=131,"
        "title=PL406 (usage-persona)::the Usage line names --persona backend-enginer; "
        "expected --persona backend-engineer",
    ]


def test_github_escaping() -> None:
    assert escape_data("50% a:b, c\r\nd") == "50%25 a:b, c%0D%0Ad"
    assert escape_property("50% a:b, c\r\nd") == "50%25 a%3Ab%2C c%0D%0Ad"
    report = make_report(("team:a,b/100%/backend.md", broken_text(), True))
    result = report.results[0]
    tricky = dataclasses.replace(result.diagnostics[1], message="50% done\r\n::error ::x, y")
    output = render("github", Report([result._replace(diagnostics=(tricky,))]))
    assert output == (
        "::error file=team%3Aa%2Cb/100%25/backend.md,line=3,col=3,endLine=3,endColumn=6,"
        "title=PL304 (version-semver)::50%25 done%0D%0A::error ::x, y\n"
    )


# --- junit ------------------------------------------------------------------------------------


def junit_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(JUNIT_XSD)))


def parse_junit(text: str) -> ET.Element:
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    schema = junit_schema()
    document = etree.fromstring(text.encode("utf-8"))
    assert schema.validate(document), schema.error_log
    return ET.fromstring(text.encode("utf-8"))


def test_junit_is_valid_and_exact() -> None:
    root = parse_junit(render("junit", run_report()))
    assert root.tag == "testsuites"
    assert root.attrib == {"name": "persona-lint", "tests": "2", "failures": "1", "errors": "0"}
    (suite,) = root
    assert suite.attrib == {
        "name": "persona-lint",
        "tests": "2",
        "failures": "1",
        "errors": "0",
        "skipped": "0",
    }
    properties = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert properties == {
        "tool.name": "persona-lint",
        "tool.version": "0.1.0",
        "files_skipped": "1",
    }
    cases = suite.findall("testcase")
    assert [(c.get("classname"), c.get("name")) for c in cases] == [
        ("persona-lint", BROKEN_PATH),
        ("persona-lint", CLEAN_PATH),
    ]
    broken, clean = cases
    assert [(f.get("type"), f.get("message"), f.text) for f in broken.findall("failure")] == [
        (
            "PL304",
            "version '1.0' is not SemVer (MAJOR.MINOR.PATCH)",
            "personas/backend.md:3:3: error: version '1.0' is not SemVer (MAJOR.MINOR.PATCH) "
            "[PL304]",
        ),
        (
            "PL201",
            "closing tag </always_start_wth> does not match <always_start_with> opened at line "
            "182, column 5",
            "personas/backend.md:182:55: error: closing tag </always_start_wth> does not match "
            "<always_start_with> opened at line 182, column 5 [PL201]",
        ),
        (
            "PL406",
            "the Usage line names --persona backend-enginer; expected --persona backend-engineer",
            "personas/backend.md:215:116: error: the Usage line names --persona "
            "backend-enginer; expected --persona backend-engineer [PL406]",
        ),
    ]
    assert broken.findtext("system-out") == (
        "personas/backend.md:1:1: warning: file name 'backend.md' does not match the persona's "
        "slug 'backend-engineer'; expected 'backend-engineer.md' [PL407]\n"
    )
    assert list(clean) == []


def test_junit_warnings_alone_do_not_fail_and_text_survives() -> None:
    report = make_report(("personas/développeur\x1b.md", CANONICAL, True))
    text = render("junit", report)
    assert text.isascii()
    root = parse_junit(text)
    assert root.attrib["failures"] == "0"
    case = root.find("testsuite/testcase")
    assert case is not None
    # Control characters are escaped, losslessly, before XML would have to drop them.
    assert case.get("name") == "personas/développeur\\x1b.md"
    assert case.find("failure") is None
    assert (case.findtext("system-out") or "").startswith(
        "personas/développeur\\x1b.md:1:1: warning: file name 'développeur\\x1b.md' does"
    )


def test_junit_warnings_fail_under_strict_settings() -> None:
    strict = SETTINGS._replace(strict=True)
    report = Report(check_corpus([lint_source(BROKEN_PATH, CANONICAL, strict)], strict))
    root = parse_junit(render("junit", report))
    assert root.attrib["failures"] == "1"
    case = root.find("testsuite/testcase")
    assert case is not None
    assert [f.get("type") for f in case.findall("failure")] == ["PL407"]
    assert case.find("system-out") is None


# --- gitlab -----------------------------------------------------------------------------------


def positions(line: int, column: int, end_line: int, end_column: int) -> dict[str, object]:
    """The Code Quality location of a range in the broken fixture file."""
    begin, end = {"line": line, "column": column}, {"line": end_line, "column": end_column}
    return {"path": BROKEN_PATH, "positions": {"begin": begin, "end": end}}


def test_gitlab_issues_exact() -> None:
    issues = json.loads(render("gitlab", run_report()))
    assert isinstance(issues, list)
    assert [(i["check_name"], i["severity"], i["location"]) for i in issues] == [
        # A point: its line only.
        ("PL407", "minor", {"path": BROKEN_PATH, "lines": {"begin": 1}}),
        # A range: begin and (exclusive) end, in code points.
        ("PL304", "major", positions(3, 3, 3, 6)),
        ("PL201", "major", positions(182, 55, 182, 74)),
        ("PL406", "major", positions(215, 116, 215, 131)),
    ]
    assert issues[1]["description"] == (
        "PL304 (version-semver): version '1.0' is not SemVer (MAJOR.MINOR.PATCH)"
    )
    material = "personas/backend.md\0PL304\0| 1.0     | 2025-07-11   | stable |\0" + "0"
    assert issues[1]["fingerprint"] == hashlib.sha256(material.encode()).hexdigest()
    # A finding about the whole file (1:1, no range) leaves its line's text out.
    material = "personas/backend.md\0PL407\0\0" + "0"
    assert issues[0]["fingerprint"] == hashlib.sha256(material.encode()).hexdigest()
    for issue in issues:
        assert set(issue) == {
            "type",
            "description",
            "check_name",
            "fingerprint",
            "severity",
            "location",
        }
        assert len(issue["fingerprint"]) == 64
    assert len({i["fingerprint"] for i in issues}) == len(issues)


def begin_line(issue: dict[str, Any]) -> int:
    """The first line of a Code Quality issue, in either form of location."""
    location = issue["location"]
    if "lines" in location:
        return int(location["lines"]["begin"])
    return int(location["positions"]["begin"]["line"])


def test_gitlab_fingerprints_survive_line_shifts() -> None:
    before = json.loads(render("gitlab", make_report((BROKEN_PATH, broken_text(), True))))
    shifted = "\n" + broken_text()
    after = json.loads(render("gitlab", make_report((BROKEN_PATH, shifted, True))))
    assert [begin_line(i) for i in after] == [1, 4, 183, 216]
    assert [i["fingerprint"] for i in after] == [i["fingerprint"] for i in before]


def test_fingerprints_tell_identical_lines_apart() -> None:
    result = make_report((BROKEN_PATH, broken_text(), True)).results[0]
    first = result.diagnostics[1]
    again = dataclasses.replace(first, column=first.column + 1)
    report = Report([result._replace(diagnostics=(first, again))])
    (_, one), (_, two) = fingerprints(report)
    assert one != two


# --- every format -----------------------------------------------------------------------------


def check_valid(name: str, text: str) -> None:
    """Parse ``text`` back as format ``name`` and validate it where a schema exists."""
    if name == "json":
        validate_report(json.loads(text))
    elif name == "json-lines":
        for line in text.splitlines():
            validate_diagnostic(json.loads(line))
    elif name == "sarif":
        sarif_validator().validate(json.loads(text))
    elif name == "junit":
        parse_junit(text)
    elif name == "gitlab":
        assert isinstance(json.loads(text), list)


EMPTY_OUTPUT = {
    "full": "",
    "concise": "",
    "json-lines": "",
    "github": "",
    "gitlab": "[]\n",
}


@pytest.mark.parametrize("name", FORMAT_NAMES)
def test_an_empty_run_gives_a_valid_empty_report(name: str) -> None:
    text = render(name, EMPTY)
    check_valid(name, text)
    if name in EMPTY_OUTPUT:
        assert text == EMPTY_OUTPUT[name]
    elif name == "json":
        document = json.loads(text)
        assert document["files"] == []
        assert document["summary"] == {
            "files_checked": 0,
            "files_skipped": 0,
            "errors": 0,
            "warnings": 0,
        }
    elif name == "sarif":
        assert json.loads(text)["runs"][0]["results"] == []
    elif name == "junit":
        assert parse_junit(text).attrib["tests"] == "0"


@pytest.mark.parametrize("name", FORMAT_NAMES)
def test_every_format_parses_back(name: str) -> None:
    check_valid(name, render(name, run_report()))


# --- ranges -----------------------------------------------------------------------------------


def test_a_range_over_two_lines_in_every_format() -> None:
    """The PL201 of the fixture, made to end on the next line, after its ``    <defa``
    (code point 9 is UTF-16 unit 9 there: no astral character before it)."""
    result = run_report().results[0]
    pl201 = result.diagnostics[2]
    assert pl201.code == "PL201"
    two_lines = dataclasses.replace(pl201, end_line=183, end_column=9)
    report = Report([result._replace(diagnostics=(two_lines,))])

    (json_line,) = render("json-lines", report).splitlines()
    validate_diagnostic(json.loads(json_line))
    assert json.loads(json_line)["range"] == {
        "start": {"line": 182, "column": 55},
        "end": {"line": 183, "column": 9},
    }
    log = json.loads(render("sarif", report))
    sarif_validator().validate(log)
    region = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 182, "startColumn": 56, "endLine": 183, "endColumn": 9}
    # GitHub refuses endColumn when endLine differs from line: the annotation spans lines.
    command = render("github", report)
    assert command.startswith("::error file=personas/backend.md,line=182,col=55,endLine=183,")
    assert "endColumn" not in command
    (issue,) = json.loads(render("gitlab", report))
    assert issue["location"]["positions"] == {
        "begin": {"line": 182, "column": 55},
        "end": {"line": 183, "column": 9},
    }
    # full underlines from the column to the end of the first line.
    lines = render("full", report).splitlines()
    assert lines[2:4] == [
        "182 | " + MULTIBYTE_LINE,
        "    | " + " " * (54 + 3) + "^" * 19,
    ]
    # concise and JUnit show the start only.
    assert render("concise", report).startswith("personas/backend.md:182:55: error: closing tag")


PERSPECTIVE = "<perspective>API-first"


@pytest.mark.parametrize(
    ("replacement", "code", "underlined"),
    [
        ("<perspective>API-first &nbsp;", "PL201", "&nbsp;"),
        ("<perspective>API-first &#0;", "PL201", "&#0;"),
        ("<perspective\n    <gate>API-first", "PL201", "<perspective"),
        ("<!DOCTYPE x><perspective>API-first", "PL202", "<!DOCTYPE"),
        ("<perspective level=1>API-first", "PL201", None),
    ],
)
def test_xml_errors_carry_the_markup_they_stand_at(
    replacement: str, code: str, underlined: str | None
) -> None:
    """Through the JSON output: the range of a well-formedness error is the reference, tag
    or declaration at its start; an error at plain text is a point."""
    text = edit(PERSPECTIVE, replacement)
    report = make_report((BROKEN_PATH, text, True))
    document = json.loads(render("json", report))
    validate_report(document)
    (found,) = [d for d in document["files"][0]["diagnostics"] if d["code"] == code]
    start, end = found["range"]["start"], found["range"]["end"]
    if underlined is None:
        assert end is None
        return
    line = text.split("\n")[start["line"] - 1]
    assert end["line"] == start["line"]
    assert line[start["column"] - 1 : end["column"] - 1] == underlined


def test_full_bounds_a_range_by_the_snippet_window() -> None:
    """A real PL201 whose closing tag is longer than the window shown of its line: the
    caret run stops where the window does."""
    name = "a" * 3000
    line = f"    <always_start_with>{'x' * 5000}</{name}>"
    text = edit(
        "    <always_start_with>API design and database schema planning</always_start_with>",
        line,
    )
    report = make_report((BROKEN_PATH, text, True))
    (pl201,) = [d for d in report.diagnostics if d.code == "PL201"]
    column = line.index("</") + 1
    assert (pl201.line, pl201.column, pl201.end_line, pl201.end_column) == (
        182,
        column,
        182,
        column + len(name) + 3,
    )
    output = render("full", report).splitlines()
    source = next(i for i, shown in enumerate(output) if shown.startswith("182 | …"))
    shown, caret = output[source][len("182 | ") :], output[source + 1][len("    | ") :]
    assert len(shown) == SNIPPET_WIDTH + 2  # the window, and "…" at both cut ends
    # 400 characters of the window before the column, after the leading "…".
    assert caret == " " * (1 + SNIPPET_BEFORE) + "^" * (SNIPPET_WIDTH - SNIPPET_BEFORE)
    assert shown[1 + SNIPPET_BEFORE :].startswith("</aaa")


# --- write_report -----------------------------------------------------------------------------


def test_write_report_to_stdout() -> None:
    out = io.StringIO()
    write_report(run_report(), "concise", None, out)
    assert out.getvalue() == render("concise", run_report())


def test_write_report_writes_and_replaces_files(tmp_path: Path) -> None:
    destination = tmp_path / "report.json"
    write_report(EMPTY, "json", destination, io.StringIO())
    assert json.loads(destination.read_text(encoding="utf-8"))["files"] == []
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(destination.stat().st_mode) == 0o666 & ~umask
    destination.chmod(0o600)
    out = io.StringIO()
    write_report(run_report(color=True), "concise", destination, out)
    assert out.getvalue() == ""
    # Files are never coloured.
    assert destination.read_text(encoding="utf-8") == render("concise", run_report())
    assert stat.S_IMODE(destination.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]


def test_write_report_failure_keeps_the_previous_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    destination = tmp_path / "report.json"
    destination.write_text("previous\n", encoding="utf-8")

    def broken(report: Report, out: TextIO) -> None:
        out.write('{"partial": ')
        raise RuntimeError("formatter failed")

    monkeypatch.setattr(json_module, "json_report", broken)
    with pytest.raises(RuntimeError, match="formatter failed"):
        write_report(run_report(), "json", destination, io.StringIO())
    assert destination.read_text(encoding="utf-8") == "previous\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]


def test_write_report_into_a_missing_folder_fails_cleanly(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        write_report(EMPTY, "json", tmp_path / "missing" / "report.json", io.StringIO())
    assert list(tmp_path.iterdir()) == []
