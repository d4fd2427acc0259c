"""The tests' two ways of running the command line answer alike (issue 17, suite time).

Most tests run persona-lint in their own process (``conftest.cli``, click's test runner)
instead of a new interpreter each time; this holds the in-process runner to the real one
(``conftest.cli_process``): the same exit code, standard output and standard error.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CANONICAL, cli, cli_process, edit

RUNS = [
    (".", "--no-cache"),
    (".", "--no-cache", "--output-format", "json"),
    (".", "--no-cache", "--output-format", "full", "--color"),
    (".", "--no-cache", "--select", "PL3", "--statistics"),
    ("backend-engineer.md", "missing.md", "--no-cache"),
    ("explain", "PL304"),
    ("rules",),
    ("config", "backend-engineer.md"),
    ("--no-cache", "--config", "absent.toml", "."),
]


@pytest.mark.parametrize("args", RUNS, ids=[" ".join(run) for run in RUNS])
def test_in_process_runs_answer_as_a_real_process_does(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    (tmp_path / "backend-engineer.md").write_text(edit("| 1.0.0   |", "| 1.0     |"))
    (tmp_path / "notes.md").write_text("# not a persona\n")
    (tmp_path / "team").mkdir()
    (tmp_path / "team" / "backend-engineer.md").write_text(CANONICAL)
    (tmp_path / ".persona-lint.toml").write_text('severity = { PL407 = "error" }\n')
    inside = cli(*args, cwd=tmp_path)
    real = cli_process(*args, cwd=tmp_path)
    assert (inside.returncode, inside.stdout, inside.stderr) == (
        real.returncode,
        real.stdout,
        real.stderr,
    )
    assert inside.stdout or inside.stderr


def test_runs_with_worker_processes_are_refused(tmp_path: Path) -> None:
    # Forking workers from a pytest worker is what cli_process is for. (The refusal of
    # plugin runs is not exercised here: loading one would leave it in this process.)
    (tmp_path / "backend-engineer.md").write_text(CANONICAL)
    for jobs in (("--jobs", "2"), ("-j", "2"), ("--jobs=2",), ("-j2",)):
        with pytest.raises(AssertionError, match="use cli_process"):
            cli(".", *jobs, cwd=tmp_path)
    assert cli(".", "--jobs", "1", "--no-cache", cwd=tmp_path).returncode == 0
