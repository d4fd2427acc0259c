"""The errors of a run, and bugs of persona-lint said in one line.

Two kinds end a run with exit code 2, never 1 (which means "errors found in your files"):

- a :class:`RunError`: persona-lint cannot do what it was asked (bad configuration,
  options, baseline, git revision...); its message says where and what. Modules raise
  subclasses of it, and the run catches this one base without importing them.
- an :class:`InternalError`: a bug outside the rules, naming what the run was doing and
  where (:func:`doing`), said as one line on standard error (the traceback only with
  ``--show-traceback``). A bug in a rule is PL001 for the file it met instead.

An exception's message may quote a file (a parser error, a ``KeyError`` on a tag name), so
:func:`describe` escapes what a terminal would obey and keeps it short.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from persona_lint.formatters.escape import human_path, human_text

# Characters of an exception's message kept in a diagnostic or an error line.
MAX_MESSAGE = 200


class RunError(Exception):
    """Why persona-lint cannot do what it was asked; the message says where and what."""


class InternalError(Exception):
    """A bug outside the rules, with what the run was doing when it happened.

    Its arguments are strings only, so it crosses from a worker process intact.
    """

    def __init__(self, doing: str, failure: str) -> None:
        """Keep what the run was ``doing`` and the :func:`describe` of the ``failure``."""
        super().__init__(doing, failure)
        self.doing = doing  # "linting personas/x.md", "writing the report"
        self.failure = failure

    def __str__(self) -> str:
        """Return the one line said on standard error."""
        return f"internal error while {self.doing}: {self.failure}"


def describe(exc: BaseException) -> str:
    """Return ``ExceptionType: message``, escaped, the message cut at :data:`MAX_MESSAGE`."""
    message = str(exc)
    if len(message) > MAX_MESSAGE:
        message = message[:MAX_MESSAGE] + "\u2026"
    name = type(exc).__name__
    return f"{name}: {human_text(message)}" if message else name


@contextmanager
def doing(what: str, path: str | None = None) -> Iterator[None]:
    """Turn a bug in the block into an :class:`InternalError` saying what the run was doing.

    The error says it happened while ``what`` (on ``path``); an InternalError from an inner
    block keeps its own phase, and the errors a run expects (:class:`RunError`) pass
    unchanged.
    """
    try:
        yield
    except (InternalError, RunError):
        raise
    except Exception as exc:
        where = f"{what} {human_path(path, starts_line=False)}" if path else what
        raise InternalError(where, describe(exc)) from exc
