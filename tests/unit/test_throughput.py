"""The per-file work of a 1,000-file run (issue 22): what each file need not compute.

Each test pins one saving of docs/performance.md ("1,000 files") to behaviour that can be
observed: the work is not done when nothing asks for it, and the answers are the ones the
full computation gives.
"""

from __future__ import annotations

from persona_lint.xml.parser import parse_block

# Escapes on the lines of later elements, so their columns are mapped back to the dialect.
BLOCK = """<persona_context active="qa">
  <a>one & two</a>
  <b x="1">
    <c>a < b</c><c>y</c>
  </b>
</persona_context>
"""


def test_the_root_position_places_only_the_root() -> None:
    parsed = parse_block(BLOCK)
    assert parsed.root is not None
    assert parsed.position(parsed.root) == (0, 0)
    # Every persona's lint asks for the root (its `active` value); no other element is placed.
    assert len(parsed.places._places) == 1  # type: ignore[union-attr]


def test_positions_placed_in_steps_are_those_placed_at_once() -> None:
    stepwise, at_once = parse_block(BLOCK), parse_block(BLOCK)
    assert stepwise.root is not None
    second_c = stepwise.root.findall("b/c")[1]
    assert stepwise.position(second_c) == (3, 16)
    assert at_once.root is not None
    expected = [at_once.positions[element] for element in at_once.root.iter()]
    assert expected == [(0, 0), (1, 2), (2, 2), (3, 4), (3, 16)]
    assert [stepwise.positions[element] for element in stepwise.root.iter()] == expected


def test_positions_asked_one_by_one_are_those_placed_at_once() -> None:
    one_by_one, at_once = parse_block(BLOCK), parse_block(BLOCK)
    assert one_by_one.root is not None and at_once.root is not None
    asked = [one_by_one.position(element) for element in one_by_one.root.iter()]
    assert asked == [at_once.positions[element] for element in at_once.root.iter()]
