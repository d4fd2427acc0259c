"""Issue 21: BM rules through the tools users have, unchanged from PL rules.

The real CLI (select, suppression comments, baselines, cache, SARIF against the SARIF
2.1.0 schema, ``config``) and the real language server, on a BMAD agent with one defect.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import jsonschema
import pytest
from conftest import SHARED, cli
from lsp.client import start_client, stop_client

from persona_lint.formats.bmad_scaffold import agent_skeleton

CLEAN = agent_skeleton("Release Manager", datetime.date(2026, 1, 1))
# One BM301 at line 12, column 44: an install-time placeholder.
PLACEHOLDER = CLEAN.replace(
    "{project-root}/_bmad/config.yaml", "{project-root}/{bmad_folder}/config.yaml"
)
SARIF_SCHEMA = SHARED / "schemas" / "sarif-schema-2.1.0.json"


def _write(folder: Path, text: str) -> Path:
    path = folder / "release-manager.md"
    path.write_text(text, encoding="utf-8")
    return path


def test_placeholder_fixture_has_one_defect() -> None:
    assert PLACEHOLDER != CLEAN


def test_select_ignore_and_suppression_comments_work_for_bm_codes(tmp_path: Path) -> None:
    _write(tmp_path, PLACEHOLDER)
    found = cli("--no-cache", "release-manager.md", cwd=tmp_path)
    assert found.returncode == 1
    assert "release-manager.md:12:44: error: {bmad_folder} is an install-time" in found.stdout
    assert cli("--no-cache", "--ignore", "BM3", "release-manager.md", cwd=tmp_path).returncode == 0
    assert cli("--no-cache", "--select", "PL", "release-manager.md", cwd=tmp_path).returncode == 0
    suppressed = PLACEHOLDER.replace(
        "```xml\n", "<!-- persona-lint: disable-file unresolved-placeholder -->\n\n```xml\n"
    )
    _write(tmp_path, suppressed)
    quiet = cli("--no-cache", "release-manager.md", cwd=tmp_path)
    assert quiet.returncode == 0, quiet.stdout


def test_baseline_and_cache_keep_bm_diagnostics(tmp_path: Path) -> None:
    _write(tmp_path, PLACEHOLDER)
    wrote = cli("--write-baseline", "base.json", "release-manager.md", cwd=tmp_path)
    assert wrote.returncode == 0, wrote.stderr
    assert "BM301" in (tmp_path / "base.json").read_text(encoding="utf-8")
    hidden = cli("--baseline", "base.json", "release-manager.md", cwd=tmp_path)
    assert hidden.returncode == 0, hidden.stdout
    env_cache = ["--cache-dir", str(tmp_path / "cache")]
    first = cli(*env_cache, "--output-format", "json", "release-manager.md", cwd=tmp_path)
    second = cli(*env_cache, "--output-format", "json", "release-manager.md", cwd=tmp_path)
    assert json.loads(first.stdout)["files"] == json.loads(second.stdout)["files"]
    assert json.loads(second.stdout)["files"][0]["format"] == "bmad-agent"


def test_sarif_of_a_bmad_run_is_valid_and_names_the_format(tmp_path: Path) -> None:
    if not SARIF_SCHEMA.is_file():
        pytest.skip(f"the SARIF 2.1.0 schema is absent: {SARIF_SCHEMA}")
    _write(tmp_path, PLACEHOLDER)
    done = cli("--no-cache", "--output-format", "sarif", "release-manager.md", cwd=tmp_path)
    log = json.loads(done.stdout)
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(log)
    (run,) = log["runs"]
    assert [a["properties"]["format"] for a in run["artifacts"]] == ["bmad-agent"]
    assert [r["ruleId"] for r in run["results"]] == ["BM301"]


def test_config_and_text_report_say_the_format(tmp_path: Path) -> None:
    _write(tmp_path, CLEAN)
    shown = cli("config", "release-manager.md", cwd=tmp_path)
    assert shown.stdout.splitlines()[-1] == "The file is checked as: bmad-agent"
    checked = cli("--no-cache", "release-manager.md", cwd=tmp_path)
    assert checked.stdout.strip() == "1 file checked (1 bmad-agent): 0 errors, 0 warnings"
    explained = cli("explain", "BM301", cwd=tmp_path)
    assert explained.returncode == 0 and "What it does" in explained.stdout


@pytest.mark.slow
@pytest.mark.asyncio
async def test_the_language_server_publishes_bm_diagnostics(tmp_path: Path) -> None:
    lsp = await start_client(tmp_path, None)
    try:
        uri = lsp.open(tmp_path / "release-manager.md", PLACEHOLDER)
        published = await lsp.next_diagnostics(uri)
        assert [
            (d.code, d.range.start.line, d.range.start.character) for d in published.diagnostics
        ] == [("BM301", 11, 43)]
    finally:
        await stop_client(lsp)
