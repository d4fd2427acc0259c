r"""Offsets in a text and the places people read: 1-based lines and character columns.

Every diagnostic points at a line and a column of the Markdown file, counted in characters
(Unicode code points), both 1-based. Parsers work in 0-based character offsets; this module
is the one conversion between the two, so no module keeps its own copy.

Example::

    >>> place("ab\\ncd", 4)
    (2, 2)
    >>> LineStarts.of("ab\\ncd").offset(2, 2)
    4
"""

from __future__ import annotations

from bisect import bisect_right


def place(text: str, offset: int) -> tuple[int, int]:
    """Return the 1-based line and column of ``offset`` (0-based) in ``text``.

    An offset at a line feed belongs to the line that the line feed ends. Costs one scan of
    the text before ``offset``: for many places in one text, use :class:`LineStarts`.
    """
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


class LineStarts:
    """The offset at which each line of one text starts, for many conversions."""

    __slots__ = ("starts",)

    def __init__(self, starts: list[int]) -> None:
        """Keep ``starts``: the 0-based offset of each line's first character."""
        self.starts = starts

    @classmethod
    def of(cls, text: str) -> LineStarts:
        """Index the lines of ``text``."""
        starts = [0]
        found = text.find("\n")
        while found >= 0:
            starts.append(found + 1)
            found = text.find("\n", found + 1)
        return cls(starts)

    def place(self, offset: int) -> tuple[int, int]:
        """Return the 1-based line and column of the 0-based ``offset``."""
        line = bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1

    def offset(self, line: int, column: int) -> int:
        """Return the 0-based offset of the 1-based ``line`` and ``column``."""
        return self.starts[line - 1] + column - 1
