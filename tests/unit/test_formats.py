"""Formats (issue 21): detection per file, the ``formats`` key, reports, the scaffold.

Real files are read from ../shared/corpus (never copied into the repository).
"""

from __future__ import annotations

import datetime
import json
import subprocess
import sys
from pathlib import Path

import pytest
from cases import CASES_DIR, load_file
from conftest import SETTINGS, SHARED, cli, lint, needs_shared, triples

from persona_lint.document.model import parse_document
from persona_lint.engine.lint import lint_source
from persona_lint.formats import PERSONA, detect, get_format
from persona_lint.formats.bmad import BMAD_AGENT
from persona_lint.formats.bmad_scaffold import agent_skeleton
from persona_lint.formats.names import FORMAT_NAMES

BMAD = SHARED / "corpus" / "bmad"
NOT_AGENTS = SHARED / "corpus" / "bmad-not-agents"
AGENT = BMAD / "iamtyroon__Procureline" / "_bmad" / "bmm" / "agents" / "analyst.md"
BUNDLE = NOT_AGENTS / "bruce827__PPA" / ".qwen__commands__BMad__QWEN.md"
STORY = (
    NOT_AGENTS
    / "amalik__convoke-agents"
    / "_bmad-output___archive__phase-1__4-1-design-noahs-agent-definition-persona.md"
)


def _detected(path: Path) -> str | None:
    document = parse_document(str(path), path.read_text(encoding="utf-8"))
    found = detect(document).format
    return found.name if found else None


def test_the_format_table_and_its_names_agree() -> None:
    assert tuple(known.name for name in FORMAT_NAMES if (known := get_format(name))) == FORMAT_NAMES
    assert get_format("bmad-agent") is BMAD_AGENT
    assert BMAD_AGENT.owns("BM301") and not BMAD_AGENT.owns("PL301")
    assert not PERSONA.owns("PLX1")


@needs_shared
def test_every_real_agent_is_detected_as_bmad_and_every_non_agent_is_not() -> None:
    agents = [p for p in BMAD.rglob("*.md") if p.name != "README.md"]
    assert len(agents) == 533
    assert {_detected(p) for p in agents} == {"bmad-agent"}
    others = list(NOT_AGENTS.rglob("*.md"))
    assert len(others) == 41
    assert {_detected(p) for p in others} == {None}


@needs_shared
def test_a_walked_non_agent_is_skipped_and_a_named_one_gets_one_pl100() -> None:
    walked = lint_source(str(BUNDLE), BUNDLE.read_bytes(), SETTINGS, explicit=False)
    assert walked.skipped and walked.diagnostics == ()
    named = lint(BUNDLE.read_text(encoding="utf-8"), str(BUNDLE))
    assert triples(named.diagnostics) == [("PL100", 1, 1)]
    assert "not a persona document or a BMAD agent definition: it holds 17 <agent> blocks" in (
        named.diagnostics[0].message
    )
    # A story titled "... Persona" that quotes an agent is not a persona document either.
    story = lint_source(str(STORY), STORY.read_bytes(), SETTINGS, explicit=False)
    assert story.skipped


def test_ignoring_bm200_never_passes_an_agent_no_rule_read(tmp_path: Path) -> None:
    """BM200 says the agent was not checked: like PL100, no selection hides it."""
    _, cases = load_file(CASES_DIR / "BM200.toml")
    case = next(c for c in cases if c.name == "bm200-agent-in-yaml-fence")
    (tmp_path / "pm.md").write_text(case.spec["document"].lstrip("\n"), encoding="utf-8")
    for selection in (["--ignore", "BM200"], ["--ignore", "BM"], ["--select", "BM3"]):
        result = cli("--no-cache", "--output-format", "concise", *selection, "pm.md", cwd=tmp_path)
        assert result.returncode == 1, (selection, result.stdout)
        assert "[BM200]" in result.stdout


