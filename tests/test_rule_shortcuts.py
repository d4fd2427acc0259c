"""Differential tests of the shortcuts in the rule families PL1xx, PL3xx, PL4xx, PL5xx and
PL901: each one is compared with the general code it stands in for.

- ``may_hold_placeholder`` (PL901's screen) never says "no placeholder" for a text where
  PLACEHOLDER matches.
- ``file_stem`` (PL407) is ``PurePath(path).stem``; where it does not defer to pathlib, it is
  also the stem on Windows.
- ``grandchild`` (PL402-PL407, PL501, PL502) is ``Element.find("a/b")``.
- ``canonical_table`` (PL308 and ``--fix``) is ``render_table`` under the version header.
- The identity answers kept per document are the ones a fresh document gives, in whatever
  order the rules ask.
"""

from __future__ import annotations

from pathlib import PurePath, PurePosixPath, PureWindowsPath
from xml.etree.ElementTree import Element, SubElement

from conftest import CANONICAL, PERSONAS, edit
from hypothesis import example, given, settings
from hypothesis import strategies as st

from persona_lint.document.model import VERSION_COLUMNS, parse_document
from persona_lint.document.persona import (
    active_slug,
    active_value,
    grandchild,
    identity_slug,
    persona_name,
    persona_name_text,
)
from persona_lint.rules.identity import file_stem
from persona_lint.rules.template import PLACEHOLDER, may_hold_placeholder
from persona_lint.rules.version import canonical_table, render_table

# -- PL901: the screen ----------------------------------------------------------------------

PLACEHOLDER_PIECES = ["{", "}", "|", "T", "O", "D", "B", "F", "I", "X", "M", "E", "a", " "]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from([*PLACEHOLDER_PIECES, "\n", "TODO", "TBD", "FIXME", "é"])))
@example(["TODO"])
@example(["xTBD"])
@example(["FIXME", "\n"])
@example(["{", "a", "}"])
@example(["T", "F", "TBDx"])
def test_the_placeholder_screen_never_hides_a_placeholder(pieces: list[str]) -> None:
    text = "".join(pieces)
    if PLACEHOLDER.search(text):
        assert may_hold_placeholder(text), text


def test_the_placeholder_screen_on_the_personas() -> None:
    for path in sorted(PERSONAS.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        assert may_hold_placeholder(text) == (PLACEHOLDER.search(text) is not None), path.name
    for placeholder in ("{persona_name}", "{Senior|Expert}", "TODO", "TBD", "FIXME"):
        assert may_hold_placeholder(edit("Backend Engineer", placeholder))
    assert not may_hold_placeholder("TOD TB FIXM The Fix")


# -- PL407: the file's stem -----------------------------------------------------------------

PATH_PIECES = ["/", "\\", ".", "..", ":", "a", "b.md", "-", " ", "c:", "//", "md"]


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(PATH_PIECES), max_size=8))
@example(["b.md"])
@example(["a", "/", "b.md"])
@example(["/"])
@example(["a", "/", "."])
@example(["a", "/", ".."])
@example([".", "md"])
@example(["b.md", "."])
@example(["//", "a", "/", "b.md"])
@example(["c:", "b.md"])
@example(["a", "\\", "b.md"])
def test_file_stem_is_the_pathlib_stem(pieces: list[str]) -> None:
    path = "".join(pieces)
    stem = file_stem(path)
    assert stem == PurePath(path).stem, path
    deferred = (
        path.rpartition("/")[2] in ("", ".", "..")
        or "\\" in path
        or ":" in path
        or path.startswith("//")
    )
    if not deferred:  # the shortcut's answer holds on Windows too
        assert stem == PurePosixPath(path).stem == PureWindowsPath(path).stem, path


# -- PL4xx, PL5xx: one path step at a time --------------------------------------------------


def tree(shape: list[tuple[int, str]]) -> Element:
    """A tree from (parent index, tag) pairs; index 0 is the root."""
    elements = [Element("root")]
    for parent, tag in shape:
        elements.append(SubElement(elements[parent % len(elements)], tag))
    return elements[0]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 12), st.sampled_from(["a", "b", "c"])), max_size=12))
