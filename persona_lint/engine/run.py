"""One lint run: resolve settings, discover and read files, lint, report, exit code."""

from __future__ import annotations

import os
import sys
import traceback
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, NamedTuple, TextIO

from persona_lint.config.loader import command_line_layer
from persona_lint.config.resolver import Resolver
from persona_lint.config.settings import Settings
from persona_lint.engine.cache import DEFAULT_DIR, ResultCache
from persona_lint.engine.postprocess import check_corpus
from persona_lint.engine.result import FileResult
from persona_lint.errors import RunError
from persona_lint.failures import InternalError, describe, doing
from persona_lint.formatters import Report, get_formatter
from persona_lint.formatters.escape import human_path
from persona_lint.source.decode import SourceProblem, source_text
from persona_lint.source.files import discover, read_limited, read_stream

if TYPE_CHECKING:
    from persona_lint.changes import ChangeTracker

TEXT_FORMATS = ("full", "concise")
# Files to lint (cache misses) from which --jobs 0 uses several processes. Measured on a
# 2-core machine once the parent loads parsers, rules and schemas before forking (wall
# time, --jobs 1 against 2): 20 files 0.14 s against 0.15 s, 50 files 0.19 against 0.16,
# 100 files 0.23 against 0.19, 1,000 files 1.77 against 1.06 (docs/performance.md).
PARALLEL_THRESHOLD = 50


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
    cache_dir: Path | None = DEFAULT_DIR  # None: no cache
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


def build_resolver(options: RunOptions) -> Resolver:
    cli = command_line_layer(
        options.select, options.extend_select, options.ignore, options.warnings_as_errors
    )
    return Resolver(cli=cli, config_path=options.config, isolated=options.isolated)


class _Job(NamedTuple):
    """One file to lint: what a worker process needs. Its bytes are read by whoever lints
    it (a run holding the bytes of 10,000 files would hold all their text at once)."""

    position: int  # in the run's results
    path: str
    settings: Settings
    explicit: bool
    cached: bool  # whether the result goes to the cache (keyed on the bytes linted)
    data: bytes | None = None  # given (standard input), or None: read when linted


def lint_bytes(path: str, data: bytes, settings: Settings, *, explicit: bool) -> FileResult:
    """Lint one file's bytes (standard input): no cache."""
    return _lint_job(_Job(0, path, settings, explicit, cached=False, data=data))[1]


def _read(path: str, settings: Settings) -> bytes | FileResult:
    try:
        return read_limited(Path(path), settings.max_file_size)
    except OSError as exc:
        return _problem(path, f"cannot read file: {exc.strerror or exc}", settings)


def _cached(
    cache: ResultCache, path: str, data: bytes, settings: Settings, explicit: bool
) -> FileResult | None:
    """The cached result for these bytes, if any."""
    key = cache.key(path, data, settings, explicit)
    return cache.get(key, path, settings, data) if key else None


def _lint_job(job: _Job) -> tuple[str, FileResult]:
    """Read (unless given), lint, and key the result for the cache ("" for no entry)."""
    from persona_lint.engine.lint import lint_source, problem  # parsers load only on a cache miss

    with doing("linting", job.path):
        data = job.data if job.data is not None else _read(job.path, job.settings)
        if isinstance(data, FileResult):
            return "", data
        key = ResultCache.key(job.path, data, job.settings, job.explicit) if job.cached else ""
    try:
        result = lint_source(
            job.path, data, job.settings, explicit=job.explicit, defer_suppressions=True
        )
    except Exception as exc:  # a bug in the parsers: this file is not checked, the others are
        message = f"internal error while parsing this file: {describe(exc)}"
        return "", problem(job.path, "PL001", message, job.settings)
    return key, result


def _lint_chunk(jobs: list[_Job]) -> list[tuple[str, FileResult]]:
    """Lint a chunk of jobs (in a worker process, or in this one); parsed documents are
    not kept: they cost memory, and a worker would have to send them back."""
    return [(key, result._replace(document=None)) for key, result in map(_lint_job, jobs)]


