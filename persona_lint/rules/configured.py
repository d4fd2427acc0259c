"""Rules written in configuration: an XPath over one block, and a condition on what it selects.

A team adds a check without writing Python::

    [[tool.persona-lint.rules]]
    code = "ACME101"
    name = "gate-has-owner"
    message = "every gate names its owner"
    block = "persona"
    given = "quality_standards/mandatory_gates/gate"
    then = "pattern"
    pattern = ".*owner: .+"

A :class:`ConfiguredRule` is plain data (read and checked by
:mod:`persona_lint.config.team_rules`): it travels inside :class:`Settings`, into worker
processes and the cache key, so a changed rule never serves stale results.
:func:`check_configured` is its check, a pure function of the document like any rule's;
:func:`as_rule` describes it to ``persona-lint rules``, ``explain``, SARIF and hovers.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from itertools import islice
from typing import TYPE_CHECKING, NamedTuple
from xml.etree.ElementTree import Element, iselement

from persona_lint.diagnostics import Diagnostic, Severity
from persona_lint.rules.linear_regex import full_match
from persona_lint.rules.registry import Rule
from persona_lint.rules.xpath import compile_xpath, evaluate

if TYPE_CHECKING:  # the parsers: configuration is read on runs served from the cache too
    from persona_lint.config.settings import Settings
    from persona_lint.document.model import Document, XmlBlock
    from persona_lint.rules.context import RuleContext

# What ``then`` may say, and what each means (for the documentation).
CONDITIONS = {
    "exists": "selects at least one element",
    "absent": "selects nothing",
    "count": "selects between `min` and `max` elements",
    "pattern": "has values that each match the regular expression `pattern` whole",
    "unique": "has values that are all different",
    "enum": "has values that are each one of `values`",
    "length": "has values each between `min` and `max` characters long",
}
# The blocks ``block`` may name besides a root element's name.
BLOCK_ALIASES = ("persona", "behavior")
# The most elements of a block a rule evaluates its XPath over: elementpath is pure Python
# (a few microseconds per node visited). Real blocks hold a few hundred; a larger block gets
# one finding saying the rule was not evaluated, never a silent pass. The same for an
# element with more attributes than MAX_ELEMENT_ATTRIBUTES: lxml hands elementpath each
# attribute by name, in time quadratic in their number (8 s for 50,000 attributes).
MAX_BLOCK_ELEMENTS = 5000
MAX_ELEMENT_ATTRIBUTES = 256


class ConfiguredRule(NamedTuple):
    """One ``[[rules]]`` entry, checked: every field a plain, hashable value.

    ``value`` of a selected element is its text without surrounding whitespace, or the
    value of its attribute ``attribute`` when one is named.
    """

    code: str
    name: str
    severity: Severity
    message: str
    block: str
    given: str
    then: str
    minimum: int | None = None
    maximum: int | None = None
    pattern: str | None = None
    values: tuple[str, ...] = ()
    attribute: str | None = None
    summary: str = ""
    origin: str = ""  # the configuration file that defines it

    @property
    def description(self) -> str:
        """What the rule checks, in one sentence of Markdown."""
        subject = f"attribute `{self.attribute}` of " if self.attribute else ""
        condition = CONDITIONS[self.then]
        for name, bound in (("`min`", self.minimum), ("`max`", self.maximum)):
            condition = condition.replace(name, "any number" if bound is None else str(bound))
        condition = condition.replace("`pattern`", f"`{self.pattern}`")
        condition = condition.replace("`values`", ", ".join(f"`{v}`" for v in self.values))
        return (
            f"In the `{self.block}` block, the XPath `{self.given}` {condition} "
            f"(values: the {subject}selected elements' text)."
        )


def check_configured(rule: ConfiguredRule, document: Document) -> Iterator[Diagnostic]:
    """The findings of ``rule`` in ``document``; nothing when its block is absent or broken.

    A finding is at the selected element it is about, or at the block's root when the
    condition is about all of them (``exists``, too few for ``count``) or the XPath
    gave a value rather than an element.
    """
    block = _block(document, rule.block)
    if block is None or block.root is None:
        return
    root = block.root
    too_large = _too_large(root)
    if too_large is not None:
        message = f"{too_large}: rule {rule.code} (in configuration) is not evaluated"
        yield _finding(rule._replace(message=message), document, block, root, "")
        return
    items = evaluate(compile_xpath(rule.given), root)
    if rule.then == "exists":
        if not items:
            yield _finding(rule, document, block, root, "")
    elif rule.then == "absent":
        for item in items:
            yield _finding(rule, document, block, _element(item, root), _value(rule, item))
    elif rule.then == "count":
        yield from _count(rule, document, block, items)
    else:
        yield from _values(rule, document, block, items)


def _count(
    rule: ConfiguredRule, document: Document, block: XmlBlock, items: list[object]
) -> Iterator[Diagnostic]:
    """``count``: too few at the block's root, too many at the first one beyond ``max``."""
    count = len(items)
    if rule.minimum is not None and count < rule.minimum:
        assert block.root is not None
        yield _finding(rule, document, block, block.root, str(count))
    if rule.maximum is not None and count > rule.maximum:
        assert block.root is not None
        yield _finding(rule, document, block, _element(items[rule.maximum], block.root), str(count))


