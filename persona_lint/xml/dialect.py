"""The persona XML dialect, and a parser for it that records where every element starts.

Real persona documents are not well-formed XML: they write
``<expertise_domain>Server-Side Development & API Architecture</expertise_domain>`` and
``<metric>< 15 minute incident response time</metric>``. The dialect is strict XML with
exactly two relaxations:

* a ``&`` that does not start an entity or character reference (``&name;``, ``&#123;``,
  ``&#x1F;``) is a literal ampersand;
* a ``<`` that cannot start markup is a literal less-than sign. Markup starts with a
  name-start character (``<gate``), ``/`` and a name-start character (``</gate``), ``!``
  (comments, CDATA, DOCTYPE) or ``?`` (processing instructions).

Everything else is strict XML: a ``&nbsp;`` is an undefined entity, a mismatched tag is an
error, ``&lt;`` keeps working. :func:`to_strict_xml` rewrites the dialect into strict XML
and keeps a map from the rewritten columns back to the original ones, so no reported
column is shifted by the rewriting.

:func:`parse_block` parses with expat and never resolves anything: a DOCTYPE stops the
parse at its position, before any entity is declared, expanded or fetched.

Both run on every block of every lint, so each has a fast path and a general one, which
the tests compare (tests/test_dialect_speed.py): the rewriting stops only where there is
something to escape, not at every ``&`` and ``<``; a well-formed block (with no comment,
CDATA section or processing instruction, the common case) is parsed with no Python between
expat and the C TreeBuilder, and its positions are read from the text when asked.
"""

from __future__ import annotations

import bisect
import itertools
import re
import xml.parsers.expat
from array import array
from collections.abc import Callable, Sequence
from typing import NamedTuple, NoReturn
from xml.etree.ElementTree import Element, TreeBuilder

# A name-start character: [A-Za-z_:\u00C0-\uFFFF], written so that it compiles in a tenth
# of a millisecond: sre fills a 65,536-entry table one code point at a time for a class
# that spans the BMP (six milliseconds at import).
_NAME_START_CLASS = r"(?:[:A-Z_a-z]|(?![\U00010000-\U0010FFFF])[^\x00-\xBF])"
_NAME_START = re.compile(_NAME_START_CLASS)
# A start or end tag whose quoted values hold no "&" or "<": copied as it is.
_SIMPLE_TAG = re.compile(
    r"""</?[^\s<>"'/=]+(?:\s+[^\s<>"'=/]+\s*=\s*(?:"[^"&<]*"|'[^'&<]*'))*\s*/?>"""
)
_SPECIAL = re.compile(r"[&<]")
_RUN = re.compile(r"&+|<+")
_REFERENCE_BODY = r"(?:#[0-9]+|#x[0-9A-Fa-f]+|[A-Za-z_:][\w.:-]*);"
REFERENCE = re.compile("&" + _REFERENCE_BODY)
# Where the rewriting loop has something to do (see _Rewriter.run): a "<" that does not start
# a tag with a name starting with [a-z_], and whatever "<" or "&" a tag holding a quote or a
# "&" starts with. One search in C passes over the hundreds of tags of a persona block; the
# "&" and quotes, a few, are found by str.find (memchr: a tenth of the cost of a search).
_LESS_THAN_STOP = re.compile(r"</?+[^a-z_]")
# Deeper nesting than this is reported instead of parsed (no persona needs more than ~6).
MAX_DEPTH = 64


class StrictXml(NamedTuple):
    """Strict XML text plus the insertions made to it, for mapping positions back."""

    text: str
    # Per line (0-based): sorted strict columns where an insertion ends, and the total
    # number of characters inserted on that line up to that column (compact arrays: a
    # hostile block can hold a million escapes).
    inserts: dict[int, tuple[Sequence[int], Sequence[int]]]

    def original_column(self, line: int, column: int) -> int:
        """Map a 0-based column on 0-based ``line`` of the strict text to the dialect text."""
        entry = self.inserts.get(line)
        if entry is None:
            return column
        ends, totals = entry
        index = bisect.bisect_right(ends, column)
        shift = totals[index - 1] if index else 0
        if index < len(ends):
            # Inside an inserted escape: point at the character it replaced.
            added = totals[index] - shift
            start = ends[index] - added - 1
            if column > start:
                return start - shift
        return column - shift


def to_strict_xml(text: str) -> StrictXml:
    """Rewrite dialect text into strict XML (see the module documentation)."""
    return _Rewriter(text).run()


