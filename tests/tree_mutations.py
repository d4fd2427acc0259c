"""Small random edits of an element tree, for differential tests of the two validators.

One to three edits (delete, duplicate, swap, rename, empty, add text, set an attribute) of
a copy of a valid tree give documents near the schema's edges, where validators disagree
if they ever do.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from xml.etree import ElementTree

from hypothesis import strategies as st

ACTIONS = ["delete", "duplicate", "swap", "rename", "empty", "text", "attribute"]


def mutate(
    draw: st.DrawFn,
    original: ElementTree.Element,
    *,
    tags: Sequence[str],
    attributes: Sequence[str],
    texts: Sequence[str] = ("x", " "),
    values: Sequence[str] | None = None,
    empty_leaves_only: bool = False,
) -> str:
    """A mutated copy of ``original`` as text.

    ``tags``: names a rename picks from; ``attributes`` (and ``values``, or always ``v``):
    what an attribute edit sets; ``texts``: what a text edit appends; ``empty_leaves_only``:
    empty only elements without children.
    """
    root = copy.deepcopy(original)
    for _ in range(draw(st.integers(1, 3))):
        elements = list(root.iter())
        parents = {child: parent for parent in elements for child in parent}
        target = elements[draw(st.integers(0, len(elements) - 1))]
        action = draw(st.sampled_from(ACTIONS))
        parent = parents.get(target)
        if action == "delete" and parent is not None:
            parent.remove(target)
        elif action == "duplicate" and parent is not None:
            parent.insert(list(parent).index(target), copy.deepcopy(target))
        elif action == "swap" and parent is not None and len(parent) > 1:
            children = list(parent)
            index, other = children.index(target), draw(st.integers(0, len(parent) - 1))
            children[index], children[other] = children[other], children[index]
            parent[:] = children
        elif action == "rename":
            target.tag = draw(st.sampled_from(tags))
        elif action == "empty" and not (empty_leaves_only and len(target)):
            target.text = draw(st.sampled_from(["", "  ", "\n   "]))
        elif action == "text":
            target.text = (target.text or "") + draw(st.sampled_from(texts))
        elif action == "attribute":
            value = "v" if values is None else draw(st.sampled_from(values))
            target.set(draw(st.sampled_from(attributes)), value)
    return ElementTree.tostring(root, encoding="unicode")