def test_an_agent_wrapped_in_another_root_is_no_agent() -> None:
    """No rule reads an <agent> inside <bundle>: checking it would pass it unread."""
    text = (
        '---\nname: "pm"\ndescription: "PM"\n---\n\nYou must embody this agent.\n\n'
        '```xml\n<bundle>\n<agent id="pm" name="J" title="PM" icon="x"><bogus/></agent>\n'
        "</bundle>\n```\n"
    )
    named = lint(text, "pm.md")
    assert [(d.code, d.message) for d in named.diagnostics] == [
        (
            "PL100",
            "not a persona document or a BMAD agent definition: its ```xml block's root is "
            "<bundle>, not <agent>",
        )
    ]
    assert lint_source("pm.md", text, SETTINGS, explicit=False).skipped


@needs_shared
def test_the_formats_setting_restricts_detection() -> None:
    text = AGENT.read_text(encoding="utf-8")
    assert lint(text, str(AGENT)).format == "bmad-agent"
    only_personas = lint(text, str(AGENT), formats=("persona",))
    assert only_personas.format is None
    assert triples(only_personas.diagnostics) == [("PL100", 1, 1)]


@needs_shared
def test_json_and_sarif_say_which_format_a_file_was_checked_as(tmp_path: Path) -> None:
    done = cli("--output-format", "json", "--no-cache", AGENT, "personas/qa-engineer.md", cwd=ROOT)
    report = json.loads(done.stdout)
    formats = {Path(entry["path"]).name: entry["format"] for entry in report["files"]}
    assert formats == {"analyst.md": "bmad-agent", "qa-engineer.md": "persona"}
    sarif = json.loads(cli("--output-format", "sarif", "--no-cache", AGENT, cwd=ROOT).stdout)
    artifacts = sarif["runs"][0]["artifacts"]
    assert [a["properties"]["format"] for a in artifacts] == ["bmad-agent"]


def test_an_unknown_format_in_configuration_is_an_error(tmp_path: Path) -> None:
    (tmp_path / ".persona-lint.toml").write_text('formats = ["persona", "bmad-agnet"]\n')
    (tmp_path / "x.md").write_text("# X\n")
    done = cli("x.md", cwd=tmp_path)
    assert done.returncode == 2
    assert "unknown format 'bmad-agnet' in 'formats'; did you mean 'bmad-agent'?" in done.stderr