def _rewrite(text: str) -> tuple[StrictXml, bool, bool]:
    """:func:`to_strict_xml`, whether the strict text holds a "<!" or "<?", and whether the
    dialect text may (it does when it holds a "<!" or "<?": the rewriting looks at every
    "<" but those it escapes in quoted values, and at none that does not start a tag)."""
    rewriter = _Rewriter(text)
    return rewriter.run(), rewriter.markup, rewriter.markup or rewriter.quoted_less_than


def _to_strict_xml_general(text: str) -> StrictXml:
    """:func:`to_strict_xml` stopping at every ``&`` and ``<`` (the tests compare both)."""
    return _Rewriter(text).run(general=True)


class _Rewriter:
    """One pass over the dialect text. Text that needs no escape is not copied piece by
    piece: ``copied`` marks how far the output has caught up, and only an escape (or the
    end) copies what lies before it, in one slice."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.out: list[str] = []
        self.inserts: dict[int, tuple[array[int], array[int]]] = {}
        self.copied = 0  # text[:copied] is in the output
        # Lines are counted only up to an escape, never to the end of the text.
        self.counted = 0  # text[:counted] is counted in line
        self.line = 0
        self.line_start = 0  # where in the text the current line starts
        self.line_total = 0  # characters inserted on the current line so far
        # Whether the strict text holds a "<!" or "<?" (a comment, CDATA section, DOCTYPE or
        # processing instruction): every such "<" is one that special() looks at.
        self.markup = False
        self.quoted_less_than = False  # whether a "<" in a quoted value was escaped

    def run(self, *, general: bool = False) -> StrictXml:
        text = self.text
        n = len(text)
        i = 0
        if general:
            # Stop at every "&" and "<".
            while i < n:
                i = _next_special(text, i)
                if i >= n:
                    break
                i = self.special(i)
        else:
            # Stop only where the loop has something to do: in a persona block a few
            # places among hundreds of tags and references. Every other "<" starts a tag
            # with a name (a "<" then [a-z_], or "</" then [a-z_]) that holds no quote and
            # no "&": there the loop passes over the tag without writing anything and stops
            # next at the "<" or "&" after it, as this loop does. A tag that holds a quote or
            # a "&" is a stop (found from the quote or "&", see _stop_for), and so is a "&"
            # that starts no reference. Stops before i are inside what the loop passed over.
            special = self.special
            less_than = _LESS_THAN_STOP.search
            # A "<" or "</" that ends the text: the search wants a character after it.
            last = n - 1 if text.endswith("<") else n - 2 if text.endswith("</") else n
            next_less_than = next_ampersand = next_quote = next_apostrophe = -1
            while True:
                if next_less_than < i:
                    found = less_than(text, i)
                    next_less_than = (
                        found.start() if found is not None else last if last >= i else n
                    )
                if next_ampersand < i:
                    next_ampersand = _stop_for(text, "&", i)
                if next_quote < i:
                    next_quote = _stop_for(text, '"', i)
                if next_apostrophe < i:
                    next_apostrophe = _stop_for(text, "'", i)
                i = min(next_less_than, next_ampersand, next_quote, next_apostrophe)
                if i >= n:
                    break
                i = special(i)
        self.copy_to(n)
        return StrictXml("".join(self.out), dict(self.inserts))

    def special(self, i: int) -> int:
        """Rewrite what starts at the ``&`` or ``<`` at ``i``; the position after it."""
        text = self.text
        char = text[i]
        run = _RUN.match(text, i)
        assert run is not None
        if run.end() - i > 1:
            # All but the last of a run of "&" or "<" are bare: escape them at once.
            count = run.end() - i - 1
            self.escape(i, "&amp;" if char == "&" else "&lt;", count)
            i += count
        if char == "&":
            if not REFERENCE.match(text, i):
                self.escape(i, "&amp;")
            return i + 1
        # char == "<"
        following = text[i + 1 : i + 2]
        if following in ("!", "?"):
            self.markup = True
            if text.startswith("<!--", i):
                end = text.find("-->", i + 4)
                return len(text) if end < 0 else end + 3
            if text.startswith("<![CDATA[", i):
                end = text.find("]]>", i + 9)
                return len(text) if end < 0 else end + 3
            return i + 1
        if _NAME_START.match(following) or (
            following == "/" and _NAME_START.match(text, i + 2) is not None
        ):
            simple = _SIMPLE_TAG.match(text, i)
            # A tag with nothing to escape is passed over whole.
            return simple.end() if simple is not None else self.tag(i)
        self.escape(i, "&lt;")
        return i + 1

    def copy_to(self, position: int) -> None:
        """Copy the text up to ``position`` unchanged."""
        if position > self.copied:
            self.out.append(self.text[self.copied : position])
            self.copied = position

    def escape(self, position: int, replacement: str, count: int = 1) -> None:
        """Replace the ``count`` characters at ``position`` by as many ``replacement``."""
        text = self.text
        self.copy_to(position)
        newline = text.rfind("\n", self.counted, position)
        if newline >= 0:
            self.line += text.count("\n", self.counted, newline + 1)
            self.line_start = newline + 1
            self.line_total = 0
        self.counted = position + count  # (the escaped characters are "&" or "<")
        self.out.append(replacement * count)
        step = len(replacement)
        added = step - 1
        base = position - self.line_start + self.line_total  # the escape's strict column
        self.copied = position + count
        ends, totals = self.inserts.setdefault(self.line, (array("q"), array("q")))
        ends.extend(range(base + step, base + step * count + 1, step))
        totals.extend(range(self.line_total + added, self.line_total + added * count + 1, added))
        self.line_total += added * count

    def tag(self, start: int) -> int:
        """Pass over a start or end tag, escaping bare ``&`` and ``<`` in quoted values;
        the position after it."""
        text = self.text
        n = len(text)
        quote = ""
        i = start + 1
        while i < n:
            char = text[i]
            if quote:
                if char == quote:
                    quote = ""
                elif char == "&" and not REFERENCE.match(text, i):
                    self.escape(i, "&amp;")
                elif char == "<":
                    self.escape(i, "&lt;")
                    self.quoted_less_than = True
            elif char in "\"'":
                quote = char
            elif char == ">":
                return i + 1
            elif char == "<":
                return i  # an unclosed tag: leave it for the parser to report
            i += 1
        return i


def _stop_for(text: str, char: str, start: int) -> int:
    """The first place from ``start`` where ``char`` ("&", '"' or "'") makes the rewriting
    loop stop: the "<" of a tag that holds it (the tag's first quote or "&" comes before
    any ">" or "<" after the tag's "<"), or a "&" that starts no reference; else the end.

    Linear over all calls of one loop: each piece of text is searched once, since a tag
    holding ``char`` holds the earlier occurrences after its "<" as well.
    """
    while True:
        found = text.find(char, start)
        if found < 0:
            return len(text)
        tag = text.rfind("<", start, found)
        if tag >= 0 and text.find(">", tag, found) < 0:
            return tag
        if char == "&" and REFERENCE.match(text, found) is None:
            return found
        start = found + 1


def _next_special(text: str, start: int) -> int:
    # One forward scan: two ``find`` calls would rescan to the end of the text for the
    # character that does not occur, which is quadratic on a block of only "<" or "&".
    found = _SPECIAL.search(text, start)
    return found.start() if found is not None else len(text)


class XmlError(NamedTuple):
    """A well-formedness problem at a 0-based (line, column) of the dialect text."""

    line: int
    column: int
    message: str
    kind: str  # "syntax", "doctype" or "depth"
    # Another place the message refers to (0-based line and column of the block); the
    # message names it as "{related}", filled in by whoever knows the file's coordinates.
    related: tuple[int, int] | None = None


class ParsedXml(NamedTuple):
    """An element tree with the dialect-text position of each element's start tag."""

    root: Element | None
    # id(element) -> 0-based (line, column) of its "<" in the dialect text: a dict, or for
    # a block parsed by _parse_well_formed, a _TextPositions that reads them from the text
    # when asked (a clean lint asks for two).
    places: dict[int, tuple[int, int]] | _TextPositions
    error: XmlError | None
    strict: str = ""  # the block rewritten as strict XML (empty when refused unparsed)

    @property
    def positions(self) -> dict[int, tuple[int, int]]:
        """id(element) -> 0-based (line, column) of its "<" in the dialect text."""
        places = self.places
        return places.all() if isinstance(places, _TextPositions) else places

    def position(self, element: Element) -> tuple[int, int]:
        return self.places.get(id(element), (0, 0))


# The "<" of each start tag in well-formed XML without comments, CDATA sections, processing
# instructions and DOCTYPE: there every "<" starts a start tag or an end tag (the grammar
# allows "<" nowhere else, not in text, not in attribute values).
_START_TAG = re.compile("<(?!/)")


# How many elements _TextPositions.get looks at one by one before indexing all of them.
_NEAR_TOP = 8


class _TextPositions:
    """The positions of a well-formed block's elements, read from its strict text when
    asked: in that text (see _parse_well_formed) the n-th start tag starts the n-th element
    in document order, where expat reports it. Amortized linear in the text, however many
    elements are asked for."""

    __slots__ = (
        "_all",
        "_elements",
        "_index",
        "_line",
        "_places",
        "_searched",
        "_start",
        "_strict",
    )

    def __init__(self, elements: list[Element], strict: StrictXml) -> None:
        self._elements = elements  # in document order
        self._strict = strict
        self._index: dict[int, int] | None = None  # id(element) -> index in elements
        self._places: list[tuple[int, int]] = []  # strict (line, column) of the first ones
        self._searched = 0  # where the search for the next start tag goes on
        self._line = 0  # the line of the last start tag found, and where that line starts
        self._start = 0
        self._all: dict[int, tuple[int, int]] | None = None

    def get(self, key: int, default: tuple[int, int]) -> tuple[int, int]:
        index = self._index
        if index is None:
            # A clean lint asks for an element or two near the top (the root's "active"):
            # look among the first few before indexing every element of the block.
            found: int | None = None
            for number, element in enumerate(self._elements[:_NEAR_TOP]):
                if id(element) == key:
                    found = number
                    break
            else:
                index = self._index = dict(zip(map(id, self._elements), itertools.count()))
                found = index.get(key)
        else:
            found = index.get(key)
        if found is None:
            return default
        line, column = self._find(found)
        return line, self._strict.original_column(line, column)

    def all(self) -> dict[int, tuple[int, int]]:
        if self._all is None:
            self._find(len(self._elements) - 1)
            original_column = self._strict.original_column
            self._all = {
                id(element): (line, original_column(line, column))
                for element, (line, column) in zip(self._elements, self._places, strict=True)
            }
        return self._all

    def _find(self, index: int) -> tuple[int, int]:
        """The strict (line, column) of element ``index``'s "<"."""
        places = self._places
        if index >= len(places):
            text = self._strict.text
            line, start, searched = self._line, self._start, self._searched
            for found in itertools.islice(
                _START_TAG.finditer(text, searched), index + 1 - len(places)
            ):
                offset = found.start()
                newline = text.rfind("\n", searched, offset)
                if newline >= 0:
                    line += text.count("\n", searched, offset)
                    start = newline + 1
                places.append((line, offset - start))
                searched = offset + 1
            self._line, self._start, self._searched = line, start, searched
        return places[index]


class _Stop(Exception):
    def __init__(self, error: XmlError) -> None:
        super().__init__(error.message)
        self.error = error


def parse_block(text: str) -> ParsedXml:
    """Parse one XML block of the dialect; never raises for bad input."""
    strict, _, maybe_markup = _rewrite(text)
    if maybe_markup:
        # _find_doctype looks for what starts with "<!" or "<?" (the rewriting before it is
        # harmless text processing, whose result goes no further on a DOCTYPE).
        doctype = _find_doctype(text)
        if doctype is not None:
            return ParsedXml(None, {}, doctype)
    elif "\r" not in text:
        parsed = _parse_well_formed(strict)
        if parsed is not None:
            return parsed
    return _parse(text, strict)


def _parse_block_general(text: str) -> ParsedXml:
    """:func:`parse_block` without _parse_well_formed (the tests compare both)."""
    doctype = _find_doctype(text)
    if doctype is not None:
        return ParsedXml(None, {}, doctype)
    return _parse(text, to_strict_xml(text))


class _Declined(Exception):
    pass


def _decline(*_args: object) -> int:
    raise _Declined


def _parse_well_formed(strict: StrictXml) -> ParsedXml | None:
    """The common case, with no Python between expat and the C TreeBuilder: a well-formed
    block nested at most MAX_DEPTH deep, whose strict text has no comment, CDATA section,
    DOCTYPE, processing instruction or CR (the caller makes sure: expat counts a CR as a
    line break, _TextPositions does not). None for any other block: :func:`_parse` parses
    it again, with error explanations, the depth limit enforced during the parse and
    positions from the parser."""
    # No interning: each name is hashed and looked up in a dictionary when interned (a
    # tenth of the parse), for nothing the tree needs (names compare equal all the same).
    parser = xml.parsers.expat.ParserCreate(intern=None)
    parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)
    builder = TreeBuilder()
    parser.StartElementHandler = builder.start
    parser.EndElementHandler = builder.end
    parser.CharacterDataHandler = builder.data
    # There can be no DOCTYPE without "<!"; should expat see one anyway, _parse refuses it.
    parser.StartDoctypeDeclHandler = _decline
    parser.EntityDeclHandler = _decline
    parser.ExternalEntityRefHandler = _decline
    parser.buffer_text = True
    try:
        parser.Parse(strict.text, True)
    except (xml.parsers.expat.ExpatError, _Declined):
        return None
    root: Element = builder.close()
    elements = list(root.iter())
    # An element's depth is at most one more than the number of elements with children.
    if len(list(filter(len, elements))) >= MAX_DEPTH and _too_deep(root):
        return None
    return ParsedXml(root, _TextPositions(elements, strict), None, strict.text)


