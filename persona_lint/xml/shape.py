"""What XSD 1.0 cannot say about persona blocks, checked on the tree after the schema.

The order of `<persona_context>`'s last sections and the shape of a behaviour block's
approach sections; and what both checks share with :mod:`persona_lint.xml.schema`: the
schema folder, the names of the sections, and :class:`SchemaIssue`.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import NamedTuple
from xml.etree import ElementTree
from xml.etree.ElementTree import Element

CORE_SECTIONS = (
    "persona_identity",
    "thinking_framework",
    "quality_standards",
    "tool_preferences",
    "collaboration_patterns",
    "domain_knowledge",
)
LAST_SECTION = "error_handling_philosophy"
BEHAVIOR_STAND_IN = "persona_behavior"
# The children of an approach section, in their order (behavior.xsd, ApproachType).
APPROACH_CHILDREN = (
    "always_start_with",
    "default_thinking",
    "decision_criteria",
    "pattern_preference",
)
# What XSD calls whitespace (xs:token collapses it); str.strip() would also drop U+00A0.
_XML_SPACE = " \t\n\r"


def schema_dir() -> Path:
    """The XSD folder: inside the installed package, or ``schemas/`` of a source checkout."""
    package = Path(__file__).resolve().parents[1]
    packaged = package / "schemas"
    return packaged if packaged.is_dir() else package.parent / "schemas"


class SchemaIssue(NamedTuple):
    """One schema violation, located at an element of the validated tree."""

    code: str
    element: Element
    message: str


class BehaviorSections(NamedTuple):
    """The behaviour sections behavior.xsd declares (global elements), by their type."""

    known: frozenset[str]  # every declared section name: the schema checks their shapes
    approaches: frozenset[str]  # those of type ApproachType


@cache
def behavior_sections() -> BehaviorSections:
    """Read from behavior.xsd itself, so that the schema stays the one list of names."""
    schema = ElementTree.fromstring((schema_dir() / "behavior.xsd").read_bytes())
    declared = {
        element.get("name", ""): element.get("type", "")
        for element in schema.findall("{http://www.w3.org/2001/XMLSchema}element")
    }
    declared.pop(BEHAVIOR_STAND_IN, None)
    approaches = frozenset(name for name, kind in declared.items() if kind == "ApproachType")
    return BehaviorSections(frozenset(declared), approaches)


def check_approaches(root: Element) -> list[SchemaIssue]:
    """What XSD 1.0 cannot say about a behaviour block's approach sections.

    An approach is a section that behavior.xsd declares with the type ApproachType
    (``<development_approach>``), or a persona-specific section (a name the schema does not
    declare) with at least one child named in APPROACH_CHILDREN (``<user_first_approach>``).
    It holds the four APPROACH_CHILDREN once each, in their order, each with text; children
    of other names are annotations a persona may add between and after them
    (``<defensive_context>``). At most one order problem is reported per section, as a
    schema validator would.
    """
    sections = behavior_sections()
    issues: list[SchemaIssue] = []
    for section in root:
        if section.tag in sections.known and section.tag not in sections.approaches:
            continue  # the schema checks its shape
        known = [child for child in section if child.tag in APPROACH_CHILDREN]
        if known or section.tag in sections.approaches:
            issues.extend(_approach_issues(section, known))
    return issues


def _approach_issues(section: Element, known: list[Element]) -> Iterator[SchemaIssue]:
    where = f"<{section.tag}>"
    expected = 0  # index in APPROACH_CHILDREN of the child due next
    order_reported = False
    for child in known:
        if len(child):
            yield SchemaIssue("PL216", child, f"<{child.tag}> holds elements; it must hold text")
        elif not (child.text or "").strip(_XML_SPACE):
            yield SchemaIssue("PL213", child, f"<{child.tag}> is empty")
        if order_reported:
            continue
        due = APPROACH_CHILDREN[expected] if expected < len(APPROACH_CHILDREN) else None
        if child.tag == due:
            expected += 1
        elif child.tag in APPROACH_CHILDREN[expected:]:
            order_reported = True
            yield SchemaIssue(
                "PL210", section, f"{where} is missing <{due}> (before <{child.tag}>)"
            )
        else:
            order_reported = True
            message = (
                f"<{child.tag}> is out of place in {where}; expected <{due}> here"
                if due
                else f"<{child.tag}> appears more than once in {where}"
            )
            yield SchemaIssue("PL212", child, message)
    if not order_reported and expected < len(APPROACH_CHILDREN):
        yield SchemaIssue("PL210", section, f"{where} is missing <{APPROACH_CHILDREN[expected]}>")


def check_tail(root: Element) -> list[SchemaIssue]:
    """After the core sections: persona-specific sections, then error_handling_philosophy."""
    children = list(root)
    core_count = 0
    while core_count < len(children) and core_count < len(CORE_SECTIONS):
        if children[core_count].tag != CORE_SECTIONS[core_count]:
            return []  # the schema already reported the core sections' order
        core_count += 1
    if core_count < len(CORE_SECTIONS):
        return []
    tail = children[core_count:]
    issues: list[SchemaIssue] = []
    last_positions = [i for i, child in enumerate(tail) if child.tag == LAST_SECTION]
    for child in tail:
        if child.tag in CORE_SECTIONS:
            issues.append(
                SchemaIssue("PL215", child, f"<{child.tag}> appears twice in <persona_context>")
            )
    if not last_positions:
        issues.append(
            SchemaIssue(
                "PL215", root, f"<persona_context> is missing <{LAST_SECTION}> (its last section)"
            )
        )
        specific = [c for c in tail if c.tag not in CORE_SECTIONS]
        if not specific:
            issues.append(_no_specific(root))
        return issues
    for extra in last_positions[1:]:
        issues.append(SchemaIssue("PL215", tail[extra], f"<{LAST_SECTION}> appears more than once"))
    first = last_positions[0]
    if first != len(tail) - 1 and len(last_positions) == 1:
        issues.append(
            SchemaIssue(
                "PL215",
                tail[first + 1],
                f"<{tail[first + 1].tag}> comes after <{LAST_SECTION}>, which must be last",
            )
        )
    specific = [c for c in tail[:first] if c.tag not in CORE_SECTIONS]
    if not specific:
        issues.append(_no_specific(tail[first]))
    return issues


def _no_specific(at: Element) -> SchemaIssue:
    return SchemaIssue(
        "PL215",
        at,
        "<persona_context> has no persona-specific section (such as "
        "<backend_engineering_framework>) between <domain_knowledge> and "
        f"<{LAST_SECTION}>",
    )
