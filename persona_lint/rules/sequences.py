"""PL7xx: numbered sequences, arrow chains and lists inside the XML blocks.

The rules share one walk over the elements (:class:`_Scan`), kept with the document.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from xml.etree.ElementTree import Element

from persona_lint.diagnostics import Diagnostic, Fix, LineEdit, Severity, TextEdit
from persona_lint.document.model import Document, Shared, XmlBlock
from persona_lint.rules.context import RuleContext
from persona_lint.rules.registry import finding, rule
from persona_lint.xml.libxml import attributes

E, W = Severity.ERROR, Severity.WARNING
_NUMBERED = re.compile(r"^(\s*)(\d+)\.(?=\s)")
# _NUMBERED on every line of a text at once: \s without the newline that ends the line.
_NUMBERED_LINE = re.compile(r"^([^\S\n]*)(\d+)\.(?=[^\S\n])", re.MULTILINE)
_ARROW = re.compile(r"→|->")


# The two passes below take ~70 instead of ~240 µs per file of the 1,000-file benchmark (~9%
# of its whole-process CPU) against one pass asking every element everything.
class _Scan:
    """The elements the rules of this family look at, found in one walk and kept with the document.

    They are in document order, from the well-formed XML blocks. The walk is the costly part: a
    Python step for each of a hundred-odd elements, where every test counts. So the first pass
    asks each element only whether its text may hold an arrow or numbered lines (any such text
    has a line break, `→` or `>`) or else whether it is a parent. The few it keeps (the texts
    of several lines, the blank texts of parents, the chains) are looked at closely in a second
    pass, which reads the tags of the parents' children (from a slice: iterating an Element in
    Python ends in an IndexError, which costs more than the loop).
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
                    tags = [child.tag for child in children]
                    if len(set(tags)) < len(tags):
                        self.lists.append((block, element, children))
                        numbered = numbered or tags.count("step") > 1
                if numbered:
                    self.numbered.append((block, element))


_SEQUENCES = Shared("sequences", _Scan)


def _scan(document: Document) -> _Scan:
    return document.once(_SEQUENCES)


def _numbered_lines(text: str | None) -> list[tuple[int, str]]:
    """The numbered lines (`_NUMBERED_LINE`) of a text: where each number starts, and its digits."""
    return [(match.start(2), match.group(2)) for match in _NUMBERED_LINE.finditer(text or "")]


