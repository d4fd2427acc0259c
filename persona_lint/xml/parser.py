"""Parsing one XML block of the persona dialect, recording where every element starts.

:func:`parse_block` rewrites the block into strict XML (:mod:`persona_lint.xml.dialect`)
and lets libxml2 (through lxml, :mod:`persona_lint.xml.libxml`) build the one tree that the
rules read and that libxml2 then validates in place: each block is parsed once. Element
positions are read from the strict text when first asked for (lxml keeps lines, not
columns). A block libxml2 rejects, or one it would read otherwise than the dialect defines
it (see :func:`_libxml_may_read` and :func:`_ascii_names`), is parsed by expat, which
explains the error in a persona author's words; expat never resolves anything: a DOCTYPE
stops the parse at its position, before any entity is declared, expanded or fetched.
Deeper nesting than :data:`MAX_DEPTH` is reported instead of parsed.
"""

from __future__ import annotations

import bisect
import re
import xml.parsers.expat
from collections.abc import Callable, Mapping
from typing import NamedTuple, NoReturn
from xml.etree.ElementTree import Element, TreeBuilder

from persona_lint.xml import libxml
from persona_lint.xml.dialect import StrictXml, to_strict_xml
from persona_lint.xml.explain import XmlError, declaration_error, explain, find_doctype

# Deeper nesting than this is reported instead of parsed (no persona needs more than ~6).
MAX_DEPTH = 64


class ParsedXml(NamedTuple):
    """An element tree with the dialect-text position of each element's start tag.

    The tree is libxml2's (lxml elements, read through the ElementTree API they share) for
    a well-formed block, and expat's (``xml.etree`` elements) for the few blocks it parses.
    """

    root: Element | None
    # element -> 0-based (line, column) of its "<" in the dialect text: a dict, or for a
    # block libxml2 parsed, a _TextPositions that reads them from the text when asked.
    places: Mapping[Element, tuple[int, int]] | _TextPositions
    error: XmlError | None
    strict: str = ""  # the block rewritten as strict XML (empty when refused unparsed)

    @property
    def positions(self) -> Mapping[Element, tuple[int, int]]:
        """Every element -> 0-based (line, column) of its "<" in the dialect text."""
        places = self.places
        return places.all() if isinstance(places, _TextPositions) else places

    def position(self, element: Element) -> tuple[int, int]:
        """The 0-based (line, column) of ``element``'s "<" in the dialect text."""
        return self.places.get(element, (0, 0))


def parse_block(text: str) -> ParsedXml:
    """Parse one XML block of the dialect; never raises for bad input."""
    strict = to_strict_xml(text)
    markup = "<!" in text or "<?" in text
    if markup:
        # A comment, CDATA section, processing instruction or declaration: refuse a
        # DOCTYPE before parsing (the rewriting before it is harmless text processing).
        doctype = find_doctype(text)
        if doctype is not None:
            return ParsedXml(None, {}, doctype)
    if _libxml_may_read(strict.text, markup=markup):
        root = libxml.parse(strict.text)
        if root is not None and not libxml.deeper_than(root, MAX_DEPTH):
            elements = list(root.iter())
            if strict.text.isascii() or _ascii_names(strict.text, elements):
                return ParsedXml(root, _TextPositions(elements, strict), None, strict.text)
    return _parse(text, strict)


# Blocks that libxml2 would read otherwise than the dialect (and expat) define them, found
# in the strict text before a parse: a CR (expat counts it as a line break, LineStarts does
# not); namespace declarations and the predeclared xml: prefix (libxml2 turns names into
# {uri}local, expat keeps them as written); a declaration other than a comment or CDATA
# section (refused by expat's handlers); a processing instruction in a text that is not
# ASCII (see _ascii_names: its target is not in the tree). These, rare, are parsed by expat.
_DECLARATION = re.compile(r"<!(?!--|\[CDATA\[)")


def _libxml_may_read(strict_text: str, *, markup: bool) -> bool:
    """Whether libxml2's tree of ``strict_text``, if any, can be the one the dialect defines.

    ``markup``: whether the text holds a "<!" or a "<?" (the caller knows already).
    """
    if "\r" in strict_text:
        return False
    if "xml" in strict_text and ("xmlns" in strict_text or "xml:" in strict_text):
        return False
    if markup and _DECLARATION.search(strict_text):
        return False
    return not markup or "<?" not in strict_text or strict_text.isascii()


