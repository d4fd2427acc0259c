"""Text edits: merging them into whole-line edits, finding conflicts, applying them.

Everything here is pure (text in, text out). An edit is a :class:`TextEdit` (characters of
one line) or a :class:`LineEdit` (whole lines); both are defined beside the diagnostics
that carry them (:mod:`persona_lint.diagnostics`). Applying edits also records where each
line of the result came from, so that the fix engine can tell a fix that moves lines from
one that adds a problem.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from persona_lint.diagnostics import LineEdit, TextEdit

Edit = TextEdit | LineEdit
# Where a line of edited text came from: ("line", n) for original line n, untouched, or
# ("edit", n) for a line written by the edit that starts at original line n.
Origin = tuple[str, int]


@dataclass(frozen=True)
class Applied:
    """Text after edits, with a map between its lines and the original ones.

    Diagnostics before and after are compared by (code, origin of their line), so that a
    fix that moves lines is not mistaken for one that adds a problem.
    """

    text: str
    new_keys: tuple[Origin, ...]  # per new line
    old_to_new: tuple[int, ...]  # per original line (1-based values)
    edits: tuple[LineEdit, ...]

    def key_of_new(self, line: int) -> Origin:
        """Where line ``line`` of the edited text came from."""
        if 1 <= line <= len(self.new_keys):
            return self.new_keys[line - 1]
        return ("line", line - len(self.new_keys) + len(self.old_to_new))

    def key_of_old(self, line: int) -> Origin:
        """The origin that the edited text gives to original line ``line``."""
        for edit in self.edits:
            if edit.first <= line <= edit.last:
                return ("edit", edit.first)
        return ("line", line)

    def new_line(self, line: int) -> int:
        """The line of the edited text where original line ``line`` went."""
        if 1 <= line <= len(self.old_to_new):
            return self.old_to_new[line - 1]
        return line - len(self.old_to_new) + len(self.new_keys)


def _edited_line(text: str, edits: list[TextEdit]) -> str | None:
    """``text`` with character edits applied, right to left.

    None when two overlap or one lies outside the line.
    """
    limit = len(text) + 1  # each edit must end left of the one applied before it
    for edit in sorted(edits, key=lambda e: (e.column, e.end_column), reverse=True):
        if not 1 <= edit.column <= edit.end_column <= limit:
            return None
        text = text[: edit.column - 1] + edit.text + text[edit.end_column - 1 :]
        limit = edit.column
    return text


def _overlap(merged: Sequence[LineEdit]) -> bool:
    """Whether two line edits replace one line or insert twice at one place.

    ``merged`` is sorted by first line.
    """
    replaced_to = 0  # the last line replaced so far
    inserted: set[int] = set()
    for edit in merged:
        if edit.first <= replaced_to:
            return True
        if edit.last < edit.first:
            if edit.first in inserted:
                return True
            inserted.add(edit.first)
        else:
            replaced_to = edit.last
    return False


def line_edits(lines: Sequence[str], edits: Iterable[Edit]) -> list[LineEdit] | None:
    """The edits as whole-line edits in line order, the text edits of each line merged.

    None when two edits overlap or one lies outside the text.
    """
    by_line: dict[int, list[TextEdit]] = {}
    merged: list[LineEdit] = []
    for edit in edits:
        if isinstance(edit, TextEdit):
            by_line.setdefault(edit.line, []).append(edit)
        elif 1 <= edit.first <= edit.last + 1 <= len(lines) + 1:
            merged.append(edit)
        else:
            return None
    for number, text_edits in by_line.items():
        text = _edited_line(lines[number - 1], text_edits) if 1 <= number <= len(lines) else None
        if text is None:
            return None
        merged.append(LineEdit(number, number, (text,)))
    merged.sort(key=lambda e: (e.first, e.last))
    return None if _overlap(merged) else merged


def conflict_free(lines: Sequence[str], candidates: Sequence[Sequence[Edit]]) -> list[int]:
    """The indexes of the edit groups that overlap none of the groups chosen before them."""
    chosen: list[int] = []
    edits: list[Edit] = []
    for index, group in enumerate(candidates):
        if line_edits(lines, [*edits, *group]) is not None:
            chosen.append(index)
            edits.extend(group)
    return chosen


def apply_edits(text: str, edits: Iterable[Edit]) -> Applied | None:
    """``text`` with ``edits`` applied; None when they overlap or do not apply."""
    lines = text.split("\n")
    merged = line_edits(lines, edits)
    if merged is None:
        return None
    new_lines: list[str] = []
    new_keys: list[Origin] = []
    old_to_new: list[int] = []

    def copy_until(stop: int) -> None:
        """Copy original lines up to ``stop`` (exclusive) unchanged."""
        while len(old_to_new) + 1 < stop:
            old_to_new.append(len(new_lines) + 1)
            new_keys.append(("line", len(old_to_new)))
            new_lines.append(lines[len(old_to_new) - 1])

    for edit in merged:
        copy_until(edit.first)
        start = len(new_lines) + 1
        new_lines.extend(edit.lines)
        new_keys.extend([("edit", edit.first)] * len(edit.lines))
        old_to_new.extend([start] * (edit.last - edit.first + 1))
    copy_until(len(lines) + 1)
    return Applied("\n".join(new_lines), tuple(new_keys), tuple(old_to_new), tuple(merged))