def _values(
    rule: ConfiguredRule, document: Document, block: XmlBlock, items: list[object]
) -> Iterator[Diagnostic]:
    """``pattern``, ``unique``, ``enum``, ``length``: each value that breaks the condition."""
    assert block.root is not None
    seen: set[str] = set()
    for item in items:
        value = _value(rule, item)
        if rule.then == "pattern":
            broken = not full_match(rule.pattern or "", value)
        elif rule.then == "enum":
            broken = value not in rule.values
        elif rule.then == "length":
            too_short = rule.minimum is not None and len(value) < rule.minimum
            broken = too_short or (rule.maximum is not None and len(value) > rule.maximum)
        else:  # unique: every repeat after the first
            broken = value in seen
            seen.add(value)
        if broken:
            yield _finding(rule, document, block, _element(item, block.root), value)


def _too_large(root: Element) -> str | None:
    """Why the block of ``root`` is too large to evaluate an XPath over, if it is."""
    for count, element in enumerate(islice(root.iter(), MAX_BLOCK_ELEMENTS + 1)):
        if count == MAX_BLOCK_ELEMENTS:
            return f"the block has more than {MAX_BLOCK_ELEMENTS:,} elements"
        if len(element.attrib) > MAX_ELEMENT_ATTRIBUTES:
            return f"an element of the block has more than {MAX_ELEMENT_ATTRIBUTES} attributes"
    return None


def _block(document: Document, name: str) -> XmlBlock | None:
    """The block ``name`` designates: ``persona``, ``behavior``, or the first with that root."""
    if name == "persona":
        return document.persona_context
    if name == "behavior":
        return document.behavior
    return next((b for b in document.xml_blocks if b.root_tag == name), None)


def _element(item: object, root: Element) -> Element:
    """The element a finding is placed at: the item itself, or the block's root."""
    return item if iselement(item) else root  # an xml.etree or an lxml element (libxml2's tree)


def _value(rule: ConfiguredRule, item: object) -> str:
    """The value an item stands for: an element's text (or attribute), or the value itself."""
    if not iselement(item):
        return str(item)
    if rule.attribute is not None:
        return item.get(rule.attribute, "")
    return "".join(item.itertext()).strip()


def _finding(
    rule: ConfiguredRule, document: Document, block: XmlBlock, element: Element, value: str
) -> Diagnostic:
    """A finding of ``rule`` at ``element``; ``{value}`` in the message is replaced."""
    line, column = block.locate(element)
    shown = value if len(value) <= 60 else value[:60] + "…"
    return Diagnostic(
        path=document.path,
        line=line,
        column=column,
        code=rule.code,
        message=rule.message.replace("{value}", shown),
        severity=rule.severity,
    )


def configured_rules(settings: Settings) -> Iterator[Rule]:
    """The settings' rules in configuration that the selection enables, each with its check."""
    for configured in settings.team_rules:
        if settings.select is None or configured.code in settings.select:
            yield _runnable(configured)


@lru_cache(maxsize=256)
def _runnable(configured: ConfiguredRule) -> Rule:
    """The rule with its check: :func:`check_configured` bound to ``configured``."""

    def check(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
        return check_configured(configured, document)

    return as_rule(configured)._replace(check=check)


def as_rule(rule: ConfiguredRule) -> Rule:
    """The rule as the registry describes rules: for listings, ``explain``, SARIF, hovers.

    No path in it: two configuration files (two folders of a monorepo) that define the same
    rule describe the same rule, which the registry accepts.
    """
    summary = rule.summary or rule.message.replace("{value}", "…")
    documentation = (
        f"A rule in configuration.\n\n## What it does\n{rule.description}\n\n"
        f"## Why is this bad?\n{summary}"
    )
    return Rule(rule.code, rule.name, rule.severity, summary, documentation=documentation)
