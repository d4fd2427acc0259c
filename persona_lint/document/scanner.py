"""A line scanner for the Markdown subset persona documents use (issue 8).

markdown-it remains the parser of record. :func:`scan` is conservative: it accepts a
document only when every line belongs to a construct whose CommonMark (+ GFM table) reading
it can reproduce exactly, and returns ``None`` ("I can't be sure") otherwise, in which case
:func:`persona_lint.document.markdown.parse_blocks` falls back to markdown-it.
``tests/unit/test_blocks.py`` proves that both agree on every known document (personas, the real
corpus, docs, rule examples, hostile inputs) and on thousands of line-wise mutations and
random line soups. A scanner change that is not exact fails that test; a construct the
scanner does not know is simply left to markdown-it.

What the scanner accepts, at the top level only (a line is *blank* when it holds nothing
but spaces and tabs):

- blank lines;
- ATX headings: 1-6 ``#`` at column 0, then a space, a tab or the end of the line (closing
  ``#`` sequences are removed as markdown-it removes them);
- fences opening at column 0 with three or more backticks (an info string without
  backticks) or tildes, closed by a line of at least as many of the same marker after at
  most three spaces and followed only by spaces and tabs, or left open to the end;
  content lines are taken verbatim;
- pipe tables whose header row starts with ``|`` at column 0, followed by a delimiter
  row starting with ``|`` at column 0 with as many columns; then rows starting with ``|``
  at column 0, up to a blank line or the end of the file;
- HTML comment blocks: a line starting with ``<!--`` at column 0, up to the first line
  holding ``-->`` (persona-lint's suppression comments live in those);
- paragraphs whose every line starts at column 0 with an ordinary character, ended by a
  blank line, the end of the file, or one of the fences, headings or comments above.

It defers (returns ``None``) on everything else, among others: any non-blank line outside
a fence or comment that starts with a space or a tab (indented code, lazy continuations),
block quotes (``>``), list items, thematic breaks and setext underlines (lines starting
with ``-``, ``+``, ``_``, ``=``, digits followed by ``.``/``)`` and a space or the end,
``*`` followed by a space or the end, or ``*`` with only ``*``/spaces/tabs), HTML blocks
other than comments (``<``), link reference
definitions (``[``), a line starting with ``|`` or ``:`` that is not part of an accepted
table, a table header without a leading ``|``, a line with ``|`` followed by what could be
a delimiter row, a table long and wide enough to reach markdown-it's cap on
autocompleted cells, a heading whose text would begin or end with whitespace other than
spaces and tabs, carriage returns and NUL characters (which markdown-it rewrites).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from persona_lint.document.blocks import Block


class _Defer(Exception):
    """The scanner cannot be sure of markdown-it's reading: fall back."""


# The first characters of a line that may start a block, interrupt a paragraph or
# underline it: a line starting with any other character is ordinary paragraph text.
# Some are looked at more closely ("#", "`", "~", "*", digits: see _ordinary); the
# others (" ", "\t", ">", "-", "+", "_", "=", "<", "|", ":", "[") make the scanner defer.
_SPECIAL = frozenset(" \t>-+_=<|:[#`~*0123456789")
_ORDERED_MARKER = re.compile(r"[0-9]+[.)](?:[ \t]|$)")
_DELIMITER_CELL = re.compile(r":?-+:?")
_DELIMITER_CHARS = frozenset("|-: \t")
# markdown-it trims heading text with the CommonMark whitespace set (a superset of
# " \t"); text whose edges hold any such doubtful character is left to markdown-it.
_DOUBTFUL = frozenset("\u200b\u2028\u2029\ufeff")


def _doubtful_edges(text: str) -> bool:
    if not text:
        return False
    first, last = text[0], text[-1]
    return first.isspace() or last.isspace() or first in _DOUBTFUL or last in _DOUBTFUL


# A table has at most this many cells filled in before markdown-it stops autocompleting.
_MAX_AUTOCOMPLETED_CELLS = 0x10000


def scan(text: str, lines: Sequence[str] | None = None) -> list[Block] | None:
    r"""The blocks of ``text``, or ``None`` when it holds anything the scanner defers on.

    ``lines`` is ``text.split("\n")`` when the caller has it already.
    """
    if "\r" in text or text.find("\0") >= 0:  # (find: "in" is slow for NUL in UCS-2)
        return None
    if lines is None:
        lines = text.split("\n")
    try:
        return _Scanner(text, lines).blocks()
    except _Defer:
        return None


