"""Linting the files of a run: one job per file, in this process or in worker processes.

Each job reads its own file (a run holding the bytes of 10,000 files would hold all their
text at once), lints it with the parsers' bugs contained (PL001 for that file), and keys
its result for the cache.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import NamedTuple

from persona_lint.config.settings import Settings
from persona_lint.engine.result import FileResult
from persona_lint.errors import describe, doing
from persona_lint.rules.registry import load_families
from persona_lint.source.read import read_limited

# Files to lint (cache misses) from which --jobs 0 uses several processes: where two
# workers beat one, by benchmarks/bench_jobs.py on the shared 2-core VM (issue 22, median
# of paired ratios --jobs 2 / --jobs 1): 50 files 1.16, 100 files 0.97, 150 files 0.85,
# 200 files 0.80, 300 files 0.70 at load 2; 200 files 1.12, 300 files 0.77 at load 2-4
# (docs/performance.md).
PARALLEL_THRESHOLD = 200


class Job(NamedTuple):
    """One file to lint: what a worker process needs."""

    position: int  # in the run's results
    path: str
    settings: Settings
    explicit: bool
    cached: bool  # whether the result goes to the cache (keyed on the bytes linted)
    data: bytes | None = None  # given (standard input), or None: read when linted
    place: str | None = None  # the path inside the project (source.walk.Candidate), or path


def read(path: str, settings: Settings) -> bytes | FileResult:
    """Return the bytes of a file to lint (at most max-file-size + 1), or its PL004."""
    try:
        return read_limited(Path(path), settings.max_file_size)
    except OSError as exc:
        return unreadable(path, f"cannot read file: {exc.strerror or exc}", settings)


def unreadable(path: str, message: str, settings: Settings) -> FileResult:
    """Return the result of a file that cannot be read (PL004)."""
    from persona_lint.engine.lint import problem  # markdown-it, lxml: only on a cache miss

    return problem(path, "PL004", message, settings)


def lint_bytes(
    path: str, data: bytes, settings: Settings, *, explicit: bool, place: str | None = None
) -> FileResult:
    """Lint one file's bytes (standard input): no cache."""
    return lint_job(Job(0, path, settings, explicit, cached=False, data=data, place=place))[1]


def lint_job(job: Job) -> tuple[str, FileResult]:
    """Read (unless given), lint, and key the result for the cache ("" for no entry)."""
    from persona_lint.engine.lint import lint_source, problem  # markdown-it, lxml: cache miss

    with doing("linting", job.path):
        data = job.data if job.data is not None else read(job.path, job.settings)
        if isinstance(data, FileResult):
            return "", data
        key = _cache_key(job, data) if job.cached else ""
    try:
        result = lint_source(
            job.path,
            data,
            job.settings,
            explicit=job.explicit,
            defer_suppressions=True,
            place=job.place,
        )
    except Exception as exc:  # a bug in the parsers: this file is not checked, the others are
        message = f"internal error while parsing this file: {describe(exc)}"
        return "", problem(job.path, "PL001", message, job.settings)
    return key, result


def _cache_key(job: Job, data: bytes) -> str:
    """Return the cache key of the bytes a job lints (read again here: they may have changed)."""
    from persona_lint.engine.cache import ResultCache  # hashlib...: see run._apply_baseline

    return ResultCache.key(job.path, data, job.settings, job.explicit, job.place)


def _lint_chunk(jobs: list[Job]) -> list[tuple[str, FileResult]]:
    """Lint a chunk of jobs, in a worker process or in this one.

    Parsed documents are not kept: they cost memory, and a worker would have to send them
    back.
    """
    return [(key, result._replace(document=None)) for key, result in map(lint_job, jobs)]


def lint_jobs(jobs: list[Job], workers: int) -> list[tuple[str, FileResult]]:
    """Lint every job with ``workers`` processes; results in the order of ``jobs``."""
    if workers <= 1 or len(jobs) < 2:
        return _lint_chunk(jobs)
    # multiprocessing and concurrent.futures (about 30 ms of imports) and the parsers: a
    # run of a few files, or one served from the cache, needs none of them.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from persona_lint.engine import lint  # noqa: F401  (loaded once here, before the fork)
    from persona_lint.xml.libxml import preload

    # Forked workers share what the parent loaded (rules, parsers, libxml2's schemas)
    # instead of each loading it: see PARALLEL_THRESHOLD for what that brought.
    load_families()
    preload()
    chunk = max(16, len(jobs) // (workers * 4))
    chunks = [jobs[i : i + chunk] for i in range(0, len(jobs), chunk)]
    context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        return [result for part in pool.map(_lint_chunk, chunks) for result in part]


def worker_count(requested: int, misses: int) -> int:
    """Return the processes for ``misses`` files to lint: ``requested``, or automatic when 0.

    Automatic: one process below PARALLEL_THRESHOLD files (a pool costs more than it gains
    on a handful of files), else one per core, at most 8.
    """
    if requested > 0:
        return requested
    if misses < PARALLEL_THRESHOLD:
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(cores or 1, 8))
