"""One lint run: resolve settings, discover and read files, lint, edit, apply the baseline.

:func:`run` returns a :class:`RunResult` and never prints: the command line says what it
holds (:mod:`persona_lint.cli.report`) and turns it into an exit code.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, NamedTuple

from persona_lint.config.loader import command_line_layer
from persona_lint.config.resolver import Resolver
from persona_lint.engine.jobs import Job, lint_bytes, lint_jobs, read, unreadable, worker_count
from persona_lint.engine.postprocess import check_corpus
from persona_lint.engine.result import FileResult
from persona_lint.errors import InternalError, RunError, describe, doing
from persona_lint.source.decode import source_text
from persona_lint.source.read import read_stream
from persona_lint.source.walk import discover, project_place

if TYPE_CHECKING:
    from persona_lint.baseline import Filtered
    from persona_lint.changes import ChangeTracker
    from persona_lint.engine.cache import ResultCache
    from persona_lint.engine.edits import Edits

STDIN = Path("-")
DEFAULT_CACHE_DIR = Path(".persona_lint_cache")


class RunOptions(NamedTuple):
    """Everything the command line decided, parsed before anything runs."""

    paths: tuple[Path, ...]
    output_format: str = "concise"
    output_file: Path | None = None
    color: bool = False
    config: Path | None = None
    isolated: bool = False
    select: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    exit_zero: bool = False
    warnings_as_errors: bool = False
    statistics: bool = False
    force_exclude: bool = False
    skip_non_personas: bool = False
    stdin_filename: str | None = None
    cache_dir: Path | None = DEFAULT_CACHE_DIR  # None: no cache
    jobs: int = 0  # worker processes; 0: automatic
    changed_since: str | None = None  # a git revision: enables PL310/PL311
    fix: bool = False
    diff: bool = False  # show what --fix (or --add-noqa) would change; write nothing
    add_noqa: bool = False
    baseline: Path | None = None
    write_baseline: Path | None = None
    show_traceback: bool = False  # with an internal error's one line

    @property
    def edits(self) -> bool:
        """Whether the run changes files (or shows how it would)."""
        return self.fix or self.diff or self.add_noqa

    @property
    def reads_stdin(self) -> bool:
        """Whether the one path is ``-``, standard input."""
        return self.paths == (STDIN,)


@dataclass
class RunResult:
    """What a run gave, for the command line to say; it printed nothing."""

    # Every file's result, in the order found; None when the run stopped before a report
    # (every named path missing, or ``error``).
    results: list[FileResult] | None = None
    missing: list[Path] = field(default_factory=list)  # named paths with nothing there
    edits: Edits | None = None  # what --fix, --diff or --add-noqa did
    baseline: BaselineOutcome | None = None  # what --baseline or --write-baseline did
    # What stopped the run (exit code 2): a RunError (its message says what), or an
    # InternalError, a bug of persona-lint, whose cause keeps the traceback.
    error: Exception | None = None


class BaselineOutcome(NamedTuple):
    """What --baseline or --write-baseline did."""

    file: Path
    written: int | None  # entries written (--write-baseline), None when only applied
    filtered: Filtered  # the diagnostics hidden, the stale entries and the unchecked ones


class UsageError(RunError):
    """Options that cannot be combined (exit code 2)."""


def build_resolver(options: RunOptions) -> Resolver:
    """Return the settings resolver for the configuration and selection options.

    The configuration governing each named path is read first, so that ``--select`` and
    ``--ignore`` may name the team rules it defines (in configuration, or by plugins).
    Which plugins may load is the process's (:mod:`persona_lint.plugins`).
    """
    resolver = Resolver(config_path=options.config, isolated=options.isolated)
    if options.select or options.extend_select or options.ignore:
        for path in options.paths:
            named = Path(options.stdin_filename or "-") if path == STDIN else path
            resolver.layer_for(named / "-" if os.path.isdir(named) else named)
    resolver.cli = command_line_layer(
        options.select, options.extend_select, options.ignore, options.warnings_as_errors
    )
    return resolver


def run(options: RunOptions, stdin: bytes | BinaryIO | None = None) -> RunResult:
    """Execute a run and return what it gave.

    ``stdin``: the bytes of standard input, or the stream to read them from (at most
    max-file-size + 1 bytes are read). A missing path is an error, but the other paths are
    still linted. Whatever stops the run (a :class:`RunError`, or a bug of persona-lint
    outside the rules as an :class:`InternalError` saying what it was doing and where) is
    the result's ``error``, never raised.
    """
    outcome = RunResult()
    try:
        _run(options, stdin, outcome)
    except (RunError, InternalError) as exc:
        outcome.error = exc
    except Exception as exc:
        outcome.error = InternalError("running", describe(exc))
        outcome.error.__cause__ = exc
    if outcome.error is not None:
        outcome.results = None
    return outcome


def _run(options: RunOptions, stdin: bytes | BinaryIO | None, outcome: RunResult) -> None:
    """Fill ``outcome`` with each step of the run in turn."""
    _check_combination(options)
    resolver = build_resolver(options)
    outcome.missing = [p for p in options.paths if p != STDIN and _missing(p)]
    if outcome.missing:
        found = tuple(p for p in options.paths if p not in outcome.missing)
        options = options._replace(paths=found)
        if not options.paths:
            return
    data = _standard_input(options, resolver, stdin)
    tracker = _tracker(options)
    results = _checked(options, resolver, data, tracker)
    if options.edits:
        from persona_lint.engine.edits import edit_files  # the fix engine: the parsers

        outcome.edits = edit_files(
            results,
            fix=options.fix or (options.diff and not options.add_noqa),
            add_noqa=options.add_noqa,
            diff=options.diff,
            stdin=(data or b"") if options.reads_stdin else None,
        )
        if options.diff:
            outcome.results = results
            return
        if outcome.edits.files or outcome.edits.unchecked:  # say what a file is now
            results = _checked(options, resolver, data, tracker)
    with doing("applying the baseline"):
        outcome.baseline = _apply_baseline(options, results)
    outcome.results = results if outcome.baseline is None else outcome.baseline.filtered.results


def _checked(
    options: RunOptions, resolver: Resolver, stdin: bytes | None, tracker: ChangeTracker | None
) -> list[FileResult]:
    """Lint every file, then the cross-file rules, then quote the sources reports need."""
    with doing("linting"):
        results = _lint(options, resolver, stdin, tracker)
    with doing("checking across files"):
        return _quote_sources(check_corpus(results), options, stdin)


def _standard_input(
    options: RunOptions, resolver: Resolver, stdin: bytes | BinaryIO | None
) -> bytes | None:
    """Return standard input's bytes when the run reads it.

    At most max-file-size + 1 of them from a stream (a pipe may send gigabytes; one byte
    more is enough for PL003).
    """
    if stdin is None or isinstance(stdin, bytes) or not options.reads_stdin:
        return stdin if isinstance(stdin, bytes) else None
    settings = resolver.settings_for(Path(options.stdin_filename or "-"))
    return read_stream(stdin, settings.max_file_size)


def _quote_sources(
    results: list[FileResult], options: RunOptions, stdin: bytes | None
) -> list[FileResult]:
    """Read again the lines of files that a cross-file rule gave their first diagnostic.

    Linting keeps no lines for clean files (memory), and formatters and baselines quote
    them.
    """
    quoted = []
    for result in results:
        if result.needs_lines:
            data = (stdin or b"") if options.reads_stdin else read(result.path, result.settings)
            text = (
                source_text(data, result.settings.max_file_size)
                if isinstance(data, bytes)
                else None
            )
            if isinstance(text, str):
                result = result._replace(lines=tuple(text.split("\n")))
        quoted.append(result)
    return quoted


def _check_combination(options: RunOptions) -> None:
    """Raise a UsageError for options that cannot be combined."""
    if options.reads_stdin and (options.fix or options.add_noqa) and not options.diff:
        raise UsageError("--fix and --add-noqa cannot write to standard input; use --diff")
    if options.reads_stdin and options.changed_since and not options.stdin_filename:
        raise UsageError("--changed-since with '-' needs --stdin-filename (the file's path)")


def _tracker(options: RunOptions) -> ChangeTracker | None:
    """Return the git edge of --changed-since, checked on every given path before linting."""
    if options.changed_since is None:
        return None
    from persona_lint.changes import ChangeTracker  # subprocess, hashlib: see below

    tracker = ChangeTracker(options.changed_since)
    for path in options.paths:
        if path == STDIN:
            path = Path(options.stdin_filename or ".")
        if path.exists():
            tracker.check(path)
    return tracker


def _apply_baseline(options: RunOptions, results: list[FileResult]) -> BaselineOutcome | None:
    """Record the run's diagnostics (--write-baseline), then hide the recorded ones.

    --baseline (or the baseline just written) hides the recorded diagnostics and finds the
    stale entries.
    """
    file = options.write_baseline or options.baseline
    if file is None:
        return None
    # The baseline and the cache (below) bring hashlib, hmac, secrets and shutil: imported
    # at the top, they made the one-file cold run (--no-cache, no baseline), which needs
    # neither, 15 % slower in CPU time (31 alternated runs; 2 % and 16 % in two of 21).
    from persona_lint import baseline

    written = None
    if options.write_baseline is not None:
        previous = baseline.load(file) if os.path.lexists(file) else []
        written = baseline.write(file, results, previous)
    return BaselineOutcome(file, written, baseline.apply(file, baseline.load(file), results))


def _lint(
    options: RunOptions,
    resolver: Resolver,
    stdin: bytes | None,
    tracker: ChangeTracker | None = None,
) -> list[FileResult]:
    """Lint standard input, or every file the paths lead to (cache hits first)."""
    if options.reads_stdin:
        name = options.stdin_filename or "-"
        settings = resolver.settings_for(Path(name))
        if tracker is not None:
            previous = tracker.previous(Path(name), changed=True, limit=settings.max_file_size)
            settings = settings._replace(previous=previous)
        data = stdin if stdin is not None else b""
        place = project_place(name) if options.stdin_filename else None
        return [
            lint_bytes(name, data, settings, explicit=not options.skip_non_personas, place=place)
        ]
    cache = None
    if options.cache_dir is not None:
        from persona_lint.engine.cache import ResultCache  # see _apply_baseline

        cache = ResultCache(options.cache_dir)
    results: list[FileResult | None] = []
    jobs: list[Job] = []
    for found in _jobs(options, resolver, tracker, cache is not None):
        if isinstance(found, Job):
            hit = _cached(cache, found)
            found = found if hit is None else hit
        if isinstance(found, Job):  # to lint: its result takes this place
            jobs.append(found._replace(position=len(results)))
            results.append(None)
        else:
            results.append(found)
    for job, (key, result) in zip(
        jobs, lint_jobs(jobs, worker_count(options.jobs, len(jobs))), strict=True
    ):
        results[job.position] = result
        if cache is not None and key:
            cache.put(key, result)
    if cache is not None:
        cache.save()
    return [r for r in results if r is not None]


def _jobs(
    options: RunOptions, resolver: Resolver, tracker: ChangeTracker | None, cached: bool
) -> Iterator[Job | FileResult]:
    """Yield a job for each file the paths lead to, or its result if it is refused."""
    for candidate in discover(list(options.paths), prune=resolver.excluded):
        if (not candidate.explicit or options.force_exclude) and resolver.excluded(candidate.path):
            continue
        settings = resolver.settings_for(candidate.path)
        explicit = candidate.explicit and not options.skip_non_personas
        path = str(candidate.path)
        if candidate.refused:
            yield unreadable(path, candidate.refused, settings)
            continue
        if tracker is not None:
            previous = tracker.previous(candidate.path, limit=settings.max_file_size)
            settings = settings._replace(previous=previous)
        yield Job(0, path, settings, explicit, cached=cached, place=candidate.place)


def _cached(cache: ResultCache | None, job: Job) -> FileResult | None:
    """Return the cached result of a job's file, its PL004 if unreadable, else None.

    The bytes are read here for the cache key, and again by whoever lints a miss.
    """
    if cache is None:
        return None
    data = read(job.path, job.settings)
    if isinstance(data, FileResult):
        return data
    key = cache.key(job.path, data, job.settings, job.explicit, job.place)
    return cache.get(key, job.path, job.settings, data) if key else None


def _missing(path: Path) -> bool:
    """Return whether nothing is at ``path``, not even a link.

    A path that cannot be looked at (a folder on its way cannot be searched) is not
    missing: reading it says why.
    """
    try:
        os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return True
    except OSError:
        return False
    return False
