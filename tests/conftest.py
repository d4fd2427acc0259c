"""Shared test helpers: the canonical persona, a pinned "today", and linting shortcuts."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
from collections.abc import Mapping
from itertools import pairwise
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import settings as hypothesis_settings

from persona_lint import plugins
from persona_lint.cli import main
from persona_lint.config.settings import Settings
from persona_lint.diagnostics import Diagnostic
from persona_lint.engine.lint import FileResult, check_corpus, lint_source
from persona_lint.rules import registry

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
# `make fast-test` (the edit loop) loads this one (--hypothesis-profile edit-loop): the same
# fixed draws, fewer of them (see examples()).
hypothesis_settings.register_profile("edit-loop", derandomize=True, deadline=None)
hypothesis_settings.load_profile("derandomized")


def examples(full: int) -> int:
    """How many examples a property test draws: ``full`` under ``make test`` and CI, a tenth
    of it (at least 10) under the edit-loop profile of ``make fast-test``.

    The counts of ``make test`` are the ones measured to reach every line and branch of the
    code a test compares; the edit loop trades that for time and leaves it to ``make test``.
    """
    if hypothesis_settings.get_current_profile_name() == "edit-loop":
        return max(10, full // 10)
    return full


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


def cli(
    *args: str | Path, cwd: Path, env: Mapping[str, str | None] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``persona-lint ARGS`` in ``cwd`` in this process, through click's test runner.

    ``env`` holds variables set (or, given None, unset) for the run only; the rest of the
    environment stays.

    It answers as :func:`cli_process` does (exit code, standard output, standard error) at a
    fraction of the cost: a new interpreter imports persona-lint and its parsers each time
    (about 0.3 s of CPU). A bug raises here instead of becoming exit 2, which fails the
    test as loudly. Runs that load or disable plugins keep process-wide state
    (persona_lint.plugins), and ``--jobs`` above 1 forks worker processes: they go through
    :func:`cli_process`; this helper refuses them. The rules a configuration defines are
    described process-wide too (for ``rules`` and ``explain``): the run's are forgotten
    after it, as the end of its process would.
    """
    words = [str(arg) for arg in args]
    jobs = [value for option, value in pairwise(words) if option in ("--jobs", "-j")]
    jobs += [word.removeprefix("--jobs=") for word in words if word.startswith("--jobs=")]
    jobs += [word[2:] for word in words if word.startswith("-j") and word[2:].isdigit()]
    assert jobs in ([], ["1"]), "a run with worker processes: use cli_process"
    loaded_before = plugins.loaded_plugins()
    configured = dict(registry._CONFIGURED)
    here = Path.cwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(main, words, env=env, catch_exceptions=False)
    finally:
        os.chdir(here)
        registry._CONFIGURED.clear()
        registry._CONFIGURED.update(configured)
    assert plugins.loaded_plugins() == loaded_before, "a plugin run: use cli_process"
    assert not plugins._disabled, "a --no-plugins run: use cli_process"
    assert not plugins._local_allowed, "a --local-plugins run: use cli_process"
    return subprocess.CompletedProcess(args, result.exit_code, result.stdout, result.stderr)


def cli_process(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run ``python -m persona_lint ARGS`` in ``cwd`` as a real process.

    For what only a process shows or keeps to itself: the entry point's exit code and
    one-line internal errors, plugins (imported once per process), worker processes.
    """
    return subprocess.run(
        [sys.executable, "-m", "persona_lint", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
