"""persona-lint new NAME: the skeleton lints with exactly its placeholder warnings, and
with nothing once every placeholder is filled in."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import TODAY, lint

from persona_lint.cli import main
from persona_lint.document.placeholders import PLACEHOLDER
from persona_lint.scaffold import ScaffoldError, skeleton, slug_for

NAMES = {
    "Site Reliability Engineer": "site-reliability-engineer",
    "iOS Engineer": "ios-engineer",
    "Cross-Platform Mobile Engineer": "cross-platform-mobile-engineer",
    "C++ Systems Engineer": "c-systems-engineer",
    "Data/ML Platform Lead": "data-ml-platform-lead",
}
PLACEHOLDERS = 57  # in every skeleton: the name appears in none of them


def command(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def fill(text: str) -> str:
    """Replace every placeholder with real text: a measurable metric in <metric>, a sentence
    elsewhere (each one different, so no list holds the same item twice)."""
    counter = itertools.count(1)

    def replace(match: re.Match[str]) -> str:
        number = next(counter)
        line_start = text.rfind("\n", 0, match.start()) + 1
        if "<metric>" in text[line_start : match.start()]:
            return f"Response time < {100 + number}ms"
        return f"Concrete practice number {number} for this role"

    return PLACEHOLDER.sub(replace, text)


@pytest.mark.parametrize(("name", "slug"), list(NAMES.items()))
def test_skeleton_has_only_placeholder_warnings(name: str, slug: str) -> None:
    assert slug_for(name) == slug
    found = lint(skeleton(name, TODAY), f"personas/{slug}.md").diagnostics
    assert found
    assert {d.code for d in found} == {"PL901"}
    assert len(found) == PLACEHOLDERS
    assert not any(d.is_error for d in found)


@pytest.mark.parametrize(("name", "slug"), list(NAMES.items()))
def test_filled_skeleton_lints_clean(name: str, slug: str) -> None:
    filled = fill(skeleton(name, TODAY))
    assert PLACEHOLDER.search(filled) is None
    assert lint(filled, f"personas/{slug}.md").diagnostics == ()


def test_identity_is_consistent_everywhere() -> None:
    text = skeleton("iOS Engineer", TODAY)
    lines = text.split("\n")
    assert lines[:3] == [
        "| version | last_updated | status |",
        "|---------|--------------|--------|",
        "| 0.1.0   | 2026-11-26   | draft  |",
    ]
    assert "# iOS Engineer Persona" in lines
    assert '<persona_context active="ios-engineer">' in lines
    assert "    <name>iOS Engineer</name>" in lines
    assert "<ios_engineer_behavior>" in lines and "</ios_engineer_behavior>" in lines
    assert lines[-2] == (
        "**Usage**: {when to apply this persona}, or explicitly via `--persona ios-engineer`."
    )
    assert text.endswith("\n") and not text.endswith("\n\n")


def test_new_writes_the_file_and_refuses_to_overwrite(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path(".persona-lint.toml").write_text(f'today = "{TODAY.isoformat()}"\n')
    result = command("new", "Site Reliability Engineer", "--dir", "personas/")
    assert (result.exit_code, result.stdout) == (
        0,
        "created personas/site-reliability-engineer.md\n",
    )
    written = Path("personas/site-reliability-engineer.md").read_text(encoding="utf-8")
    assert written == skeleton("Site Reliability Engineer", TODAY)
    checked = command("--no-cache", "personas/")
    assert checked.exit_code == 0
    assert checked.stdout.splitlines()[-1] == f"1 file checked: 0 errors, {PLACEHOLDERS} warnings"
    Path("personas/site-reliability-engineer.md").write_text("mine")
    again = command("new", "Site Reliability Engineer", "--dir", "personas")
    assert again.exit_code == 2
    assert again.stderr == (
        "persona-lint: error: personas/site-reliability-engineer.md already exists; "
        "not overwritten\n"
    )
    assert Path("personas/site-reliability-engineer.md").read_text() == "mine"


def test_new_defaults_to_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert command("new", "iOS Engineer").stdout == "created ios-engineer.md\n"
    assert Path("ios-engineer.md").is_file()


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "cannot use '' as a persona name"),
        ("<script>", "cannot use '<script>' as a persona name"),
        ("{role}", "cannot use '{role}' as a persona name"),
        ("3D Artist", "its slug '3d-artist' must start with a letter"),
        ("Backend Engineer Persona", "leave 'Persona' out of the name"),
    ],
)
def test_unusable_names(tmp_path: Path, name: str, message: str) -> None:
    with pytest.raises(ScaffoldError, match=re.escape(message)):
        slug_for(name)
    result = command("new", name, "--dir", str(tmp_path))
    assert result.exit_code == 2
    assert message in result.stderr
    assert list(tmp_path.iterdir()) == []
