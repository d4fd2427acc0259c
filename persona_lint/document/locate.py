"""Places inside an XML block's raw text: an attribute's value, a character of the text.

The parser gives each element the 0-based (line, column) of its ``<`` in the block's
content; rules report the place of what is wrong, which may be further on: an attribute's
value, or a character of the text. These functions walk the raw dialect text from the
element's ``<`` and answer in the same 0-based content coordinates (the block's source map,
:meth:`persona_lint.document.model.CodeBlock.to_file`, takes them to the file). Each walk
reads only what lies between the element and the place asked for.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from persona_lint.xml.dialect import REFERENCE

__all__ = ["attribute_value_start", "text_position"]

# How far below its element's ``<`` an attribute is looked for (a start tag spread over
# more lines than this is reported at its ``<``).
_ATTRIBUTE_LINES = 20


def attribute_value_start(
    lines: Sequence[str], line: int, column: int, name: str
) -> tuple[int, int] | None:
    """The place of the first character of attribute ``name``'s value; None if not found.

    The start tag's ``<`` is at (line, column).
    """
    pattern = _attribute_pattern(name)
    for number in range(line, min(line + _ATTRIBUTE_LINES, len(lines))):
        match = pattern.search(lines[number], column if number == line else 0)
        if match:
            return number, match.end()
    return None


def text_position(
    lines: Sequence[str], line: int, column: int, index: int
) -> tuple[int, int] | None:
    """The place of character ``index`` of an element's text; None if its start tag never ends.

    The element's ``<`` is at (line, column). An entity such as ``&lt;`` counts as the one
    character it stands for, and comments are stepped over (expat drops them from the text).
    """
    after = _after_start_tag(lines, line, column)
    if after is None:
        return None
    line, column = after
    remaining = index
    while True:
        while lines[line].startswith("<!--", column):
            line, column = _after_comment(lines, line, column)
        if remaining <= 0:
            break
        if column >= len(lines[line]):
            if line + 1 >= len(lines):
                break
            line, column = line + 1, 0
            remaining -= 1  # the newline
            continue
        reference = REFERENCE.match(lines[line], column)
        column += len(reference.group()) if reference else 1
        remaining -= 1
    return line, column


def _after_start_tag(lines: Sequence[str], line: int, column: int) -> tuple[int, int] | None:
    """The place just after the ``>`` of the start tag at (line, column), if it has one.

    Quoted attribute values may hold ``>``.
    """
    if not 0 <= line < len(lines):
        return None
    quote = ""
    while True:
        if column >= len(lines[line]):
            if line + 1 >= len(lines):
                return None
            line, column = line + 1, 0
            continue
        char = lines[line][column]
        column += 1
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char == ">":
            return line, column


@cache
def _attribute_pattern(name: str) -> re.Pattern[str]:
    """Where the value of attribute ``name`` starts: after its opening quote."""
    return re.compile(rf"\b{re.escape(name)}\s*=\s*[\"']")


def _after_comment(lines: Sequence[str], line: int, column: int) -> tuple[int, int]:
    """The place just after the ``-->`` that closes the comment starting at (line, column)."""
    start = column + 4
    while line < len(lines):
        end = lines[line].find("-->", start)
        if end >= 0:
            return line, end + 3
        if line + 1 >= len(lines):
            return line, len(lines[line])
        line, start = line + 1, 0
    return line, column
