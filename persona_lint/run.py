"""One lint run: discover files, read them, lint, report, and decide the exit code."""

from __future__ import annotations

import sys
from pathlib import Path

from persona_lint.files import Candidate, discover, read_limited
from persona_lint.formatters import Report, get_formatter
from persona_lint.linter import FileResult, check_corpus, lint_source, problem
from persona_lint.settings import Settings


def lint_candidate(candidate: Candidate, settings: Settings) -> FileResult:
    path = str(candidate.path)
    if candidate.refused:
        return problem(path, "PL004", candidate.refused, settings)
    try:
        data = read_limited(candidate.path, settings.max_file_size)
    except OSError as exc:
        return problem(path, "PL004", f"cannot read file: {exc.strerror or exc}", settings)
    return lint_source(path, data, settings, explicit=candidate.explicit)


def run(paths: list[Path], *, output_format: str, color: bool) -> int:
    missing = [p for p in paths if not p.exists() and not p.is_symlink()]
    if missing:
        for path in missing:
            print(f"persona-lint: error: no such file or folder: {path}", file=sys.stderr)
        return 2
    settings = Settings()
    results = [lint_candidate(c, settings) for c in discover(paths)]
    results = check_corpus(results, settings)
    report = Report(results, color=color)
    get_formatter(output_format)(report, sys.stdout)
    print(summary(results), file=sys.stdout)
    return 1 if any(d.is_error for r in results for d in r.diagnostics) else 0


def summary(results: list[FileResult]) -> str:
    checked = sum(1 for r in results if not r.skipped)
    skipped = len(results) - checked
    errors = sum(1 for r in results for d in r.diagnostics if d.is_error)
    warnings = sum(1 for r in results for d in r.diagnostics if not d.is_error)
    text = f"{_count(checked, 'file')} checked"
    if skipped:
        text += f", {skipped} skipped (not persona documents)"
    return f"{text}: {_count(errors, 'error')}, {_count(warnings, 'warning')}"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