def _ascii_names(strict_text: str, elements: list[Element]) -> bool:
    """Whether every element and attribute name is ASCII.

    libxml2 takes the names of XML 1.0 fifth edition, expat the narrower ones of the earlier
    editions: "<a\u0e3f/>" is well-formed for libxml2 only. A block with a name that is not
    ASCII (rare: one whose text is ASCII needs no look) is parsed by expat. Attribute names
    are read from the text, as the word before each "=" (a word that is no name may make
    the answer False: expat then parses a block libxml2 could have).
    """
    if not "".join([element.tag for element in elements]).isascii():
        return False
    pieces = strict_text.split("=")
    pieces.pop()  # what follows the last "="
    return all(_last_word(piece).isascii() for piece in pieces if not piece.isascii())


def _last_word(text: str) -> str:
    """The last run of characters other than white space in ``text`` ("" if none)."""
    words = text.rsplit(None, 1)
    return words[-1] if words else ""


# In well-formed XML, each "<" starts a tag, a comment, a CDATA section or a processing
# instruction (never text, never an attribute value): the start tags are the "<" that this
# pattern matches alone, the rest is passed over whole.
_START_TAG = re.compile(r"<!--.*?-->|<!\[CDATA\[.*?]]>|<\?.*?\?>|<(?![/!?])", re.DOTALL)


class _TextPositions:
    """The positions of a well-formed block's elements, read from its strict text when asked.

    In that text the n-th start tag starts the n-th element in document order. Elements are
    placed in that order only as far as the one asked for: most files ask only for the root
    (the ``active`` attribute of every persona), which is the first tag.
    """

    # Placing every element on the first question cost 16 % of a persona's lint (6.80 -> 5.68
    # M instructions, bench_stages.py) and 14.8 % of a 1,000-file --jobs 1 process (callgrind).

    __slots__ = (
        "_elements",
        "_line",
        "_line_start",
        "_offset",
        "_pending",
        "_places",
        "_strict",
        "_tags",
    )

    def __init__(self, elements: list[Element], strict: StrictXml) -> None:
        """Keep the ``elements`` (in document order) of the block rewritten as ``strict``.

        Holding them keeps each element object alive, so lxml hands out the same object
        (a key of the positions) however the rules reach the element, without making
        a new one each time.
        """
        self._elements = elements
        self._strict = strict
        self._places: dict[Element, tuple[int, int]] = {}
        # The elements and start tags not placed yet (one iterator each, so that placing
        # them all in many steps is one pass), and where the last one placed is: its
        # offset, its 0-based line and the offset at which that line starts.
        self._pending = iter(elements)
        self._tags = (m.start() for m in _START_TAG.finditer(strict.text) if m.group() == "<")
        self._offset = self._line = self._line_start = 0

    def get(self, element: Element, default: tuple[int, int]) -> tuple[int, int]:
        """The dialect (line, column) of ``element``'s "<", or ``default``."""
        found = self._places.get(element)
        if found is None and len(self._places) < len(self._elements):
            found = self._place_until(element)
        return default if found is None else found

    def all(self) -> dict[Element, tuple[int, int]]:
        """Every element's dialect (line, column)."""
        self._place_until(None)
        return dict(self._places)

    def _place_until(self, wanted: Element | None) -> tuple[int, int] | None:
        """Place the next elements, up to ``wanted`` (None: all); return its place, if any.

        Each tag's line is counted from the previous tag's, so placing every element costs
        one pass over the text.
        """
        text, places, strict = self._strict.text, self._places, self._strict
        for element, offset in zip(self._pending, self._tags, strict=False):
            breaks = text.count("\n", self._offset, offset)
            if breaks:
                self._line += breaks
                self._line_start = text.rfind("\n", self._offset, offset) + 1
            self._offset = offset
            place = (self._line, strict.original_column(self._line, offset - self._line_start))
            places[element] = place
            if element is wanted:
                return place
        return None


class _Stop(Exception):
    """The parse stops at ``error`` (a declaration, or nesting too deep)."""

    def __init__(self, error: XmlError) -> None:
        """Carry ``error`` out of the parser's handler."""
        super().__init__(error.message)
        self.error = error