def _too_deep(root: Element) -> bool:
    """Whether an element is nested deeper than MAX_DEPTH levels."""
    level = [root]
    for _ in range(MAX_DEPTH):
        level = list(itertools.chain.from_iterable(level))
        if not level:
            return False
    return True


def _parse(text: str, strict: StrictXml) -> ParsedXml:
    """Parse the strict text of any block, recording where each element starts."""
    parser = xml.parsers.expat.ParserCreate()
    parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)
    # The C TreeBuilder builds the tree and joins each text and tail; the handlers in
    # Python record where each element starts and how deep it is.
    builder = TreeBuilder()
    elements: list[Element] = []  # in document order
    lines: list[int] = []  # 0-based line and strict column of each element's "<"
    columns: list[int] = []
    depth = 0

    def start(
        name: str,
        attributes: dict[str, str],
        start_element: Callable[[str, dict[str, str]], Element] = builder.start,
        add_element: Callable[[Element], None] = elements.append,
        add_line: Callable[[int], None] = lines.append,
        add_column: Callable[[int], None] = columns.append,
    ) -> None:
        nonlocal depth
        if depth >= MAX_DEPTH:
            _refuse_depth(builder, elements[0], name, attributes, parser, strict)
        depth += 1
        add_element(start_element(name, attributes))
        add_line(parser.CurrentLineNumber - 1)
        add_column(parser.CurrentColumnNumber)

    def end(name: str, end_element: Callable[[str], Element] = builder.end) -> None:
        nonlocal depth
        depth -= 1
        end_element(name)

    def refuse(what: str) -> Callable[..., int]:
        def handler(*_args: object) -> int:
            line, column = _where(parser, strict)
            # expat reports the end of the declaration's head: point at its "<!".
            lines = text.split("\n")
            start = lines[line].rfind("<!", 0, column + 1) if 0 <= line < len(lines) else -1
            column = start if start >= 0 else column
            message = (
                f"{what} declarations are not allowed in persona documents "
                "(DTDs and entities are never processed)"
            )
            raise _Stop(XmlError(line, column, message, "doctype"))

        return handler

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = builder.data
    # _find_doctype has already refused every DOCTYPE it can see; these handlers are the
    # second line of defence, inside the parser, before anything is declared or expanded.
    parser.StartDoctypeDeclHandler = refuse("DOCTYPE")
    parser.EntityDeclHandler = refuse("entity")
    parser.ExternalEntityRefHandler = refuse("entity")
    parser.buffer_text = True
    error: XmlError | None = None
    try:
        parser.Parse(strict.text, True)
    except _Stop as stop:
        error = stop.error
    except xml.parsers.expat.ExpatError as exc:
        line = exc.lineno - 1
        column = strict.original_column(line, exc.offset)
        positions = _positions(elements, lines, columns, strict)
        opened = _innermost(elements[0], depth) if depth else None
        error = _explain(text, line, column, exc.code, opened, positions, started=bool(elements))
        return ParsedXml(elements[0] if elements else None, positions, error, strict.text)
    positions = _positions(elements, lines, columns, strict)
    return ParsedXml(elements[0] if elements else None, positions, error, strict.text)


