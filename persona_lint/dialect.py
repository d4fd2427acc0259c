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
"""

from __future__ import annotations

import bisect
import re
import xml.parsers.expat
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from xml.etree.ElementTree import Element

# A start or end tag whose quoted values hold no "&" or "<": copied as it is.
_SIMPLE_TAG = re.compile(
    r"""</?[^\s<>"'/=]+(?:\s+[^\s<>"'=/]+\s*=\s*(?:"[^"&<]*"|'[^'&<]*'))*\s*/?>"""
)
_SPECIAL = re.compile(r"[&<]")
_RUN = re.compile(r"&+|<+")
REFERENCE = re.compile(r"&(?:#[0-9]+|#x[0-9A-Fa-f]+|[A-Za-z_:][\w.:-]*);")
_NAME_START = re.compile(r"[A-Za-z_:\u00C0-\uFFFF]")
# Deeper nesting than this is reported instead of parsed (no persona needs more than ~6).
MAX_DEPTH = 64


@dataclass(frozen=True)
class StrictXml:
    """Strict XML text plus the insertions made to it, for mapping positions back."""

    text: str
    # Per line (0-based): sorted strict columns where an insertion ends, and the total
    # number of characters inserted on that line up to that column (compact arrays: a
    # hostile block can hold a million escapes).
    _inserts: dict[int, tuple[Sequence[int], Sequence[int]]]

    def original_column(self, line: int, column: int) -> int:
        """Map a 0-based column on 0-based ``line`` of the strict text to the dialect text."""
        entry = self._inserts.get(line)
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


class _Rewriter:
    """One pass over the dialect text. Text that needs no escape is not copied piece by
    piece: ``copied`` marks how far the output has caught up, and only an escape (or the
    end) copies what lies before it, in one slice."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.out: list[str] = []
        self.inserts: dict[int, tuple[array[int], array[int]]] = {}
        self.copied = 0  # text[:copied] is in the output
        self.length = 0  # characters in the output (a running sum: no re-summing)
        self.line = 0
        self.line_start_out = 0  # index in the output where the current line starts
        self.line_total = 0  # characters inserted on the current line so far

    def run(self) -> StrictXml:
        text = self.text
        n = len(text)
        i = 0
        while i < n:
            i = _next_special(text, i)
            if i >= n:
                break
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
                i += 1
                continue
            # char == "<"
            following = text[i + 1 : i + 2]
            if text.startswith("<!--", i):
                end = text.find("-->", i + 4)
                i = n if end < 0 else end + 3
            elif text.startswith("<![CDATA[", i):
                end = text.find("]]>", i + 9)
                i = n if end < 0 else end + 3
            elif following in ("!", "?"):
                i += 1
            elif _NAME_START.match(following) or (
                following == "/" and _NAME_START.match(text, i + 2) is not None
            ):
                simple = _SIMPLE_TAG.match(text, i)
                # A tag with nothing to escape is passed over whole.
                i = simple.end() if simple is not None else self.tag(i)
            else:
                self.escape(i, "&lt;")
                i += 1
        self.copy_to(n)
        return StrictXml("".join(self.out), dict(self.inserts))

    def copy_to(self, position: int) -> None:
        """Copy the text up to ``position`` unchanged."""
        if position <= self.copied:
            return
        chunk = self.text[self.copied : position]
        self.out.append(chunk)
        start = self.length
        self.length += len(chunk)
        self.copied = position
        newline = chunk.rfind("\n")
        if newline >= 0:
            self.line += chunk.count("\n")
            self.line_start_out = start + newline + 1
            self.line_total = 0

    def escape(self, position: int, replacement: str, count: int = 1) -> None:
        """Replace the ``count`` characters at ``position`` by as many ``replacement``."""
        self.copy_to(position)
        self.out.append(replacement * count)
        step = len(replacement)
        added = step - 1
        base = self.length - self.line_start_out
        self.length += step * count
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
            elif char in "\"'":
                quote = char
            elif char == ">":
                return i + 1
            elif char == "<":
                return i  # an unclosed tag: leave it for the parser to report
            i += 1
        return i


def _next_special(text: str, start: int) -> int:
    # One forward scan: two ``find`` calls would rescan to the end of the text for the
    # character that does not occur, which is quadratic on a block of only "<" or "&".
    found = _SPECIAL.search(text, start)
    return found.start() if found is not None else len(text)