def _lint_jobs(jobs: list[_Job], workers: int) -> list[tuple[str, FileResult]]:
    if workers <= 1 or len(jobs) < 2:
        return _lint_chunk(jobs)
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from persona_lint.engine import lint  # noqa: F401  (parsers and rules, before the fork)
    from persona_lint.rules.registry import load_families
    from persona_lint.xml.libxml import preload

    load_families()
    preload()  # forked workers share what the parent loaded instead of each loading it
    chunk = max(16, len(jobs) // (workers * 4))
    chunks = [jobs[i : i + chunk] for i in range(0, len(jobs), chunk)]
    context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        return [result for part in pool.map(_lint_chunk, chunks) for result in part]


def worker_count(requested: int, misses: int) -> int:
    """Processes for ``misses`` files to lint: ``requested``, or automatic when 0.

    Automatic: one process below PARALLEL_THRESHOLD files (a pool costs more than it gains
    on a handful of files), else one per core, at most 8.
    """
    if requested > 0:
        return requested
    if misses < PARALLEL_THRESHOLD:
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(cores or 1, 8))


def _problem(path: str, message: str, settings: Settings) -> FileResult:
    from persona_lint.engine.lint import problem

    return problem(path, "PL004", message, settings)


class UsageError(RunError):
    """Options that cannot be combined (exit code 2)."""


def run(
    options: RunOptions,
    stdout: TextIO,
    stderr: TextIO,
    stdin: bytes | BinaryIO | None = None,
) -> int:
    """Execute a run; returns the exit code. ``stdin``: the bytes of standard input, or the
    stream to read them from (at most max-file-size + 1 bytes are read).

    A bug of persona-lint outside the rules ends the run with one line saying what it was
    doing and where, and exit code 2 (never 1, which means errors in the files); the
    traceback follows with ``--show-traceback``.
    """
    try:
        return _run(options, stdout, stderr, stdin)
    except RunError as exc:
        print(f"persona-lint: error: {exc}", file=stderr)
        return 2
    except Exception as exc:
        failure = exc if isinstance(exc, InternalError) else InternalError("running", describe(exc))
        print(f"persona-lint: {failure}", file=stderr)
        if options.show_traceback:
            traceback.print_exception(exc, file=stderr)
        return 2


def _run(
    options: RunOptions, stdout: TextIO, stderr: TextIO, stdin: bytes | BinaryIO | None
) -> int:
    text_format = options.output_format in TEXT_FORMATS
    notes = stdout if text_format or options.output_file is not None else stderr
    failed_writes = False
    lines: list[str] = []  # what --fix and the baseline did, printed after the report
    try:
        _check_combination(options)
        resolver = build_resolver(options)
        # A missing path is a usage error (exit 2) but the others are still linted.
        missing = [p for p in options.paths if p != Path("-") and _missing(p)]
        for missing_path in missing:
            # After `--` (the pre-commit hooks' entries end with it) an option is a path.
            hint = " (an option after '--' is a path)" if str(missing_path).startswith("-") else ""
            print(f"persona-lint: error: no such file or folder: {missing_path}{hint}", file=stderr)
        if missing:
            options = options._replace(paths=tuple(p for p in options.paths if p not in missing))
            if not options.paths:
                return 2
        stdin = _standard_input(options, resolver, stdin)
        tracker = _tracker(options)
        results = _checked(options, resolver, stdin, stderr, tracker)
        if options.edits:
            outcome = _edit_files(options, results, stdin, stdout, stderr)
            if options.diff:
                print(outcome.describe(would=True), file=stderr)
                return 1 if outcome.files or outcome.unchecked else 0
            lines.append(outcome.describe(would=False))
            failed_writes = outcome.failed
            if outcome.files or outcome.unchecked:  # an unchecked file: say what it is now
                results = _checked(options, resolver, stdin, stderr, tracker)
        with doing("applying the baseline"):
            results = _apply_baseline(options, results, lines)
    except RunError as exc:
        print(f"persona-lint: error: {exc}", file=stderr)
        return 2
    report = Report(results, color=options.color and options.output_file is None)
    with doing("writing the report"):
        if options.output_file is not None:
            from persona_lint.formatters import write_report

            try:
                write_report(report, options.output_format, options.output_file, stdout, stderr)
            except OSError as exc:
                reason = exc.strerror or exc
                print(
                    f"persona-lint: error: {options.output_file}: cannot write the report: "
                    f"{reason}",
                    file=stderr,
                )
                return 2
        else:
            get_formatter(options.output_format)(report, stdout)
        for line in lines:
            print(line, file=notes)
        if options.statistics:
            for line in statistics(results):
                print(line, file=notes)
        print(summary(results), file=notes)
    if failed_writes or missing:  # each was reported on its own line: not a verdict
        return 2
    if options.exit_zero:
        return 0
    return 1 if any(r.failed for r in results) else 0


