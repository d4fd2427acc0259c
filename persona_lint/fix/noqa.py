"""Where a suppression comment goes, and the edits that write it.

One placement engine for both ``--add-noqa`` (every remaining diagnostic of a file) and
the language server's "Suppress" quick fix (one diagnostic): a comment must silence the
finding without changing the document's structure.

- At the end of the line (``disable-line``): the usual place.
- On a line of its own above (``disable-next-line``): for headings and fence lines (text
  after them changes the title or the fence), and for an XML line that ends inside a tag
  which begins on it.
- Around the tag (a ``disable``/``enable`` pair): for a line in the middle of an XML tag
  that spans lines, where no comment may go.
- File-wide (``disable-file``): for table rows (an extra cell, and a comment line inside
  a table ends it) and for findings about the whole file.

A comment that already names codes of the same kind in that place gains the new code.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from persona_lint.diagnostics import LineEdit, TextEdit
from persona_lint.document.model import CodeBlock, Document
from persona_lint.fix.edits import Edit


class Placement(enum.IntEnum):
    """Where a suppression goes, from the least to the most sweeping."""

    END_OF_LINE = 0
    LINE_ABOVE = 1
    AROUND = 2
    FILE = 3

    def wider(self) -> Placement:
        """The next place to try when this one does not silence the finding."""
        return Placement.LINE_ABOVE if self is Placement.END_OF_LINE else Placement.FILE


@dataclass(frozen=True, order=True)
class Where:
    """A placement and the 1-based lines it covers.

    ``AROUND``: the lines of the tag; ``FILE``: the last line of the table the finding is
    in (the language server writes the comment after it), else the finding's line.
    """

    placement: Placement
    first: int
    last: int


def directive(kind: str, codes: Iterable[str]) -> str:
    """The suppression comment of ``kind`` naming ``codes`` (sorted)."""
    return f"<!-- persona-lint: {kind} {' '.join(sorted(codes))} -->"


def placement(document: Document, line: int, *, whole_file: bool = False) -> Where:
    """Where a suppression for 1-based ``line`` can go without changing the structure.

    ``whole_file``: the finding is about the whole file (it goes file-wide).
    """
    if whole_file:
        return Where(Placement.FILE, line, line)
    for table in document.tables:
        end = max([table.line + 1, *(row[0].line for row in table.rows if row)])
        if table.line <= line <= end:
            return Where(Placement.FILE, end, end)
    if any(heading.line == line for heading in document.headings):
        return Where(Placement.LINE_ABOVE, line, line)
    for block in document.code_blocks:
        if block.fence_line <= line <= _last_line(block):
            return _in_block(document.lines, block, line)
    return Where(Placement.END_OF_LINE, line, line)


def _last_line(block: CodeBlock) -> int:
    """1-based line of the block's closing fence (or last content line when unclosed)."""
    return block.content_line + len(block.line_offsets) - (0 if block.closed else 1)


def _in_block(lines: Sequence[str], block: CodeBlock, line: int) -> Where:
    """Where a suppression goes for a line of a code block."""
    above, end = Where(Placement.LINE_ABOVE, line, line), Where(Placement.END_OF_LINE, line, line)
    if line == block.fence_line or (block.fenced and block.closed and line == _last_line(block)):
        return above
    if not block.fenced or block.language != "xml":
        return end
    first = block.content_line - 1
    open_at = open_markup(lines[first : first + len(block.line_offsets)])
    inner = line - 1 - first
    if not 0 <= inner < len(open_at) or open_at[inner] is None:
        return end
    if inner == 0 or open_at[inner - 1] is None:
        return above
    stop = next((j for j in range(inner, len(open_at)) if open_at[j] is None), len(open_at) - 1)
    return Where(Placement.AROUND, first + (open_at[inner] or 0) + 1, first + stop + 1)


def open_markup(lines: Sequence[str]) -> list[int | None]:
    """For each line of an XML block, where the markup still open at its end began.

    None when the line ends outside markup, else the index of the line where the
    unfinished tag, comment, CDATA section or instruction began.

    A light scan in the persona dialect (a ``<`` that cannot start markup is text), only
    to tell where a comment may go; the real parser reports errors.
    """
    scanner = _MarkupScanner()
    return [scanner.feed(number, line) for number, line in enumerate(lines)]


_ENDS = {"<!--": "-->", "<![CDATA[": "]]>", "<?": "?>", "<!": ">"}


