"""The block structure of a Markdown file, from markdown-it-py or a line scanner.

persona-lint needs only the top-level block structure of a persona document (its version
table, headings, fenced code blocks and paragraphs). :func:`parse_blocks` is the one way to
get it. markdown-it-py, with its inline rules off, is the parser of record; the line scanner
of :mod:`persona_lint.document.scanner` reads the tiny Markdown subset persona documents use
and answers ``None`` ("I can't be sure") for anything else, and markdown-it is imported
only then. Both produce the same neutral :class:`Block` records, from which
:func:`persona_lint.document.model.parse_document` builds everything else;
``tests/unit/test_blocks.py`` proves that they agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING

from persona_lint.document.blocks import Block
from persona_lint.document.scanner import scan

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token


def parse_blocks(text: str, lines: Sequence[str] | None = None) -> list[Block]:
    r"""The blocks of ``text``: from the scanner when it is sure, else from markdown-it.

    ``lines`` is ``text.split("\n")`` when the caller has it already. The scanner saves
    markdown-it's import (one file cold: 130 ms of CPU against 154 ms without the
    scanner, in the noise of a loaded machine) and 0.6 ms per file (1,000 files with
    ``--jobs 1``: 1.3-1.7 s against 2.0-2.9 s), measured with and without it (issue 17).
    """
    blocks = scan(text, lines)
    return blocks if blocks is not None else markdown_blocks(text)


# --- markdown-it, the parser of record -------------------------------------------------


@cache
def _markdown() -> MarkdownIt:
    """The block parser (imported here: a run of persona documents never needs it)."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table").disable(["inline", "text_join"])


def markdown_blocks(text: str) -> list[Block]:
    """The blocks of ``text`` as markdown-it (block rules only) finds them."""
    return blocks_from_tokens(_markdown().parse(text))


def blocks_from_tokens(tokens: list[Token]) -> list[Block]:
    """Block records from markdown-it tokens.

    Every table, heading, code block and paragraph (nested ones too), and every other
    top-level block as ``other``.
    """
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
            heading = tokens[index + 1].content
            blocks.append(Block("heading", begin, end, nested, int(token.tag[1:]), heading))
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
                )
            )
        elif kind == "paragraph_open":
            blocks.append(Block("paragraph", begin, end, nested))
        elif not nested:
            blocks.append(Block("other", begin, end))
    return blocks
