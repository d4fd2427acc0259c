"""Human formats: ``concise`` (one line per diagnostic, the compiler convention that
editors' problem matchers and Vim's errorformat read) and ``full`` (each diagnostic with
the offending line and a caret under the column, like ruff)."""

from __future__ import annotations

from typing import TextIO

from persona_lint.diagnostics import Diagnostic, Severity
from persona_lint.formatters import Report

_RED, _YELLOW, _BOLD, _DIM, _CYAN, _RESET = (
    "\x1b[31m",
    "\x1b[33m",
    "\x1b[1m",
    "\x1b[2m",
    "\x1b[36m",
    "\x1b[0m",
)


def _paint(text: str, style: str, color: bool) -> str:
    return f"{style}{text}{_RESET}" if color else text


def _severity(diagnostic: Diagnostic, color: bool) -> str:
    style = _RED if diagnostic.severity is Severity.ERROR else _YELLOW
    return _paint(str(diagnostic.severity), _BOLD + style, color)


def concise_line(diagnostic: Diagnostic, color: bool = False) -> str:
    """``path:line:col: severity: message [CODE]``"""
    place = f"{diagnostic.path}:{diagnostic.line}:{diagnostic.column}:"
    return (
        f"{_paint(place, _BOLD, color)} {_severity(diagnostic, color)}: "
        f"{diagnostic.message} {_paint('[' + diagnostic.code + ']', _DIM, color)}"
    )


def concise(report: Report, out: TextIO) -> None:
    for diagnostic in report.diagnostics:
        out.write(concise_line(diagnostic, report.color) + "\n")


def full(report: Report, out: TextIO) -> None:
    lines_by_path = {r.path: r.document.lines for r in report.results if r.document is not None}
    for diagnostic in report.diagnostics:
        out.write(concise_line(diagnostic, report.color) + "\n")
        lines = lines_by_path.get(diagnostic.path)
        if lines and 1 <= diagnostic.line <= len(lines):
            source = lines[diagnostic.line - 1]
            gutter = str(diagnostic.line)
            pad = " " * len(gutter)
            width = 1
            if diagnostic.end_column and diagnostic.end_line in (None, diagnostic.line):
                width = max(1, diagnostic.end_column - diagnostic.column)
            out.write(_paint(f"{pad} |", _CYAN, report.color) + "\n")
            out.write(_paint(f"{gutter} |", _CYAN, report.color) + f" {source}\n")
            caret = " " * (diagnostic.column - 1) + "^" * width
            out.write(
                _paint(f"{pad} |", _CYAN, report.color)
                + " "
                + _paint(caret, _BOLD + _RED, report.color)
                + "\n"
            )
        out.write("\n")
