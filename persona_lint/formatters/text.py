"""Human formats: ``concise`` and ``full``.

``concise`` writes one line per diagnostic, the compiler convention that editors' problem
matchers and Vim's errorformat read; ``full`` each diagnostic with the offending line and a
caret under the column, like ruff.

Columns count code points, but a terminal draws East Asian wide characters (CJK, most
emoji) two cells wide, combining marks in no cell and a tab up to the next tab stop. The
``full`` format measures every character it prints before the caret the same way, so the
caret stands under the character it means. A line longer than :data:`SNIPPET_WIDTH`
characters is shown as a window of that many around the column, cut ends marked ``…``, so
a diagnostic costs the same on a 1 MiB line as on a short one.

File names and messages are escaped (:mod:`persona_lint.formatters.escape`): no control
character reaches the terminal, and no line starts with a workflow command.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from typing import TextIO

from persona_lint.diagnostics import Diagnostic, Severity
from persona_lint.formatters import Report
from persona_lint.formatters.escape import BIDI_CONTROLS, human_path, human_text

_RED, _YELLOW, _BOLD, _DIM, _CYAN, _RESET = (
    "\x1b[31m",
    "\x1b[33m",
    "\x1b[1m",
    "\x1b[2m",
    "\x1b[36m",
    "\x1b[0m",
)

TAB_SIZE = 4
# Characters of a source line the full format shows at most, and how many of them before
# the column when it cuts the line.
SNIPPET_WIDTH = 2000
SNIPPET_BEFORE = 400


def _paint(text: str, style: str, color: bool) -> str:
    return f"{style}{text}{_RESET}" if color else text


def _style(diagnostic: Diagnostic) -> str:
    return _RED if diagnostic.severity is Severity.ERROR else _YELLOW


def _severity(diagnostic: Diagnostic, color: bool) -> str:
    return _paint(str(diagnostic.severity), _BOLD + _style(diagnostic), color)


def concise_line(diagnostic: Diagnostic, color: bool = False) -> str:
    """Return a diagnostic as ``path:line:col: severity: message [CODE]``."""
    place = f"{human_path(diagnostic.path)}:{diagnostic.line}:{diagnostic.column}:"
    return (
        f"{_paint(place, _BOLD, color)} {_severity(diagnostic, color)}: "
        f"{human_text(diagnostic.message)} {_paint('[' + diagnostic.code + ']', _DIM, color)}"
    )


def concise(report: Report, out: TextIO) -> None:
    """Write one line per diagnostic."""
    for diagnostic in report.diagnostics:
        out.write(concise_line(diagnostic, report.color) + "\n")


def char_width(char: str) -> int:
    """Terminal cells taken by one character (tabs are handled by :func:`display`)."""
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def display(line: str) -> tuple[str, list[int]]:
    """``line`` as printed, and the cell where each character (and the end) starts.

    Tabs become spaces up to the next multiple of :data:`TAB_SIZE`; other control
    characters become their visible Unicode "control picture" (a file could otherwise
    move the cursor or change colours of the terminal showing it), C1 controls and the
    bidirectional overrides (which reorder what a terminal shows) a replacement character.
    """
    shown: list[str] = []
    starts: list[int] = []
    cell = 0
    for char in line:
        starts.append(cell)
        if char == "\t":
            spaces = TAB_SIZE - cell % TAB_SIZE
            shown.append(" " * spaces)
            cell += spaces
            continue
        code = ord(char)
        if code < 0x20 or code == 0x7F:
            char = chr(0x2400 + code) if code < 0x20 else "\u2421"
        elif 0x80 <= code < 0xA0 or char in BIDI_CONTROLS:
            char = "\ufffd"
        shown.append(char)
        cell += char_width(char)
    starts.append(cell)
    return "".join(shown), starts


def _cell(starts: list[int], column: int) -> int:
    """The cell of 1-based ``column``; past the end of the line, one cell per column."""
    index = column - 1
    if index < len(starts):
        return starts[index]
    return starts[-1] + index - (len(starts) - 1)


def caret_span(line: str, diagnostic: Diagnostic) -> tuple[str, int, int]:
    """The displayed line, and the first cell and width of the caret run under it.

    The run covers the diagnostic's range when it ends on the same line, the rest of
    the line when it ends on a later one, else the one character at the column; it is
    at least one cell wide.
    """
    shown, starts = display(line)
    start = _cell(starts, max(diagnostic.column, 1))
    if diagnostic.end_column is not None and diagnostic.end_line in (None, diagnostic.line):
        end = _cell(starts, diagnostic.end_column)
    elif diagnostic.end_line is not None and diagnostic.end_line > diagnostic.line:
        end = starts[-1]
    else:
        end = _cell(starts, max(diagnostic.column, 1) + 1)
    return shown, start, max(1, end - start)


def snippet(line: str, diagnostic: Diagnostic) -> tuple[str, int, int]:
    """Return :func:`caret_span` of a window of ``line`` around the diagnostic's column.

    At most :data:`SNIPPET_WIDTH` characters, with ``…`` where the line was cut.
    """
    if len(line) <= SNIPPET_WIDTH:
        return caret_span(line, diagnostic)
    first = min(max(diagnostic.column, 1) - 1, len(line))
    low = max(0, min(first - SNIPPET_BEFORE, len(line) - SNIPPET_WIDTH))
    high = low + SNIPPET_WIDTH
    end_column = diagnostic.end_column
    if end_column is not None:
        end_column = min(end_column - low, high - low + 1)
    shifted = dataclasses.replace(diagnostic, column=first + 1 - low, end_column=end_column)
    shown, start, width = caret_span(line[low:high], shifted)
    if low > 0:
        shown, start = "\u2026" + shown, start + 1
    if high < len(line):
        shown += "\u2026"
    return shown, start, width


def full(report: Report, out: TextIO) -> None:
    """Write each diagnostic with its line and a caret under its column."""
    color = report.color
    lines_by_path = {r.path: r.lines for r in report.results if r.lines}
    for diagnostic in report.diagnostics:
        out.write(concise_line(diagnostic, color) + "\n")
        lines = lines_by_path.get(diagnostic.path)
        if lines and 1 <= diagnostic.line <= len(lines):
            shown, start, width = snippet(lines[diagnostic.line - 1], diagnostic)
            gutter = str(diagnostic.line)
            pad = " " * len(gutter)
            out.write(_paint(f"{pad} |", _CYAN, color) + "\n")
            out.write(_paint(f"{gutter} |", _CYAN, color) + f" {shown}".rstrip() + "\n")
            caret = _paint("^" * width, _BOLD + _style(diagnostic), color)
            out.write(_paint(f"{pad} |", _CYAN, color) + " " + " " * start + caret + "\n")
        out.write("\n")
