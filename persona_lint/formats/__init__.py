"""Formats: what persona-lint knows about one kind of document.

A :class:`~persona_lint.formats.base.Format` says how to recognise a document of its kind,
which XSD 1.0 schemas describe its XML, which rule family (code prefix) checks it, and how
to write a new one. Two are built in: ``persona`` (the ``persona_context`` layout, PL
rules) and ``bmad-agent`` (BMAD-METHOD's compiled agent files, BM rules). A file is checked
as the first format that recognises it, in the order of
:data:`~persona_lint.formats.names.FORMAT_NAMES`, then the team's own formats declared in
configuration (:mod:`persona_lint.formats.team`); the ``formats`` configuration key
restricts which are tried. A file no format recognises is skipped when found by a walk, and
one PL100 when named. A built-in format's module is imported when a file is first tried
against it: a file recognised as a persona never loads the BMAD format.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, NamedTuple

from persona_lint.formats.base import MATCH, NO_MARKERS, Format, Recognition
from persona_lint.formats.names import BUILT_IN_FORMATS, FORMAT_NAMES
from persona_lint.formats.persona import PERSONA

if TYPE_CHECKING:
    from persona_lint.document.model import Document


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
    reason = None
    for known in _candidates(None if allowed is None else tuple(allowed), team):
        found = known.recognise(document, document.path if place is None else place)
        if found.matches:
            return Detection(known)
        if found.markers and reason is None:
            reason = found.reason
    return Detection(None, reason)


def _candidates(names: tuple[str, ...] | None, team: tuple[Format, ...]) -> Iterator[Format]:
    """The formats of ``names`` (None: every one) in the order they are tried.

    A built-in format is imported only when the one before it did not match.
    """
    for name in FORMAT_NAMES:
        if names is None or name in names:
            yield _built_in(name)
    yield from (known for known in team if names is None or known.name in names)


def _built_in(name: str) -> Format:
    """The built-in format ``name``, its module imported on first use."""
    module, attribute = BUILT_IN_FORMATS[name].split(":")
    known: Format = getattr(importlib.import_module(f"{__name__}.{module}"), attribute)
    return known


def get_format(name: str) -> Format | None:
    """The built-in format called ``name``, if there is one."""
    return _built_in(name) if name in BUILT_IN_FORMATS else None


__all__ = [
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
