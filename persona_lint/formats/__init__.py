"""Formats: what persona-lint knows about one kind of document.

A :class:`~persona_lint.formats.base.Format` says how to recognise a document of its kind,
which XSD 1.0 schemas describe its XML, which rule family (code prefix) checks it, and how
to write a new one. Two are built in: ``persona`` (the ``persona_context`` layout, PL
rules) and ``bmad-agent`` (BMAD-METHOD's compiled agent files, BM rules). A file is checked
as the first format that recognises it, in the order of :data:`FORMATS`, then the team's
own formats declared in configuration (:mod:`persona_lint.formats.team`); the ``formats``
configuration key restricts which are tried. A file no format recognises is skipped when
found by a walk, and one PL100 when named.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

from persona_lint.formats.base import MATCH, NO_MARKERS, Format, Recognition
from persona_lint.formats.bmad import BMAD_AGENT
from persona_lint.formats.names import FORMAT_NAMES
from persona_lint.formats.persona import PERSONA

if TYPE_CHECKING:
    from persona_lint.document.model import Document

# In the order they are tried: a file with persona markers is a persona document.
FORMATS: tuple[Format, ...] = (PERSONA, BMAD_AGENT)
if tuple(known.name for known in FORMATS) != FORMAT_NAMES:  # pragma: no cover
    raise RuntimeError("formats/names.py disagrees with FORMATS")


class Detection(NamedTuple):
    """The format a document was recognised as, or why it is none."""

    format: Format | None
    # When no format matched but one found its markers: why the document is not of it.
    reason: str | None = None


def detect(
    document: Document,
    allowed: Iterable[str] | None = None,
    team: tuple[Format, ...] = (),
    place: str | None = None,
) -> Detection:
    """The first format of ``allowed`` (default: every format) that recognises ``document``.

    The built-in formats are tried first, then the team's own (``team``, in their order).
    ``place`` is the file's path inside the project (default: its path as shown): below the
    folder the user named, or below the working directory, so that the folders a checkout
    lives in never change the verdict.
    """
    names = None if allowed is None else tuple(allowed)
    reason = None
    for known in (*FORMATS, *team):
        if names is not None and known.name not in names:
            continue
        found = known.recognise(document, document.path if place is None else place)
        if found.matches:
            return Detection(known)
        if found.markers and reason is None:
            reason = found.reason
    return Detection(None, reason)


def get_format(name: str) -> Format | None:
    """The format called ``name``, if there is one."""
    return next((known for known in FORMATS if known.name == name), None)


__all__ = [
    "BMAD_AGENT",
    "FORMATS",
    "FORMAT_NAMES",
    "MATCH",
    "NO_MARKERS",
    "PERSONA",
    "Detection",
    "Format",
    "Recognition",
    "detect",
    "get_format",
]
