"""Property-based tests (hypothesis): mutate the canonical persona and lint the result.

Whatever the mutation (lines deleted, duplicated, swapped or inserted; markup, random text
or random bytes inserted anywhere), linting returns, never raises, and every diagnostic
points inside the file: 1 <= line <= the number of lines, 1 <= column <= the line's length
+ 1 (the place just after the last character, where "missing" things are reported).

Lines are counted as persona-lint and editors count them: the text split at every line
break, so a file that ends with a newline has a last, empty line, and a diagnostic about the
end of the file (an element never closed, a missing Usage line) may stand there.

Deterministic (``derandomize``) and bounded, so the suite stays reproducible and fast.
"""

from __future__ import annotations

from dataclasses import dataclass

from conftest import CANONICAL, examples
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from persona_lint.config.settings import Settings
from persona_lint.engine.lint import lint_source
from persona_lint.source.decode import SourceProblem, decode
from persona_lint.xml.dialect import to_strict_xml
from persona_lint.xml.parser import parse_block

LINES = CANONICAL.split("\n")
MARKUP = [
    "<",
    "&",
    ">",
    "]]>",
    "<![CDATA[",
    "<!--",
    "-->",
    "<?",
    "?>",
    "<!DOCTYPE x>",
    '<!ENTITY e "x">',
    "&e;",
    "&amp;",
    "&#0;",
    "&#x1F600;",
    "&nbsp;",
    "</",
    "<a>",
    "</a>",
    "<a b='&<'>",
    "<gate>",
    "</gate>",
    "<persona_context>",
    "</persona_context>",
    "`",
    "```",
    "```xml",
    "~~~",
    "~~~xml",
    "|",
    "| version |",
    "|---|",
    "> ",
    ">",
    "    ",
    "\t",
    "- ",
    "1. ",
    "# ",
    "===",
    "**Usage**:",
    "--persona ",
    "<!-- persona-lint: disable-next-line PL305 -->",
    "\r",
    "\r\n",
    "\ufeff",
    "é",
    "😀",
    "→",
    "{x|y}",
    "TODO",
]
BLOCK_MARKUP = [m for m in MARKUP if "\r" not in m] + ["a", " ", "\n", "=", '"', "'"]
SETTINGS = Settings()


@dataclass(frozen=True)
class Mutation:
    kind: str
    at: int  # a line index (taken modulo the line count)
    other: int = 0  # the second line (swap) or a column (insert_text)
    text: str = ""
    data: bytes = b""


def _mutation() -> st.SearchStrategy[Mutation]:
    index = st.integers(min_value=0, max_value=10_000)
    snippet = st.one_of(
        st.sampled_from(MARKUP),
        # Mostly printable: control characters stop linting at PL002 (tested apart).
        st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=6),
        st.text(max_size=3),
        st.lists(st.sampled_from(MARKUP), min_size=1, max_size=4).map("".join),
    )
    return st.one_of(
        st.builds(Mutation, st.just("delete"), index),
        st.builds(Mutation, st.just("duplicate"), index),
        st.builds(Mutation, st.just("swap"), index, index),
        st.builds(Mutation, st.just("insert_line"), index, st.just(0), snippet),
        st.builds(Mutation, st.just("insert_text"), index, index, snippet),
        st.builds(
            Mutation,
            st.just("insert_bytes"),
            st.integers(min_value=0, max_value=len(CANONICAL.encode()) + 100),
            data=st.binary(min_size=1, max_size=4),
        ),
    )


def mutate(mutations: list[Mutation]) -> bytes:
    lines = list(LINES)
    inserted: list[Mutation] = []
    for mutation in mutations:
        if mutation.kind == "insert_bytes":
            inserted.append(mutation)
            continue
        if not lines:
            lines = [""]
        at = mutation.at % len(lines)
        if mutation.kind == "delete":
            del lines[at]
        elif mutation.kind == "duplicate":
            lines.insert(at, lines[at])
        elif mutation.kind == "swap":
            other = mutation.other % len(lines)
            lines[at], lines[other] = lines[other], lines[at]
        elif mutation.kind == "insert_line":
            lines.insert(at, mutation.text)
        else:
            column = mutation.other % (len(lines[at]) + 1)
            lines[at] = lines[at][:column] + mutation.text + lines[at][column:]
    data = "\n".join(lines).encode("utf-8", "surrogatepass")
    for mutation in inserted:
        position = mutation.at % (len(data) + 1)
        data = data[:position] + mutation.data + data[position:]
    return data