@dataclass(frozen=True)
class XmlError:
    """A well-formedness problem at a 0-based (line, column) of the dialect text."""

    line: int
    column: int
    message: str
    kind: str  # "syntax", "doctype" or "depth"
    # Another place the message refers to (0-based line and column of the block); the
    # message names it as "{related}", filled in by whoever knows the file's coordinates.
    related: tuple[int, int] | None = None


@dataclass(frozen=True)
class ParsedXml:
    """An element tree with the dialect-text position of each element's start tag."""

    root: Element | None
    # id(element) -> 0-based (line, column) of its "<" in the dialect text.
    positions: dict[int, tuple[int, int]]
    error: XmlError | None
    strict: str = ""  # the block rewritten as strict XML (empty when refused unparsed)

    def position(self, element: Element) -> tuple[int, int]:
        return self.positions.get(id(element), (0, 0))


class _Stop(Exception):
    def __init__(self, error: XmlError) -> None:
        super().__init__(error.message)
        self.error = error


def parse_block(text: str) -> ParsedXml:
    """Parse one XML block of the dialect; never raises for bad input."""
    doctype = _find_doctype(text)
    if doctype is not None:
        return ParsedXml(None, {}, doctype)
    strict = to_strict_xml(text)
    parser = xml.parsers.expat.ParserCreate()
    parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)
    positions: dict[int, tuple[int, int]] = {}
    stack: list[Element] = []
    root: list[Element] = []
    text_parts: list[str] = []

    def where() -> tuple[int, int]:
        line = parser.CurrentLineNumber - 1
        return line, strict.original_column(line, parser.CurrentColumnNumber)

    def flush_text() -> None:
        if not text_parts:
            return
        data = "".join(text_parts)
        text_parts.clear()
        if not stack:
            return
        parent = stack[-1]
        if len(parent):
            last = parent[-1]
            last.tail = (last.tail or "") + data
        else:
            parent.text = (parent.text or "") + data

    def start(name: str, attributes: dict[str, str]) -> None:
        flush_text()
        if len(stack) >= MAX_DEPTH:
            line, column = where()
            raise _Stop(
                XmlError(
                    line, column, f"elements are nested deeper than {MAX_DEPTH} levels", "depth"
                )
            )
        element = Element(name, attributes)
        positions[id(element)] = where()
        if stack:
            stack[-1].append(element)
        else:
            root.append(element)
        stack.append(element)

    def end(name: str) -> None:
        flush_text()
        stack.pop()

    def refuse(what: str) -> Callable[..., int]:
        def handler(*_args: object) -> int:
            line, column = where()
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
    parser.CharacterDataHandler = text_parts.append
    # _find_doctype has already refused every DOCTYPE it can see; these handlers are the
    # second line of defence, inside the parser, before anything is declared or expanded.
    parser.StartDoctypeDeclHandler = refuse("DOCTYPE")
    parser.EntityDeclHandler = refuse("entity")
    parser.ExternalEntityRefHandler = refuse("entity")
    parser.buffer_text = True
    try:
        parser.Parse(strict.text, True)
    except _Stop as stop:
        return ParsedXml(root[0] if root else None, positions, stop.error, strict.text)
    except xml.parsers.expat.ExpatError as exc:
        line = exc.lineno - 1
        column = strict.original_column(line, exc.offset)
        error = _explain(text, line, column, exc.code, stack, positions, started=bool(root))
        return ParsedXml(root[0] if root else None, positions, error, strict.text)
    return ParsedXml(root[0] if root else None, positions, None, strict.text)


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


def _explain(
    text: str,
    line: int,
    column: int,
    code: int,
    stack: list[Element],
    positions: dict[int, tuple[int, int]],
    *,
    started: bool,
) -> XmlError:
    """Turn an expat error into a message a persona author can act on."""
    message = xml.parsers.expat.ErrorString(code)
    lines = text.split("\n")
    source_line = lines[line] if 0 <= line < len(lines) else ""
    if message == _ERRORS.XML_ERROR_TAG_MISMATCH and stack:
        opened = stack[-1]
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
    if message == _ERRORS.XML_ERROR_NO_ELEMENTS and stack:
        opened = stack[-1]
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
    if message == _ERRORS.XML_ERROR_JUNK_AFTER_DOC_ELEMENT:
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
