"""The document model and its source map: every part at its 1-based line and column."""

from __future__ import annotations

import pytest
from conftest import CANONICAL, PERSONAS, codes, edit
from hypothesis import given
from hypothesis import strategies as st

from persona_lint.document.model import Shared, parse_document
from persona_lint.document.tables import Cell, split_row


def test_canonical_parts_have_exact_positions() -> None:
    document = parse_document("backend-engineer.md", CANONICAL)
    table = document.version_table
    assert table is not None
    assert table.is_first_block
    assert [(c.text, c.line, c.column) for c in table.header] == [
        ("version", 1, 3),
        ("last_updated", 1, 13),
        ("status", 1, 28),
    ]
    assert [(c.text, c.line, c.column) for c in table.rows[0]] == [
        ("1.0.0", 3, 3),
        ("2025-07-11", 3, 13),
        ("stable", 3, 28),
    ]
    assert document.title is not None
    assert (document.title.text, document.title.line, document.title.column) == (
        "Backend Engineer Persona",
        5,
        3,
    )
    blocks = [(b.code.fence_line, b.code.content_line, b.root_tag) for b in document.xml_blocks]
    assert blocks == [(9, 10, "persona_context"), (178, 179, "backend_engineer_behavior")]
    assert document.usage is not None
    assert (document.usage.line, document.usage.persona) == (215, "backend-engineer")
    assert (document.usage.persona_line, document.usage.persona_column) == (215, 116)


def test_element_positions_map_to_markdown_lines() -> None:
    document = parse_document("x.md", CANONICAL)
    block = document.persona_context
    assert block is not None and block.root is not None
    gate = block.root.find("quality_standards/mandatory_gates/gate")
    assert gate is not None
    assert block.locate(gate) == (40, 7)
    assert block.locate_text(gate, 0) == (40, 13)
    assert block.locate_attribute(block.root, "active") == (10, 26)


def test_canonical_persona_lints_clean() -> None:
    assert codes(CANONICAL) == []


def test_crlf_and_bom_change_no_line_and_no_diagnostic() -> None:
    crlf = CANONICAL.replace("\n", "\r\n")
    assert codes(crlf) == []
    assert codes(("\ufeff" + CANONICAL).encode("utf-8")) == []
    assert codes(crlf.encode("utf-8")) == []
    broken = edit("</perspective>", "</perspectiv>")
    expected = [("PL201", 16, 90)]
    assert codes(broken) == expected
    assert codes(broken.replace("\n", "\r\n").encode()) == expected
    assert codes(b"\xef\xbb\xbf" + broken.replace("\n", "\r\n").encode()) == expected


def test_fence_in_blockquote_reports_columns_of_the_file() -> None:
    lines = CANONICAL.split("\n")
    start, end = 8, 171  # the persona_context fence, 0-based, inclusive
    assert lines[start] == "```xml" and lines[end] == "```"
    quoted = lines[:start] + ["> " + line for line in lines[start : end + 1]] + lines[end + 1 :]
    text = "\n".join(quoted)
    assert codes(text) == []
    broken = text.replace("</perspective>", "</perspectiv>")
    assert codes(broken) == [("PL201", 16, 92)]


def test_indented_fence_reports_columns_of_the_file() -> None:
    lines = CANONICAL.split("\n")
    indented = lines[:8] + ["   " + line for line in lines[8:172]] + lines[172:]
    broken = "\n".join(indented).replace("</perspective>", "</perspectiv>")
    assert codes(broken) == [("PL201", 16, 93)]


def test_tilde_fence_is_a_fence() -> None:
    text = CANONICAL.replace(
        "```xml\n<backend_engineer_behavior>", "~~~xml\n<backend_engineer_behavior>"
    )
    text = text.replace("</backend_engineer_behavior>\n```", "</backend_engineer_behavior>\n~~~")
    assert codes(text) == []


def test_unterminated_fence_is_reported_at_the_opening_fence() -> None:
    text = CANONICAL.replace("</backend_engineer_behavior>\n```", "</backend_engineer_behavior>\n")
    assert ("PL106", 178, 1) in codes(text)


def test_usage_line_without_persona_option() -> None:
    text = edit("or explicitly via `--persona backend-engineer`", "or explicitly")
    assert codes(text) == [("PL406", 215, 1)]


def test_text_positions_step_over_xml_comments() -> None:
    text = edit(
        "      Unit testing → Integration testing",
        "      <!-- persona-lint: disable-next-line PL701 -->\n"
        "      Unit testing -> Integration testing",
    )
    # The mixed arrow is on the line after the comment, not on the comment's line.
    assert ("PL703", 58, 20) in codes(text)