def test_new_bmad_agent_lints_clean(tmp_path: Path) -> None:
    made = cli("new", "--format", "bmad-agent", "Release Manager", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    written = tmp_path / "release-manager.md"
    assert made.stdout.strip() == f"created {Path('.') / 'release-manager.md'}"
    checked = cli("--output-format", "json", "--no-cache", written, cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout
    report = json.loads(checked.stdout)
    assert report["files"][0]["format"] == "bmad-agent"
    assert report["files"][0]["diagnostics"] == []


@pytest.mark.parametrize("name", ["A<b", "  ", 'Say "hi"'])
def test_new_bmad_agent_refuses_names_that_break_the_file(tmp_path: Path, name: str) -> None:
    made = cli("new", "--format", "bmad-agent", name, cwd=tmp_path)
    assert made.returncode == 2
    assert made.stderr.startswith("persona-lint: error: cannot use")
    assert list(tmp_path.iterdir()) == []


ROOT = Path(__file__).resolve().parents[2]


AGENT_BODY = (
    "\n```xml\n"
    '<agent id="pm.agent.yaml" name="John" title="PM" icon="📋">\n'
    '<activation critical="MANDATORY"><step n="1">Load</step></activation>\n'
    "<persona><role>r</role><identity>i</identity><communication_style>c"
    "</communication_style><principles>p</principles></persona>\n"
    "</agent>\n```\n"
)


def _front_matter_codes(front: str) -> list[tuple[str, int, int]]:
    result = lint(f"---\n{front}\n---\n{AGENT_BODY}", "pm.md")
    assert result.format == "bmad-agent"
    return triples(result.diagnostics)


def test_hostile_front_matter_is_one_diagnostic_never_a_crash_or_a_blow_up() -> None:
    laughs = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for level in "bcdefghi":
        previous = chr(ord(level) - 1)
        laughs.append(f"{level}: &{level} [" + ", ".join([f"*{previous}"] * 10) + "]")
    laughs += ["name: *i", 'description: "PM"']
    # str() of name would build 10**9 items: it is reported as not text instead.
    assert _front_matter_codes("\n".join(laughs)) == [("BM102", 2, 1)]
    assert _front_matter_codes("name: " + "[" * 5000 + "]" * 5000) == [("BM101", 2, 1)]
    huge = 'name: "pm"\ndescription: "' + "x" * 70_000 + '"'
    assert _front_matter_codes(huge) == [("BM101", 2, 1)]


CLEAN_AGENT = agent_skeleton("Release Manager", datetime.date(2026, 1, 1))


def _checked_formats(result: subprocess.CompletedProcess[str]) -> dict[str, str | None]:
    """File path -> the format it was checked as (None: skipped), from ``--format json``."""
    report = json.loads(result.stdout)
    return {entry["path"]: entry.get("format") for entry in report["files"]}


def _agent_project(root: Path) -> None:
    """An agent and its backup copy, the way BMAD installs keep them."""
    for folder in ("_bmad/agents", "_bmad/backups"):
        (root / folder).mkdir(parents=True)
        (root / folder / "release-manager.md").write_text(CLEAN_AGENT, encoding="utf-8")


def test_the_folders_a_checkout_lives_in_never_mark_its_agents_as_copies(tmp_path: Path) -> None:
    """A checkout in ``bmad-templates/`` was walked as a template copy: nothing checked, exit 0."""
    project = tmp_path / "bmad-templates" / "project"
    _agent_project(project)
    walked = cli("--no-cache", "--format", "json", project, cwd=tmp_path)
    assert walked.returncode == 0, walked.stderr
    formats = _checked_formats(walked)
    assert formats[str(project / "_bmad/agents/release-manager.md")] == "bmad-agent"
    assert formats[str(project / "_bmad/backups/release-manager.md")] is None  # a copy
    # Named from inside the project, only the path below the working directory counts.
    named = cli("--no-cache", project / "_bmad/agents/release-manager.md", cwd=project)
    assert named.returncode == 0, named.stdout
    assert "1 file checked (1 bmad-agent)" in named.stdout


def test_a_folder_of_copies_named_on_the_command_line_is_checked(tmp_path: Path) -> None:
    """Only the path below the named folder counts, and the cache keeps the two runs apart."""
    _agent_project(tmp_path)
    backup = "_bmad/backups/release-manager.md"
    for run in range(2):  # the second run is served from the cache
        whole = _checked_formats(cli("--format", "json", ".", cwd=tmp_path))
        assert whole[backup] is None, run
        backups = _checked_formats(cli("--format", "json", "_bmad/backups/", cwd=tmp_path))
        assert backups[backup] == "bmad-agent", run


def test_a_named_agent_is_judged_by_its_path_inside_its_repository(tmp_path: Path) -> None:
    """Named from above the checkout, or through standard input, as from inside it."""
    project = tmp_path / "bmad-templates" / "project"
    _agent_project(project)
    (project / ".git").mkdir()  # the repository's root: places are measured from there
    agent = project / "_bmad/agents/release-manager.md"
    for cwd in (tmp_path, project):
        named = cli("--no-cache", "--skip-non-personas", agent, cwd=cwd)
        assert (named.returncode, named.stdout.splitlines()[-1]) == (
            0,
            "1 file checked (1 bmad-agent): 0 errors, 0 warnings",
        ), cwd
    piped = subprocess.run(
        [sys.executable, "-m", "persona_lint", "--no-cache", "--skip-non-personas", "-",
         "--stdin-filename", str(agent)],
        cwd=tmp_path, input=CLEAN_AGENT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert piped.stdout.splitlines()[-1] == "1 file checked (1 bmad-agent): 0 errors, 0 warnings"
    backup = cli("--no-cache", project / "_bmad/backups/release-manager.md", cwd=tmp_path)
    assert "its path marks it as a backup" in backup.stdout  # a copy inside the project
