"""The parsed persona document: its Markdown blocks, its XML blocks, and a source map.

The source map takes every part back to 1-based lines and columns of the Markdown file.
Only block structure is parsed (see :mod:`persona_lint.document.markdown`): persona-lint
needs fences, headings, tables and paragraphs, never emphasis or links, and block parsing
stays linear on pathological inline markup.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from itertools import zip_longest
from typing import Any, Generic, NamedTuple, TypeVar
from xml.etree.ElementTree import Element

from persona_lint.document.blocks import Block
from persona_lint.document.locate import attribute_value_start, text_position
from persona_lint.document.markdown import parse_blocks
from persona_lint.document.tables import VERSION_COLUMNS, Cell, Table, read_table
from persona_lint.xml.parser import ParsedXml, parse_block

__all__ = [  # the tables' parts are part of the document model
    "VERSION_COLUMNS",
    "Cell",
    "CodeBlock",
    "ComputationFailed",
    "Document",
    "Heading",
    "Shared",
    "Table",
    "UsageLine",
    "XmlBlock",
    "parse_document",
    "shared",
]

_T = TypeVar("_T")
_CLOSING_FENCE = re.compile(r"^[ \t]*(?:>[ \t]?)*[ \t]*(`{3,}|~{3,})[ \t]*$")
_USAGE = re.compile(r"^\s*(?:>\s*)*\*\*Usage\*\*\s*:")
_PERSONA_OPTION = re.compile(r"--persona[ =]([^\s`'\"*,;)]+)")


class Heading(NamedTuple):
    """An ATX heading: its level (1-6), its text and the 1-based place of that text."""

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
    # The content's lines (content.split("\n")), split once when the block is read: locating
    # many elements must stay linear.
    lines: tuple[str, ...] = field(default=(), repr=False, compare=False)

    @property
    def language(self) -> str:
        """The first word of the info string, lowercased (``xml``)."""
        return self.info.split()[0].lower() if self.info.strip() else ""

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
        """The root element, when the block is well-formed."""
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
        line, column = self.parsed.position(element)
        found = attribute_value_start(self.code.lines, line, column, name)
        return self.code.to_file(*found) if found is not None else self.locate(element)

    def locate_text(self, element: Element, index: int) -> tuple[int, int]:
        """1-based place in the file of character ``index`` of ``element.text``.

        Walks the raw dialect text after the start tag, so an entity such as ``&lt;``
        counts as the one character it stands for.
        """
        line, column = self.parsed.position(element)
        found = text_position(self.code.lines, line, column, index)
        return self.code.to_file(*found) if found is not None else self.locate(element)


class UsageLine(NamedTuple):
    """The paragraph starting ``**Usage**:``, and the persona slug it names, if any."""

    line: int
    column: int
    text: str
    persona: str | None  # the slug named by --persona, if any
    persona_line: int
    persona_column: int


class ComputationFailed(Exception):
    """A computation shared by several rules (:meth:`Document.once`) raised ``cause``."""

    def __init__(self, key: str, cause: Exception) -> None:
        """Name the failed computation (``key``) and keep what it raised."""
        super().__init__(key, cause)
        self.key = key
        self.cause = cause


@dataclass(frozen=True, eq=False)
class Shared(Generic[_T]):
    """A question several rules ask of a document, answered once per document.

    The object itself is the key under which :meth:`Document.once` keeps the answer: two
    computations can never share a key by accident. ``name`` names it in an internal error.
    """

    name: str
    compute: Callable[[Document], _T]


def shared(name: str) -> Callable[[Callable[[Document], _T]], Shared[_T]]:
    """Make the decorated function a :class:`Shared` computation called ``name``."""

    def decorate(compute: Callable[[Document], _T]) -> Shared[_T]:
        return Shared(name, compute)

    return decorate


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
    # What rules compute from the document (see once); the cached properties below are
    # kept in the instance too: a Document never changes, and several rules ask.
    _cache: dict[Shared[Any], object] = field(default_factory=dict, repr=False)

    def once(self, question: Shared[_T]) -> _T:
        """The answer to ``question``, computed on the first call and kept.

        Several rules ask the same question of a document. A failure is kept too: every
        later call raises the same :class:`ComputationFailed`, so the linter reports one
        bug once, not once per rule that asked.
        """
        cache = self._cache
        if question not in cache:
            try:
                cache[question] = question.compute(self)
            except Exception as exc:
                failure = ComputationFailed(question.name, exc)
                failure.__cause__ = exc
                cache[question] = failure
        found = cache[question]
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
        """The first level-1 heading."""
        for heading in self.headings:
            if heading.level == 1:
                return heading
        return None

    @cached_property
    def persona_context(self) -> XmlBlock | None:
        """The first XML block whose root is ``<persona_context>``."""
        for block in self.xml_blocks:
            if block.root_tag == "persona_context":
                return block
        return None

    @cached_property
    def behavior(self) -> XmlBlock | None:
        """The first XML block whose root ends with ``_behavior``."""
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
            tables.append(read_table(lines, block, is_first_block=block is first_block))
        elif block.kind == "heading":
            headings.append(_heading(lines, block))
        elif block.kind in ("fence", "code_block"):
            code_blocks.append(_code_block(lines, block))
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


def _heading(lines: tuple[str, ...], block: Block) -> Heading:
    """The heading of ``block``, its column that of its text."""
    line = block.begin
    text = block.text
    column = lines[line].find(text) + 1 if text else 1
    return Heading(block.level, text, line + 1, max(column, 1))


def _code_block(lines: tuple[str, ...], block: Block) -> CodeBlock:
    """The code block of ``block``, with the source map of its content lines."""
    begin = block.begin
    fenced = block.kind == "fence"
    content = block.content
    first = begin + 1 if fenced else begin
    sources = lines[first : first + content.count("\n")]
    if content.endswith("\n") and content == "\n".join(sources) + "\n":
        # The file's lines as they are (a fence at column 0): neither split nor mapped.
        # Saves 70 ms of the 1,000-file benchmark (5 % of a -j1 run).
        split, offsets = (*sources, ""), [0] * len(sources)
    else:
        split = tuple(content.split("\n"))
        content_lines = split[:-1] if split[-1] == "" else split
        sources = lines[first : first + len(content_lines)]
        offsets = [
            len(source) - len(content_line) if source.endswith(content_line) else 0
            for source, content_line in zip_longest(sources, content_lines, fillvalue="")
        ]
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
        closed=_closed(lines, block) if fenced else True,
        lines=split,
    )


def _closed(lines: tuple[str, ...], block: Block) -> bool:
    """Whether the fence of ``block`` has its closing fence (else it runs to the end)."""
    begin, end = block.begin, block.end
    last = lines[end - 1] if end - 1 < len(lines) else ""
    closing = _CLOSING_FENCE.match(last)
    return (
        end - 1 > begin
        and closing is not None
        and closing.group(1)[0] == block.markup[0]
        and len(closing.group(1)) >= len(block.markup)
    )


def _usage(lines: tuple[str, ...], block: Block) -> UsageLine | None:
    """The Usage line, when the paragraph of ``block`` starts ``**Usage**:``."""
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