def file_lines(data: bytes) -> list[str]:
    """The file's lines as persona-lint numbers them (see the module documentation)."""
    text = data.decode("utf-8", "replace").removeprefix("\ufeff")
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def assert_inside(data: bytes) -> None:
    result = lint_source("backend-engineer.md", data, SETTINGS)
    lines = file_lines(data)
    for diagnostic in result.diagnostics:
        where = f"{diagnostic.code} at {diagnostic.line}:{diagnostic.column}"
        assert 1 <= diagnostic.line <= len(lines), where
        assert 1 <= diagnostic.column <= len(lines[diagnostic.line - 1]) + 1, where


@settings(
    max_examples=examples(300),
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.lists(_mutation(), min_size=1, max_size=6))
def test_mutated_persona_lints_with_places_inside_the_file(mutations: list[Mutation]) -> None:
    assert_inside(mutate(mutations))


@settings(max_examples=examples(150), deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(MARKUP), max_size=12).map("\n".join))
def test_markup_soup_in_the_persona_fence(soup: str) -> None:
    """Random markup as the whole persona_context block, and just after its root."""
    assert_inside(CANONICAL.replace("```xml\n", "```xml\n" + soup + "\n", 1).encode())
    assert_inside(
        CANONICAL.replace(
            'active="backend-engineer">', 'active="backend-engineer">' + soup
        ).encode()
    )


@settings(max_examples=examples(300), deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(BLOCK_MARKUP), max_size=30).map("".join))
def test_dialect_parser_never_raises_and_stays_inside_the_block(text: str) -> None:
    """On block text as documents hold it: decoded, with LF line endings only."""
    parsed = parse_block(text)
    lines = text.split("\n")
    if parsed.error is not None:
        assert 0 <= parsed.error.line < len(lines)
        assert 0 <= parsed.error.column <= len(lines[parsed.error.line])
    for line, column in parsed.positions.values():
        assert 0 <= line < len(lines)
        assert 0 <= column < len(lines[line])
        assert lines[line][column] == "<"
    strict = to_strict_xml(text)
    for number, strict_line in enumerate(strict.text.split("\n")):
        for column in range(len(strict_line) + 1):
            assert 0 <= strict.original_column(number, column) <= len(lines[number])


@settings(max_examples=examples(300), deadline=None, derandomize=True)
@given(st.binary(max_size=64))
@example(b"abc\rd\xff")  # a lone CR ends a line before the bad byte
@example(b"\xef\xbb\xbfab\xff")  # the byte order mark takes no column
@example(b"\xff\xfe\x00")
def test_decode_never_raises_and_places_problems_inside(data: bytes) -> None:
    text = decode(data)
    if isinstance(text, SourceProblem):
        lines = file_lines(data)
        assert 1 <= text.line <= len(lines)
        assert 1 <= text.column <= len(lines[text.line - 1]) + 1


@given(
    st.text(
        st.sampled_from(["a", "\t", "\n", "\r", "é", "©", "\u0085", "\x01", "\x1f", "\x7f", "€"]),
        max_size=30,
    )
)
def test_decode_finds_the_first_control_character_or_none(text: str) -> None:
    # decode screens the bytes with one translate pass; the answer must be the regular
    # expression's: the first C0 (but tab, LF, CR), DEL or C1 control, at its place.
    result = decode(text.encode("utf-8"))
    normalised = text.replace("\r\n", "\n").replace("\r", "\n")
    controls = [
        i
        for i, c in enumerate(normalised)
        if c not in "\t\n" and (c < " " or "\x7f" <= c <= "\x9f")
    ]
    if not controls:
        assert result == normalised
        return
    first = controls[0]
    assert isinstance(result, SourceProblem)
    line = normalised.count("\n", 0, first) + 1
    column = first - (normalised.rfind("\n", 0, first) + 1) + 1
    assert (result.line, result.column) == (line, column)
    assert f"U+{ord(normalised[first]):04X}" in result.message


def test_a_lone_surrogate_from_an_editor_is_reported_not_raised() -> None:
    # Text (not bytes) comes from the language server, whose JSON may carry "\ud800".
    text = CANONICAL.replace("<persona_identity>", "<persona_identity>\ud800", 1)
    line = text[: text.index("\ud800")].count("\n") + 1
    column = len(text[: text.index("\ud800")].rsplit("\n", 1)[-1]) + 1
    result = lint_source("backend-engineer.md", text, Settings())
    assert [(d.code, d.line, d.column) for d in result.diagnostics] == [("PL002", line, column)]
    assert result.diagnostics[0].message == "lone surrogate U+D800: the text is not valid Unicode"