def _numbered_steps(element: Element) -> list[tuple[Element, re.Match[str]]] | None:
    """The `<step>` children of an element, each with its number (`_NUMBERED`).

    None unless there are two or more and every one is numbered.
    """
    if len(element) < 2:
        return None
    steps = element.findall("step")
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
    fixable=True,
)
def numbering(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """Numbered lines or steps do not run 1..N.

    ## What it does
    Checks that the numbered lines of a text (two or more lines starting with a number, a dot
    and a space, as in `decision_priorities`), and the numbered `<step>` children of one
    element (when there are two or more and all are numbered), count 1, 2, 3 ... N: no gap,
    no repeat, starting at 1.
    So `1.`, `2.`, `4.` fails (3 is missing). Reported at the first number that breaks the
    count.

    ## Why is this bad?
    A gap or a repeat means an item was deleted or inserted without renumbering, and readers
    cannot tell which; an AI told to follow "priority 3" finds none, or two.

    ## Example
    ```xml
    <decision_priorities>
      1. API design and system scalability
      2. Performance optimization and caching
      4. Data consistency and transaction management
    </decision_priorities>
    ```

    ## Use instead
    ```xml
    <decision_priorities>
      1. API design and system scalability
      2. Performance optimization and caching
      3. Data consistency and transaction management
    </decision_priorities>
    ```

    ## Fix
    `--fix` renumbers the whole sequence 1..N in its order; the items keep their text.
    """
    for block, element in _scan(document).numbered:
        hits = _numbered_lines(element.text)
        if len(hits) >= 2 and _numbering_problem([int(d) for _, d in hits]) is not None:
            items = [(*block.locate_text(element, at), digits) for at, digits in hits]
            what = f"numbered line {{digits}}. in <{element.tag}> should be {{wanted}}."
            yield _misnumbered(document, items, what)
        matches = _numbered_steps(element)
        if matches is not None and _numbering_problem([int(m[2]) for _, m in matches]) is not None:
            items = [(*block.locate_text(s, len(m.group(1))), m.group(2)) for s, m in matches]
            yield _misnumbered(document, items, "<step> numbered {number}. should be {wanted}.")


# An item of a numbered sequence: the 1-based (line, column) of its number, and its digits.
NumberedItem = tuple[int, int, str]


def _misnumbered(document: Document, sequence: list[NumberedItem], what: str) -> Diagnostic:
    """PL701 at the first item of ``sequence`` that breaks 1..N, with its fix.

    ``what`` is the message: a template of the item's ``digits``, its ``number`` and the
    number ``wanted``.
    """
    bad = _numbering_problem([int(digits) for _, _, digits in sequence])
    assert bad is not None
    line, column, digits = sequence[bad]
    return finding(
        "PL701",
        document,
        line,
        column,
        what.format(digits=digits, number=int(digits), wanted=bad + 1),
        end_column=column + len(digits) + 1,
        fix=_renumbering(document, sequence),
    )


def _renumbering(document: Document, sequence: list[NumberedItem]) -> Fix | None:
    """The fix of PL701: number the sequence 1..N in its order; the items keep their text.

    None when the source map disagrees with the text (do not guess).
    """
    edits: list[TextEdit | LineEdit] = []
    for index, (line, column, digits) in enumerate(sequence, start=1):
        source = document.lines[line - 1] if line <= len(document.lines) else ""
        if source[column - 1 : column - 1 + len(digits)] != digits:
            return None
        if int(digits) != index or digits != str(index):
            edits.append(TextEdit(line, column, column + len(digits), str(index)))
    return Fix.safe(*edits)


def _chains(document: Document) -> list[tuple[XmlBlock, Element, str]]:
    return _scan(document).chains


@rule(
    "PL702",
    "empty-arrow-stage",
    E,
    "an arrow chain has an empty stage",
)
def empty_arrow_stage(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """An arrow chain has an empty stage.

    ## What it does
    Checks every line of an element's text that holds an arrow chain (`A → B → C` or
    `A -> B -> C`, as in `problem_solving_method`, `validation_approach`, `escalation`): every
    stage has text, so no doubled arrow and no arrow at either end (`→ Implementation` fails).
    Reported once per line, at the first empty stage.

    ## Why is this bad?
    An empty stage is a step that was deleted, or never written: the process the AI is told to
    follow has a hole in it.

    ## Example
    ```xml
    <problem_solving_method>
      Requirements analysis → → API design → Implementation
    </problem_solving_method>
    ```

    ## Use instead
    ```xml
    <problem_solving_method>
      Requirements analysis → API design → Implementation
    </problem_solving_method>
    ```
    """
    for block, element, text in _chains(document):
        for line_offset, line_text in _text_lines(text):
            stages = _ARROW.split(line_text)
            if len(stages) == 1 or all(map(str.strip, stages)):
                continue  # no arrow on this line, or no empty stage
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
)
def mixed_arrows(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """The arrow chains of a document mix `→` and `->`.

    ## What it does
    Checks that all arrow chains of a document use one arrow: `→` or `->`, whichever comes
    first in the document; every arrow of the other kind is reported.

    ## Why is this bad?
    Mixed arrows read as a different relation, and they show a chain was edited by hand from
    two sources.

    ## Example
    ```xml
    <validation_approach>
      Unit testing → Integration testing -> Performance testing
    </validation_approach>
    ```

    ## Use instead
    ```xml
    <validation_approach>
      Unit testing → Integration testing → Performance testing
    </validation_approach>
    ```
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


def _item_key(child: Element) -> tuple[str, str, tuple[tuple[str, str], ...]]:
    """A list item's name, text and attributes.

    The text is compared case- and whitespace-insensitively (like `gates.normalized`), the
    attributes exactly, in any order (`<persona name="ios-engineer">` and
    `<persona name="android-engineer">` with the same text are two items).
    """
    named = tuple(sorted(attributes(child).items())) if child.attrib else ()  # linear, see it
    return child.tag, " ".join((child.text or "").split()).casefold(), named


@rule(
    "PL704",
    "duplicate-item",
    E,
    "the same item appears twice in a list",
)
def duplicate_item(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """The same item appears twice in a list.

    ## What it does
    Checks that no list element (`<tool>`, `<method>`, `<expertise>`, `<obsession>`, ...: the
    children of one parent sharing one name) holds the same text twice, compared case- and
    whitespace-insensitively, with the same attributes. Items that differ in an attribute are
    two items: `<persona name="ios-engineer">mobile + security</persona>` and
    `<persona name="android-engineer">mobile + security</persona>` pass. Gates are checked by
    PL501.

    ## Why is this bad?
    A repeated item is usually a copy-paste leftover where a different item was meant; the AI
    reads the same point twice and never the one intended.

    ## Example
    ```xml
    <primary_tools>
      <tool>Redis for caching and session management</tool>
      <tool>redis for caching and session management</tool>
    </primary_tools>
    ```

    ## Use instead
    ```xml
    <primary_tools>
      <tool>Redis for caching and session management</tool>
      <tool>Memcached for hot keys</tool>
    </primary_tools>
    ```
    """
    lists = [found for found in _scan(document).lists if found[1].tag != "mandatory_gates"]
    for block, parent, children in lists:
        items = [child for child in children if child.text and not len(child)]
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
