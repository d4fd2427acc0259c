"""The persona XML dialect, and its rewriting into strict XML with a map back to its columns.

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
column is shifted by the rewriting. :mod:`persona_lint.xml.parser` parses the result.
"""

from __future__ import annotations

import bisect
import re
from array import array
from collections.abc import Sequence
from typing import NamedTuple

# A name-start character: [A-Za-z_:\u00C0-\uFFFF], written so that it compiles in a tenth
# of a millisecond: sre fills a 65,536-entry table one code point at a time for a class
# that spans the BMP (six milliseconds at import).
_NAME_START_CLASS = r"(?:[:A-Z_a-z]|(?![\U00010000-\U0010FFFF])[^\x00-\xBF])"
_NAME_START = re.compile(_NAME_START_CLASS)
# A start or end tag whose quoted values hold no "&" or "<": copied as it is.
_SIMPLE_TAG = re.compile(
    r"""</?[^\s<>"'/=]+(?:\s+[^\s<>"'=/]+\s*=\s*(?:"[^"&<]*"|'[^'&<]*'))*\s*/?>"""
)
_RUN = re.compile(r"&+|<+")
_REFERENCE_BODY = r"(?:#[0-9]+|#x[0-9A-Fa-f]+|[A-Za-z_:][\w.:-]*);"
REFERENCE = re.compile("&" + _REFERENCE_BODY)
# Where the rewriting loop has something to do (see _Rewriter.run): a "<" that does not start
# a tag with a name starting with [a-z_], and whatever "<" or "&" a tag holding a quote or a
# "&" starts with. One search in C passes over the hundreds of tags of a persona block; the
# "&" and quotes, a few, are found by str.find (memchr: a tenth of the cost of a search).
_LESS_THAN_STOP = re.compile(r"</?+[^a-z_]")


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


class _Rewriter:
    """One pass over the dialect text, escaping what strict XML would misread.

    Text that needs no escape is not copied piece by piece: ``copied`` marks how far the
    output has caught up, and only an escape (or the end) copies what lies before it, in one
    slice. The loop stops only where there is something to escape, not at every ``&`` and
    ``<``: on the 2,000 blocks of the 1,000-file benchmark this takes 54 ms against 542 ms
    for a loop stopping at every one (a third of a -j1 run's whole time).
    """

    def __init__(self, text: str) -> None:
        """Start before the first character of ``text``."""
        self.text = text
        self.out: list[str] = []
        self.inserts: dict[int, tuple[array[int], array[int]]] = {}
        self.copied = 0  # text[:copied] is in the output
        # Lines are counted only up to an escape, never to the end of the text.
        self.counted = 0  # text[:counted] is counted in line
        self.line = 0
        self.line_start = 0  # where in the text the current line starts
        self.line_total = 0  # characters inserted on the current line so far

    def run(self) -> StrictXml:
        """Rewrite the whole text."""
        text = self.text
        n = len(text)
        i = 0
        # Stop only where the loop has something to do: in a persona block a few places
        # among hundreds of tags and references. Every other "<" starts a tag with a name
        # (a "<" then [a-z_], or "</" then [a-z_]) that holds no quote and no "&": special()
        # would pass over it without writing anything. A tag that holds a quote or a "&" is
        # a stop (found from the quote or "&", see _stop_for), and so is a "&" that starts no
        # reference. Stops before i are inside what the loop passed over.
        special = self.special
        less_than = _LESS_THAN_STOP.search
        # A "<" or "</" that ends the text: the search wants a character after it.
        last = n - 1 if text.endswith("<") else n - 2 if text.endswith("</") else n
        next_less_than = next_ampersand = next_quote = next_apostrophe = -1
        while True:
            if next_less_than < i:
                found = less_than(text, i)
                next_less_than = found.start() if found is not None else last if last >= i else n
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
        """Pass over a start or end tag, escaping bare ``&`` and ``<`` in quoted values.

        Returns the position after the tag.
        """
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


def _stop_for(text: str, char: str, start: int) -> int:
    """The first place from ``start`` where ``char`` ("&", '"' or "'") stops the rewriting.

    That is the "<" of a tag that holds it (the tag's first quote or "&" comes before any
    ">" or "<" after the tag's "<"), or a "&" that starts no reference; else the end.

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
