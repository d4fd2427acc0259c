"""The edits behind the language server's code actions.

Pure functions of a parsed document or of two texts: a suppression comment where the
document stays valid (`suppression_fix`, placed by `persona_lint.fix.noqa`), removing an
unused one (`removal_fix`), and the one change that turns a text into its fixed version
(`text_change`), for the fixes the rules attach to their diagnostics.

Places are 0-based (line, column) pairs counting code points in the text as the linter
reads it (LF line endings, no byte order mark); the server converts them to the client's
position encoding.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from persona_lint.config.selectors import resolve_selector
from persona_lint.diagnostics import Diagnostic, LineEdit, TextEdit
from persona_lint.document.model import Document
from persona_lint.fix import noqa
from persona_lint.fix.noqa import open_markup
from persona_lint.positions import place

__all__ = ["Change", "Fix", "open_markup", "removal_fix", "suppression_fix", "text_change"]


@dataclass(frozen=True)
class Change:
    """Replace code points ``start`` to ``end`` with ``text``.

    ``start`` and ``end`` are 0-based (line, column) places; equal, the change is an
    insertion.
    """

    start: tuple[int, int]
    end: tuple[int, int]
    text: str


@dataclass(frozen=True)
class Fix:
    """A code action's edit: its title, its changes, and whether editors apply it first."""

    title: str
    changes: tuple[Change, ...]
    preferred: bool = False


def _change(lines: Sequence[str], edit: TextEdit | LineEdit) -> Change:
    """One edit of :mod:`persona_lint.fix.noqa` (1-based) as a 0-based change."""
    if isinstance(edit, TextEdit):
        return Change(
            (edit.line - 1, edit.column - 1), (edit.line - 1, edit.end_column - 1), edit.text
        )
    inserted = "".join(f"{line}\n" for line in edit.lines)
    if edit.first <= len(lines):
        return Change((edit.first - 1, 0), (edit.last, 0), inserted)
    end = (len(lines) - 1, len(lines[-1]))  # after the last line: before it, a line break
    return Change(end, end, "\n" + inserted.removesuffix("\n"))


def suppression_fix(document: Document, line: int, code: str) -> Fix:
    """The edit that suppresses ``code`` at 1-based ``line`` and keeps the document valid.

    Placed by :func:`persona_lint.fix.noqa.placement`, as ``--add-noqa`` places it, except
    that a file-wide suppression for a table row goes on a line of its own right after
    the table, where it is seen with the table.
    """
    lines = document.lines
    number = min(max(line, 1), len(lines))
    where = noqa.placement(document, number)
    edits = noqa.suppression(lines, where, (code,))
    title = {
        noqa.Placement.AROUND: f"Suppress {code} on lines {where.first}-{where.last}",
        noqa.Placement.FILE: f"Suppress {code} in this file",
    }.get(where.placement, f"Suppress {code} on this line")
    return Fix(title, tuple(_change(lines, edit) for edit in edits))


def removal_fix(document: Document, diagnostic: Diagnostic) -> Fix | None:
    """Return the fix that removes an unused suppression (PL005), if it is safe.

    Safe, as it suppresses nothing, unless it may cover cross-file rules, which see only
    the documents open in the editor.
    """
    index = diagnostic.line - 1
    if diagnostic.end_column is None or not 0 <= index < len(document.lines):
        return None
    text = document.lines[index]
    start, end = diagnostic.column - 1, diagnostic.end_column - 1
    kinds = "disable-line|disable-next-line|disable-file"
    match = re.match(rf"<!--\s*persona-lint:\s*(?:{kinds})\b(.*?)-->", text[start:end])
    if match is None:
        return None
    try:
        codes = {
            c for w in re.split(r"[,\s]+", match.group(1).strip()) if w for c in resolve_selector(w)
        }
    except ValueError:
        return None
    if not codes or any(c.startswith("PL8") for c in codes):
        return None
    title = "Remove unused suppression"
    if not (text[:start] + text[end:]).strip():
        if index + 1 < len(document.lines):
            return Fix(title, (Change((index, 0), (index + 1, 0), ""),), preferred=True)
        if index > 0:
            previous = len(document.lines[index - 1])
            return Fix(title, (Change((index - 1, previous), (index, len(text)), ""),), True)
    while start > 0 and text[start - 1] in " \t":
        start -= 1
    return Fix(title, (Change((index, start), (index, end), ""),), preferred=True)


def text_change(before: str, after: str) -> Change | None:
    """Return the one change that turns ``before`` into ``after`` (None if they are equal).

    Both have LF line endings; the change is the span between their common beginning and their
    common end. Editors keep the cursor and folds outside the span.
    """
    if before == after:
        return None
    limit = min(len(before), len(after))
    start = _longest(limit, lambda n: before[:n] == after[:n])
    end = _longest(limit - start, lambda n: before[len(before) - n :] == after[len(after) - n :])
    return Change(
        _zero_based(before, start),
        _zero_based(before, len(before) - end),
        after[start : len(after) - end],
    )


def _longest(limit: int, holds: Callable[[int], bool]) -> int:
    """Return the largest ``n <= limit`` for which ``holds(n)``.

    ``holds`` is true up to some ``n`` and false after it (a binary search: slices compare
    in C).
    """
    low, high = 0, limit
    while low < high:
        middle = (low + high + 1) // 2
        if holds(middle):
            low = middle
        else:
            high = middle - 1
    return low


def _zero_based(text: str, offset: int) -> tuple[int, int]:
    """The 0-based (line, column) of a character offset in ``text``, as changes count."""
    line, column = place(text, offset)
    return line - 1, column - 1
