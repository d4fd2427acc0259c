"""The one offset <-> line/column conversion."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from persona_lint.positions import LineStarts, place


def test_a_place_on_each_line() -> None:
    text = "ab\ncd\n\nx"
    assert [place(text, offset) for offset in range(len(text) + 1)] == [
        (1, 1), (1, 2), (1, 3), (2, 1), (2, 2), (2, 3), (3, 1), (4, 1), (4, 2)
    ]  # fmt: skip


@given(st.text(alphabet="a\n\u00e9\U0001f680", max_size=40), st.data())
def test_line_starts_agree_with_place_and_invert_it(text: str, data: st.DataObject) -> None:
    offset = data.draw(st.integers(min_value=0, max_value=len(text)))
    starts = LineStarts.of(text)
    assert starts.place(offset) == place(text, offset)
    assert starts.offset(*place(text, offset)) == offset
