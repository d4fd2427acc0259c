"""What several rule families ask of a persona: its name, its slug, its behaviour root.

The title, `persona_identity/name`, the `active` slug, the behaviour block's root, the
Usage line and the file name all name the same persona (rules PL4xx check it); other
families and the scaffold derive names the same way, so the derivations live here, beside
the document model, and not inside one family.
"""

from __future__ import annotations

import re
from typing import NamedTuple
from xml.etree.ElementTree import Element

from persona_lint.document.model import Document, XmlBlock

KEBAB = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


_NON_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(name: str) -> str:
    """The slug of a persona name.

    `Backend Engineer` → `backend-engineer`, `iOS Engineer` → `ios-engineer`,
    `Cross-Platform Mobile Engineer` → `cross-platform-mobile-engineer`.
    """
    return _NON_SLUG.sub("-", name.lower()).strip("-")


def behavior_root(slug: str) -> str:
    """The behaviour block's root element for a slug: `backend_engineer_behavior`."""
    return slug.replace("-", "_") + "_behavior"


# Several rules ask the same questions of one document (the name, the `active` slug, the
# persona's slug); places in the file are looked up only by rules that report something.


class _Name(NamedTuple):
    """`persona_identity/name`: its text, where it is, and its leading blanks."""

    text: str  # persona_identity/name, whitespace collapsed
    block: XmlBlock
    element: Element
    lead: int  # leading blanks of the element's text


def _name(document: Document) -> _Name | None:
    """`persona_identity/name` with its whitespace collapsed, and where it is."""
    block = document.persona_context
    if block is None or block.root is None:
        return None
    element = block.root.find("persona_identity/name")
    text = element.text or "" if element is not None else ""
    words = text.split()
    if element is None or not words:
        return None
    return _Name(" ".join(words), block, element, len(text) - len(text.lstrip()))


def persona_name(document: Document) -> tuple[str, tuple[int, int]] | None:
    """`persona_identity/name` and the place of its text, when present."""
    found = _name(document)
    if found is None:
        return None
    return found.text, found.block.locate_text(found.element, found.lead)


def persona_name_text(document: Document) -> str | None:
    """`persona_identity/name` with its whitespace collapsed, without looking up its place."""
    found = _name(document)
    return found.text if found is not None else None


def active_value(document: Document) -> str | None:
    """`persona_context/@active`, when present, without looking up its place."""
    block = document.persona_context
    if block is None or block.root is None:
        return None
    return block.root.attrib.get("active")


def active_slug(document: Document) -> tuple[str, tuple[int, int]] | None:
    """`persona_context/@active` and the place of its value, when present."""
    block = document.persona_context
    if block is None or block.root is None or "active" not in block.root.attrib:
        return None
    return block.root.attrib["active"], block.locate_attribute(block.root, "active")


def identity_slug(document: Document) -> str | None:
    """The persona's slug: from `persona_identity/name` (the source of truth), else from `active`.

    The `active` value counts only when it is well-formed. Rules that compare names use this
    slug, so one wrong value is reported once instead of once per place that agrees with the
    other.
    """
    name = persona_name_text(document)
    if name is not None:
        return slugify(name) or None
    active = active_value(document)
    return active if active is not None and KEBAB.match(active) else None