class _Parse:
    """One parse of any block's strict text, recording where each element starts."""

    def __init__(self, text: str, strict: StrictXml) -> None:
        """Prepare expat for the block ``text``, rewritten as ``strict``."""
        self.text = text
        self.strict = strict
        self.parser = xml.parsers.expat.ParserCreate()
        self.parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)
        # The C TreeBuilder builds the tree and joins each text and tail; the handlers here
        # record where each element starts and how deep it is.
        self.builder = TreeBuilder()
        self.elements: list[Element] = []  # in document order
        self.lines: list[int] = []  # 0-based line and strict column of each element's "<"
        self.columns: list[int] = []
        self.depth = 0
        parser = self.parser
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.CharacterDataHandler = self.builder.data
        # find_doctype has already refused every DOCTYPE it can see; these handlers are the
        # second line of defence, inside the parser, before anything is declared or expanded.
        parser.StartDoctypeDeclHandler = self.refuse("DOCTYPE")
        parser.EntityDeclHandler = self.refuse("entity")
        parser.ExternalEntityRefHandler = self.refuse("entity")
        parser.buffer_text = True

    def start(self, name: str, attributes: dict[str, str]) -> None:
        """Start an element, unless it is nested too deep."""
        if self.depth >= MAX_DEPTH:
            self.refuse_depth(name, attributes)
        self.depth += 1
        self.elements.append(self.builder.start(name, attributes))
        self.lines.append(self.parser.CurrentLineNumber - 1)
        self.columns.append(self.parser.CurrentColumnNumber)

    def end(self, name: str) -> None:
        """End an element."""
        self.depth -= 1
        self.builder.end(name)

    def where(self) -> tuple[int, int]:
        """The parser's 0-based (line, column) in the dialect text."""
        line = self.parser.CurrentLineNumber - 1
        return line, self.strict.original_column(line, self.parser.CurrentColumnNumber)

    def refuse(self, what: str) -> Callable[..., int]:
        """A handler that stops the parse at a ``what`` declaration."""

        def handler(*_args: object) -> int:
            line, column = self.where()
            # expat reports the end of the declaration's head: point at its "<!".
            lines = self.text.split("\n")
            start = lines[line].rfind("<!", 0, column + 1) if 0 <= line < len(lines) else -1
            raise _Stop(declaration_error(line, start if start >= 0 else column, what))

        return handler

    def refuse_depth(self, name: str, attributes: dict[str, str]) -> NoReturn:
        """Stop at an element nested deeper than MAX_DEPTH.

        The text before it stays in the tree, but not the element itself: the builder
        gives the text before a start tag to its parent or previous sibling when the
        element starts, so start it, then take it out of its parent.
        """
        self.builder.start(name, attributes)
        del _innermost(self.elements[0], MAX_DEPTH)[-1]
        line, column = self.where()
        message = f"elements are nested deeper than {MAX_DEPTH} levels"
        raise _Stop(XmlError(line, column, message, "depth"))

    def run(self) -> ParsedXml:
        """Parse, and explain the first error."""
        elements = self.elements
        error: XmlError | None = None
        try:
            self.parser.Parse(self.strict.text, True)
        except _Stop as stop:
            error = stop.error
        except xml.parsers.expat.ExpatError as exc:
            line = exc.lineno - 1
            column = self.strict.original_column(line, exc.offset)
            positions = self.positions()
            opened = _innermost(elements[0], self.depth) if self.depth else None
            error = explain(
                self.text, line, column, exc.code, opened, positions, started=bool(elements)
            )
            return ParsedXml(elements[0] if elements else None, positions, error, self.strict.text)
        root = elements[0] if elements else None
        return ParsedXml(root, self.positions(), error, self.strict.text)

    def positions(self) -> dict[Element, tuple[int, int]]:
        """Element -> (line, column) of its "<" in the dialect text."""
        lines, columns, strict = self.lines, self.columns, self.strict
        positions = dict(zip(self.elements, zip(lines, columns, strict=True), strict=True))
        # Only the few lines with an escape need mapping back (lines is sorted).
        for line in strict.inserts:
            for index in range(bisect.bisect_left(lines, line), bisect.bisect_right(lines, line)):
                column = strict.original_column(line, columns[index])
                positions[self.elements[index]] = (line, column)
        return positions


def _parse(text: str, strict: StrictXml) -> ParsedXml:
    """Parse the strict text of any block, recording where each element starts."""
    return _Parse(text, strict).run()


def _innermost(root: Element, depth: int) -> Element:
    """The innermost of the ``depth`` elements open at some point of a parse.

    The open elements are the root, its last child, the last child of that, and so on.
    """
    element = root
    for _ in range(depth - 1):
        element = element[-1]
    return element
