"""Saying what a run gave: errors, edits, the report, notes, statistics, the summary.

The one place a lint run prints; it turns a :class:`~persona_lint.engine.run.RunResult`
into lines on standard output and standard error, and into the exit code (README, "Exit
codes").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from persona_lint.engine.result import FileResult
from persona_lint.engine.run import BaselineOutcome, RunOptions, RunResult
from persona_lint.errors import InternalError, RunError, describe, doing
from persona_lint.formatters import Report, get_formatter, write_report
from persona_lint.formatters.escape import human_path
from persona_lint.rules import get_rule

if TYPE_CHECKING:
    from persona_lint.engine.edits import Edits, FileEdit

TEXT_FORMATS = ("full", "concise")


def say(outcome: RunResult, options: RunOptions, stdout: TextIO, stderr: TextIO) -> int:
    """Print what the run gave and return the exit code.

    A bug while printing is one line saying what was being done, and exit code 2.
    """
    try:
        return _say(outcome, options, stdout, stderr)
    except Exception as exc:
        failure = exc if isinstance(exc, InternalError) else InternalError("running", describe(exc))
        failure.__cause__ = failure.__cause__ or exc
        return _say_error(failure, options, stderr)


def _say(outcome: RunResult, options: RunOptions, stdout: TextIO, stderr: TextIO) -> int:
    """Print the run's errors, edits and report, in the order they happened."""
    for path in outcome.missing:
        # After `--` (the pre-commit hooks' entries end with it) an option is a path.
        hint = " (an option after '--' is a path)" if str(path).startswith("-") else ""
        print(f"persona-lint: error: no such file or folder: {path}{hint}", file=stderr)
    edits = outcome.edits
    for change in edits.changes if edits is not None else ():
        _say_edit(change, stdout, stderr)
    if outcome.error is not None:
        return _say_error(outcome.error, options, stderr)
    if outcome.results is None:
        return 2  # every named path was missing: said above
    if options.diff and edits is not None:
        print(describe_edits(edits, would=True), file=stderr)
        return 1 if edits.files or edits.unchecked else 0
    notes = [describe_edits(edits, would=False)] if edits is not None else []
    if outcome.baseline is not None:
        notes += baseline_notes(outcome.baseline)
    if not _report(outcome.results, notes, options, stdout, stderr):
        return 2
    if (edits is not None and edits.failed) or outcome.missing:
        return 2  # each was said on its own line: not a verdict
    if options.exit_zero:
        return 0
    return 1 if any(r.failed for r in outcome.results) else 0


def _say_edit(change: FileEdit, stdout: TextIO, stderr: TextIO) -> None:
    """Print what editing one file gave: fixes refused, a failure, the diff."""
    if change.unreadable is not None:
        path = human_path(change.path)
        print(f"persona-lint: error: {path}: not fixed: {change.unreadable}", file=stderr)
    for rejected in change.rejected:
        found = rejected.diagnostic
        print(
            f"persona-lint: note: {found.path}:{found.line}:{found.column}: {found.code} "
            f"not fixed: {rejected.reason}",
            file=stderr,
        )
    if change.not_written is not None:
        print(f"persona-lint: error: {change.path}: {change.not_written}", file=stderr)
    stdout.write(change.diff)


def describe_edits(edits: Edits, *, would: bool) -> str:
    """Return the one line saying what the edits did (``would``: what --diff would do)."""
    if not edits.files:
        return "nothing to fix"
    parts = []
    if edits.fixed:
        parts.append(f"{'would fix' if would else 'fixed'} {count(edits.fixed, 'diagnostic')}")
    if edits.suppressed:
        verb = "would suppress" if would else "suppressed"
        parts.append(f"{verb} {count(edits.suppressed, 'diagnostic')}")
    return f"{' and '.join(parts)} in {count(edits.files, 'file')}"


def baseline_notes(done: BaselineOutcome) -> list[str]:
    """Return the lines saying what the baseline did: written, hidden, stale, unchecked."""
    file, filtered = done.file, done.filtered
    notes = []
    if done.written is not None:
        entries = count(done.written, "baseline entry", "baseline entries")
        notes.append(f"wrote {entries} to {file}")
    if filtered.hidden:
        notes.append(f"{count(filtered.hidden, 'diagnostic')} hidden by the baseline {file}")
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
    return notes


def _report(
    results: list[FileResult],
    notes: list[str],
    options: RunOptions,
    stdout: TextIO,
    stderr: TextIO,
) -> bool:
    """Print the report, then the notes, statistics and summary; False if it was not written.

    The notes go with the report, on standard output, for a text report or a report
    written to a file; to standard error when standard output holds a machine format.
    """
    text_format = options.output_format in TEXT_FORMATS
    notes_out = stdout if text_format or options.output_file is not None else stderr
    report = Report(results, color=options.color and options.output_file is None)
    with doing("writing the report"):
        if options.output_file is not None:
            try:
                write_report(report, options.output_format, options.output_file, stdout, stderr)
            except OSError as exc:
                reason = exc.strerror or exc
                print(
                    f"persona-lint: error: {options.output_file}: cannot write the report: "
                    f"{reason}",
                    file=stderr,
                )
                return False
        else:
            get_formatter(options.output_format)(report, stdout)
        for line in notes:
            print(line, file=notes_out)
        if options.statistics:
            for line in statistics(results):
                print(line, file=notes_out)
        print(summary(results), file=notes_out)
    return True


def _say_error(error: Exception, options: RunOptions, stderr: TextIO) -> int:
    """Print what stopped the run in one line, and its traceback if asked; return 2.

    An internal error's traceback shows the bug it wraps (its ``__cause__``) first.
    """
    if isinstance(error, RunError):
        print(f"persona-lint: error: {error}", file=stderr)
        return 2
    print(f"persona-lint: {error}", file=stderr)
    if options.show_traceback:
        import traceback  # --show-traceback only: keeps traceback and textwrap off a run's start

        traceback.print_exception(error, file=stderr)
    return 2


def statistics(results: Sequence[FileResult]) -> list[str]:
    """Return the counts per code, most frequent first (like ruff --statistics)."""
    counts = Counter(d.code for r in results for d in r.diagnostics)
    lines = []
    for code, number in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        rule = get_rule(code)
        lines.append(f"{number:>5}  {code}  {rule.name if rule else ''}")
    return lines


def summary(results: Sequence[FileResult]) -> str:
    """Return the last line of a run: files checked and skipped, errors, warnings."""
    checked = sum(1 for r in results if not r.skipped)
    skipped = len(results) - checked
    errors = sum(1 for r in results for d in r.diagnostics if d.is_error)
    warnings = sum(1 for r in results for d in r.diagnostics if not d.is_error)
    text = f"{count(checked, 'file')} checked"
    formats = Counter(r.format for r in results if r.format is not None)
    if set(formats) - {"persona"}:  # say the formats once a run checks more than personas
        text += " (" + ", ".join(f"{n} {name}" for name, n in sorted(formats.items())) + ")"
    if skipped:
        text += f", {skipped} skipped (of no format checked)"
    return f"{text}: {count(errors, 'error')}, {count(warnings, 'warning')}"


def count(number: int, noun: str, plural: str | None = None) -> str:
    """Return ``number`` and ``noun``, plural unless the number is 1 ("3 files")."""
    return f"{number} {noun if number == 1 else plural or noun + 's'}"
