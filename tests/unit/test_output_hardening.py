"""Reports stay bounded and clean whatever a pull request puts in a file or its name.

Issue 15, findings 5, 6, 9, 10 and 15: findings per rule and file are capped; the full
format shows a window of a long line; PL606 and PL801 grow linearly; names that are not
UTF-8 or hold control characters are written escaped, losslessly, in every format, and
each format's output is parsed back strictly (JSON with no lone surrogate, SARIF against
the official schema). Sizes and counts are asserted, never times.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from conftest import CANONICAL, ROOT, SETTINGS, SHARED, edit, lint
from lxml import etree

from persona_lint.diagnostics import Diagnostic, Severity
from persona_lint.engine.lint import check_corpus, lint_source
from persona_lint.engine.postprocess import MAX_FINDINGS_PER_RULE, cap_findings
from persona_lint.engine.result import FileResult
from persona_lint.formatters import FORMAT_NAMES, Report, get_formatter
from persona_lint.formatters.text import SNIPPET_WIDTH, snippet

SARIF_SCHEMA = SHARED / "schemas" / "sarif-schema-2.1.0.json"
USAGE = "**Usage**: Automatically"


def render(name: str, report: Report) -> str:
    out = io.StringIO()
    get_formatter(name)(report, out)
    return out.getvalue()


def strict_json(text: str) -> object:
    """``text`` parsed as JSON that a strict parser accepts: no lone surrogate."""
    text.encode("utf-8")  # raises on a lone surrogate written raw
    value = json.loads(text)
    json.dumps(value, ensure_ascii=False).encode("utf-8")  # ... or as a \\udcXX escape
    return value


# --- finding 5: one line of 2,000 placeholders ----------------------------------------


def todo_line_persona(count: int) -> str:
    return edit(USAGE, "TODO " * count + USAGE)


def test_findings_of_one_rule_are_capped_with_one_summary() -> None:
    result = lint(todo_line_persona(2000))
    found = [d for d in result.diagnostics if d.code == "PL901"]
    assert len(found) == MAX_FINDINGS_PER_RULE + 1 == 101
    line = CANONICAL[: CANONICAL.index(USAGE)].count("\n") + 1
    assert [(d.line, d.column) for d in found[:3]] == [(line, 1), (line, 6), (line, 11)]
    summary = found[-1]
    assert (summary.line, summary.column) == (line, 100 * 5 + 1)
    assert summary.message == (
        "… and 1900 more PL901 findings in this file (at most 100 of one rule are shown per file)"
    )
    assert str(summary.severity) == "warning"  # the verdict does not change
    assert cap_findings(result) == result  # capping a capped (cached) result: a no-op


def test_one_past_the_cap_is_shown_as_it_is() -> None:
    found = [d for d in lint(todo_line_persona(101)).diagnostics if d.code == "PL901"]
    assert len(found) == 101
    assert all(d.message == "unfilled template placeholder 'TODO'" for d in found)


def test_the_summary_is_an_error_when_a_capped_finding_is() -> None:
    severities = [Severity.WARNING] * 103 + [Severity.ERROR]
    diagnostics = tuple(
        Diagnostic("a.md", 1, column, "PL901", "x", severity)
        for column, severity in enumerate(severities, start=1)
    )
    capped = cap_findings(FileResult("a.md", diagnostics))
    assert len(capped.diagnostics) == 101
    assert capped.diagnostics[-1].is_error
    assert capped.diagnostics[-1].column == 101


@pytest.mark.parametrize("name", FORMAT_NAMES)
def test_output_size_stays_linear_on_a_line_of_placeholders(name: str) -> None:
    """2,000 findings on a 10 KB line: before, 2,000 diagnostics (full: each with the
    whole line, 40 MB); now 101, each with at most a window of the line."""
    text = todo_line_persona(2000)
    report = Report(check_corpus([lint_source("backend-engineer.md", text, SETTINGS)]))
    out = render(name, report)
    assert len(out) < 101 * (2 * SNIPPET_WIDTH + 1000), len(out)
    # Each shown finding names its code once or twice (SARIF: also the rule list).
    assert 101 <= out.count("PL901") <= 2 * 101 + 2
    if name in ("json", "sarif", "gitlab"):
        strict_json(out)


def test_a_long_line_is_shown_as_a_window_with_the_caret_in_place() -> None:
    line = "".join(f"{i:05d} " for i in range(2000))  # 12,000 characters
    column = 6001  # the "01000" in the middle
    diagnostic = Diagnostic("a.md", 1, column, "PL901", "x", end_column=column + 5)
    shown, start, width = snippet(line, diagnostic)
    assert len(shown) == SNIPPET_WIDTH + 2
    assert shown[0] == shown[-1] == "…"
    assert shown[start : start + width] == line[column - 1 : column + 4] == "01000"
    assert width == 5


# --- finding 6: PL606 on 800 metrics of one subject -----------------------------------


def metrics_persona(metrics: list[str]) -> str:
    start = CANONICAL.index("<success_metrics>") + len("<success_metrics>")
    end = CANONICAL.index("</success_metrics>")
    body = "".join(f"\n      <metric>{m}</metric>" for m in metrics)
    return CANONICAL[:start] + body + "\n    " + CANONICAL[end:]


def first_metric_line() -> int:
    return CANONICAL[: CANONICAL.index("<success_metrics>")].count("\n") + 2


def test_pl606_reports_each_metric_once_among_800() -> None:
    """Before: each of the 160,000 contradicting pairs reported at both ends (320,000
    errors). Now: each metric once, naming the first it contradicts and the count."""
    text = metrics_persona(["Error rate < 1%", "Error rate > 5%"] * 400)
    found = [d for d in lint(text).diagnostics if d.code == "PL606"]
    assert len(found) == 101
    first = first_metric_line()
    assert [(d.line, d.message) for d in found[:2]] == [
        (
            first,
            "metric 'Error rate < 1%' contradicts 'Error rate > 5%' (line "
            f"{first + 1}) and 399 more",
        ),
        (
            first + 1,
            f"metric 'Error rate > 5%' contradicts 'Error rate < 1%' (line {first}) and 399 more",
        ),
    ]
    assert found[-1].message.startswith("… and 700 more PL606 findings")


def test_pl606_compares_at_most_100_texts_of_one_subject() -> None:
    metrics = ["Error rate > 5%", *(f"Error rate < {i}.5%" for i in range(150))]
    found = [d for d in lint(metrics_persona(metrics)).diagnostics if d.code == "PL606"]
    first = first_metric_line()
    # The first 100 distinct texts are compared: "> 5%" contradicts "< 0.5%" ... "< 4.5%".
    assert [d.line for d in found] == [first, *range(first + 1, first + 6)]
    assert found[0].message == (
        f"metric 'Error rate > 5%' contradicts 'Error rate < 0.5%' (line {first + 1}) and 4 more"
    )


def test_pl606_two_metrics_are_still_reported_at_both() -> None:
    text = metrics_persona(["Error rate < 0.1%", "Error rate > 5%", "Error rate < 0.1%"])
    found = [(d.line, d.message) for d in lint(text).diagnostics if d.code == "PL606"]
    first = first_metric_line()
    assert found == [
        (first, f"metric 'Error rate < 0.1%' contradicts 'Error rate > 5%' (line {first + 1})"),
        (
            first + 1,
            f"metric 'Error rate > 5%' contradicts 'Error rate < 0.1%' (line {first}) and 1 more",
        ),
        (
            first + 2,
            f"metric 'Error rate < 0.1%' contradicts 'Error rate > 5%' (line {first + 1})",
        ),
    ]


# --- finding 10: PL801 among 300 holders ------------------------------------------------


def test_pl801_names_three_holders_and_a_count() -> None:
    paths = [f"p/{i:03d}.md" for i in range(300)]
    results = check_corpus([lint_source(p, CANONICAL, SETTINGS) for p in paths], SETTINGS)
    messages = [d.message for r in results for d in r.diagnostics if d.code == "PL801"]
    assert len(messages) == 300
    assert messages[0] == (
        "active='backend-engineer' is also used by p/001.md, p/002.md, p/003.md and 296 more"
    )
    assert messages[2] == (
        "active='backend-engineer' is also used by p/000.md, p/001.md, p/003.md and 296 more"
    )
    assert messages[299] == messages[1].replace("p/002.md, p/003.md", "p/001.md, p/002.md")
    assert max(map(len, messages)) < 100  # before: 300 names in each, quadratic in all


def test_pl801_with_few_holders_names_them_all() -> None:
    paths = ["a.md", "b.md", "c.md", "d.md"]
    results = check_corpus([lint_source(p, CANONICAL, SETTINGS) for p in paths], SETTINGS)
    messages = [d.message for r in results for d in r.diagnostics if d.code == "PL801"]
    assert messages[0] == "active='backend-engineer' is also used by b.md, c.md, d.md"
    assert messages[3] == "active='backend-engineer' is also used by a.md, b.md, c.md"


# --- findings 9 and 15: hostile file names, through the real CLI ------------------------

NOT_UTF8 = b"caf\xe9\x1b]8;;http:x\x07\x1b[2J.md"  # Latin-1, an OSC-8 link, clear screen
COMMAND = "::stop-commands::tok.md"
SHOWN = "caf\\xe9\\x1b]8;;http:x\\x07\\x1b[2J.md"  # as the human formats write it


@pytest.fixture(scope="module")
def hostile_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("names")
    data = CANONICAL.encode("utf-8")
    (root / os.fsdecode(NOT_UTF8)).write_bytes(data)
    (root / COMMAND).write_bytes(data)
    (root / "back\\slash.md").write_bytes(data)
    return root


def run(root: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    result = subprocess.run(
        [sys.executable, "-m", "persona_lint", "check", "--no-color", *args, "."],
        cwd=root,
        capture_output=True,
        check=False,
    )
    assert result.returncode == 1, result.stderr.decode("utf-8", "replace")
    assert b"Traceback" not in result.stderr
    return result


@pytest.mark.parametrize("name", FORMAT_NAMES)
def test_every_format_writes_hostile_names_escaped(hostile_tree: Path, name: str) -> None:
    out = run(hostile_tree, "--output-format", name).stdout.decode("utf-8")  # strict
    if name not in ("json", "json-lines", "gitlab", "sarif"):
        # Human formats: no control character but the line ends, no workflow command.
        assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f]", out)
        assert SHOWN in out
        assert "back\\\\slash.md" in out  # backslashes doubled: the escape is lossless
        lines = out.splitlines()
        if name == "github":
            assert all(re.match(r"::(error|warning) file=", line) for line in lines)
        else:
            assert not any(line.startswith("::") for line in lines)
            assert f"./{COMMAND}:1:1: warning:" in out
    if name == "json":
        report = strict_json(out)
        assert isinstance(report, dict)
        paths = sorted(f["path"] for f in report["files"])
        assert paths == [
            COMMAND,
            "back\\\\slash.md",
            "caf\\xe9\x1b]8;;http:x\x07\x1b[2J.md",
        ]
    if name == "json-lines":
        for line in out.splitlines():
            strict_json(line)
    if name == "gitlab":
        issues = strict_json(out)
        assert isinstance(issues, list)
        assert {i["location"]["path"] for i in issues} >= {"caf\\xe9\x1b]8;;http:x\x07\x1b[2J.md"}
    if name == "sarif":
        check_sarif(out)
    if name == "junit":
        etree.fromstring(out.encode("utf-8"))


def check_sarif(text: str) -> None:
    log = strict_json(text)
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validate(log, schema)
    assert isinstance(log, dict)
    uris = {
        location["physicalLocation"]["artifactLocation"]["uri"]
        for result in log["runs"][0]["results"]
        for location in result["locations"]
    }
    # The name's bytes, percent-encoded: lossless.
    assert uris == {
        "caf%E9%1B%5D8%3B%3Bhttp%3Ax%07%1B%5B2J.md",
        "%3A%3Astop-commands%3A%3Atok.md",
        "back%5Cslash.md",
    }


def test_sarif_output_file_with_a_name_that_is_not_utf8(hostile_tree: Path) -> None:
    run(hostile_tree, "--output-format", "sarif", "--output-file", "report.sarif")
    try:
        check_sarif((hostile_tree / "report.sarif").read_bytes().decode("utf-8"))
    finally:
        (hostile_tree / "report.sarif").unlink()


def test_cached_run_with_a_name_that_is_not_utf8(hostile_tree: Path, tmp_path: Path) -> None:
    for _ in range(2):  # the second run reads the cache
        out = run(hostile_tree, "--cache-dir", str(tmp_path / "cache")).stdout
        assert SHOWN.encode() in out


HOSTILE_MESSAGE = "a\x1b[2J\r\n::stop-commands::x\x07 \u202egnp.exe\x9b \\ ok"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "concise",
            "a.md:1:1: error: a\\x1b[2J\\x0d\\x0a::stop-commands::x\\x07 \\u202egnp.exe"
            "\\x9b \\ ok [PL901]\n",
        ),
        (
            "github",
            "::error file=a.md,line=1,col=1,title=PL901 (template-placeholder)::"
            "a\\x1b[2J%0D%0A::stop-commands::x\\x07 \\u202egnp.exe\\x9b \\ ok\n",
        ),
    ],
)
def test_messages_carry_no_control_character(name: str, expected: str) -> None:
    diagnostic = Diagnostic("a.md", 1, 1, "PL901", HOSTILE_MESSAGE)
    assert render(name, Report([FileResult("a.md", (diagnostic,))])) == expected


def test_the_full_format_shows_no_control_character_of_the_source() -> None:
    line = "x\x1b]8;;http:x\x07\u202eTODO\x9b"
    diagnostic = Diagnostic("a.md", 1, 13, "PL901", "m")
    out = render("full", Report([FileResult("a.md", (diagnostic,), lines=(line,))]))
    assert out == (
        "a.md:1:13: error: m [PL901]\n"
        "  |\n"
        "1 | x\u241b]8;;http:x\u2407\ufffdTODO\ufffd\n"
        "  |             ^\n"
        "\n"
    )


# --- finding 9: the action uploads only the SARIF file this run wrote --------------------


def lint_step() -> str:
    """The script of the action's ``lint`` step: the block under its ``run: |``."""
    text = (ROOT / "action.yml").read_text(encoding="utf-8")
    after = text[text.index("      id: lint\n") :]
    block = after[after.index("      run: |\n") + len("      run: |\n") :]
    lines = []
    for line in block.splitlines():
        if line and not line.startswith("        "):
            break  # the next step
        lines.append(line[8:])
    return "\n".join(lines) + "\n"


