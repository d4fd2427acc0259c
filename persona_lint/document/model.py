"""The parsed persona document: its Markdown block structure, its XML blocks, and a source
map from every part back to 1-based lines and columns of the Markdown file.

Only block structure is parsed (see :mod:`persona_lint.document.markdown`: a line scanner for the
Markdown subset persona documents use, markdown-it-py with its inline rules off for anything
else): persona-lint needs fences, headings, tables and paragraphs, never emphasis or links,
and block parsing stays linear on pathological inline markup.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import NamedTuple, TypeVar
from xml.etree.ElementTree import Element

from persona_lint.document.markdown import Block, parse_blocks
from persona_lint.xml.dialect import REFERENCE as _REFERENCE
from persona_lint.xml.dialect import ParsedXml, parse_block

_T = TypeVar("_T")
VERSION_COLUMNS = ("version", "last_updated", "status")
_CLOSING_FENCE = re.compile(r"^[ \t]*(?:>[ \t]?)*[ \t]*(`{3,}|~{3,})[ \t]*$")
_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")
_USAGE = re.compile(r"^\s*(?:>\s*)*\*\*Usage\*\*\s*:")
_PERSONA_OPTION = re.compile(r"--persona[ =]([^\s`'\"*,;)]+)")


class Cell(NamedTuple):
    """A table cell: its trimmed text and the 1-based place where that text starts."""

    text: str
    line: int
    column: int

    @property
    def end_column(self) -> int:
        return self.column + len(self.text)


class Table(NamedTuple):
    """A pipe table: its header cells and data rows, with positions."""

    line: int
    header: tuple[Cell, ...]
    rows: tuple[tuple[Cell, ...], ...]
    is_first_block: bool


class Heading(NamedTuple):
    level: int
    text: str
    line: int
    column: int


@dataclass(frozen=True)
class CodeBlock:
    """A fenced or indented code block and where each content line sits in the file."""

    info: str
    content: str
    fence_line: int  # 1-based line of the opening fence (or first line, when indented)
    fence_column: int
    content_line: int  # 1-based Markdown line of the first content line
    # For each content line, how many characters of the Markdown line precede it
    # (indentation, blockquote markers): the source map of the block.
    line_offsets: tuple[int, ...]
    fenced: bool
    closed: bool
    # The content's lines when they are lines of the file taken verbatim (the content is
    # each of them followed by a newline): a slice of the document's lines, split once.
    verbatim: tuple[str, ...] | None = field(default=None, repr=False, compare=False)

    @property
    def language(self) -> str:
        return self.info.split()[0].lower() if self.info.strip() else ""

    @cached_property
    def lines(self) -> list[str]:
        """The content's lines, split once: locating many elements must stay linear."""
        if self.verbatim is not None:
            return [*self.verbatim, ""]  # what content.split("\n") gives, without a split
        return self.content.split("\n")

    def to_file(self, line: int, column: int) -> tuple[int, int]:
        """Map a 0-based (line, column) of the content to a 1-based place in the file."""
        offset = self.line_offsets[line] if 0 <= line < len(self.line_offsets) else 0
        return self.content_line + line, offset + column + 1


@dataclass(frozen=True, eq=False)
class XmlBlock:
    """A fenced ``xml`` block, parsed in the persona dialect."""

    code: CodeBlock
    parsed: ParsedXml

    @property
    def root(self) -> Element | None:
        return self.parsed.root if self.parsed.error is None else None

    @property
    def root_tag(self) -> str | None:
        """The root element's name, even when the block is not well-formed."""
        return self.parsed.root.tag if self.parsed.root is not None else None

    def locate(self, element: Element) -> tuple[int, int]:
        """1-based place of ``element``'s ``<`` in the Markdown file."""
        line, column = self.parsed.position(element)
        return self.code.to_file(line, column)

    def locate_attribute(self, element: Element, name: str) -> tuple[int, int]:
        """1-based place in the file of the first character of attribute ``name``'s value."""
        lines = self.code.lines
        line, column = self.parsed.position(element)
        pattern = _attribute_pattern(name)
        for number in range(line, min(line + 20, len(lines))):
            match = pattern.search(lines[number], column if number == line else 0)
            if match:
                return self.code.to_file(number, match.end())
        return self.locate(element)

    def locate_text(self, element: Element, index: int) -> tuple[int, int]:
        """1-based place in the file of character ``index`` of ``element.text``.

        Walks the raw dialect text after the start tag, so an entity such as ``&lt;``
        counts as the one character it stands for.
        """
        lines = self.code.lines
        line, column = self.parsed.position(element)
        if not 0 <= line < len(lines):
            return self.locate(element)
        # Skip the start tag (quoted attribute values may hold ">").
        quote = ""
        while True:
            if column >= len(lines[line]):
                if line + 1 >= len(lines):
                    return self.locate(element)
                line, column = line + 1, 0
                continue
            char = lines[line][column]
            column += 1
            if quote:
                quote = "" if char == quote else quote
            elif char in "\"'":
                quote = char
            elif char == ">":
                break
        remaining = index
        while True:
            # Comments are not part of the text (expat drops them): step over them.
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
            reference = _REFERENCE.match(lines[line], column)
            column += len(reference.group()) if reference else 1
            remaining -= 1
        return self.code.to_file(line, column)


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