def _where(parser: xml.parsers.expat.XMLParserType, strict: StrictXml) -> tuple[int, int]:
    """The parser's 0-based (line, column) in the dialect text."""
    line = parser.CurrentLineNumber - 1
    return line, strict.original_column(line, parser.CurrentColumnNumber)


def _refuse_depth(
    builder: TreeBuilder,
    root: Element,
    name: str,
    attributes: dict[str, str],
    parser: xml.parsers.expat.XMLParserType,
    strict: StrictXml,
) -> NoReturn:
    """Stop at an element nested deeper than MAX_DEPTH, with the text before it in the tree
    but not the element itself."""
    # The builder gives the text before a start tag to its parent or previous sibling when
    # the element starts: start it, then take it out of its parent.
    builder.start(name, attributes)
    del _innermost(root, MAX_DEPTH)[-1]
    line, column = _where(parser, strict)
    raise _Stop(
        XmlError(line, column, f"elements are nested deeper than {MAX_DEPTH} levels", "depth")
    )


def _innermost(root: Element, depth: int) -> Element:
    """The innermost of the ``depth`` elements open at some point of a parse: the open
    elements are the root, its last child, the last child of that, and so on."""
    element = root
    for _ in range(depth - 1):
        element = element[-1]
    return element


def _positions(
    elements: list[Element], lines: list[int], columns: list[int], strict: StrictXml
) -> dict[int, tuple[int, int]]:
    """id(element) -> (line, column) of its "<" in the dialect text."""
    positions = dict(zip(map(id, elements), zip(lines, columns, strict=True), strict=True))
    if strict.inserts:
        # Only the few lines with an escape need mapping back (lines is sorted).
        original_column = strict.original_column
        for line in strict.inserts:
            for index in range(bisect.bisect_left(lines, line), bisect.bisect_right(lines, line)):
                positions[id(elements[index])] = (line, original_column(line, columns[index]))
    return positions