def _checked(
    options: RunOptions,
    resolver: Resolver,
    stdin: bytes | None,
    stderr: TextIO,
    tracker: ChangeTracker | None,
) -> list[FileResult]:
    """Lint every file, then the cross-file rules, then quote the sources reports need."""
    with doing("linting"):
        results = _lint(options, resolver, stdin, stderr, tracker)
    with doing("checking across files"):
        return _quote_sources(check_corpus(results), options, stdin)


def _standard_input(
    options: RunOptions, resolver: Resolver, stdin: bytes | BinaryIO | None
) -> bytes | None:
    """Standard input's bytes when the run reads it: at most max-file-size + 1 of them
    from a stream (a pipe may send gigabytes; one byte more is enough for PL003)."""
    if stdin is None or isinstance(stdin, bytes) or options.paths != (Path("-"),):
        return stdin if isinstance(stdin, bytes) else None
    settings = resolver.settings_for(Path(options.stdin_filename or "-"))
    return read_stream(stdin, settings.max_file_size)


def _quote_sources(
    results: list[FileResult], options: RunOptions, stdin: bytes | None
) -> list[FileResult]:
    """Read again the lines of files that a cross-file rule gave their first diagnostic:
    linting keeps no lines for clean files (memory), and formatters and baselines quote
    them."""
    reading_stdin = options.paths == (Path("-"),)
    quoted = []
    for result in results:
        if result.needs_lines:
            data = (stdin or b"") if reading_stdin else _read(result.path, result.settings)
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
    reading_stdin = options.paths == (Path("-"),)
    if reading_stdin and (options.fix or options.add_noqa) and not options.diff:
        raise UsageError("--fix and --add-noqa cannot write to standard input; use --diff")
    if reading_stdin and options.changed_since and not options.stdin_filename:
        raise UsageError("--changed-since with '-' needs --stdin-filename (the file's path)")


def _tracker(options: RunOptions) -> ChangeTracker | None:
    """The git edge of --changed-since, checked on every given path before linting."""
    if options.changed_since is None:
        return None
    from persona_lint.changes import ChangeTracker

    tracker = ChangeTracker(options.changed_since)
    for path in options.paths:
        if path == Path("-"):
            path = Path(options.stdin_filename or ".")
        if path.exists():
            tracker.check(path)
    return tracker


