"""The result cache: same answers from the cache, invalidation, and no parsers on a hit."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import CANONICAL, cli, edit

BAD_VERSION = edit("| 1.0.0   |", "| 1.0     |")


def entries(folder: Path) -> dict[str, object]:
    data = json.loads((folder / ".persona_lint_cache" / "v1" / "results.json").read_text())
    assert isinstance(data, dict)
    result = data["entries"]
    assert isinstance(result, dict)
    return result


def test_second_run_is_served_from_the_cache_with_the_same_output(tmp_path: Path) -> None:
    (tmp_path / "backend-engineer.md").write_text(BAD_VERSION)
    (tmp_path / "backend.md").write_text(CANONICAL)
    (tmp_path / "README.md").write_text("# not a persona\n")
    first = cli(".", "--output-format", "json", cwd=tmp_path)
    assert len(entries(tmp_path)) == 3
    (tmp_path / ".persona_lint_cache" / "v1" / "results.json").chmod(0o444)
    second = cli(".", "--output-format", "json", cwd=tmp_path)
    assert (second.returncode, second.stdout, second.stderr) == (
        first.returncode,
        first.stdout,
        first.stderr,
    )
    assert first.returncode == 1
    # the cached run still applies cross-file rules: both files share one slug
    assert second.stdout.count('"PL801"') == 2


def test_a_cache_hit_loads_no_parser(tmp_path: Path) -> None:
    (tmp_path / "backend-engineer.md").write_text(CANONICAL)
    cli(".", cwd=tmp_path)
    probe = (
        "import sys\n"
        "from persona_lint.cli import main\n"
        "sys.argv = ['persona-lint', '.']\n"
        "try:\n    main()\n"
        "except SystemExit:\n    pass\n"
        "print(sorted(m for m in ('markdown_it', 'lxml.etree', 'xmlschema') if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert result.stdout.splitlines()[-1] == "[]"


def test_changes_invalidate(tmp_path: Path) -> None:
    persona = tmp_path / "backend-engineer.md"
    persona.write_text(CANONICAL)
    assert cli(".", cwd=tmp_path).returncode == 0
    persona.write_text(BAD_VERSION)
    assert cli(".", cwd=tmp_path).returncode == 1
    (tmp_path / ".persona-lint.toml").write_text('ignore = ["PL304"]\n')
    assert cli(".", cwd=tmp_path).returncode == 0
    assert cli(".", "--isolated", cwd=tmp_path).returncode == 1


def test_inline_suppression_applies_to_cached_results(tmp_path: Path) -> None:
    persona = tmp_path / "backend-engineer.md"
    persona.write_text(BAD_VERSION + "\n<!-- persona-lint: disable-file PL304 -->")
    assert cli(".", cwd=tmp_path).returncode == 0
    assert cli(".", cwd=tmp_path).returncode == 0


def test_no_cache_cache_dir_and_clean(tmp_path: Path) -> None:
    (tmp_path / "backend-engineer.md").write_text(CANONICAL)
    cli(".", "--no-cache", cwd=tmp_path)
    assert not (tmp_path / ".persona_lint_cache").exists()
    cli(".", "--cache-dir", "elsewhere", cwd=tmp_path)
    assert (tmp_path / "elsewhere" / "CACHEDIR.TAG").is_file()
    assert (tmp_path / "elsewhere" / ".gitignore").read_text().splitlines()[-1] == "*"
    result = cli("clean", "--cache-dir", "elsewhere", cwd=tmp_path)
    assert result.stdout == "removed elsewhere\n"
    assert not (tmp_path / "elsewhere").exists()
    assert cli("clean", cwd=tmp_path).stdout == "no cache at .persona_lint_cache\n"


def test_a_corrupt_cache_is_ignored(tmp_path: Path) -> None:
    (tmp_path / "backend-engineer.md").write_text(BAD_VERSION)
    cli(".", cwd=tmp_path)
    results = tmp_path / ".persona_lint_cache" / "v1" / "results.json"
    results.write_text("{not json")
    again = cli(".", cwd=tmp_path)
    assert again.returncode == 1
    assert "[PL304]" in again.stdout
    assert len(entries(tmp_path)) == 1


def test_parallel_workers_give_the_same_report(tmp_path: Path) -> None:
    for index in range(24):
        text = BAD_VERSION if index % 3 == 0 else CANONICAL
        (tmp_path / f"p{index:02}").mkdir()
        (tmp_path / f"p{index:02}" / "backend-engineer.md").write_text(text)
    serial = cli(".", "--no-cache", "--jobs", "1", "--output-format", "json", cwd=tmp_path)
    parallel = cli(".", "--no-cache", "--jobs", "2", "--output-format", "json", cwd=tmp_path)
    assert serial.returncode == parallel.returncode == 1
    assert serial.stdout == parallel.stdout
    assert serial.stdout.count('"PL304"') == 8


def test_cross_file_findings_on_clean_files_quote_their_lines(tmp_path: Path) -> None:
    # Clean files keep no source lines (memory on large trees); a cross-file rule that
    # finds something in them has the lines read again, on a miss and on a cache hit.
    for folder in ("x", "y"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "backend-engineer.md").write_text(CANONICAL)
    first = cli(".", "--output-format", "full", cwd=tmp_path)
    assert entries(tmp_path)
    assert all(entry["lines"] is False for entry in entries(tmp_path).values())  # type: ignore[index]
    second = cli(".", "--output-format", "full", cwd=tmp_path)
    assert first.returncode == second.returncode == 1
    assert first.stdout == second.stdout
    assert first.stdout.count('10 | <persona_context active="backend-engineer">\n') == 2
    assert "x/backend-engineer.md:10:26: error: active='backend-engineer' is also used by" in (
        first.stdout
    )
