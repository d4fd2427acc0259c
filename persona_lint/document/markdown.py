"""The block structure of a Markdown file: a fast line scanner, and markdown-it as fallback.

Why: persona-lint needs only the top-level block structure of a persona document (its
version table, headings, fenced code blocks and paragraphs). markdown-it-py finds it
correctly but costs about 23 ms to import in a cold process and 0.6-0.9 ms per 10 KB file
(its block state walks the source in Python). Persona documents use a tiny subset of
Markdown, which a line scanner recognises in a few hundredths of a millisecond (issue 8).

markdown-it remains the parser of record. :func:`scan` is conservative: it accepts a
document only when every line belongs to a construct whose CommonMark (+ GFM table)
reading it can reproduce exactly, and returns ``None`` ("I can't be sure") otherwise, in
which case :func:`parse_blocks` falls back to markdown-it, imported only then (a process
that lints only persona documents never loads it). Both paths produce the same neutral
:class:`Block` records, from which :func:`persona_lint.document.model.parse_document` builds
everything else, and ``tests/test_blocks.py`` proves that they agree on every known
document (personas, the real corpus, docs, rule examples, hostile inputs) and on
thousands of line-wise mutations and random line soups. A scanner change that is not
exact fails that test; a construct the scanner does not know is simply left to markdown-it.

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

import itertools
import re
from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token


class Block(NamedTuple):  # a tuple: cheaper to make than a frozen dataclass
    """One block of the document, as a neutral record of what persona-lint needs.

    ``kind`` is ``table``, ``heading``, ``fence``, ``code_block`` (indented code),
    ``paragraph`` or ``other`` (any other top-level block: HTML, lists, quotes, rules).
    ``begin``/``end`` are 0-based lines, end excluded (markdown-it's ``token.map``).
    ``nested`` blocks sit inside a list or a block quote (only markdown-it reports them).
    """

    kind: str
    begin: int
    end: int
    nested: bool = False
    level: int = 0  # headings: 1-6
    text: str = ""  # headings: the inline content
    info: str = ""  # code blocks: the info string, verbatim
    markup: str = ""  # fences: the opening marker run
    content: str = ""  # code blocks: the content, with a newline after each line
    # Code blocks: where line ``begin`` starts in the text, and content.count("\n"). With
    # them parse_document sees whether the content is lines of the file taken verbatim
    # without splitting it (the scanner knows both for free).
    offset: int = 0
    newlines: int = 0


def parse_blocks(text: str, lines: Sequence[str] | None = None) -> list[Block]:
    """The blocks of ``text``: from the scanner when it is sure, else from markdown-it."""
    blocks = scan(text, lines)
    return blocks if blocks is not None else markdown_blocks(text)


# --- markdown-it, the parser of record -------------------------------------------------


@cache
def _markdown() -> MarkdownIt:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table").disable(["inline", "text_join"])


def markdown_blocks(text: str) -> list[Block]:
    """The blocks of ``text`` as markdown-it (block rules only) finds them."""
    return blocks_from_tokens(_markdown().parse(text), text)


def blocks_from_tokens(tokens: list[Token], text: str) -> list[Block]:
    """Block records from markdown-it tokens: every table, heading, code block and
    paragraph (nested ones too), and every other top-level block as ``other``."""
    # Where each line starts in the text.
    starts = [0, *itertools.accumulate(len(line) + 1 for line in text.split("\n"))]
    blocks: list[Block] = []
    for index, token in enumerate(tokens):
        if token.map is None or token.nesting < 0:
            continue
        begin, end = token.map
        nested = token.level > 0
        kind = token.type
        if kind == "table_open":
            blocks.append(Block("table", begin, end, nested))
        elif kind == "heading_open":
            text = tokens[index + 1].content
            blocks.append(Block("heading", begin, end, nested, int(token.tag[1:]), text))
        elif kind in ("fence", "code_block"):
            blocks.append(
                Block(
                    kind,
                    begin,
                    end,
                    nested,
                    info=token.info,
                    markup=token.markup,
                    content=token.content,
                    offset=starts[begin],
                    newlines=token.content.count("\n"),
                )
            )
        elif kind == "paragraph_open":
            blocks.append(Block("paragraph", begin, end, nested))
        elif not nested:
            blocks.append(Block("other", begin, end))
    return blocks


# --- the scanner -------------------------------------------------------------------------


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
    """The blocks of ``text``, or ``None`` when it holds anything the scanner defers on.

    ``lines`` is ``text.split("\\n")`` when the caller has it already.
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
        lines = self.lines
        line = lines[number]
        opening = _fence_opening(line)
        if opening is None:
            return None
        markup, info = opening
        text = self.text
        known, offset = self.known
        offset += sum(map(len, lines[known:number])) + number - known
        marker = markup[0]
        start = search = offset + len(line) + 1  # where the content starts
        # The closing fence: a line holding the marker run, at least as long, after at
        # most three spaces (a tab would indent it to column 4, making it content), then
        # only spaces and tabs. str.find jumps straight to the candidates (a one-character
        # needle is searched fastest).
        while True:
            found = text.find(marker, search)
            if found < 0:
                break
            line_start = text.rfind("\n", 0, found) + 1
            line_end = text.find("\n", found)
            if line_end < 0:
                line_end = len(text)
            if (
                found - line_start <= 3
                and text.startswith(" " * (found - line_start), line_start)
                and text.startswith(markup, found)
                and not text[found:line_end].lstrip(marker).strip(" \t")
            ):
                # The first line equal to this one is this one (an equal line before it
                # would have closed the fence): list.index finds it at C speed.
                end = lines.index(text[line_start:line_end], number + 1)
                self.known = (end + 1, line_end + 1)
                content = text[start:line_start]  # lines number + 1 to end - 1
                return Block(
                    "fence",
                    number,
                    end + 1,
                    info=info,
                    markup=markup,
                    content=content,
                    offset=offset,
                    newlines=end - number - 1,
                )
            search = line_end + 1  # the next line: each line is looked at once
        # Unclosed: the fence runs to the end of the document.
        end = self.count
        stop = len(text) - len(self.lines[-1]) if end < len(self.lines) else len(text)
        content = text[start:stop] if end > number + 1 else ""
        return Block(
            "fence",
            number,
            end,
            info=info,
            markup=markup,
            content=content,
            offset=offset,
            newlines=content.count("\n"),
        )

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
