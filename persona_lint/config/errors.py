"""How a configuration error is reported: one message that says where and what.

Every problem in a configuration (unknown key, unknown code, wrong type, bad glob, invalid
TOML, unreadable file) is a :class:`ConfigError`. Its message names the file, the line and
the key, quotes the wrong value safely (a pull request writes the configuration: any string,
of any length) and, on a near miss, suggests the closest valid name. The CLI prints it as
one line and exits with code 2; the language server shows it at ``line`` in the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from persona_lint.config.toml_lines import KeyPath
from persona_lint.errors import RunError


class ConfigError(RunError):
    """An invalid configuration, whose message says where and what.

    Attributes:
        path: The configuration file, when the error is about one.
        line: The 1-based line the message names, when known (an editor shows it there).
    """

    def __init__(self, message: str, path: str | None = None, line: int | None = None) -> None:
        """Keep the message, and the file and line an editor needs to place it."""
        super().__init__(message)
        self.path = path
        self.line = line


def quoted(value: object) -> str:
    """``value`` as a message quotes it: escaped by ``repr``, cut after 60 characters."""
    text = repr(value)
    return text if len(text) <= 60 else text[:60] + "…"


def dotted(at: KeyPath) -> str:
    """A key path as TOML writes it, quoting parts that need it: ``per-file-ignores."a/*.md"``."""
    import json  # for a message only: keeps json (~1 ms) off a run with no configuration

    return ".".join(
        part if re.fullmatch(r"[A-Za-z0-9_-]+", part) else json.dumps(part) for part in at
    )


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` for the closest of ``choices`` to ``word``, or nothing."""
    import difflib  # only on an error: keeps difflib (~2 ms) off every run's start

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""
