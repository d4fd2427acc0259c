"""One block of a Markdown document, as a neutral record of what persona-lint needs."""

from __future__ import annotations

from typing import NamedTuple


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
