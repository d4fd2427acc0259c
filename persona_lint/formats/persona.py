"""The built-in ``persona`` format: the ``persona_context`` layout, checked by the PL rules."""

from __future__ import annotations

from typing import TYPE_CHECKING

from persona_lint.formats.base import MATCH, NO_MARKERS, Format, Recognition
from persona_lint.scaffold import skeleton, slug_for

if TYPE_CHECKING:
    from persona_lint.document.model import Document


def recognise(document: Document, place: str) -> Recognition:
    """A version table, a ``# <Name> Persona`` title or a ``<persona_context>`` block.

    A title alone does not count when the first ```` ```xml ```` block is a BMAD
    ``<agent>``: a story titled "Design Noah's Agent Definition & Persona" is no persona.
    """
    if not document.has_persona_markers:
        return NO_MARKERS
    only_title = document.version_table is None and not any(
        "<persona_context" in block.content for block in document.code_blocks
    )
    first_root = document.xml_blocks[0].root_tag if document.xml_blocks else None
    return NO_MARKERS if only_title and first_root == "agent" else MATCH


def file_name(name: str) -> str:
    """``<slug>.md``: rule PL405 wants the file named after the persona's slug."""
    return f"{slug_for(name)}.md"


PERSONA = Format(
    name="persona",
    code_prefix="PL",
    summary="a persona document: version table, title, <persona_context> and behaviour blocks",
    schemas=("persona.xsd", "behavior.xsd"),
    recognise=recognise,
    scaffold=skeleton,
    file_name=file_name,
)
