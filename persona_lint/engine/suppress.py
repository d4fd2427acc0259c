"""Inline suppressions: HTML comments in the Markdown (XML comments inside a block) that
render invisibly.

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

from persona_lint.diagnostics import Diagnostic, Severity

_DIRECTIVE = re.compile(
    r"<!--\s*persona-lint:\s*(disable-next-line|disable-line|disable-file|disable|enable)"
    r"\b(.*?)-->"
)


class Directive(NamedTuple):
    kind: str
    codes: frozenset[str] | None  # None: every rule
    line: int
    column: int
    end_column: int
    first: int  # the lines it covers, inclusive
    last: int


def _parse_codes(text: str) -> tuple[frozenset[str] | None, list[str]]:
    from persona_lint.config.selectors import resolve_selector

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
    """The suppression comments of a file, and PL006 diagnostics for unknown codes."""
    directives: list[Directive] = []
    problems: list[Diagnostic] = []
    open_ranges: list[tuple[int, int, int, frozenset[str] | None]] = []
    for number, text in enumerate(lines, start=1):
        if "persona-lint:" not in text:
            continue
        for match in _DIRECTIVE.finditer(text):
            kind = match.group(1)
            codes, unknown = _parse_codes(match.group(2))
            column, end = match.start() + 1, match.end() + 1
            for word in unknown:
                problems.append(
                    Diagnostic(
                        path,
                        number,
                        column,
                        "PL006",
                        f"unknown rule {word!r} in a persona-lint suppression",
                        Severity.WARNING,
                        number,
                        end,
                    )
                )
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
                open_ranges.append((number, column, end, codes))
            else:  # enable: closes the latest open range with the same codes (or any)
                for index in range(len(open_ranges) - 1, -1, -1):
                    start, start_column, start_end, range_codes = open_ranges[index]
                    if codes is None or range_codes == codes:
                        directives.append(
                            Directive(
                                "disable",
                                range_codes,
                                start,
                                start_column,
                                start_end,
                                start,
                                number,
                            )
                        )
                        del open_ranges[index]
                        break
    for start, column, end, codes in open_ranges:
        directives.append(Directive("disable", codes, start, column, end, start, len(lines)))
    return directives, problems


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
    # Single-line directives by the line they cover; the others (files, ranges) are few.
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
