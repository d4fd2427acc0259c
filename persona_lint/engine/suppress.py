"""Inline suppressions: HTML comments in the Markdown that render invisibly.

Inside an XML block, the same text is an XML comment:

    <!-- persona-lint: disable-next-line PL410 -->   the next line
    ... <!-- persona-lint: disable-line PL410 -->    this line
    <!-- persona-lint: disable-file PL410 -->        the whole file
    <!-- persona-lint: disable PL410 -->             from here ...
    <!-- persona-lint: enable PL410 -->              ... to here (or to the end)

Codes may be rule codes, prefixes or names, separated by spaces or commas; without codes a
comment covers every rule. A suppression that suppresses nothing is reported (PL005), and so
is one naming an unknown code (PL006), so that stale ones do not pile up.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from persona_lint.config.selectors import resolve_selector
from persona_lint.diagnostics import Diagnostic, Severity

_DIRECTIVE = re.compile(
    r"<!--\s*persona-lint:\s*(disable-next-line|disable-line|disable-file|disable|enable)"
    r"\b(.*?)-->"
)


class Directive(NamedTuple):
    """One suppression comment: its kind, its codes, where it is and the lines it covers."""

    kind: str
    codes: frozenset[str] | None  # None: every rule
    line: int
    column: int
    end_column: int
    first: int  # the lines it covers, inclusive
    last: int


def _parse_codes(text: str) -> tuple[frozenset[str] | None, list[str]]:
    words = [w for w in re.split(r"[,\s]+", text.strip()) if w]
    if not words:
        return None, []
    codes: set[str] = set()
    unknown = []
    for word in words:
        try:
            codes |= resolve_selector(word)
        except ValueError:
            unknown.append(word)
    return frozenset(codes), unknown


def may_hold_directives(text: str) -> bool:
    """Whether the text can hold a suppression comment at all (one C-speed search)."""
    return "persona-lint:" in text


def find_directives(path: str, lines: Sequence[str]) -> tuple[list[Directive], list[Diagnostic]]:
    """Return the suppression comments of a file, and PL006 diagnostics for unknown codes."""
    directives: list[Directive] = []
    problems: list[Diagnostic] = []
    open_ranges: list[Directive] = []  # disable comments not yet closed by an enable
    for number, text in enumerate(lines, start=1):
        for match in _DIRECTIVE.finditer(text):
            kind = match.group(1)
            codes, unknown = _parse_codes(match.group(2))
            column, end = match.start() + 1, match.end() + 1
            problems += [_unknown_code(path, number, column, end, word) for word in unknown]
            if unknown and not codes:
                continue
            if kind == "disable-next-line":
                directives.append(
                    Directive(kind, codes, number, column, end, number + 1, number + 1)
                )
            elif kind == "disable-line":
                directives.append(Directive(kind, codes, number, column, end, number, number))
            elif kind == "disable-file":
                directives.append(Directive(kind, codes, number, column, end, 1, len(lines)))
            elif kind == "disable":
                open_ranges.append(Directive(kind, codes, number, column, end, number, len(lines)))
            else:
                directives += _close_range(open_ranges, codes, number)
    return directives + open_ranges, problems


def _close_range(
    open_ranges: list[Directive], codes: frozenset[str] | None, line: int
) -> list[Directive]:
    """Close the latest open range with the same codes (or any, for an enable of every rule).

    Return the closed range, ending at ``line``, or nothing if no range matches.
    """
    for index in range(len(open_ranges) - 1, -1, -1):
        if codes is None or open_ranges[index].codes == codes:
            return [open_ranges.pop(index)._replace(last=line)]
    return []


def _unknown_code(path: str, line: int, column: int, end: int, word: str) -> Diagnostic:
    """Return the PL006 of a suppression comment naming an unknown rule."""
    return Diagnostic(
        path,
        line,
        column,
        "PL006",
        f"unknown rule {word!r} in a persona-lint suppression",
        Severity.WARNING,
        line,
        end,
    )


def apply_suppressions(
    path: str,
    lines: Sequence[str],
    diagnostics: Sequence[Diagnostic],
    enabled: frozenset[str] | None,
) -> list[Diagnostic]:
    """Drop suppressed diagnostics; add PL005 for unused and PL006 for unknown codes.

    ``enabled``: the codes selected for this file (None: all), so PL005/PL006 respect the
    selection like any rule.
    """
    directives, problems = find_directives(path, lines)
    if not directives and not problems:
        return list(diagnostics)
    # Single-line directives by the line they cover, so a file of thousands of them and of
    # diagnostics costs linear time, not their product (a threat, not a speed-up); the
    # others (files, ranges) are few in real files.
    by_line: dict[int, list[int]] = {}
    wide: list[int] = []
    for index, directive in enumerate(directives):
        if directive.first == directive.last:
            by_line.setdefault(directive.first, []).append(index)
        else:
            wide.append(index)
    used: set[int] = set()
    kept = []
    for diagnostic in diagnostics:
        covering = [
            i
            for i in (*by_line.get(diagnostic.line, ()), *wide)
            if directives[i].first <= diagnostic.line <= directives[i].last
            and (directives[i].codes is None or diagnostic.code in directives[i].codes)
        ]
        if covering:
            used.update(covering)
        else:
            kept.append(diagnostic)
    for index, directive in enumerate(directives):
        if index not in used:
            what = ", ".join(sorted(directive.codes)) if directive.codes else "any diagnostic"
            problems.append(
                Diagnostic(
                    path,
                    directive.line,
                    directive.column,
                    "PL005",
                    f"this {directive.kind} suppression of {what} suppresses nothing",
                    Severity.WARNING,
                    directive.line,
                    directive.end_column,
                )
            )
    # A file-wide suppression of PL005/PL006 silences these too.
    silenced = {
        code
        for d in directives
        if d.kind == "disable-file" and d.codes is not None
        for code in d.codes
    }
    for problem in problems:
        if (enabled is not None and problem.code not in enabled) or problem.code in silenced:
            continue
        kept.append(problem)
    return kept
