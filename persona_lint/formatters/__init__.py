"""Output formats: each takes a run's results and writes one format.

Formatters are found by name in a registry whose names, :data:`FORMAT_NAMES`, also feed
the CLI's choices. Each lives in its own module, imported only when asked for. The
formats are documented in ``docs/ci.md``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, TextIO

if TYPE_CHECKING:
    # Only for annotations: the CLI imports FORMAT_NAMES, which must stay cheap.
    from persona_lint.diagnostics import Diagnostic
    from persona_lint.engine.result import FileResult


class Report(NamedTuple):
    """Everything a formatter may show: the results of one run, in run order."""

    results: Sequence[FileResult]
    color: bool = False

    @property
    def diagnostics(self) -> list[Diagnostic]:
        """Every diagnostic of the run, sorted by path, position and code."""
        return sorted(d for r in self.results for d in r.diagnostics)

    @property
    def files_checked(self) -> int:
        """The number of files linted (not skipped)."""
        return sum(1 for r in self.results if not r.skipped)

    @property
    def files_skipped(self) -> int:
        """The number of files a folder walk skipped (not Markdown personas)."""
        return sum(1 for r in self.results if r.skipped)

    @property
    def errors(self) -> int:
        """The number of error diagnostics."""
        return sum(1 for r in self.results for d in r.diagnostics if d.is_error)

    @property
    def warnings(self) -> int:
        """The number of warning diagnostics."""
        return sum(1 for r in self.results for d in r.diagnostics if not d.is_error)


Formatter = Callable[[Report, TextIO], None]

# name -> "module:function" below persona_lint.formatters; the order is the CLI's.
_FORMATTERS = {
    "full": "text:full",
    "concise": "text:concise",
    "json": "json_report:json_report",
    "json-lines": "json_report:json_lines",
    "sarif": "sarif:sarif",
    "github": "github:github",
    "junit": "junit:junit",
    "gitlab": "gitlab:gitlab",
}

FORMAT_NAMES = tuple(_FORMATTERS)


def get_formatter(name: str) -> Formatter:
    """The formatter called ``name`` (one of :data:`FORMAT_NAMES`)."""
    try:
        module_name, function = _FORMATTERS[name].split(":")
    except KeyError:
        choices = ", ".join(FORMAT_NAMES)
        raise ValueError(f"unknown output format {name!r}; choose from {choices}") from None
    module = importlib.import_module(f"{__name__}.{module_name}")
    formatter: Formatter = getattr(module, function)
    return formatter


def write_report(
    report: Report,
    name: str,
    destination: Path | None,
    stdout: TextIO,
    stderr: TextIO | None = None,
) -> None:
    """Write ``report`` in format ``name`` to ``stdout``, or to the file ``destination``.

    A file is written atomically: the report goes to a temporary file in the same
    folder, which then replaces ``destination`` in one step, so readers never see half a
    report and a failure (in the formatter, or a full disk) leaves any previous file as
    it was and no temporary file behind. A device or a named pipe (``/dev/null``) is
    written directly, never replaced; a symbolic link is neither replaced nor written
    through, unless it leads to standard output or standard error (``/dev/stdout``).
    Files are UTF-8 with LF line ends, uncoloured. Raises OSError when the report cannot
    be written (its ``strerror`` says why).
    """
    formatter = get_formatter(name)
    if destination is None:
        formatter(report, stdout)
        return
    if report.color:
        report = report._replace(color=False)
    from persona_lint.source.write import open_output

    streams = (stdout,) if stderr is None else (stdout, stderr)
    with open_output(Path(destination), streams) as handle:
        formatter(report, handle)


__all__ = ["FORMAT_NAMES", "Formatter", "Report", "get_formatter", "write_report"]
