"""--write-baseline and --baseline: recorded diagnostics stay hidden when lines move, new
ones fail, fixed ones are reported as stale entries."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import CANONICAL, TODAY, edit

from persona_lint.baseline import fingerprint
from persona_lint.cli import main

PATH = "personas/backend-engineer.md"
BAD_VERSION = edit("| 1.0.0   |", "| 1.0     |")
UNMEASURABLE = ("Error rate < 0.1% for production traffic", "Error rate kept low")


def lint_cli(*args: str) -> Result:
    return CliRunner().invoke(main, ["--no-cache", *args], catch_exceptions=False)


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".persona-lint.toml").write_text(f'today = "{TODAY.isoformat()}"\n')
    (tmp_path / "personas").mkdir()
    Path(tmp_path / PATH).write_text(edit(*UNMEASURABLE, text=BAD_VERSION))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_write_baseline_records_everything_stably(tree: Path) -> None:
    result = lint_cli("--write-baseline", "baseline.json", "personas/")
    assert result.exit_code == 0
    assert result.stdout == (
        "wrote 2 baseline entries to baseline.json\n"
        "2 diagnostics hidden by the baseline baseline.json\n"
        "1 file checked: 0 errors, 0 warnings\n"
    )
    written = Path("baseline.json").read_text()
    assert json.loads(written) == {
        "version": 1,
        "tool": "persona-lint",
        "entries": [
            {
                "path": PATH,
                "code": "PL304",
                "fingerprint": fingerprint("PL304", "| 1.0     | 2025-07-11   | stable |", 0),
            },
            {
                "path": PATH,
                "code": "PL601",
                "fingerprint": fingerprint("PL601", "<metric>Error rate kept low</metric>", 0),
            },
        ],
    }
    assert written.endswith("}\n") and '\n  "entries": [\n    {\n' in written
    lint_cli("--write-baseline", "baseline.json", "personas/")
    assert Path("baseline.json").read_text() == written  # stable: same run, same bytes


def test_baselined_diagnostics_are_hidden(tree: Path) -> None:
    assert lint_cli("personas/").exit_code == 1
    lint_cli("--write-baseline", "baseline.json", "personas/")
    result = lint_cli("--baseline", "baseline.json", "personas/")
    assert result.exit_code == 0
    assert result.stdout == (
        "2 diagnostics hidden by the baseline baseline.json\n1 file checked: 0 errors, 0 warnings\n"
    )


def test_a_diagnostic_moved_by_inserted_lines_stays_baselined(tree: Path) -> None:
    lint_cli("--write-baseline", "baseline.json", "personas/")
    moved = (
        Path(PATH)
        .read_text()
        .replace("## Behavioral Characteristics", "## Behavioral Characteristics\n\nMore words.\n")
    )
    moved = moved.replace(
        "  <persona_identity>", "  <!-- a comment -->\n  <!-- and another -->\n  <persona_identity>"
    )
    Path(PATH).write_text(moved)
    result = lint_cli("--baseline", "baseline.json", "personas/")
    assert (result.exit_code, result.stdout.splitlines()[-1]) == (
        0,
        "1 file checked: 0 errors, 0 warnings",
    )


def test_a_new_diagnostic_fails(tree: Path) -> None:
    lint_cli("--write-baseline", "baseline.json", "personas/")
    Path(PATH).write_text(
        edit("# Backend Engineer Persona", "# Backend Dev Persona", Path(PATH).read_text())
    )
    result = lint_cli("--baseline", "baseline.json", "personas/")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{PATH}:5:3: error: title names 'Backend Dev' but persona_identity/name is 'Backend "
        "Engineer' (line 13) [PL402]",
        "2 diagnostics hidden by the baseline baseline.json",
        "1 file checked: 1 error, 0 warnings",
    ]


def test_a_fixed_diagnostic_is_reported_stale(tree: Path) -> None:
    lint_cli("--write-baseline", "baseline.json", "personas/")
    Path(PATH).write_text(edit(*UNMEASURABLE))  # the version is fixed
    result = lint_cli("--baseline", "baseline.json", "personas/")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "1 diagnostic hidden by the baseline baseline.json",
        f"baseline.json: stale entry {PATH} PL304: no longer reported (rewrite the baseline "
        "with --write-baseline)",
        "1 file checked: 0 errors, 0 warnings",
    ]


def test_an_entry_hidden_by_an_earlier_error_is_not_stale(tree: Path) -> None:
    lint_cli("--write-baseline", "baseline.json", "personas/")
    broken = edit("</perspective>", "</perspectiv>", Path(PATH).read_text())
    Path(PATH).write_text(broken)  # the block is no longer validated: PL601 cannot run
    result = lint_cli("--baseline", "baseline.json", "personas/")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].endswith("[PL201]")
    assert lines[1:] == [
        "1 diagnostic hidden by the baseline baseline.json",
        f"baseline.json: entry {PATH} PL601 not checked: the error PL201 in that file stops "
        "its check",
        "1 file checked: 1 error, 0 warnings",
    ]


def test_editing_the_offending_line_makes_it_new(tree: Path) -> None:
    lint_cli("--write-baseline", "baseline.json", "personas/")
    Path(PATH).write_text(edit("| 1.0     |", "| 1.1     |", Path(PATH).read_text()))
    result = lint_cli("--baseline", "baseline.json", "personas/")
    assert result.exit_code == 1
    assert [line.rsplit(" ", 1)[-1] for line in result.stdout.splitlines()[:2]] == [
        "[PL304]",
        "baseline.json",
    ]
    assert f"stale entry {PATH} PL304" in result.stdout


def test_equal_lines_are_told_apart_by_their_occurrence(tree: Path) -> None:
    tools = "<tool>Redis for caching and session management</tool>"
    twice = edit(
        tools, f"{tools}\n      <tool>{{caching tool}}</tool>\n      <tool>{{caching tool}}</tool>"
    )
    Path(PATH).write_text(twice)
    lint_cli("--write-baseline", "baseline.json", "personas/")
    thrice = edit(tools, f"{tools}\n      <tool>{{caching tool}}</tool>", twice)
    Path(PATH).write_text(thrice)
    result = lint_cli("--baseline", "baseline.json", "personas/")
    # The third equal line is new: its PL704 and PL901 are reported, the first two are not.
    assert result.stdout.splitlines()[:2] == [
        f"{PATH}:68:13: error: duplicate <tool> '{{caching tool}}' in <primary_tools> (first "
        "at line 66) [PL704]",
        f"{PATH}:68:13: warning: unfilled template placeholder '{{caching tool}}' [PL901]",
    ]


def test_paths_are_relative_to_the_baseline_file(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Path("ci").mkdir()
    lint_cli("--write-baseline", "ci/baseline.json", "personas/")
    assert {e["path"] for e in json.loads(Path("ci/baseline.json").read_text())["entries"]} == {
        f"../{PATH}"
    }
    monkeypatch.chdir(tree / "personas")
    result = lint_cli("--baseline", "../ci/baseline.json", "backend-engineer.md")
    assert result.exit_code == 0


def test_rewriting_keeps_entries_of_files_not_linted(tree: Path) -> None:
    other = "personas/other/backend-engineer.md"
    Path("personas/other").mkdir()
    Path(other).write_text(BAD_VERSION)
    lint_cli("--write-baseline", "baseline.json", "personas/")
    Path(PATH).write_text(CANONICAL)
    lint_cli("--write-baseline", "baseline.json", PATH)
    entries = json.loads(Path("baseline.json").read_text())["entries"]
    assert [(e["path"], e["code"]) for e in entries] == [(other, "PL304"), (other, "PL801")]


def test_stale_entries_of_files_not_linted_are_not_reported(tree: Path) -> None:
    lint_cli("--write-baseline", "baseline.json", "personas/")
    Path("elsewhere.md").write_text(CANONICAL)
    result = lint_cli("--baseline", "baseline.json", "elsewhere.md")
    assert "stale" not in result.stdout


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "baseline.json: no such baseline file"),
        ("{", "baseline.json: cannot read the baseline: "),
        (
            '{"version": 2, "entries": []}',
            "baseline.json: not a persona-lint baseline of version 1",
        ),
        ('{"version": 1, "entries": [{"path": 1}]}', "baseline.json: each entry needs path"),
    ],
)
def test_a_bad_baseline_is_a_usage_error(tree: Path, content: str | None, message: str) -> None:
    if content is not None:
        Path("baseline.json").write_text(content)
    result = lint_cli("--baseline", "baseline.json", "personas/")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"persona-lint: error: {message}")


def test_a_baseline_never_hides_a_file_that_could_not_be_checked(tree: Path) -> None:
    # The pull request controls the baseline: an entry for PL002 (or any code saying the
    # file was not checked) must not turn a binary file into a pass.
    Path(PATH).write_bytes(b"\x89PNG\r\n\x1a\n not a persona")
    forged = {
        "version": 1,
        "tool": "persona-lint",
        "entries": [{"path": PATH, "code": "PL002", "fingerprint": fingerprint("PL002", "", 0)}],
    }
    Path("baseline.json").write_text(json.dumps(forged))
    result = lint_cli("--baseline", "baseline.json", "--output-format", "concise", "personas/")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == (
        f"{PATH}:1:1: error: this is a PNG image, not a UTF-8 text file [PL002]"
    )
    assert "stale" not in result.stdout
    written = lint_cli("--write-baseline", "rewritten.json", "personas/")
    assert written.exit_code == 1
    assert json.loads(Path("rewritten.json").read_text())["entries"] == []