def test_split_row_cells_and_columns() -> None:
    assert split_row("| 1.0.0 | 2026-01-01 |  active |", 4) == (
        Cell("1.0.0", 4, 3),
        Cell("2026-01-01", 4, 11),
        Cell("active", 4, 25),
    )
    assert split_row("  |a\\|b|c", 1) == (Cell("a|b", 1, 4), Cell("c", 1, 9))
    assert split_row("a | b |", 2) == (Cell("a", 2, 1), Cell("b", 2, 5))
    assert split_row("|", 3) == (Cell("", 3, 2),)


_CELL_TEXT = st.text(st.sampled_from("ab1 -.:\t"), max_size=6).map(str.strip)


@given(
    st.lists(_CELL_TEXT, min_size=1, max_size=5),
    st.lists(st.sampled_from(["", " ", "  "]), min_size=12, max_size=12),
    st.booleans(),
)
def test_split_row_finds_each_cell_where_it_is(
    texts: list[str], pads: list[str], trailing: bool
) -> None:
    # "| a | b |" built from known cells: every cell comes back with the column of its text.
    line, expected = "|", []
    for index, text in enumerate(texts):
        line += pads[2 * index]
        expected.append(Cell(text, 7, len(line) + 1))
        line += text + pads[2 * index + 1] + "|"
    if not trailing:
        line = line[:-1]
    cells = split_row(line, 7)
    assert [c.text for c in cells] == texts[: len(cells)]
    for cell, want in zip(cells, expected, strict=False):
        if cell.text:
            assert cell.column == want.column
            assert line[cell.column - 1 :].startswith(cell.text)


# Code blocks whose content is the file's lines as they are, and code blocks that
# markdown-it reads with indentation or block quote markers removed.
CODE_TEXTS = [
    CANONICAL,
    CANONICAL.replace("</backend_engineer_behavior>\n```", "</backend_engineer_behavior>"),
    CANONICAL.rstrip("\n").removesuffix("`"),
    "```xml\n```\n",
    "```xml\n\n\n```",
    "```xml\n<a/>",  # unclosed, no newline at the end
    "```xml\n<a/>\n",
    "```xml\n<a/>\n\n  \n",
    "~~~~\n```\n~~~\n~~~~~\nafter",
    "> ```xml\n> <a/>\n> ```\n",
    "- item\n\n  ```xml\n  <a/>\n  ```\n",
    "   ```xml\n   <a/>\n  <b/>\n   ```\n",
    "text\n\n    indented code\n    more\n\nafter",
    "text\n\n    indented code\n    last, no newline after it",
    "- item\n\n  ```xml\n  <a/>",  # unclosed in a list, no newline at the end
    "```\nsame\n```\n\n```\nsame\n```\n",
    *(path.read_text(encoding="utf-8") for path in sorted(PERSONAS.glob("*.md"))),
]


@pytest.mark.parametrize("text", CODE_TEXTS)
def test_each_content_line_maps_to_where_it_stands_in_the_file(text: str) -> None:
    lines = text.split("\n")
    for block in parse_document("x.md", text).code_blocks:
        assert list(block.lines) == block.content.split("\n"), text
        whole_lines = block.content.removesuffix("\n").split("\n") if block.content else []
        assert len(block.line_offsets) == len(whole_lines), text
        for number, content_line in enumerate(whole_lines):
            line, column = block.to_file(number, 0)
            assert lines[line - 1][column - 1 :] == content_line, text


def test_positions_asked_one_by_one_in_any_order_agree_with_all_positions() -> None:
    # _TextPositions reads start tags from the text only as far as asked.
    block = parse_document("x.md", CANONICAL).persona_context
    assert block is not None and block.root is not None
    elements = list(block.root.iter())
    fresh = parse_document("x.md", CANONICAL).persona_context
    assert fresh is not None and fresh.root is not None
    for element, again in zip(elements, fresh.root.iter(), strict=True):
        assert block.parsed.position(element) == fresh.parsed.positions[again]
    backwards = parse_document("x.md", CANONICAL).persona_context
    assert backwards is not None and backwards.root is not None
    for element, again in reversed(list(zip(backwards.root.iter(), elements, strict=True))):
        assert backwards.parsed.position(element) == block.parsed.position(again)


def test_shared_computations_are_kept_under_their_own_key() -> None:
    calls: list[str] = []

    def first(document: object) -> str:
        calls.append("first")
        return "first"

    def second(document: object) -> str:
        calls.append("second")
        return "second"

    # The same name, two computations: a string key would have mixed them up.
    one, other = Shared("same", first), Shared("same", second)
    document = parse_document("x.md", "# X Persona\n")
    assert [document.once(one), document.once(other), document.once(one)] == [
        "first",
        "second",
        "first",
    ]
    assert calls == ["first", "second"]
