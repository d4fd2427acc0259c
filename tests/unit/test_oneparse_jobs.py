"""The automatic --jobs threshold (issue 22): two workers only from the measured knee.

benchmarks/bench_jobs.py measured two workers beating one from 150-300 files on the 2-core
VM; below 200 uncached files, automatic --jobs stays in one process, whatever the cores.
"""

from __future__ import annotations

import os

import pytest
from click.testing import CliRunner

from persona_lint.cli import main
from persona_lint.engine.jobs import PARALLEL_THRESHOLD, worker_count


@pytest.mark.parametrize("misses", [1, 50, 100, 150, 199])
def test_automatic_jobs_stay_in_one_process_below_200_files(misses: int) -> None:
    assert worker_count(0, misses) == 1


def test_automatic_jobs_use_the_usable_cores_from_200_files() -> None:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    assert PARALLEL_THRESHOLD == 200
    assert worker_count(0, 200) == max(1, min(cores or 1, 8))
    assert worker_count(3, 10) == 3  # an explicit --jobs is obeyed


def test_the_help_states_the_threshold() -> None:
    result = CliRunner().invoke(main, ["check", "--help"])
    assert result.exit_code == 0
    assert "one per usable core from 200 files" in " ".join(result.output.split())
