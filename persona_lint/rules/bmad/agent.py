"""What the BM rules ask of a BMAD agent file: its ``<agent>`` block and its menu items."""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple
from xml.etree.ElementTree import Element

from persona_lint.document.model import Document, XmlBlock, shared

# The attributes of a menu item (or of a multi item's handler) that name what it runs.
TARGET_ATTRIBUTES = (
    "workflow",
    "exec",
    "tmpl",
    "data",
    "action",
    "validate-workflow",
    "run-workflow",
)
# The target attributes that hold a path (action= holds an instruction or a #prompt id).
PATH_ATTRIBUTES = tuple(name for name in TARGET_ATTRIBUTES if name != "action")


def agent_block(document: Document) -> XmlBlock | None:
    """The first ```` ```xml ```` block whose root is ``<agent>``."""
    return document.once(_agent_block)


@shared("bmad agent block")
def _agent_block(document: Document) -> XmlBlock | None:
    return next((b for b in document.xml_blocks if b.root_tag == "agent"), None)


def agent_root(document: Document) -> tuple[XmlBlock, Element] | None:
    """The ``<agent>`` block and its root element, when the block is well-formed."""
    block = agent_block(document)
    if block is None or block.root is None:
        return None
    return block, block.root


class MenuEntry(NamedTuple):
    """A menu command: an ``<item>`` of ``<menu>`` (or ``<c>`` of the early ``<cmds>``)."""

    element: Element
    trigger: str | None  # cmd=, None for a multi item


def menu_entries(root: Element) -> Iterator[MenuEntry]:
    """Every command of the agent's ``<menu>`` and ``<cmds>``, in order."""
    for menu in root:
        if menu.tag in ("menu", "cmds"):
            for element in menu:
                if element.tag in ("item", "c"):
                    yield MenuEntry(element, element.get("cmd"))


def targets(element: Element) -> Iterator[Element]:
    """``element`` and the handlers of a multi item: what carries target attributes."""
    yield element
    yield from (child for child in element if child.tag == "handler")
