"""The one shortcut left in the rule families, PL901's placeholder screen, compared with
the regular expression it stands in for: it never says "no placeholder" for a text where
PLACEHOLDER matches."""

from __future__ import annotations

from conftest import PERSONAS, edit, examples
from hypothesis import example, given, settings
from hypothesis import strategies as st

from persona_lint.document.placeholders import PLACEHOLDER, may_hold_placeholder

# -- PL901: the screen ----------------------------------------------------------------------

PLACEHOLDER_PIECES = ["{", "}", "|", "T", "O", "D", "B", "F", "I", "X", "M", "E", "a", " "]


@settings(max_examples=examples(500), deadline=None)
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