def _apply_baseline(
    options: RunOptions, results: list[FileResult], notes: list[str]
) -> list[FileResult]:
    """--write-baseline records the run's diagnostics; --baseline (or the baseline just
    written) hides the recorded ones and lists the stale entries."""
    file = options.write_baseline or options.baseline
    if file is None:
        return results
    from persona_lint import baseline

    if options.write_baseline is not None:
        previous = baseline.load(file) if os.path.lexists(file) else []
        count = baseline.write(file, results, previous)
        notes.append(f"wrote {_count(count, 'baseline entry', 'baseline entries')} to {file}")
    filtered = baseline.apply(file, baseline.load(file), results)
    if filtered.hidden:
        hidden = _count(filtered.hidden, "diagnostic")
        notes.append(f"{hidden} hidden by the baseline {file}")
    for entry in filtered.stale:
        notes.append(
            f"{file}: stale entry {entry.path} {entry.code}: no longer reported "
            "(rewrite the baseline with --write-baseline)"
        )
    for entry, stop in filtered.unchecked:
        notes.append(
            f"{file}: entry {entry.path} {entry.code} not checked: "
            f"the error {stop} in that file stops its check"
        )
    return filtered.results


@dataclass
class _Edits:
    """What --fix, --diff or --add-noqa did (or would do)."""

    fixed: int = 0
    suppressed: int = 0
    files: int = 0
    failed: bool = False  # a file could not be written
    unchecked: int = 0  # files that could no longer be read or decoded to be fixed

    def describe(self, *, would: bool) -> str:
        if not self.files:
            return "nothing to fix"
        parts = []
        if self.fixed:
            parts.append(f"{'would fix' if would else 'fixed'} {_count(self.fixed, 'diagnostic')}")
        if self.suppressed:
            verb = "would suppress" if would else "suppressed"
            parts.append(f"{verb} {_count(self.suppressed, 'diagnostic')}")
        return f"{' and '.join(parts)} in {_count(self.files, 'file')}"


def _edit_files(
    options: RunOptions,
    results: list[FileResult],
    stdin: bytes | None,
    stdout: TextIO,
    stderr: TextIO,
) -> _Edits:
    """Fix, or add suppressions to, every file with something to do; write each file
    atomically (or, with --diff, print the change).

    Only files the lint read and parsed are edited: a file it refused (a link out of the
    tree, a device, too large, not text) has no lines and no facts, and is passed over
    without being opened again. Files are read again by the same bounded reader; one that
    can no longer be read or decoded (changed since the lint) is said on standard error
    and counted in ``unchecked``: the run lints again to report what it is now."""
    from persona_lint.engine.postprocess import corpus_findings
    from persona_lint.fix.engine import fix_text
    from persona_lint.fix.output import encode_like, unified_diff, write_if_unchanged
    from persona_lint.rules.registry import fixable_codes

    extras = corpus_findings(results)
    fixable = fixable_codes()
    done = _Edits()
    fix = options.fix or (options.diff and not options.add_noqa)
    for result in results:
        if result.skipped or not result.diagnostics:
            continue
        if not result.lines and result.facts is None:
            continue  # no document: refused or unreadable, reported by the lint already
        if not options.add_noqa and not any(d.code in fixable for d in result.diagnostics):
            continue
        read = _text_to_fix(result, (stdin or b"") if options.paths == (Path("-"),) else None)
        if isinstance(read, str):
            print(f"persona-lint: error: {human_path(result.path)}: not fixed: {read}", file=stderr)
            done.unchecked += 1
            continue
        data, text = read
        with doing("fixing", result.path):
            outcome = fix_text(
                result.path,
                text,
                result.settings,
                extra=extras.get(result.path, ()),
                fix=fix,
                add_noqa=options.add_noqa,
            )
        for rejected in outcome.rejected:
            found = rejected.diagnostic
            print(
                f"persona-lint: note: {found.path}:{found.line}:{found.column}: {found.code} "
                f"not fixed: {rejected.reason}",
                file=stderr,
            )
        if outcome.text == text:
            continue
        if options.diff:
            stdout.write(unified_diff(result.path, text, outcome.text))
        else:
            reason = write_if_unchanged(Path(result.path), data, encode_like(outcome.text, data))
            if reason is not None:
                print(f"persona-lint: error: {result.path}: {reason}", file=stderr)
                done.failed = True
                continue
        done.fixed += len(outcome.fixed)
        done.suppressed += len(outcome.suppressed)
        done.files += 1
    return done


