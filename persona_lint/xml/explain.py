"""Well-formedness errors of an XML block, in a persona author's words.

expat says "mismatched tag" or "not well-formed (invalid token)"; a persona author wants to
know which tag was left open where, or that an attribute value lacks its quotes. This module
turns expat's error codes into such messages, and refuses DTDs before any parse: a DOCTYPE
or entity declaration is reported at its ``<!``, never processed.
"""

from __future__ import annotations

import re
import xml.parsers.expat
from collections.abc import Mapping
from typing import NamedTuple
from xml.etree.ElementTree import Element

from persona_lint.positions import place


class XmlError(NamedTuple):
    """A well-formedness problem at a 0-based (line, column) of the dialect text."""

    line: int
    column: int
    message: str
    kind: str  # "syntax", "doctype" or "depth"
    # Another place the message refers to (0-based line and column of the block); the
    # message names it as "{related}", filled in by whoever knows the file's coordinates.
    related: tuple[int, int] | None = None


def declaration_error(line: int, column: int, what: str) -> XmlError:
    """The refusal of a ``what`` ("DOCTYPE" or "entity") declaration at (line, column)."""
    message = (
        f"{what} declarations are not allowed in an XML block "
        "(DTDs and entities are never processed)"
    )
    return XmlError(line, column, message, "doctype")


# What can hide a declaration from the parser (comments, CDATA sections, processing
# instructions, each skipped to its end) and the declarations themselves.
_DECLARATION = re.compile(r"<!--|<!\[CDATA\[|<\?|<!DOCTYPE|<!ENTITY")
_SKIPPED_UNTIL = {"<!--": "-->", "<![CDATA[": "]]>", "<?": "?>"}


def find_doctype(text: str) -> XmlError | None:
    """Find a DOCTYPE (or a stray entity declaration) before parsing.

    Declarations inside comments, CDATA sections and processing instructions do not count.
    Linear: every character is looked at once.
    """
    position = 0
    unterminated: set[str] = set()  # openers whose terminator does not occur any more
    while True:
        match = _DECLARATION.search(text, position)
        if match is None:
            return None
        opener = match.group()
        terminator = _SKIPPED_UNTIL.get(opener)
        if terminator is None:
            line, column = _zero_based_place(text, match.start())
            return declaration_error(line, column, "DOCTYPE" if opener == "<!DOCTYPE" else "entity")
        end = -1 if opener in unterminated else text.find(terminator, match.end())
        if end < 0:
            # Not closed: the parser reports it; keep looking behind the opener.
            unterminated.add(opener)
            position = match.end()
        else:
            position = end + len(terminator)


def _zero_based_place(text: str, offset: int) -> tuple[int, int]:
    """The 0-based (line, column) of ``offset``: the block's coordinates."""
    line, column = place(text, offset)
    return line - 1, column - 1


_ERRORS = xml.parsers.expat.errors
_TAG_NAME = re.compile(r"<([A-Za-z_:][\w.\-:]*)")


def _unclosed_start_tag(lines: list[str], line: int, column: int) -> tuple[int, int, str] | None:
    """Find the start tag that never got its ``>`` before the ``<`` where expat stopped.

    ``<broken`` followed, on a later line, by ``<perspective>``: expat stops at the second
    ``<``; the author's mistake is the start tag before it. Its 0-based (line, column) and
    name, when the error stands at a ``<`` and the last ``<`` before it opens a tag with no
    ``>`` in between.
    """
    if not (0 <= line < len(lines)) or lines[line][column : column + 1] != "<":
        return None
    for back in range(line, -1, -1):
        text = lines[back][:column] if back == line else lines[back]
        start = text.rfind("<")  # -1 when the line has none: then all of it is between
        if ">" in text[start + 1 :]:
            return None
        if start >= 0:
            name = _TAG_NAME.match(text, start)
            return (back, start, name.group(1)) if name else None
    return None


def explain(
    text: str,
    line: int,
    column: int,
    code: int,
    opened: Element | None,
    positions: Mapping[Element, tuple[int, int]],
    *,
    started: bool,
) -> XmlError:
    """Turn expat's error ``code`` at (line, column) into a message a persona author can act on.

    ``opened`` is the innermost element still open, ``positions`` where each element
    starts, ``started`` whether any element started before the error.
    """
    message = xml.parsers.expat.ErrorString(code)
    lines = text.split("\n")
    source_line = lines[line] if 0 <= line < len(lines) else ""
    if message == _ERRORS.XML_ERROR_TAG_MISMATCH and opened is not None:
        return _mismatch(source_line, line, column, opened, positions[opened])
    if message == _ERRORS.XML_ERROR_NO_ELEMENTS and opened is not None:
        open_line, open_column = positions[opened]
        return XmlError(open_line, open_column, f"<{opened.tag}> is never closed", "syntax")
    if message == _ERRORS.XML_ERROR_UNDEFINED_ENTITY:
        entity = re.match(r"&[^;\s]*;?", source_line[column:])
        name = entity.group() if entity else "&...;"
        return XmlError(
            line,
            column,
            f"undefined entity {name}: only &amp; &lt; &gt; &quot; &apos; and numeric "
            "character references are defined",
            "syntax",
        )
    unclosed = _unclosed_start_tag(lines, line, column) if started else None
    if message == _ERRORS.XML_ERROR_INVALID_TOKEN and unclosed is not None:
        line, column, name = unclosed
        message = f"start tag <{name} is never closed: '>' is missing before the next '<'"
    elif message == _ERRORS.XML_ERROR_JUNK_AFTER_DOC_ELEMENT:
        message = "content after the root element: an XML block holds exactly one root element"
    elif message == _ERRORS.XML_ERROR_INVALID_TOKEN and source_line[:column].endswith("="):
        message = "attribute values must be quoted"
    elif not started and message in (_ERRORS.XML_ERROR_INVALID_TOKEN, _ERRORS.XML_ERROR_SYNTAX):
        message = "not XML: an XML block must start with an element such as <persona_context>"
        line, column = _zero_based_place(text, len(text) - len(text.lstrip()))
    elif message == _ERRORS.XML_ERROR_NO_ELEMENTS:
        message = "no element found: the XML block is empty"
    return XmlError(line, column, message, "syntax")


def _mismatch(
    source_line: str, line: int, column: int, opened: Element, opened_at: tuple[int, int]
) -> XmlError:
    """A closing tag that does not match ``opened``, the innermost open element."""
    start = source_line.rfind("</", 0, column + 1)
    if start >= 0:
        column = start
    closing = re.match(r"</([^\s>]*)", source_line[column:])
    name = closing.group(1) if closing else "?"
    return XmlError(
        line,
        column,
        f"closing tag </{name}> does not match <{opened.tag}> opened at {{related}}",
        "syntax",
        related=opened_at,
    )