class _MarkupScanner:
    """The state of :func:`open_markup` between lines."""

    def __init__(self) -> None:
        self.closing: str | None = None  # what ends the open construct; "" is a tag
        self.began = 0
        self.quote = ""

    def feed(self, number: int, line: str) -> int | None:
        """Scan line ``number``; None, or where the construct still open after it began."""
        i = 0
        while i < len(line):
            if self.closing is None:
                i = self._outside(number, line, i)
            elif self.closing == "":
                i = self._in_tag(line, i)
            else:
                j = line.find(self.closing, i)
                if j < 0:
                    break
                i, self.closing = j + len(self.closing), None
        return None if self.closing is None else self.began

    def _outside(self, number: int, line: str, i: int) -> int:
        """Outside markup: find the next ``<`` that opens something."""
        j = line.find("<", i)
        if j < 0:
            return len(line)
        opener = next((o for o in _ENDS if line.startswith(o, j)), None)
        name = line[j + 2 : j + 3] if line.startswith("</", j) else line[j + 1 : j + 2]
        if opener is not None:
            self.closing, self.began = _ENDS[opener], number
            return j + len(opener)
        if name and (name.isalpha() or name in "_:"):
            self.closing, self.began, self.quote = "", number, ""
        return j + 1

    def _in_tag(self, line: str, i: int) -> int:
        """Inside a tag: one character, minding quoted attribute values."""
        char = line[i]
        if self.quote:
            self.quote = "" if char == self.quote else self.quote
        elif char in "\"'":
            self.quote = char
        elif char == ">":
            self.closing = None
        return i + 1


# -- The edits that write a suppression. ----------------------------------------------------


def _joined(lines: Sequence[str], line: int, kind: str, codes: Iterable[str]) -> TextEdit | None:
    """Name ``codes`` in a directive of ``kind`` already on 1-based ``line``, if any."""
    if not 1 <= line <= len(lines):
        return None
    match = re.search(rf"<!--\s*persona-lint:\s*{kind}\b(.*?)-->", lines[line - 1])
    if match is None or not match.group(1).strip():
        return None
    named = " ".join([match.group(1).strip(), *sorted(codes)])
    return TextEdit(line, match.start(1) + 1, match.end(1) + 1, f" {named} ")


def _indent(text: str) -> str:
    return text[: len(text) - len(text.lstrip())]


def end_of_line(lines: Sequence[str], line: int, codes: Iterable[str]) -> Edit:
    """``disable-line`` at the end of 1-based ``line``."""
    codes = sorted(codes)
    joined = _joined(lines, line, "disable-line", codes)
    if joined is not None:
        return joined
    source = lines[line - 1]
    comment = (" " if source.strip() else "") + directive("disable-line", codes)
    return TextEdit(line, len(source) + 1, len(source) + 1, comment)


def line_above(lines: Sequence[str], line: int, codes: Iterable[str]) -> Edit:
    """``disable-next-line`` on a line of its own above 1-based ``line``."""
    codes = sorted(codes)
    if line > 1 and lines[line - 2].strip().startswith("<!--"):
        joined = _joined(lines, line - 1, "disable-next-line", codes)
        if joined is not None:
            return joined
    comment = _indent(lines[line - 1]) + directive("disable-next-line", codes)
    return LineEdit(line, line - 1, (comment,))


def around(lines: Sequence[str], first: int, last: int, codes: Iterable[str]) -> tuple[Edit, ...]:
    """A ``disable`` line above line ``first`` and ``enable`` at the end of line ``last``."""
    codes = sorted(codes)
    disable = _indent(lines[first - 1]) + directive("disable", codes)
    end = len(lines[last - 1]) + 1
    enable = " " + directive("enable", codes)
    return (LineEdit(first, first - 1, (disable,)), TextEdit(last, end, end, enable))


def file_wide(lines: Sequence[str], after: int, codes: Iterable[str]) -> Edit:
    """``disable-file`` on a line of its own after 1-based line ``after``.

    Joins a ``disable-file`` directive on the next line, if there is one.
    """
    codes = sorted(codes)
    joined = _joined(lines, after + 1, "disable-file", codes)
    return joined or LineEdit(after + 1, after, (directive("disable-file", codes),))


def at_end_of_file(lines: Sequence[str], codes: Iterable[str]) -> Edit:
    """``disable-file`` at the end of the file, where ``--add-noqa`` gathers them.

    After a blank line, before the file's final newline if any.
    """
    last = len(lines) - 1 if len(lines) > 1 and lines[-1] == "" else len(lines)
    comment = directive("disable-file", codes)
    added = ("", comment) if lines[last - 1].strip() else (comment,)
    return LineEdit(last + 1, last, added)


def suppression(lines: Sequence[str], where: Where, codes: Iterable[str]) -> tuple[Edit, ...]:
    """The edits that suppress ``codes`` at ``where`` (file-wide: after ``where.last``)."""
    if where.placement is Placement.END_OF_LINE:
        return (end_of_line(lines, where.first, codes),)
    if where.placement is Placement.LINE_ABOVE:
        return (line_above(lines, where.first, codes),)
    if where.placement is Placement.AROUND:
        return around(lines, where.first, where.last, codes)
    return (file_wide(lines, where.last, codes),)
