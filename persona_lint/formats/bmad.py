"""The ``bmad-agent`` format: BMAD-METHOD's compiled agent files, checked by the BM rules.

A BMAD agent file is Markdown, usually with YAML front matter (``name``, ``description``),
one sentence, and a fenced ```` ```xml ```` block whose root is ``<agent id name title
icon>``. Its marker is a fenced code block with a line starting ``<agent``. A file with the
marker is still not an agent definition when it quotes several ``<agent>`` blocks (a bundle
of agents, or documentation), when the ``<agent>`` block is not its first code block or it
has more than two (documentation that shows an agent), when the agent's attributes are
``{{template}}`` fields, or when its path inside the project marks it as a copy (a backup,
an archive, an example or a template): such a file is skipped when walked and gets one PL100
when named.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from persona_lint.formats.base import MATCH, NO_MARKERS, Format, Recognition
from persona_lint.formats.bmad_scaffold import agent_file_name, agent_skeleton

if TYPE_CHECKING:
    from persona_lint.document.model import CodeBlock, Document

# An <agent> start tag at the start of a line of a code block.
_AGENT_START = re.compile(r"^[ \t]*<agent[\s>]", re.MULTILINE)
# A path word that marks a copy rather than an installed agent (in a folder or file name).
_COPY_PATH = re.compile(
    r"(?:^|[/\\_.-])(?:backups?|archive[sd]?|examples?|templates?|tpl)(?:[/\\_.-]|$)",
    re.IGNORECASE,
)
# Real agent files have their <agent> block, and at most one block after it (an installer's
# footer, as in .clinerules files); documentation quotes agents among other blocks.
_MAX_CODE_BLOCKS = 2


def agent_code_blocks(document: Document) -> list[CodeBlock]:
    """The fenced code blocks of ``document`` that hold an ``<agent>`` start tag."""
    return [
        block
        for block in document.code_blocks
        if block.fenced and "<agent" in block.content and _AGENT_START.search(block.content)
    ]


def recognise(document: Document, place: str) -> Recognition:
    """Whether ``document`` is one BMAD agent definition (see the module's docstring).

    ``place`` is the file's path inside the project: only its words may mark a copy, never
    those of the folders above the project (a checkout in ``/work/bmad-templates/``).
    """
    holders = agent_code_blocks(document)
    if not holders:
        return NO_MARKERS
    count = sum(len(_AGENT_START.findall(block.content)) for block in holders)
    blocks = len(document.code_blocks)
    if count > 1:
        return _not_an_agent(f"it holds {count} <agent> blocks (a bundle or documentation)")
    if holders[0] is not document.code_blocks[0] or blocks > _MAX_CODE_BLOCKS:
        return _not_an_agent(
            f"it quotes an <agent> block among {blocks} code blocks (documentation)"
        )
    wrapped = next((xml for xml in document.xml_blocks if xml.code is holders[0]), None)
    if wrapped is not None and wrapped.root_tag not in (None, "agent"):
        # A well-formed block whose root is another element: no rule would read the agent.
        return _not_an_agent(f"its ```xml block's root is <{wrapped.root_tag}>, not <agent>")
    start = _AGENT_START.search(holders[0].content)
    tag_end = holders[0].content.find(">", start.end() if start else 0)
    if "{{" in holders[0].content[: tag_end if tag_end >= 0 else None]:
        return _not_an_agent("its <agent> attributes are {{template}} fields (a template)")
    if _COPY_PATH.search(place):
        return _not_an_agent("its path marks it as a backup, archive, example or template copy")
    return MATCH


def _not_an_agent(why: str) -> Recognition:
    return Recognition(True, f"not a persona document or a BMAD agent definition: {why}")


BMAD_AGENT = Format(
    name="bmad-agent",
    code_prefix="BM",
    summary="a BMAD-METHOD agent file: YAML front matter and one ```xml <agent> block",
    schemas=("bmad-agent.xsd",),
    recognise=recognise,
    scaffold=agent_skeleton,
    file_name=agent_file_name,
)