# What can hide a declaration from the parser (comments, CDATA sections, processing
# instructions, each skipped to its end) and the declarations themselves.
_DECLARATION = re.compile(r"<!--|<!\[CDATA\[|<\?|<!DOCTYPE|<!ENTITY")
_SKIPPED_UNTIL = {"<!--": "-->", "<![CDATA[": "]]>", "<?": "?>"}


def _find_doctype(text: str) -> XmlError | None:
    """Find a DOCTYPE (or a stray entity declaration) outside comments, CDATA sections and
    processing instructions, before parsing. Linear: every character is looked at once."""
    position = 0
    unterminated: set[str] = set()  # openers whose terminator does not occur any more
    while True:
        match = _DECLARATION.search(text, position)
        if match is None:
            return None
        opener = match.group()
        terminator = _SKIPPED_UNTIL.get(opener)
        if terminator is not None:
            end = -1 if opener in unterminated else text.find(terminator, match.end())
            if end < 0:
                # Not closed: the parser reports it; keep looking behind the opener.
                unterminated.add(opener)
                position = match.end()
            else:
                position = end + len(terminator)
            continue
        return _doctype_error(text, match.start(), "DOCTYPE" if opener == "<!DOCTYPE" else "entity")


def _doctype_error(text: str, offset: int, what: str) -> XmlError:
    line = text.count("\n", 0, offset)
    column = offset - (text.rfind("\n", 0, offset) + 1)
    return XmlError(
        line,
        column,
        f"{what} declarations are not allowed in persona documents "
        "(DTDs and entities are never processed)",
        "doctype",
    )