def run_lint_step(tmp_path: Path, config: str) -> str:
    (tmp_path / "p").mkdir(exist_ok=True)
    (tmp_path / "p" / "backend-engineer.md").write_text(CANONICAL, encoding="utf-8")
    (tmp_path / "stale.sarif").write_text("planted by the pull request\n", encoding="utf-8")
    output = tmp_path / "github_output"
    output.write_text("", encoding="utf-8")
    env = {
        **os.environ,
        "PYTHON": sys.executable,
        "PATHS": "p",
        "FORMAT": "concise",
        "CONFIG": config,
        "CHANGED_SINCE": "",
        "SARIF_FILE": "stale.sarif",
        "GITHUB_OUTPUT": str(output),
    }
    subprocess.run(
        ["bash", "-c", lint_step()], cwd=tmp_path, env=env, check=True, capture_output=True
    )
    return output.read_text(encoding="utf-8")


def test_action_does_not_upload_a_sarif_file_it_did_not_write(tmp_path: Path) -> None:
    outputs = run_lint_step(tmp_path, config="missing.toml")  # exit 2: nothing written
    assert "exit-code=2" in outputs
    assert "sarif-written" not in outputs
    assert not (tmp_path / "stale.sarif").exists()


def test_action_uploads_the_sarif_file_it_wrote(tmp_path: Path) -> None:
    outputs = run_lint_step(tmp_path, config="")
    assert "exit-code=0" in outputs
    assert "sarif-written=true" in outputs
    check = strict_json((tmp_path / "stale.sarif").read_text(encoding="utf-8"))
    assert isinstance(check, dict) and check["version"] == "2.1.0"


def test_action_never_imports_a_package_the_pull_request_committed(tmp_path: Path) -> None:
    # `python -m persona_lint` from the checkout would import this folder instead of the
    # installed package, and run the pull request's code with the job's privileges.
    planted = tmp_path / "persona_lint"
    planted.mkdir()
    marker = tmp_path / "pwned"
    code = f"open({str(marker)!r}, 'w').close()\n"
    (planted / "__init__.py").write_text(code, encoding="utf-8")
    (planted / "__main__.py").write_text(code, encoding="utf-8")
    outputs = run_lint_step(tmp_path, config="")
    assert not marker.exists()
    assert "exit-code=0" in outputs


def test_every_python_of_the_action_runs_isolated() -> None:
    # The install step (pip, venv) runs in the checkout too; it is not run here (it installs
    # from the network), so its commands are read: each `-m` comes after `-I`.
    text = (ROOT / "action.yml").read_text(encoding="utf-8")
    modules = re.findall(r'"\$\w+"(?: (-I))? -m (\w+)', text)
    assert modules, "no python -m in action.yml?"
    assert [flag for flag, _ in modules] == ["-I"] * len(modules), modules
