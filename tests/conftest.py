"""Shared test helpers: the canonical persona, a pinned "today", and linting shortcuts."""

from __future__ import annotations

import datetime
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from persona_lint.config.settings import Settings
from persona_lint.diagnostics import Diagnostic
from persona_lint.engine.lint import FileResult, check_corpus, lint_source

ROOT = Path(__file__).resolve().parents[1]
PERSONAS = ROOT / "personas"
CANONICAL_PATH = PERSONAS / "backend-engineer.md"
CANONICAL = CANONICAL_PATH.read_text(encoding="utf-8")
SHARED = ROOT.parent / "shared"
TODAY = datetime.date(2026, 11, 26)
SETTINGS = Settings(today=TODAY)

# Every property test draws the same examples on every run, whatever its own @settings say
# about the rest: a test that passes on one machine passes on CI.
hypothesis_settings.register_profile("derandomized", derandomize=True, deadline=None)
hypothesis_settings.load_profile("derandomized")

needs_shared = pytest.mark.skipif(
    not (SHARED / "corpus").is_dir(), reason="../shared (the real corpus) is absent"
)


def lint(text: str | bytes, path: str = "backend-engineer.md", **kwargs: object) -> FileResult:
    """Lint text as if it were the file at ``path``, with today pinned."""
    settings = Settings(today=TODAY, **kwargs)  # type: ignore[arg-type]
    return check_corpus([lint_source(path, text, settings)], settings)[0]


def triples(diagnostics: tuple[Diagnostic, ...] | list[Diagnostic]) -> list[tuple[str, int, int]]:
    """(code, line, column) of each diagnostic, in order."""
    return [(d.code, d.line, d.column) for d in diagnostics]


def codes(text: str | bytes, path: str = "backend-engineer.md") -> list[tuple[str, int, int]]:
    return triples(lint(text, path).diagnostics)


def edit(find: str, replace: str, text: str = CANONICAL) -> str:
    """The canonical persona with ``find`` replaced (which must occur)."""
    assert find in text, find
    return text.replace(find, replace)


def cli(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run ``python -m persona_lint ARGS`` in ``cwd`` as a real process."""
    return subprocess.run(
        [sys.executable, "-m", "persona_lint", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