_ERRORS = xml.parsers.expat.errors


_TAG_NAME = re.compile(r"<([A-Za-z_:][\w.\-:]*)")


def _unclosed_start_tag(lines: list[str], line: int, column: int) -> tuple[int, int, str] | None:
    """``<broken`` followed, on a later line, by ``<perspective>``: expat stops at the second
    ``<``; the author's mistake is the start tag before it, which never got its ``>``. Its
    0-based (line, column) and name, when the error stands at a ``<`` and the last ``<``
    before it opens a tag with no ``>`` in between."""
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


def _explain(
    text: str,
    line: int,
    column: int,
    code: int,
    opened: Element | None,
    positions: dict[int, tuple[int, int]],
    *,
    started: bool,
) -> XmlError:
    """Turn an expat error into a message a persona author can act on."""
    message = xml.parsers.expat.ErrorString(code)
    lines = text.split("\n")
    source_line = lines[line] if 0 <= line < len(lines) else ""
    if message == _ERRORS.XML_ERROR_TAG_MISMATCH and opened is not None:
        open_line, open_column = positions[id(opened)]
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
            related=(open_line, open_column),
        )
    if message == _ERRORS.XML_ERROR_NO_ELEMENTS and opened is not None:
        open_line, open_column = positions[id(opened)]
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
        first = len(text) - len(text.lstrip())
        line = text.count("\n", 0, first)
        column = first - (text.rfind("\n", 0, first) + 1)
    elif message == _ERRORS.XML_ERROR_NO_ELEMENTS:
        message = "no element found: the XML block is empty"
    return XmlError(line, column, message, "syntax")