class _Scanner:
    def __init__(self, text: str, lines: Sequence[str]) -> None:
        self.text = text
        self.lines = lines
        # markdown-it has no line after a final newline, nor for a last line of only
        # spaces and tabs that no newline ends.
        self.count = len(lines) - 1 if not lines[-1].strip(" \t") else len(lines)
        # A line whose offset in text is known: (0, 0), then the line after each fence.
        self.known = (0, 0)

    def blocks(self) -> list[Block]:
        lines, count = self.lines, self.count
        blocks: list[Block] = []
        number = 0
        while number < count:
            line = lines[number]
            if not line.strip(" \t"):
                number += 1
                continue
            first = line[0]
            if first == "|":
                block = self.table(number)
            else:
                if "|" in line:
                    self.no_table_at(number)
                # The first character tells which of a fence, a heading or a comment the
                # line may open (else, or when it opens none, a paragraph starts).
                if first in "`~":
                    block = self.fence(number) or self.paragraph(number)
                elif first == "#":
                    block = self.heading(number) or self.paragraph(number)
                elif first == "<":
                    block = self.comment(number) or self.paragraph(number)
                elif first in " \t":
                    raise _Defer
                else:
                    block = self.paragraph(number)
            blocks.append(block)
            number = block.end
        return blocks

    # The table rule comes first at every block start: a line holding "|" followed by
    # what may be a delimiter row is left to markdown-it unless it is an accepted table.
    def no_table_at(self, number: int) -> None:
        if (
            number + 1 < self.count
            and "|" in self.lines[number]
            and self.lines[number + 1].lstrip(" \t")[:1] in ("|", "-", ":")
        ):
            raise _Defer

    def table(self, number: int) -> Block:
        lines, count = self.lines, self.count
        if number + 1 >= count:
            raise _Defer
        delimiter = lines[number + 1]
        if delimiter[:1] != "|":
            raise _Defer
        aligns = _delimiter_columns(delimiter)
        header = lines[number].rstrip(" \t")
        if aligns is None or _doubtful_edges(header):
            raise _Defer
        columns = _escaped_split(header)
        if columns and columns[0] == "":
            columns.pop(0)
        if columns and columns[-1] == "":
            columns.pop()
        if len(columns) != aligns:
            raise _Defer
        end = number + 2
        while end < count and lines[end][:1] == "|":
            end += 1
        if end < count and lines[end].strip(" \t"):
            raise _Defer
        # Each row autocompletes at most `aligns` cells: stay far from markdown-it's cap.
        if aligns * (end - number - 2) > _MAX_AUTOCOMPLETED_CELLS:
            raise _Defer
        return Block("table", number, end)

    def fence(self, number: int) -> Block | None:
        """The fence opening at line ``number``, if it opens one: up to its closing fence.

        The closing fence is a line holding the marker run, at least as long, after at most
        three spaces (a tab would indent it to column 4, making it content), then only
        spaces and tabs. Without one, the fence runs to the end of the document.
        """
        lines, text = self.lines, self.text
        line = lines[number]
        opening = _fence_opening(line)
        if opening is None:
            return None
        markup, info = opening
        known, offset = self.known
        offset += sum(map(len, lines[known:number])) + number - known
        start = offset + len(line) + 1  # where the content starts
        # The newline before the closing fence's line (that before the content, at least).
        closing = _closing_fence(markup[0], len(markup)).search(text, start - 1)
        if closing is not None:
            end = number + 1 + text.count("\n", start, closing.start() + 1)
            self.known = (end + 1, closing.end() + 1)
            content = text[start : closing.start() + 1]
            return Block("fence", number, end + 1, info=info, markup=markup, content=content)
        end = self.count
        stop = len(text) - len(lines[-1]) if end < len(lines) else len(text)
        content = text[start:stop] if end > number + 1 else ""
        return Block("fence", number, end, info=info, markup=markup, content=content)

    def heading(self, number: int) -> Block | None:
        found = _heading(self.lines[number])
        if found is None:
            return None
        level, text = found
        return Block("heading", number, number + 1, level=level, text=text)

    def comment(self, number: int) -> Block | None:
        lines, count = self.lines, self.count
        if not lines[number].startswith("<!--"):
            return None
        end = number
        while end < count:
            if "-->" in lines[end]:
                return Block("other", number, end + 1)
            end += 1
        return Block("other", number, count)

    def paragraph(self, number: int) -> Block:
        lines, count = self.lines, self.count
        if not _ordinary(lines[number]):
            raise _Defer
        end = number + 1
        while end < count:
            line = lines[end]
            if not line.strip(" \t"):
                break
            first = line[0]
            if first not in _SPECIAL:
                end += 1  # ordinary text (see _ordinary), the common case
                continue
            if first in " \t":
                raise _Defer  # a lazy continuation, or a block that may interrupt
            if (
                (first in "`~" and _fence_opening(line) is not None)
                or (first == "#" and _heading(line) is not None)
                or line.startswith("<!--")
            ):
                break  # these interrupt a paragraph
            if not _ordinary(line):
                raise _Defer  # a table, list, rule, setext underline, HTML, ...
            end += 1
        return Block("paragraph", number, end)


