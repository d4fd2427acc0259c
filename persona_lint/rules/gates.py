"""PL5xx: the mandatory gates of ``quality_standards``."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import NamedTuple
from xml.etree.ElementTree import Element

from persona_lint.diagnostics import Diagnostic, Severity
from persona_lint.document.model import Document, XmlBlock, shared
from persona_lint.document.persona import grandchild
from persona_lint.rules.context import RuleContext
from persona_lint.rules.registry import Edit, finding, rule

E = Severity.ERROR


def normalized(text: str | None) -> str:
    """Text compared case- and whitespace-insensitively."""
    return " ".join((text or "").split()).casefold()


class _Gates(NamedTuple):
    block: XmlBlock
    element: Element  # mandatory_gates
    gates: list[Element]
    texts: list[str]  # each gate's text, whitespace collapsed


def _gates(document: Document) -> _Gates | None:
    """The persona's mandatory gates (found once per document: PL501 and PL502 ask)."""
    return document.once(_find_gates)


@shared("gates")
def _find_gates(document: Document) -> _Gates | None:
    block = document.persona_context
    if block is None or block.root is None:
        return None
    element = grandchild(block.root, "quality_standards", "mandatory_gates")
    if element is None:
        return None
    gates = element.findall("gate")  # a plain tag: the children named gate, found in C
    return _Gates(block, element, gates, [" ".join((g.text or "").split()) for g in gates])


class _Topic(NamedTuple):
    pattern: re.Pattern[str]  # the definition: a keyword at the start of a word, any case
    # The keywords lowercased, for a text in ASCII; None unless every keyword is ASCII, has
    # no NUL and starts with a word character (then "at the start of a word" only depends
    # on the character before the match).
    lowered: re.Pattern[str] | None


@lru_cache(maxsize=64)
def topic(keywords: tuple[str, ...]) -> _Topic:
    """A topic's patterns, built once per policy rather than once per document."""
    pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, keywords)) + ")", re.IGNORECASE)
    plain = bool(keywords) and all(
        keyword.isascii() and "\0" not in keyword and _is_word(keyword[:1]) for keyword in keywords
    )
    lowered = "|".join(re.escape(keyword.lower()) for keyword in keywords)
    return _Topic(pattern, re.compile(lowered) if plain else None)


def _is_word(char: str) -> bool:
    """Whether an ASCII character is a regular-expression word character (``\\w``)."""
    return char.isalnum() or char == "_"


def covers(keywords: tuple[str, ...], texts: list[str]) -> bool:
    """Whether one of ``texts`` has one of ``keywords`` at the start of a word, that is
    whether ``topic(keywords).pattern`` matches one of them.

    The texts are searched joined by NUL: a match cannot cross from one text into the next
    unless a keyword holds a NUL (then each text is searched alone), and ``\\b`` sees the
    NUL between two texts as it sees a text's start or end (not a word character).

    The pattern tries its keywords, case-insensitively, at every place of the text. When
    the text and keywords are ASCII, case-insensitive means equal once lowercased, so the
    lowercased keywords are searched in the lowercased text instead: a plain alternation
    of literals, which the regular expression engine skips through by their first letters.
    A place found is at the start of a word when the character before it is not a word
    character (every keyword starts with one); else the search goes on from the next
    place, so no place where a keyword matches is passed over.
    """
    found = topic(keywords)
    if "\0" in "".join(keywords):
        return any(found.pattern.search(text) for text in texts)
    joined = "\0".join(texts)
    if found.lowered is None or not joined.isascii():
        return found.pattern.search(joined) is not None
    text = joined.lower()
    match = found.lowered.search(text)
    while match is not None:
        start = match.start()
        if start == 0 or not _is_word(text[start - 1]):
            return True
        match = found.lowered.search(text, start + 1)
    return False


def text_start(block: XmlBlock, element: Element) -> tuple[int, int]:
    """The place of the first non-blank character of an element's text."""
    text = element.text or ""
    return block.locate_text(element, len(text) - len(text.lstrip()))


@rule(
    "PL501",
    "duplicate-gate",
    E,
    "the same gate appears twice in mandatory_gates",
    fails=Edit(
        "<gate>Error handling and logging coverage</gate>",
        "<gate>Error handling and logging coverage</gate>\n"
        "      <gate>error handling and  logging coverage</gate>",
    ),
    passes=Edit(
        "<gate>Error handling and logging coverage</gate>",
        "<gate>Error handling and logging coverage</gate>\n      <gate>Accessibility review</gate>",
    ),
)
def duplicate_gate(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """No gate appears twice, compared case- and whitespace-insensitively.

    Why: a repeated gate is usually a copy-paste leftover where a different gate was meant.

    Fails: ``Error handling and logging coverage`` and ``error handling and  logging
    coverage``
    """
    found = _gates(document)
    if found is None:
        return
    block, _, gates, texts = found
    keys = "\0".join(texts).casefold().split("\0")  # casefold makes no NUL, removes none
    if len(keys) == len(texts) and len(set(keys)) == len(keys):
        return  # no two gates alike (the usual case): nothing to report
    seen: dict[str, Element] = {}
    for gate, text in zip(gates, texts, strict=True):
        key = text.casefold()
        if not key:
            continue
        if key in seen:
            first_line, _ = block.locate(seen[key])
            line, column = text_start(block, gate)
            yield finding(
                "PL501",
                document,
                line,
                column,
                f"duplicate gate {text!r} (first at line {first_line})",
            )
        else:
            seen[key] = gate


@rule(
    "PL502",
    "missing-required-gate",
    E,
    "a gate required by policy is missing",
    fails=Edit(
        "<gate>Security and authentication implementation</gate>",
        "<gate>Access control implementation</gate>",
    ),
    passes=Edit(
        "<gate>Security and authentication implementation</gate>",
        "<gate>Threat model reviewed</gate>",
    ),
)
def missing_required_gate(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """Every topic the ``required-gates`` policy names is met by at least one gate. A topic
    is met by a gate whose text has one of the topic's keywords at the start of a word
    (case-insensitively). The default policy requires no topic; the built-in topic
    ``security`` (keywords security, secure, threat, vulnerabilit(y/ies), authentication,
    authorization) is required with ``required-gates.default = ["security"]``, and a
    project can define topics of its own.

    Why: some checks are non-negotiable for a project's personas; the policy makes sure no
    persona quietly drops them. Required means required: a missing topic is an error. No
    topic is required by default, because real personas have domain gates (product,
    mobile, ML and SRE personas rarely name security).

    Fails (with ``default = ["security"]``): gates that never mention security in any of the
    topic's words.

    Passes: ``<gate>Security and authentication implementation</gate>``
    """
    found = _gates(document)
    if found is None:
        return
    block, element, _, texts = found
    for topic, keywords in context.settings.required_gates:
        if not covers(keywords, texts):
            line, column = block.locate(element)
            listing = "; ".join(texts) or "none"
            yield finding(
                "PL502",
                document,
                line,
                column,
                f"no gate covers the required topic {topic!r} (keywords: "
                f"{', '.join(keywords)}); gates found: {listing}",
                end_column=column + len("<mandatory_gates"),
            )