class UsageLine(NamedTuple):
    line: int
    column: int
    text: str
    persona: str | None  # the slug named by --persona, if any
    persona_line: int
    persona_column: int


class ComputationFailed(Exception):
    """A computation shared by several rules (:meth:`Document.once`) raised ``cause``."""

    def __init__(self, key: str, cause: Exception) -> None:
        super().__init__(key, cause)
        self.key = key
        self.cause = cause


@dataclass(frozen=True, eq=False)
class Document:
    """Everything persona-lint knows about one Markdown file."""

    path: str
    text: str
    lines: tuple[str, ...]
    tables: tuple[Table, ...]
    headings: tuple[Heading, ...]
    code_blocks: tuple[CodeBlock, ...]
    xml_blocks: tuple[XmlBlock, ...]
    usage: UsageLine | None
    first_block_line: int | None
    # What rules compute from the document, by name (see once); the cached properties below
    # are kept in the instance too: a Document never changes, and several rules ask.
    _cache: dict[str, object] = field(default_factory=dict, repr=False)

    def once(self, key: str, compute: Callable[[Document], _T]) -> _T:
        """``compute(self)``, computed on the first call with ``key`` and kept: several rules
        ask the same question of a document.

        A failure is kept too: every later call raises the same :class:`ComputationFailed`,
        so the linter reports one bug once, not once per rule that asked.
        """
        cache = self._cache
        if key not in cache:
            try:
                cache[key] = compute(self)
            except Exception as exc:
                failure = ComputationFailed(key, exc)
                failure.__cause__ = exc
                cache[key] = failure
        found = cache[key]
        if isinstance(found, ComputationFailed):
            raise found
        return found  # type: ignore[return-value]

    @cached_property
    def version_table(self) -> Table | None:
        """The first table whose first header cell is ``version`` (any case)."""
        for table in self.tables:
            if table.header and table.header[0].text.strip().lower() == "version":
                return table
        return None

    @cached_property
    def title(self) -> Heading | None:
        for heading in self.headings:
            if heading.level == 1:
                return heading
        return None

    @cached_property
    def persona_context(self) -> XmlBlock | None:
        for block in self.xml_blocks:
            if block.root_tag == "persona_context":
                return block
        return None

    @cached_property
    def behavior(self) -> XmlBlock | None:
        for block in self.xml_blocks:
            if block.root_tag is not None and block.root_tag.endswith("_behavior"):
                return block
        return None

    @property
    def has_persona_markers(self) -> bool:
        """Whether the file looks like a persona document at all (see the README)."""
        if self.version_table is not None:
            return True
        title = self.title
        if title is not None and title.text.rstrip().endswith(" Persona"):
            return True
        return any("<persona_context" in block.content for block in self.code_blocks)


def parse_document(path: str, text: str) -> Document:
    """Parse Markdown source text (already decoded, LF line endings) into a Document."""
    lines = tuple(text.split("\n"))
    tables: list[Table] = []
    headings: list[Heading] = []
    code_blocks: list[CodeBlock] = []
    usage: UsageLine | None = None
    first_block: Block | None = None
    for block in parse_blocks(text, lines):
        if first_block is None and not block.nested:
            first_block = block
        if block.kind == "table":
            tables.append(_table(lines, block, is_first_block=block is first_block))
        elif block.kind == "heading":
            headings.append(_heading(lines, block))
        elif block.kind in ("fence", "code_block"):
            code_blocks.append(_code_block(text, lines, block))
        elif block.kind == "paragraph" and usage is None:
            usage = _usage(lines, block)
    xml_blocks = tuple(
        XmlBlock(block, parse_block(block.content))
        for block in code_blocks
        if block.fenced and block.language == "xml"
    )
    return Document(
        path=path,
        text=text,
        lines=lines,
        tables=tuple(tables),
        headings=tuple(headings),
        code_blocks=tuple(code_blocks),
        xml_blocks=xml_blocks,
        usage=usage,
        first_block_line=first_block.begin + 1 if first_block is not None else None,
    )


def split_row(line: str, line_number: int) -> tuple[Cell, ...]:
    """Split one pipe-table row into cells with their 1-based columns."""
    cells: list[Cell] = []
    stripped = line.lstrip()
    start = len(line) - len(stripped)
    if stripped.startswith("|"):
        start += 1
    if "\\" not in line:
        # Every pipe separates (the common case): str.split finds them, not a search for
        # pipes with no backslash before them.
        pieces = line[start:].split("|")
        last = len(pieces) - 1
        for number, raw in enumerate(pieces):
            if number == last and cells and not raw.strip():
                break  # the trailing pipe
            lead = len(raw) - len(raw.lstrip())
            cells.append(Cell(raw.strip(), line_number, start + lead + 1))
            start += len(raw) + 1
        return tuple(cells)
    return _split_row_general(line, line_number)


