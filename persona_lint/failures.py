"""Bugs in persona-lint itself, said in one line.

A bug in a rule is PL001 for the file it met (the linter catches it); a bug anywhere else
in a run is an :class:`InternalError` naming what the run was doing and where, which the
run turns into one line on standard error and exit code 2 (the traceback only with
``--show-traceback``). Never exit code 1: that means "errors found in your files".

An exception's message may quote a file (a parser error, a ``KeyError`` on a tag name), so
:func:`describe` escapes what a terminal would obey and keeps it short.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from persona_lint.errors import RunError
from persona_lint.formatters.escape import human_path, human_text

# Characters of an exception's message kept in a diagnostic or an error line.
MAX_MESSAGE = 200


def describe(exc: BaseException) -> str:
    """``ExceptionType: message``, escaped, the message cut at :data:`MAX_MESSAGE`."""
    message = str(exc)
    if len(message) > MAX_MESSAGE:
        message = message[:MAX_MESSAGE] + "\u2026"
    name = type(exc).__name__
    return f"{name}: {human_text(message)}" if message else name


class InternalError(Exception):
    """A bug outside the rules, with what the run was doing when it happened.

    Its arguments are strings only, so it crosses from a worker process intact.
    """

    def __init__(self, doing: str, failure: str) -> None:
        super().__init__(doing, failure)
        self.doing = doing  # "linting personas/x.md", "writing the report"
        self.failure = failure  # describe() of the exception

    def __str__(self) -> str:
        return f"internal error while {self.doing}: {self.failure}"


@contextmanager
def doing(what: str, path: str | None = None) -> Iterator[None]:
    """Turn a bug in the block into an :class:`InternalError` saying it happened while
    ``what`` (on ``path``); an InternalError from an inner block keeps its own phase, and
    the errors a run expects (:class:`RunError`) pass unchanged."""
    try:
        yield
    except (InternalError, RunError):
        raise
    except Exception as exc:
        where = f"{what} {human_path(path, starts_line=False)}" if path else what
        raise InternalError(where, describe(exc)) from exc