def _ordinary(line: str) -> bool:
    """Whether a line (not blank, at column 0) can only be paragraph text."""
    first = line[0]
    if first not in _SPECIAL:
        return True
    if first == "#":
        return _heading(line) is None
    if first in "`~":
        return _fence_opening(line) is None
    if first == "*":
        # Not a list item ("*" then a space or the end) nor a thematic break.
        return len(line) > 1 and line[1] not in " \t" and bool(line.strip("* \t"))
    if first.isdigit():
        return _ORDERED_MARKER.match(line) is None
    return False


@lru_cache(maxsize=64)  # a few marker runs per document
def _closing_fence(marker: str, size: int) -> re.Pattern[str]:
    """A line that closes a fence of ``size`` ``marker`` characters, with its newline before.

    The newline makes the search jump from line to line (a ``^`` would try every character).
    """
    return re.compile(rf"\n {{0,3}}{re.escape(marker)}{{{size},}}[ \t]*(?=\n|\Z)")


def _fence_opening(line: str) -> tuple[str, str] | None:
    """(markup, info) when ``line`` opens a fence at column 0."""
    marker = line[:1]
    if marker not in ("`", "~"):
        return None
    info = line.lstrip(marker)
    size = len(line) - len(info)
    if size < 3 or (marker == "`" and "`" in info):
        return None
    return line[:size], info


def _heading(line: str) -> tuple[int, str] | None:
    """(level, text) when ``line`` is an ATX heading at column 0."""
    if not line.startswith("#"):
        return None
    rest = line.lstrip("#")
    level = len(line) - len(rest)
    if level > 6 or (rest and rest[0] not in " \t"):
        return None
    # Cut a closing sequence: trailing spaces, then "#"s preceded by a space or a tab.
    end = len(rest.rstrip(" \t"))
    unhashed = len(rest[:end].rstrip("#"))
    if unhashed > 0 and rest[unhashed - 1] in " \t":
        end = unhashed
    text = rest[:end].strip(" \t")
    if _doubtful_edges(text):
        raise _Defer
    return level, text


def _delimiter_columns(line: str) -> int | None:
    """The number of columns of a delimiter row starting with "|" at column 0, or None."""
    if len(line) < 2 or line[1] not in _DELIMITER_CHARS or not _DELIMITER_CHARS.issuperset(line):
        return None
    cells = line.split("|")
    columns = 0
    for index, cell in enumerate(cells):
        cell = cell.strip(" \t")
        if not cell:
            if index in (0, len(cells) - 1):
                continue
            return None
        if not _DELIMITER_CELL.fullmatch(cell):
            return None
        columns += 1
    return columns


def _escaped_split(line: str) -> list[str]:
    """Split a table row on unescaped pipes, as markdown-it's ``escapedSplit`` does."""
    if "\\" not in line:
        return line.split("|")
    result: list[str] = []
    current = ""
    last = 0
    escaped = False
    for position, char in enumerate(line):
        if char == "|":
            if not escaped:
                result.append(current + line[last:position])
                current = ""
                last = position + 1
            else:
                current += line[last : position - 1]
                last = position
        escaped = char == "\\"
    result.append(current + line[last:])
    return result
