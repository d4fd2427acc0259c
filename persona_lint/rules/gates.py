"""PL5xx: the mandatory gates of `quality_standards`."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple
from xml.etree.ElementTree import Element

from persona_lint.diagnostics import Diagnostic, Severity
from persona_lint.document.model import Document, XmlBlock
from persona_lint.rules.context import RuleContext
from persona_lint.rules.registry import finding, rule

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
    """The persona's mandatory gates, with their texts."""
    block = document.persona_context
    if block is None or block.root is None:
        return None
    element = block.root.find("quality_standards/mandatory_gates")
    if element is None:
        return None
    gates = element.findall("gate")
    return _Gates(block, element, gates, [" ".join((g.text or "").split()) for g in gates])


def topic_pattern(keywords: tuple[str, ...]) -> re.Pattern[str]:
    """A topic's pattern: one of its keywords at the start of a word, in any case."""
    return re.compile(r"\b(?:" + "|".join(map(re.escape, keywords)) + ")", re.IGNORECASE)


def text_start(block: XmlBlock, element: Element) -> tuple[int, int]:
    """The place of the first non-blank character of an element's text."""
    text = element.text or ""
    return block.locate_text(element, len(text) - len(text.lstrip()))


@rule(
    "PL501",
    "duplicate-gate",
    E,
    "the same gate appears twice in mandatory_gates",
)
def duplicate_gate(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """The same gate appears twice in `mandatory_gates`.

    ## What it does
    Checks that no `<gate>` of `quality_standards/mandatory_gates` repeats another, compared
    case- and whitespace-insensitively; the repeat is reported with the line of the first.

    ## Why is this bad?
    A repeated gate is usually a copy-paste leftover where a different gate was meant: the AI
    is held to one check twice and to the intended one not at all.

    ## Example
    ```xml
    <mandatory_gates>
      <gate>Error handling and logging coverage</gate>
      <gate>error handling and  logging coverage</gate>
    </mandatory_gates>
    ```

    ## Use instead
    ```xml
    <mandatory_gates>
      <gate>Error handling and logging coverage</gate>
      <gate>Accessibility review</gate>
    </mandatory_gates>
    ```
    """
    found = _gates(document)
    if found is None:
        return
    block, _, gates, texts = found
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
)
def missing_required_gate(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """A gate topic required by the `required-gates` policy is missing.

    ## What it does
    Checks that every topic the `required-gates` policy names is met by at least one gate of
    `mandatory_gates`. A topic is met by a gate whose text has one of the topic's keywords at
    the start of a word (case-insensitively). The default policy requires no topic; the
    built-in topic `security` (keywords security, secure, threat, vulnerabilit(y/ies),
    authentication, authorization) is required with `required-gates.default = ["security"]`,
    `required-gates.per-file` requires topics for matching files instead, and a project can
    define topics of its own (`required-gates.topics`).

    ## Why is this bad?
    Some checks are non-negotiable for a project's personas; the policy makes sure no persona
    quietly drops them, so that the AI it drives never skips them. Required means required: a
    missing topic is an error. No topic is required by default, because real personas have
    domain gates (product, mobile, ML and SRE personas rarely name security).

    ## Example
    With `required-gates.default = ["security"]`, gates that never use any of the topic's
    words:
    ```xml
    <mandatory_gates>
      <gate>API design and documentation compliance</gate>
      <gate>Access control implementation</gate>
    </mandatory_gates>
    ```

    ## Use instead
    ```xml
    <mandatory_gates>
      <gate>API design and documentation compliance</gate>
      <gate>Security and authentication implementation</gate>
    </mandatory_gates>
    ```
    """
    found = _gates(document)
    if found is None:
        return
    block, element, _, texts = found
    for topic, keywords in context.settings.required_gates:
        pattern = topic_pattern(keywords)
        if not any(pattern.search(text) for text in texts):
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