def _text_to_fix(result: FileResult, stdin: bytes | None) -> tuple[bytes, str] | str:
    """The bytes and the text of a file to fix (``stdin``: the bytes of standard input,
    when that is the file), or why they can no longer be read as the lint read them."""
    data = stdin if stdin is not None else _read(result.path, result.settings)
    if isinstance(data, FileResult):
        return data.diagnostics[0].message
    text = source_text(data, result.settings.max_file_size)
    if isinstance(text, SourceProblem):
        return f"{text.line}:{text.column}: {text.message}"
    return data, text


def _lint(
    options: RunOptions,
    resolver: Resolver,
    stdin: bytes | None,
    stderr: TextIO,
    tracker: ChangeTracker | None = None,
) -> list[FileResult]:
    if options.paths == (Path("-"),):
        name = options.stdin_filename or "-"
        settings = resolver.settings_for(Path(name))
        if tracker is not None:
            previous = tracker.previous(Path(name), changed=True, limit=settings.max_file_size)
            settings = settings._replace(previous=previous)
        data = stdin if stdin is not None else b""
        explicit = not options.skip_non_personas
        return [lint_bytes(name, data, settings, explicit=explicit)]
    cache = ResultCache(options.cache_dir) if options.cache_dir is not None else None
    results: list[FileResult | None] = []
    jobs: list[_Job] = []
    for candidate in discover(list(options.paths), prune=resolver.excluded):
        if (not candidate.explicit or options.force_exclude) and resolver.excluded(candidate.path):
            continue
        settings = resolver.settings_for(candidate.path)
        explicit = candidate.explicit and not options.skip_non_personas
        path = str(candidate.path)
        if candidate.refused:
            results.append(_problem(path, candidate.refused, settings))
            continue
        if tracker is not None:
            previous = tracker.previous(candidate.path, limit=settings.max_file_size)
            settings = settings._replace(previous=previous)
        if cache is not None:
            # The bytes are read here for the cache key, and again by whoever lints a miss.
            read = _read(path, settings)
            hit = (
                read
                if isinstance(read, FileResult)
                else _cached(cache, path, read, settings, explicit)
            )
            if hit is not None:
                results.append(hit)
                continue
        jobs.append(_Job(len(results), path, settings, explicit, cached=cache is not None))
        results.append(None)
    for job, (key, result) in zip(
        jobs, _lint_jobs(jobs, worker_count(options.jobs, len(jobs))), strict=True
    ):
        results[job.position] = result
        if cache is not None and key:
            cache.put(key, result)
    if cache is not None:
        cache.save()
    return [r for r in results if r is not None]


def _missing(path: Path) -> bool:
    """Whether nothing is at ``path``, not even a link; a path that cannot be looked at
    (a folder on its way cannot be searched) is not missing: reading it says why."""
    try:
        os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return True
    except OSError:
        return False
    return False


def statistics(results: Sequence[FileResult]) -> list[str]:
    """Counts per code, most frequent first (like ruff --statistics)."""
    from persona_lint.rules import get_rule

    counts = Counter(d.code for r in results for d in r.diagnostics)
    lines = []
    for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        rule = get_rule(code)
        lines.append(f"{count:>5}  {code}  {rule.name if rule else ''}")
    return lines


def summary(results: Sequence[FileResult]) -> str:
    checked = sum(1 for r in results if not r.skipped)
    skipped = len(results) - checked
    errors = sum(1 for r in results for d in r.diagnostics if d.is_error)
    warnings = sum(1 for r in results for d in r.diagnostics if not d.is_error)
    text = f"{_count(checked, 'file')} checked"
    if skipped:
        text += f", {skipped} skipped (not persona documents)"
    return f"{text}: {_count(errors, 'error')}, {_count(warnings, 'warning')}"


def _count(number: int, noun: str, plural: str | None = None) -> str:
    return f"{number} {noun if number == 1 else plural or noun + 's'}"
