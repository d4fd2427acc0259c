"""The command line, run as a real subprocess: output, summary and exit codes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from conftest import CANONICAL, PERSONAS, ROOT, SHARED, cli, cli_process, edit, needs_shared

EXE = [sys.executable, "-m", "persona_lint"]


def run(
    *args: str | Path, cwd: Path = ROOT, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """persona-lint ARGS in ``cwd``, in this process (conftest.cli), NO_COLOR unset unless
    ``env`` sets it."""
    return cli(*args, cwd=cwd, env={"NO_COLOR": None, **(env or {})})


def test_personas_lint_clean() -> None:
    result = run("personas/")
    assert result.returncode == 0, result.stdout
    assert result.stdout == "7 files checked: 0 errors, 0 warnings\n"


def test_error_output_and_exit_code(tmp_path: Path) -> None:
    bad = tmp_path / "backend-engineer.md"
    bad.write_text(edit("</perspective>", "</perspectiv>").replace("| 1.0.0   |", "| 1.0     |"))
    result = run(bad)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"{bad}:3:3: error: version '1.0' is not SemVer (MAJOR.MINOR.PATCH) [PL304]",
        f"{bad}:16:90: error: closing tag </perspectiv> does not match <perspective> opened "
        "at line 16, column 5 [PL201]",
        "1 file checked: 2 errors, 0 warnings",
    ]


def test_warnings_alone_exit_zero(tmp_path: Path) -> None:
    (tmp_path / "backend.md").write_text(CANONICAL)
    result = run(tmp_path)
    assert result.returncode == 0
    assert result.stdout.splitlines()[-1] == "1 file checked: 0 errors, 1 warning"


def test_walk_skips_non_personas_and_counts_them(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("# Project\n\nNot a persona.\n")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.md").write_text("broken")
    (tmp_path / "node_modules").mkdir()
    (tmp_path / "node_modules" / "y.md").write_text("broken")
    (tmp_path / "backend-engineer.md").write_text(CANONICAL)
    result = run(tmp_path)
    assert result.returncode == 0
    assert (
        result.stdout == "1 file checked, 1 skipped (of no format checked): 0 errors, 0 warnings\n"
    )


def test_named_non_persona_gets_one_diagnostic(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("# Project\n")
    result = run(readme)
    assert result.returncode == 1
    assert result.stdout.splitlines()[0] == (
        f"{readme}:1:1: error: not a persona document or a BMAD agent definition: no version "
        "table, no '# <Name> Persona' title and no <persona_context> block; no <agent> block "
        "[PL100]"
    )


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    result = run(tmp_path / "nope.md")
    assert result.returncode == 2
    assert "no such file or folder" in result.stderr
    assert run("--bogus-option").returncode == 2


def test_version_and_help() -> None:
    from persona_lint import __version__

    assert run("--version").stdout.strip() == f"persona-lint, version {__version__}"
    help_text = run("--help").stdout
    assert "Examples:" in help_text and "explain" in help_text


def test_console_script_matches_python_m(tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "persona-lint"
    if not script.exists():
        pytest.skip("console script not installed in this environment")
    bad = tmp_path / "x.md"
    bad.write_text(edit("| 1.0.0   |", "| 1.0     |"))
    a = cli_process(bad, cwd=ROOT)
    b = subprocess.run([str(script), str(bad)], capture_output=True, text=True, check=False)
    assert (a.returncode, a.stdout, a.stderr) == (b.returncode, b.stdout, b.stderr)


def test_color_only_when_asked_and_never_with_no_color(tmp_path: Path) -> None:
    bad = tmp_path / "x.md"
    bad.write_text(edit("| 1.0.0   |", "| 1.0     |"))
    assert "\x1b[" not in run(bad).stdout  # not a terminal
    assert "\x1b[" in run("--color", bad).stdout
    assert "\x1b[" not in run(bad, env={"NO_COLOR": "1"}).stdout


def on_a_terminal(path: Path, **env: str) -> str:
    """The output of linting ``path`` with standard output on a pseudo-terminal."""
    import pty

    controller, terminal = pty.openpty()
    full_env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TERM")}
    with subprocess.Popen(
        [*EXE, "--no-cache", "--isolated", str(path)],
        stdout=terminal,
        stderr=subprocess.DEVNULL,
        env={**full_env, "TERM": "xterm", **env},
    ) as process:
        os.close(terminal)
        chunks = []
        while True:
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # the terminal closed when the process ended
                break
            if not chunk:
                break
            chunks.append(chunk)
        process.wait(timeout=60)
    os.close(controller)
    return b"".join(chunks).decode()


def test_colour_on_a_terminal_unless_no_color_or_a_dumb_terminal(tmp_path: Path) -> None:
    bad = tmp_path / "x.md"
    bad.write_text(edit("| 1.0.0   |", "| 1.0     |"))
    assert "\x1b[" in on_a_terminal(bad)
    assert "\x1b[" not in on_a_terminal(bad, TERM="dumb")
    assert "\x1b[" not in on_a_terminal(bad, NO_COLOR="1")


def test_rules_and_explain() -> None:
    from persona_lint.rules import all_rules

    listing = run("rules").stdout.splitlines()
    assert [line.split()[0] for line in listing[1:]] == [r.code for r in all_rules()]
    explained = run("explain", "version-semver")
    assert explained.returncode == 0
    assert explained.stdout.startswith("PL304 (version-semver)\n")
    assert run("explain", "PL999").returncode == 2


def test_export_prints_strict_xml_accepted_by_xmllint(tmp_path: Path) -> None:
    """Every block `export` prints for personas/ validates with xmllint (or libxml2)."""
    from xml.etree import ElementTree

    schemas = ROOT / "schemas"
    for persona in sorted(PERSONAS.glob("*.md")):
        out = tmp_path / persona.stem
        result = run("export", persona, "--output-dir", out)
        assert result.returncode == 0, result.stderr
        exported = sorted(out.iterdir())
        assert [p.name.split(".")[1] for p in exported] == ["1", "2"]
        for target in exported:
            root = ElementTree.parse(target).getroot()  # strictly well-formed
            if root.tag == "persona_context":
                schema = schemas / "persona.xsd"
            else:
                schema = tmp_path / f"{root.tag}.xsd"
                schema.write_text(
                    '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">'
                    f'<xs:include schemaLocation="{schemas / "behavior.xsd"}"/>'
                    f'<xs:element name="{root.tag}" type="BehaviorType"/></xs:schema>'
                )
            _xmllint(schema, target)


def test_export_to_standard_output() -> None:
    result = run("export", PERSONAS / "backend-engineer.md")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0] == f"<!-- {PERSONAS / 'backend-engineer.md'}:10 -->"
    assert lines[5] == (
        "    <expertise_domain>Server-Side Development &amp; API Architecture</expertise_domain>"
    )
    assert f"<!-- {PERSONAS / 'backend-engineer.md'}:179 -->" in lines


def _xmllint(schema: Path, document: Path) -> None:
    import shutil

    if shutil.which("xmllint"):
        result = subprocess.run(
            ["xmllint", "--noout", "--nonet", "--schema", str(schema), str(document)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stderr
    else:  # libxml2 through lxml: the same validator
        from lxml import etree

        xsd = etree.XMLSchema(etree.parse(str(schema)))
        assert xsd.validate(etree.parse(str(document))), xsd.error_log


@needs_shared
def test_real_corpus() -> None:
    corpus = SHARED / "corpus"
    clean = run("--format", "concise", corpus / "persona-context")
    assert clean.returncode == 0, clean.stdout
    assert ": error:" not in clean.stdout
    for compact in sorted((corpus / "compact-layout").glob("*.md")):
        result = run(compact)
        assert result.returncode == 1
        assert 1 <= result.stdout.count(": error:") <= 3
    whole = run(corpus)
    assert whole.returncode == 1
    assert "Traceback" not in whole.stdout + whole.stderr
    # Files that quote BMAD agents without being one are skipped when walked; the BMAD agent
    # among not-personas/ is a document of the bmad-agent format now (issue 21).
    assert "bmad-not-agents/" not in whole.stdout
    assert "not-personas/bmad-agent-architect.md:18:15: error:" in whole.stdout
    assert run(SHARED / "reference" / "backend-engineer.md").returncode == 0


def test_snippets_pin_a_commit_that_exists() -> None:
    """The pre-commit and Actions snippets name a revision users can fetch: no tag exists
    yet (see the README's Releases), so each pins a full commit SHA of this repository."""
    import re

    pins: list[str] = []
    for page in ["README.md", "docs/ci.md", "docs/change-aware.md"]:
        text = (ROOT / page).read_text(encoding="utf-8")
        pins += re.findall(r"^ +rev: (\S+)", text, re.MULTILINE)
        pins += re.findall(r"uses: persona-lint/persona-lint@(\S+)", text)
    assert len(pins) >= 5
    git = ["git", "-C", str(ROOT), "-c", "core.fsmonitor=false"]
    if subprocess.run([*git, "rev-parse"], capture_output=True, check=False).returncode:
        pytest.skip("not a git checkout")
    for pin in pins:
        assert re.fullmatch(r"[0-9a-f]{40}", pin), pin
        found = subprocess.run(
            [*git, "cat-file", "-e", f"{pin}^{{commit}}"], capture_output=True, check=False
        )
        assert found.returncode == 0, f"{pin} is not a commit of this repository"


def test_missing_path_among_valid_ones_lints_the_rest(tmp_path: Path) -> None:
    bad = tmp_path / "backend-engineer.md"
    bad.write_text(edit("| 1.0.0   |", "| 1.0     |"))
    result = run("--no-cache", "--isolated", bad, tmp_path / "nope.md")
    assert result.returncode == 2
    assert result.stderr == f"persona-lint: error: no such file or folder: {tmp_path / 'nope.md'}\n"
    assert result.stdout.splitlines() == [
        f"{bad}:3:3: error: version '1.0' is not SemVer (MAJOR.MINOR.PATCH) [PL304]",
        "1 file checked: 1 error, 0 warnings",
    ]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["chek"], "no such command 'chek'; did you mean 'check'?"),
        (["rule"], "no such command 'rule'; did you mean 'rules'?"),
        (
            ["explain", "version-semvr"],
            "unknown rule 'version-semvr'; did you mean 'version-semver'?",
        ),
        (["explain", "PL3O4"], "unknown rule 'PL3O4'; did you mean 'PL304'?"),
    ],
)
def test_mistyped_command_or_rule_gets_a_suggestion(
    tmp_path: Path, arguments: list[str], message: str
) -> None:
    result = run(*arguments, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == f"Error: {message}"


def test_a_path_named_like_a_command_is_linted(tmp_path: Path) -> None:
    (tmp_path / "chek").mkdir()
    result = run("--no-cache", "--isolated", "chek", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, "0 files checked: 0 errors, 0 warnings\n")


def test_top_level_help_points_at_the_lint_options() -> None:
    result = run("--help")
    assert result.returncode == 0
    text = " ".join(result.stdout.split())
    assert "runs `check` on the paths given, or on `.` when none is" in text
    assert "`persona-lint check --help` lists its options" in text


def test_every_option_of_every_command_has_help() -> None:
    from persona_lint.cli import main

    missing = [
        f"{name} {' / '.join(parameter.opts)}"
        for name, command in main.commands.items()
        for parameter in command.params
        if isinstance(parameter, click.Option) and not parameter.help
    ]
    assert missing == []


def test_rules_listing_has_a_header_for_every_column() -> None:
    lines = run("rules").stdout.splitlines()
    assert lines[0].split() == ["code", "name", "severity", "flags", "summary"]
    assert any(line.startswith("PL001  internal-error ") for line in lines[1:])


def test_a_run_returns_its_result_and_prints_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The engine returns what the run gave; only the command line prints (issue 17)."""
    from persona_lint.engine.run import RunOptions
    from persona_lint.engine.run import run as run_lint

    (tmp_path / "backend-engineer.md").write_text(edit("| 1.0.0   |", "| 1.0     |"))
    monkeypatch.chdir(tmp_path)
    paths = (Path("backend-engineer.md"), Path("missing.md"))
    outcome = run_lint(RunOptions(paths=paths, cache_dir=None, isolated=True))
    assert capsys.readouterr() == ("", "")
    assert outcome.error is None
    assert outcome.missing == [Path("missing.md")]
    assert outcome.results is not None
    found = [(d.code, d.line, d.column) for r in outcome.results for d in r.diagnostics]
    assert found == [("PL304", 3, 3)]
