"""PL7xx: numbered sequences, arrow chains and lists inside the XML blocks.

The rules share one walk over the elements (:class:`_Scan`), and each has a cheap screen
that passes over the usual, clean case in a few C calls: the detailed analysis runs only
where the screen says a finding is possible. The tests compare every screen with the
analysis it stands in for (tests/test_sequence_screens.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from operator import attrgetter
from xml.etree.ElementTree import Element

from persona_lint.diagnostics import Diagnostic, Severity
from persona_lint.document.model import Document, Shared, XmlBlock
from persona_lint.rules.context import RuleContext
from persona_lint.rules.registry import Edit, finding, rule

E, W = Severity.ERROR, Severity.WARNING
_TAG = attrgetter("tag")
_TEXT = attrgetter("text")
_NUMBERED = re.compile(r"^(\s*)(\d+)\.(?=\s)")
# _NUMBERED on every line of a text at once: \s without the newline that ends the line.
_NUMBERED_LINE = re.compile(r"^([^\S\n]*)(\d+)\.(?=[^\S\n])", re.MULTILINE)
_ARROW = re.compile(r"→|->")


class _Scan:
    """The elements the rules of this family look at, in document order, found in one walk
    over the well-formed XML blocks and kept with the document.

    The walk is the costly part: a Python step for each of a hundred-odd elements, where
    every test counts. So the first pass asks each element only whether its text may hold
    an arrow or numbered lines (any such text has a line break, ``→`` or ``>``) or else
    whether it is a parent. The few it keeps (the texts of several lines, the blank texts
    of parents, the chains) are looked at closely in a second pass, which reads the tags of
    the parents' children (from a slice: iterating an Element in Python ends in an
    IndexError, which costs more than the loop).
    """

    __slots__ = ("chains", "lists", "numbered")

    def __init__(self, document: Document) -> None:
        # What may hold a numbered sequence (PL701): a text of several lines with a ".", or
        # two <step> children or more.
        self.numbered: list[tuple[XmlBlock, Element]] = []
        # What may hold a duplicate (PL704): two or more children of one name, with the
        # children.
        self.lists: list[tuple[XmlBlock, Element, list[Element]]] = []
        # What holds an arrow chain (PL702, PL703): an arrow (_ARROW) in the text.
        self.chains: list[tuple[XmlBlock, Element, str]] = []
        for block in document.xml_blocks:
            root = block.root
            if root is None:
                continue
            kept: list[Element] = []
            for element in root.iter():
                text = element.text
                if (text and ("\n" in text or "→" in text or ">" in text)) or len(element) > 1:
                    kept.append(element)
            for element in kept:
                text = element.text
                numbered = False
                if text:
                    if "→" in text or "->" in text:
                        self.chains.append((block, element, text))
                    numbered = "." in text and "\n" in text
                if len(element) > 1:
                    children = element[:]
                    tags = list(map(_TAG, children))
                    if len(set(tags)) < len(tags):
                        self.lists.append((block, element, children))
                        numbered = numbered or tags.count("step") > 1
                if numbered:
                    self.numbered.append((block, element))


_SEQUENCES = Shared("sequences", _Scan)


def _scan(document: Document) -> _Scan:
    return document.once(_SEQUENCES)


def _numbered_lines(text: str | None) -> list[tuple[int, str]]:
    """The numbered lines (``_NUMBERED_LINE``) of a text: where each number starts in the
    text, and its digits.

    Each line is matched on its own, and only when it starts with a digit (sre takes a
    hundred-odd instructions for each character it passes over, a line split in C a few).
    """
    if not text or "." not in text:
        return []
    found = []
    offset = 0
    for line in text.split("\n"):
        if line.lstrip()[:1].isdecimal():
            match = _NUMBERED.match(line)  # \s is [^\S\n] within one line
            if match is not None:
                found.append((offset + match.start(2), match.group(2)))
        offset += len(line) + 1
    return found


def _numbered_steps(element: Element) -> list[tuple[Element, re.Match[str]]] | None:
    """The ``<step>`` children of an element when there are two or more and every one is
    numbered, each with its number (``_NUMBERED``); otherwise None."""
    if len(element) < 2:
        return None
    steps = element.findall("step")  # in C: iterating an Element in Python ends in an IndexError
    if len(steps) < 2:
        return None
    matches = []
    for step in steps:
        match = _NUMBERED.match(step.text or "")
        if match is None:
            return None
        matches.append((step, match))
    return matches


def _numbering_problem(numbers: list[int]) -> int | None:
    """Index of the first number that breaks 1..N, or None."""
    for index, number in enumerate(numbers):
        if number != index + 1:
            return index
    return None


@rule(
    "PL701",
    "numbering",
    E,
    "numbered lines or steps do not run 1..N",
    fails=Edit("3. Data consistency", "4. Data consistency"),
    passes=Edit("3. Data consistency", "3. Data consistency"),
    fixable=True,
)
def numbering(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """Numbered lines inside a text (``decision_priorities``) and numbered ``<step>`` items
    count 1, 2, 3 ... N: no gap, no repeat, starting at 1.

    Why: a gap or a repeat means an item was deleted or inserted without renumbering, and
    readers cannot tell which.

    ``--fix`` renumbers the whole sequence 1..N in its order; the items keep their text.

    Fails: ``1.``, ``2.``, ``4.`` (3 is missing)
    """
    for block, element in _scan(document).numbered:
        hits = _numbered_lines(element.text)
        if len(hits) >= 2:
            bad = _numbering_problem([int(digits) for _, digits in hits])
            if bad is not None:
                at, digits = hits[bad]
                line, column = block.locate_text(element, at)
                yield finding(
                    "PL701",
                    document,
                    line,
                    column,
                    f"numbered line {digits}. in <{element.tag}> should be {bad + 1}.",
                    end_column=column + len(digits) + 1,
                )
        matches = _numbered_steps(element)
        if matches is not None:
            numbers = [int(m.group(2)) for _, m in matches]
            bad = _numbering_problem(numbers)
            if bad is not None:
                step, match = matches[bad]
                line, column = block.locate_text(step, len(match.group(1)))
                yield finding(
                    "PL701",
                    document,
                    line,
                    column,
                    f"<step> numbered {numbers[bad]}. should be {bad + 1}.",
                    end_column=column + len(match.group(2)) + 1,
                )


def numbered_sequences(document: Document) -> Iterator[list[tuple[int, int, str]]]:
    """Each sequence PL701 checks that does not run 1..N, as the 1-based (line, column)
    of every item's number in the file and the number's digits, in order (for --fix)."""
    for block, element in _scan(document).numbered:
        hits = _numbered_lines(element.text)
        if len(hits) >= 2 and _numbering_problem([int(digits) for _, digits in hits]) is not None:
            yield [(*block.locate_text(element, at), digits) for at, digits in hits]
        matches = _numbered_steps(element)
        if matches is None:
            continue
        numbers = [int(m.group(2)) for _, m in matches]
        if _numbering_problem(numbers) is not None:
            yield [(*block.locate_text(step, len(m.group(1))), m.group(2)) for step, m in matches]


def _chains(document: Document) -> list[tuple[XmlBlock, Element, str]]:
    return _scan(document).chains


@rule(
    "PL702",
    "empty-arrow-stage",
    E,
    "an arrow chain has an empty stage",
    fails=Edit("Requirements analysis → API design", "Requirements analysis → → API design"),
    passes=Edit("Requirements analysis → API design", "Requirements analysis → API design"),
)
def empty_arrow_stage(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """Every stage of an arrow chain (``problem_solving_method``, ``validation_approach``,
    ``escalation``: ``A → B → C``) has text: no doubled arrow, no arrow at either end.

    Fails: ``Requirements analysis → → API design``, ``→ Implementation``
    """
    for block, element, text in _chains(document):
        if not _may_have_empty_stage(text):
            continue  # every stage has text (the usual case)
        for line_offset, line_text in _text_lines(text):
            if "→" not in line_text and "->" not in line_text:
                continue
            stages = _ARROW.split(line_text)
            if all(map(str.strip, stages)):
                continue  # no empty stage (the usual case)
            position = 0
            for index, stage in enumerate(stages):
                if not stage.strip():
                    arrow = _ARROW.search(line_text, max(position - 2, 0))
                    at = arrow.start() if arrow else position
                    line, column = block.locate_text(element, line_offset + at)
                    where = "first" if index == 0 else "last" if index == len(stages) - 1 else ""
                    yield finding(
                        "PL702",
                        document,
                        line,
                        column,
                        f"empty {where + ' ' if where else ''}stage in the arrow chain of "
                        f"<{element.tag}>",
                    )
                    break
                position += len(stage)
                arrow = _ARROW.match(line_text, position)
                position += len(arrow.group()) if arrow else 0


def _may_have_empty_stage(text: str) -> bool:
    """PL702's screen: False only when no line of the text has an empty stage.

    With ``→`` as the only arrow, the text's pieces between arrows (one split in C; sre
    is slow on these texts) are the stages of its lines, joined across line breaks. A stage
    is empty on its line when the piece after an arrow is blank up to the end of the line,
    or the piece before an arrow is blank from the start of the line. A text with ``->``
    goes to the full analysis.
    """
    if "->" in text:
        return True
    pieces = text.split("→")
    last = len(pieces) - 1
    for index, piece in enumerate(pieces):
        if index and not piece.partition("\n")[0].strip():
            return True
        if index < last and not piece.rpartition("\n")[2].strip():
            return True
    return False


def _text_lines(text: str) -> Iterator[tuple[int, str]]:
    offset = 0
    for line in text.split("\n"):
        yield offset, line
        offset += len(line) + 1


@rule(
    "PL703",
    "mixed-arrows",
    W,
    "arrow chains mix → and ->",
    fails=Edit("Unit testing → Integration testing", "Unit testing -> Integration testing"),
    passes=Edit("Unit testing → Integration testing", "Unit testing → Integration testing"),
)
def mixed_arrows(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """All arrow chains of a document use one arrow: ``→`` or ``->``, whichever comes first.

    Why: mixed arrows read as a different relation, and they show a chain was edited by
    hand from two sources.
    """
    chains = _chains(document)
    if not _mixes_arrows(chains):
        return  # one kind of arrow (the usual case): nothing is reported
    style: str | None = None
    for block, element, text in chains:
        for arrow in _ARROW.finditer(text):
            if style is None:
                style = arrow.group()
            elif arrow.group() != style:
                line, column = block.locate_text(element, arrow.start())
                yield finding(
                    "PL703",
                    document,
                    line,
                    column,
                    f"arrow {arrow.group()!r} in <{element.tag}>; this document uses {style!r}",
                    end_column=column + len(arrow.group()),
                )


def _mixes_arrows(chains: list[tuple[XmlBlock, Element, str]]) -> bool:
    """Whether the chains hold both arrows, ``→`` and ``->``: without both, every arrow is
    of the style the first one sets, and PL703 reports nothing."""
    return any("→" in text for _, _, text in chains) and any("->" in text for _, _, text in chains)


def _item_key(child: Element) -> tuple[str, str, tuple[tuple[str, str], ...]]:
    """A list item's name, text and attributes: the text compared case- and
    whitespace-insensitively (like gates.normalized), the attributes exactly, in any order
    (``<persona name="ios-engineer">`` and ``<persona name="android-engineer">`` with the
    same text are two items)."""
    attributes = tuple(sorted(child.attrib.items())) if child.attrib else ()
    return child.tag, " ".join((child.text or "").split()).casefold(), attributes


@rule(
    "PL704",
    "duplicate-item",
    E,
    "the same item appears twice in a list",
    fails=Edit(
        "<tool>Redis for caching and session management</tool>",
        "<tool>Redis for caching and session management</tool>\n"
        "      <tool>redis for caching and session management</tool>",
    ),
    passes=Edit(
        "<tool>Redis for caching and session management</tool>",
        "<tool>Redis for caching and session management</tool>\n"
        "      <tool>Memcached for hot keys</tool>",
    ),
)
def duplicate_item(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """No list element (``<tool>``, ``<method>``, ``<expertise>``, ``<obsession>``, ...: the
    children of one parent sharing one name) holds the same text twice, compared case- and
    whitespace-insensitively, with the same attributes. Gates are checked by PL501.

    Fails: ``<tool>Redis for caching</tool>`` twice in ``<primary_tools>``.

    Passes: ``<persona name="ios-engineer">mobile + security</persona>`` and
    ``<persona name="android-engineer">mobile + security</persona>``: their attributes differ.
    """
    lists = [found for found in _scan(document).lists if found[1].tag != "mandatory_gates"]
    if not _may_repeat([text for _, _, children in lists for text in map(_TEXT, children) if text]):
        return  # no two texts alike in all the lists together (the usual case)
    for block, parent, children in lists:
        items = [child for child in children if child.text and not len(child)]
        if len({_item_key(item) for item in items}) == len(items):
            continue  # no two alike (the usual case), as one set of all the keys tells
        seen: dict[tuple[str, str, tuple[tuple[str, str], ...]], Element] = {}
        for child in items:
            key = _item_key(child)
            if not key[1]:
                continue
            if key in seen:
                first_line, _ = block.locate(seen[key])
                text = child.text or ""
                line, column = block.locate_text(child, len(text) - len(text.lstrip()))
                yield finding(
                    "PL704",
                    document,
                    line,
                    column,
                    f"duplicate <{child.tag}> {' '.join(text.split())!r} in <{parent.tag}> "
                    f"(first at line {first_line})",
                )
            else:
                seen[key] = child


def _may_repeat(texts: list[str]) -> bool:
    """PL704's screen, exact: whether two of the texts have the same key (the text part of
    ``_item_key``). Two items alike have the same tag and the same key, so the texts of all
    the lists together, compared without their tags, hide no pair.

    The full key splits every text into words. When together the texts hold no whitespace
    but single spaces between words (the usual case, told by a join and a few searches for
    one character at memchr speed), every text is its own collapsed form, and its key is
    the text casefolded.
    """
    joined = " ".join(texts)
    tidy = "  " not in joined and joined[:1] != " " and joined[-1:] != " "
    if tidy and any(space in joined for space in _SPACES_BUT_BLANK):
        tidy = False
    if tidy and not joined.isascii():
        tidy = not any(space in joined for space in _UNICODE_SPACES)
    keys = list(map(str.casefold, texts)) if tidy else _full_keys(texts)
    distinct = set(keys)
    return len(distinct) - ("" in distinct) < len(keys) - keys.count("")


# The characters for which str.isspace() is True, which str.split() splits at: the ASCII
# ones but the space, and the others (tests/test_sequence_screens.py checks the lists).
_SPACES_BUT_BLANK = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f"
_UNICODE_SPACES = (
    "\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)


def _full_keys(texts: list[str]) -> list[str]:
    """The text part of ``_item_key`` for each text."""
    return list(map(str.casefold, map(" ".join, map(str.split, texts))))