@example([(0, "a"), (0, "a"), (2, "b")])  # the first <a> has no <b>, the second has
@example([(0, "b"), (1, "a"), (0, "a"), (3, "b")])
def test_grandchild_is_element_find(shape: list[tuple[int, str]]) -> None:
    root = tree(shape)
    for first in ("a", "b", "c"):
        for second in ("a", "b", "c"):
            assert grandchild(root, first, second) is root.find(f"{first}/{second}")


# -- PL308: the canonical table -------------------------------------------------------------

CELL = st.text(alphabet="1.0-abc|é ", max_size=14)


@settings(max_examples=1000, deadline=None)
@given(st.tuples(CELL, CELL, CELL))
@example(("1.0.0", "2025-07-11", "stable"))
@example(("1.0.0-rc.1", "2025-07-11", "deprecated"))
@example(("1.0.0|x", "2025-07-11", "stable"))
@example(("1234567", "123456789012", "123456"))
@example(("12345678", "1234567890123", "1234567"))
def test_canonical_table_is_render_table(row: tuple[str, str, str]) -> None:
    assert canonical_table(row) == render_table(VERSION_COLUMNS, row)


# -- PL4xx: the answers kept per document ---------------------------------------------------

IDENTITY_TEXTS = [
    CANONICAL,
    edit('active="backend-engineer"', 'active="Backend_Engineer"'),
    edit('active="backend-engineer"', 'active=""'),
    edit("<name>Backend Engineer</name>", "<name>  Backend\n  Engineer </name>"),
    edit("<name>Backend Engineer</name>", "<name> </name>"),
    edit("<name>Backend Engineer</name>", ""),
]


Answers = tuple[
    tuple[str, tuple[int, int]] | None,
    str | None,
    tuple[str, tuple[int, int]] | None,
    str | None,
    str | None,
]


def answers(text: str, backwards: bool) -> Answers:
    """The identity answers for ``text``, asked in this order or the reverse one."""
    document = parse_document("backend-engineer.md", text)
    if backwards:
        identity = identity_slug(document)
        value = active_value(document)
        slug = active_slug(document)
        name_text = persona_name_text(document)
        name = persona_name(document)
    else:
        name = persona_name(document)
        name_text = persona_name_text(document)
        slug = active_slug(document)
        value = active_value(document)
        identity = identity_slug(document)
    return name, name_text, slug, value, identity


def test_identity_answers_do_not_depend_on_the_order_of_asking() -> None:
    for text in IDENTITY_TEXTS:
        first = answers(text, backwards=False)
        assert answers(text, backwards=True) == first
        name, name_text, slug, value, _ = first
        assert (name[0] if name else None) == name_text
        assert (slug[0] if slug else None) == value
    assert answers(IDENTITY_TEXTS[3], backwards=False)[1] == "Backend Engineer"
    assert answers(IDENTITY_TEXTS[4], backwards=False)[:2] == (None, None)


# -- PL501, PL502: the gates ----------------------------------------------------------------

GATE_TEXT = st.text(alphabet="aSe cuRity_-\0é.ſK", max_size=20)
KEYWORD = st.text(alphabet="aSecuRity_- \0é.K", max_size=8)


@settings(max_examples=2000, deadline=None)
@given(st.lists(KEYWORD, max_size=4), st.lists(GATE_TEXT, max_size=5))
@example(["security"], ["Security review"])
@example(["security"], ["insecurity", "security"])
@example(["secure"], ["insecure"])
@example(["threat"], ["a_threat"])
@example(["Security"], ["x-security"])
@example(["-sec"], ["a-sec"])
@example([""], ["x"])
@example([], ["x"])
@example(["k"], ["K"])  # the Kelvin sign: not ASCII, left to the pattern
@example(["s"], ["ſ"])
@example(["a b"], ["a", "b"])
@example(["a\0b"], ["a", "b"])
def test_covers_is_a_search_of_each_gate(keywords: list[str], texts: list[str]) -> None:
    from persona_lint.rules.gates import covers, topic

    pattern = topic(tuple(keywords)).pattern
    expected = any(pattern.search(text) for text in texts)
    assert covers(tuple(keywords), texts) == expected, (keywords, texts)


def test_covers_takes_the_lowercase_search_for_the_default_policy() -> None:
    from persona_lint.config.settings import DEFAULT_GATE_TOPICS
    from persona_lint.rules.gates import topic

    for _, keywords in DEFAULT_GATE_TOPICS:
        assert topic(keywords).lowered is not None
