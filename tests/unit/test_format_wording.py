"""Messages about documents in general say what is true of every format (issue 21 follow-up).

A run of BMAD agents that skips a plain Markdown file, a DOCTYPE in an ``<agent>`` block
(BM202) and a named file of no format (PL100) were worded as if every document were a
persona document.
"""

from __future__ import annotations

import sys
from pathlib import Path

from conftest import ROOT, cli

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

# A whole BMAD agent with a DOCTYPE (BM202 at 9:1), from the rule's own data cases.
AGENT_WITH_DOCTYPE = tomllib.loads((ROOT / "tests/rules/BM202.toml").read_text("utf-8"))["case"][0][
    "document"
].lstrip("\n")
AGENT = AGENT_WITH_DOCTYPE.replace("<!DOCTYPE agent>\n", "")


def test_the_summary_of_a_bmad_run_does_not_call_skipped_files_non_personas(
    tmp_path: Path,
) -> None:
    (tmp_path / "pm.md").write_text(AGENT, encoding="utf-8")
    (tmp_path / "notes.md").write_text("# Notes\n\nplain text\n", encoding="utf-8")
    result = cli("--no-cache", ".", cwd=tmp_path)
    assert (result.returncode, result.stdout.splitlines()[-1]) == (
        0,
        "1 file checked (1 bmad-agent), 1 skipped (of no format checked): 0 errors, 0 warnings",
    ), result.stderr


def test_a_doctype_in_an_agent_block_is_not_said_to_be_in_a_persona_document(
    tmp_path: Path,
) -> None:
    (tmp_path / "pm.md").write_text(AGENT_WITH_DOCTYPE, encoding="utf-8")
    result = cli("--no-cache", "--output-format", "concise", "pm.md", cwd=tmp_path)
    assert result.stdout.splitlines()[0] == (
        "pm.md:9:1: error: DOCTYPE declarations are not allowed in an XML block (DTDs and "
        "entities are never processed) [BM202]"
    ), result.stderr


def test_a_named_file_of_no_format_names_every_format_it_is_not(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text("# Notes\n", encoding="utf-8")
    result = cli("--no-cache", "--output-format", "concise", "notes.md", cwd=tmp_path)
    assert result.stdout.splitlines()[0] == (
        "notes.md:1:1: error: not a persona document or a BMAD agent definition: no version "
        "table, no '# <Name> Persona' title and no <persona_context> block; no <agent> "
        "block [PL100]"
    )
    (tmp_path / ".persona-lint.toml").write_text('formats = ["persona"]\n', encoding="utf-8")
    result = cli("--no-cache", "--output-format", "concise", "notes.md", cwd=tmp_path)
    assert result.stdout.splitlines()[0] == (
        "notes.md:1:1: error: not a persona document: no version table, no '# <Name> Persona' "
        "title and no <persona_context> block [PL100]"
    )


def test_a_named_file_of_no_format_names_the_team_formats_too(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text("# Notes\n", encoding="utf-8")
    (tmp_path / ".persona-lint.toml").write_text(
        '[team-formats.acme-runbook]\nroot = "runbook"\ncode-prefix = "ACME"\n', encoding="utf-8"
    )
    result = cli("--no-cache", "--output-format", "concise", "notes.md", cwd=tmp_path)
    assert result.stdout.splitlines()[0] == (
        "notes.md:1:1: error: not a persona document or a BMAD agent definition or a document "
        "of format 'acme-runbook': no version table, no '# <Name> Persona' title and no "
        "<persona_context> block; no <agent> block; no <runbook> block [PL100]"
    ), result.stderr
    (tmp_path / ".persona-lint.toml").write_text(
        'formats = ["acme-runbook"]\n[team-formats.acme-runbook]\nroot = "runbook"\n'
        'code-prefix = "ACME"\n',
        encoding="utf-8",
    )
    result = cli("--no-cache", "--output-format", "concise", "notes.md", cwd=tmp_path)
    assert result.stdout.splitlines()[0] == (
        "notes.md:1:1: error: not a document of format 'acme-runbook': no <runbook> block [PL100]"
    ), result.stderr