def _split_row_general(line: str, line_number: int) -> tuple[Cell, ...]:
    """:func:`split_row` for any row, escaped pipes too (the tests compare both)."""
    cells: list[Cell] = []
    stripped = line.lstrip()
    start = len(line) - len(stripped)
    if stripped.startswith("|"):
        start += 1
    ends = [pipe.start() for pipe in _UNESCAPED_PIPE.finditer(line, start)]
    ends.append(len(line))
    for end in ends:
        raw = line[start:end]
        if end == len(line) and not raw.strip() and cells:
            break  # the trailing pipe
        content = raw.strip()
        lead = len(raw) - len(raw.lstrip())
        cells.append(Cell(content.replace("\\|", "|"), line_number, start + lead + 1))
        start = end + 1
    return tuple(cells)


def _table(lines: tuple[str, ...], block: Block, *, is_first_block: bool) -> Table:
    begin, end = block.begin, block.end
    header = split_row(lines[begin], begin + 1)
    rows = tuple(split_row(lines[n], n + 1) for n in range(begin + 2, end) if lines[n].strip())
    return Table(begin + 1, header, rows, is_first_block)


def _heading(lines: tuple[str, ...], block: Block) -> Heading:
    line = block.begin
    text = block.text
    column = lines[line].find(text) + 1 if text else 1
    return Heading(block.level, text, line + 1, max(column, 1))


def _code_block(text: str, lines: tuple[str, ...], block: Block) -> CodeBlock:
    begin, end = block.begin, block.end
    fenced = block.kind == "fence"
    content = block.content
    first = begin + 1 if fenced else begin
    verbatim = _verbatim_lines(text, lines, block)
    if verbatim is not None:
        content_lines: Sequence[str] = verbatim
        offsets = [0] * len(verbatim)  # verbatim lines (a fence at column 0): no map
    else:
        content_lines = content.split("\n")
        if content_lines and content_lines[-1] == "":
            content_lines.pop()
        if lines[first : first + len(content_lines)] == tuple(content_lines):
            offsets = [0] * len(content_lines)
        else:
            offsets = []
            for number, content_line in enumerate(content_lines):
                source = lines[first + number] if first + number < len(lines) else ""
                offsets.append(
                    len(source) - len(content_line) if source.endswith(content_line) else 0
                )
    closed = True
    if fenced:
        last = lines[end - 1] if end - 1 < len(lines) else ""
        closing = _CLOSING_FENCE.match(last)
        closed = (
            end - 1 > begin
            and closing is not None
            and closing.group(1)[0] == block.markup[0]
            and len(closing.group(1)) >= len(block.markup)
        )
    opening = lines[begin]
    fence_column = (
        opening.find(block.markup) + 1 if fenced else len(opening) - len(opening.lstrip()) + 1
    )
    return CodeBlock(
        info=block.info,
        content=content,
        fence_line=begin + 1,
        fence_column=max(fence_column, 1),
        content_line=first + 1,
        line_offsets=tuple(offsets),
        fenced=fenced,
        closed=closed,
        verbatim=verbatim,
    )


def _verbatim_lines(text: str, lines: tuple[str, ...], block: Block) -> tuple[str, ...] | None:
    """The content's lines when they are lines of the file taken verbatim, each followed
    by a newline (a fence at column 0 takes them so); else None.

    Proved without splitting the content (splitting 10 KB of text beyond Latin-1 costs a
    tenth of a millisecond): the text holds the content where the line after the opening
    fence starts, and the content ends with a newline. It is then those lines of the text,
    as many as it holds newlines.
    """
    content = block.content
    if not content:
        return ()
    fenced = block.kind == "fence"
    start = block.offset + (len(lines[block.begin]) + 1 if fenced else 0)
    if content[-1] != "\n" or not text.startswith(content, start):
        return None
    first = block.begin + 1 if fenced else block.begin
    return lines[first : first + block.newlines]


def _usage(lines: tuple[str, ...], block: Block) -> UsageLine | None:
    begin, end = block.begin, block.end
    if not _USAGE.match(lines[begin]):
        return None
    column = lines[begin].find("**Usage**") + 1
    text = " ".join(line.strip() for line in lines[begin:end])
    for number in range(begin, end):
        match = _PERSONA_OPTION.search(lines[number])
        if match:
            return UsageLine(
                begin + 1, column, text, match.group(1), number + 1, match.start(1) + 1
            )
    return UsageLine(begin + 1, column, text, None, begin + 1, column)
