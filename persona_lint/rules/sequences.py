"""PL7xx: numbered sequences, arrow chains and lists inside the XML blocks."""

from __future__ import annotations

import re
from collections.abc import Iterator
from xml.etree.ElementTree import Element

from persona_lint.diagnostics import Diagnostic, Severity
from persona_lint.document import Document, XmlBlock
from persona_lint.rules.context import RuleContext
from persona_lint.rules.gates import normalized
from persona_lint.rules.registry import Edit, finding, rule

E, W = Severity.ERROR, Severity.WARNING
_NUMBERED = re.compile(r"^(\s*)(\d+)\.(?=\s)")
_ARROW = re.compile(r"→|->")


def _blocks(document: Document) -> Iterator[tuple[XmlBlock, Element]]:
    for block in document.xml_blocks:
        if block.root is not None:
            yield block, block.root


def _elements(document: Document) -> Iterator[tuple[XmlBlock, Element]]:
    for block, root in _blocks(document):
        for element in root.iter():
            yield block, element


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
    for block, element in _elements(document):
        text = element.text or ""
        lines = text.split("\n")
        hits = [
            (i, match)
            for i, line in enumerate(lines)
            if (match := _NUMBERED.match(line)) is not None
        ]
        if len(hits) >= 2:
            bad = _numbering_problem([int(m.group(2)) for _, m in hits])
            if bad is not None:
                line_index, match = hits[bad]
                offset = sum(len(line) + 1 for line in lines[:line_index]) + len(match.group(1))
                line, column = block.locate_text(element, offset)
                yield finding(
                    "PL701",
                    document,
                    line,
                    column,
                    f"numbered line {match.group(2)}. in <{element.tag}> should be {bad + 1}.",
                    end_column=column + len(match.group(2)) + 1,
                )
        steps = [child for child in element if child.tag == "step"]
        matches = [(s, _NUMBERED.match(s.text or "")) for s in steps]
        if len(steps) >= 2 and all(m for _, m in matches):
            numbers = [int(m.group(2)) for _, m in matches if m]
            bad = _numbering_problem(numbers)
            if bad is not None:
                step, match = matches[bad]
                assert match is not None
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
    for block, element in _elements(document):
        text = element.text or ""
        lines = text.split("\n")
        hits = [(i, m) for i, line in enumerate(lines) if (m := _NUMBERED.match(line))]
        if len(hits) >= 2 and _numbering_problem([int(m.group(2)) for _, m in hits]) is not None:
            found = []
            for index, match in hits:
                offset = sum(len(line) + 1 for line in lines[:index]) + len(match.group(1))
                found.append((*block.locate_text(element, offset), match.group(2)))
            yield found
        steps = [child for child in element if child.tag == "step"]
        matches = [(s, _NUMBERED.match(s.text or "")) for s in steps]
        if len(steps) < 2 or not all(m for _, m in matches):
            continue
        numbers = [int(m.group(2)) for _, m in matches if m]
        if _numbering_problem(numbers) is not None:
            yield [
                (*block.locate_text(step, len(m.group(1))), m.group(2))
                for step, m in matches
                if m is not None
            ]


def _chains(document: Document) -> Iterator[tuple[XmlBlock, Element, str]]:
    for block, element in _elements(document):
        text = element.text or ""
        if _ARROW.search(text):
            yield block, element, text


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
        for line_offset, line_text in _text_lines(text):
            if not _ARROW.search(line_text):
                continue
            stages = _ARROW.split(line_text)
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
    style: str | None = None
    for block, element, text in _chains(document):
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
    whitespace-insensitively. Gates are checked by PL501.

    Fails: ``<tool>Redis for caching</tool>`` twice in ``<primary_tools>``.
    """
    for block, parent in _elements(document):
        if parent.tag == "mandatory_gates" or len(parent) < 2:
            continue
        seen: dict[tuple[str, str], Element] = {}
        for child in parent:
            if len(child):
                continue
            key = (child.tag, normalized(child.text))
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
