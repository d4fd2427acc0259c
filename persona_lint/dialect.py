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
from collections.abc import Callable
from dataclasses import dataclass
from xml.etree.ElementTree import Element

# A start or end tag whose quoted values hold no "&" or "<": copied as it is.
_SIMPLE_TAG = re.compile(
    r"""</?[^\s<>"'/=]+(?:\s+[^\s<>"'=/]+\s*=\s*(?:"[^"&<]*"|'[^'&<]*'))*\s*/?>"""
)
REFERENCE = re.compile(r"&(?:#[0-9]+|#x[0-9A-Fa-f]+|[A-Za-z_:][\w.:-]*);")
_NAME_START = re.compile(r"[A-Za-z_:\u00C0-\uFFFF]")
# Deeper nesting than this is reported instead of parsed (no persona needs more than ~6).
MAX_DEPTH = 64


@dataclass(frozen=True)
class StrictXml:
    """Strict XML text plus the insertions made to it, for mapping positions back."""

    text: str
    # Per line (0-based): sorted strict columns where an insertion ends, and the total
    # number of characters inserted on that line up to that column.
    _inserts: dict[int, tuple[tuple[int, ...], tuple[int, ...]]]

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
    out: list[str] = []
    inserts: dict[int, tuple[list[int], list[int]]] = {}
    line = 0
    line_start_out = 0  # index in the output where the current line starts
    line_total = 0
    i = 0
    n = len(text)
    # A running length avoids quadratic re-summing of ``out``.
    length = 0

    def emit(chunk: str) -> None:
        nonlocal length, line, line_start_out, line_total
        out.append(chunk)
        start = length
        length += len(chunk)
        newline = chunk.rfind("\n")
        if newline >= 0:
            line += chunk.count("\n")
            line_start_out = start + newline + 1
            line_total = 0

    def emit_escape(replacement: str) -> None:
        nonlocal length, line_total
        out.append(replacement)
        length += len(replacement)
        line_total += len(replacement) - 1
        ends, totals = inserts.setdefault(line, ([], []))
        ends.append(length - line_start_out)
        totals.append(line_total)

    while i < n:
        j = _next_special(text, i)
        if j > i:
            emit(text[i:j])
            i = j
            if i >= n:
                break
        char = text[i]
        if char == "&":
            if REFERENCE.match(text, i):
                emit("&")
            else:
                emit_escape("&amp;")
            i += 1
            continue
        # char == "<"
        following = text[i + 1 : i + 2]
        if text.startswith("<!--", i):
            end = text.find("-->", i + 4)
            end = n if end < 0 else end + 3
            emit(text[i:end])
            i = end
        elif text.startswith("<![CDATA[", i):
            end = text.find("]]>", i + 9)
            end = n if end < 0 else end + 3
            emit(text[i:end])
            i = end
        elif following in ("!", "?"):
            emit("<")
            i += 1
        elif _NAME_START.match(following) or (
            following == "/" and _NAME_START.match(text, i + 2) is not None
        ):
            simple = _SIMPLE_TAG.match(text, i)
            if simple is not None:  # nothing to escape: copy the whole tag at once
                emit(simple.group())
                i = simple.end()
            else:
                i = _emit_tag(text, i, emit, emit_escape)
        else:
            emit_escape("&lt;")
            i += 1
    frozen = {k: (tuple(v[0]), tuple(v[1])) for k, v in inserts.items()}
    return StrictXml("".join(out), frozen)


def _next_special(text: str, start: int) -> int:
    amp = text.find("&", start)
    lt = text.find("<", start)
    candidates = [p for p in (amp, lt) if p >= 0]
    return min(candidates) if candidates else len(text)


def _emit_tag(
    text: str, start: int, emit: Callable[[str], None], emit_escape: Callable[[str], None]
) -> int:
    """Copy a start or end tag, escaping bare ``&`` and ``<`` inside quoted values."""
    i = start
    n = len(text)
    quote = ""
    chunk_start = i
    i += 1
    while i < n:
        char = text[i]
        if quote:
            if char == quote:
                quote = ""
            elif char == "&" and not REFERENCE.match(text, i):
                emit(text[chunk_start:i])
                emit_escape("&amp;")
                chunk_start = i + 1
            elif char == "<":
                emit(text[chunk_start:i])
                emit_escape("&lt;")
                chunk_start = i + 1
        elif char in "\"'":
            quote = char
        elif char == ">":
            i += 1
            break
        elif char == "<":
            break  # an unclosed tag: leave it for the parser to report
        i += 1
    emit(text[chunk_start:i])
    return i


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

    def refuse_entity(*_args: object) -> int:
        line, column = where()
        raise _Stop(XmlError(line, column, "entity declarations are not allowed", "doctype"))

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text_parts.append
    parser.EntityDeclHandler = refuse_entity
    parser.ExternalEntityRefHandler = refuse_entity
    parser.buffer_text = True
    doctype = _find_doctype(text)
    if doctype is not None:
        return ParsedXml(None, positions, doctype)
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


_DOCTYPE = re.compile(r"<!DOCTYPE|<!ENTITY|<!--.*?-->", re.DOTALL)


def _find_doctype(text: str) -> XmlError | None:
    """Find a DOCTYPE (or a stray entity declaration) outside comments, before parsing."""
    for match in _DOCTYPE.finditer(text):
        if match.group().startswith("<!--"):
            continue
        line = text.count("\n", 0, match.start())
        column = match.start() - (text.rfind("\n", 0, match.start()) + 1)
        what = "DOCTYPE" if match.group() == "<!DOCTYPE" else "entity"
        return XmlError(
            line,
            column,
            f"{what} declarations are not allowed in persona documents "
            "(DTDs and entities are never processed)",
            "doctype",
        )
    return None


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
