"""The well-formed parse of persona_lint.xml.parser (libxml2) against the general one (expat).

``parse_block`` lets libxml2 build a well-formed block's tree (the one it validates, issue
22), and reads positions from the text when asked; ``_parse`` parses every block with
expat's handlers, and explains errors. Both must give
the same tree, text, tails, attributes, positions and errors, on every XML block of the
personas, the shared reference and corpus, the rule examples, and generated dialect text.
"""

from __future__ import annotations

import re
import time
from xml.etree.ElementTree import Element

import pytest
from cases import documents
from conftest import PERSONAS, SHARED, examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from persona_lint.document.model import parse_document
from persona_lint.xml import dialect, parser
from persona_lint.xml.dialect import to_strict_xml
from persona_lint.xml.explain import find_doctype
from persona_lint.xml.parser import MAX_DEPTH, ParsedXml, parse_block


def shape(element: Element, parsed: ParsedXml) -> tuple[object, ...]:
    return (
        element.tag,
        element.attrib,
        element.text,
        element.tail,
        parsed.position(element),
        [shape(child, parsed) for child in element],
    )


def general_parse(text: str) -> ParsedXml:
    """Every block through the handlers of ``_parse`` (after the DOCTYPE refusal)."""
    doctype = find_doctype(text)
    if doctype is not None:
        return ParsedXml(None, {}, doctype)
    return parser._parse(text, to_strict_xml(text))


def assert_same(text: str) -> None:
    fast, general = parse_block(text), general_parse(text)
    assert fast.error == general.error, text
    assert fast.strict == general.strict, text
    if general.root is None:
        assert fast.root is None, text
        return
    assert fast.root is not None, text
    assert shape(fast.root, fast) == shape(general.root, general), text
    # Every element has a position, the same through .positions as through .position().
    for parsed in (fast, general):
        root = parsed.root
        assert root is not None
        assert parsed.positions == {e: parsed.position(e) for e in root.iter()}, text
    assert fast.position(Element("elsewhere")) == (0, 0)


def xml_blocks() -> list[tuple[str, str]]:
    paths = sorted(PERSONAS.glob("*.md"))
    paths += sorted((SHARED / "reference").glob("*.md"))
    paths += sorted((SHARED / "corpus").glob("**/*.md"))
    texts = [(path.name, path.read_text(encoding="utf-8")) for path in paths]
    texts += documents()  # the documents of the rule cases, tests/rules/*.toml
    return [
        (f"{name}:{block.code.content_line}", block.code.content)
        for name, text in texts
        for block in parse_document(name, text).xml_blocks
    ]


BLOCKS = xml_blocks()


def test_the_blocks_are_found() -> None:
    assert len(BLOCKS) >= 2 * len(list(PERSONAS.glob("*.md")))


@pytest.mark.parametrize(("name", "text"), BLOCKS, ids=[name for name, _ in BLOCKS])
def test_same_on_every_known_block(name: str, text: str) -> None:
    assert_same(text)


def fast_parse(text: str) -> bool:
    """Whether parse_block takes the fast parse (positions read from the text)."""
    return isinstance(parse_block(text).places, parser._TextPositions)


def test_the_personas_take_the_fast_parse() -> None:
    for path in sorted(PERSONAS.glob("*.md")):
        for block in parse_document(path.name, path.read_text(encoding="utf-8")).xml_blocks:
            assert fast_parse(block.code.content), path.name
    assert fast_parse("<a><!-- c --></a>")  # comments are left out of libxml2's tree
    assert not fast_parse("<a>\r\n</a>")
    assert not fast_parse("<a>" * (MAX_DEPTH + 1) + "</a>" * (MAX_DEPTH + 1))


@pytest.mark.parametrize(
    "text",
    [
        "<a b=\"x<y\" c='p&q'>t</a>",  # escapes inside quoted values
        "<a b='<!DOCTYPE a>'>t</a>",  # a declaration hidden in a quoted value is refused
        '<a b="<?x?>"/>',
        '<a>\'</a><b x=""',  # a quote outside tags; one in a tag after it
        "<a>&amp;<</a><",  # "<" and "</" ending the text
        "<a></",
        "<a x='1'>&amp; \" '<<b y=\"&\"/></a>",
        "<a\n  x='1'\n  y=\"<b>\">\n</a>",
        "<a x='>'>\"&\"</a>",
        "<a b=\"x>y\" c='<<&&'>t</a>",
        "<a b='&amp;&#12;&#x1F;&bogus;&'/>",
        "<a>&&&amp;&&</a>",  # runs: all but the last escaped at once
        "<a><<<b/><<</a>",
        "<<<&&&<<<",
        "<a&b>x</a&b>",  # "&" in a name: the general loop passes over the tag whole
        "<a x&y='1'/>",
        "<1a>x</1a>",  # no name-start character: a bare "<"
        "<\u3000>x</\u3000>",  # a name-start character that is also white space
        "<\U0001f600>",  # beyond the BMP: not a name-start character
        "<a b='x\n<y'\n>\n</a>",
        "<a b='unterminated <c> &d",
        "<a <b/>",
        "<a>\n  <!-- c & d < e -->\n  <b>&</b>\n</a>",
        "<a><![CDATA[<b> & ]]> < </a>",
        "<?pi x?><a>&</a>",
        "<a>x</a>\r\n",
        "\ufeff<a>é😀 &amp; <b/></a>",
        "<a>&nbsp;</a>",
        "<a></b>",
        "<a><b></a>",
        "<a/><b/>",
        "",
        "   \n  ",
    ],
)
def test_same_on_hand_picked_blocks(text: str) -> None:
    assert_same(text)


@pytest.mark.parametrize("depth", [MAX_DEPTH - 1, MAX_DEPTH, MAX_DEPTH + 1, 10_000])
@pytest.mark.parametrize("filler", ["", "x", " & ", "\n  "])
def test_same_at_the_depth_limit(depth: int, filler: str) -> None:
    text = "".join(f"<a{i}>{filler}" for i in range(depth)) + "".join(
        f"</a{i}>" for i in reversed(range(depth))
    )
    assert_same(text)
    error = parse_block(text).error
    assert (error is not None and error.kind == "depth") == (depth > MAX_DEPTH)


def test_wide_blocks_are_not_mistaken_for_deep_ones() -> None:
    # More than MAX_DEPTH elements with children, none nested deeper than three levels.
    text = "<r>" + "<a><b>x</b></a>" * (2 * MAX_DEPTH) + "</r>"
    parsed = parse_block(text)
    assert parsed.error is None
    assert fast_parse(text)
    assert_same(text)


def test_name_start_class_is_the_documented_one() -> None:
    # The cheap spelling of [A-Za-z_:\u00C0-\uFFFF] (which takes milliseconds to compile).
    documented = re.compile("[A-Za-z_:\u00c0-\uffff]")
    cheap = dialect._NAME_START
    mismatches = [
        code
        for code in range(0x110000)
        if bool(documented.fullmatch(chr(code))) != bool(cheap.fullmatch(chr(code)))
    ]
    assert mismatches == []


def test_positions_of_a_huge_block_are_linear() -> None:
    # 100,000 elements on one line: every position asked for, in reverse order.
    text = "<r>" + "<a/>x" * 100_000 + "</r>"
    parsed = parse_block(text)
    assert parsed.root is not None
    elements = list(parsed.root.iter())
    start = time.perf_counter()
    places = [parsed.position(element) for element in reversed(elements)]
    assert time.perf_counter() - start < 5
    assert places[0] == (0, 3 + 5 * 99_999) and places[-1] == (0, 0)


TEXTS = [
    "", "x", " ", "\n  ", "A & B", "< 15", "&amp;", "&#60;", "&#x3C;", "&&", "<<", "é😀",
    "&lt;&gt;", ">", "'\"", "\u3000", "<1", "</ x", "1 < 2 && 3 > 2",
]  # fmt: skip
NAMES = ["a", "b", "gate", "x_y", "é", ":n", "_u", "a.b-c", "a1"]
VALUES = ["v", "a&b", "a<b", "x>y", "&amp;", "&#12;", "&&", "<<", "", "é", "'", '"', "a\nb"]


ATTRIBUTES = st.lists(
    st.builds(
        lambda space, name, equals, quote, value: (
            f"{space}{name}{equals}{quote}{value.replace(quote, '')}{quote}"
        ),
        st.sampled_from([" ", "\n  ", "  "]),
        st.sampled_from(NAMES),
        st.sampled_from(["=", " = "]),
        st.sampled_from(["'", '"']),
        st.sampled_from(VALUES),
    ),
    max_size=2,
).map("".join)  # a name may repeat: an error
LEAVES = st.builds(
    lambda name, attributes, text, empty: (
        f"<{name}{attributes}/>" if empty else f"<{name}{attributes}>{text}</{name}>"
    ),
    st.sampled_from(NAMES),
    ATTRIBUTES,
    st.sampled_from(TEXTS),
    st.booleans(),
)


def parents(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.builds(
        lambda name, attributes, inner, text: (
            f"<{name}{attributes}>{''.join(t + c for t, c in inner)}{text}</{name}>"
        ),
        st.sampled_from(NAMES),
        ATTRIBUTES,
        st.lists(st.tuples(st.sampled_from(TEXTS), children), max_size=4),
        st.sampled_from(TEXTS),
    )


# Elements in the dialect, well-formed but for a repeated attribute name now and then.
ELEMENTS = st.recursive(LEAVES, parents, max_leaves=25)


# 150 examples reach every line and branch of persona_lint/xml that 600 reached (measured
# with coverage); for a longer search, raise max_examples locally.
@settings(
    max_examples=examples(150),
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    ELEMENTS,
    st.sampled_from(["", "", "", "\n", "  \n", "x", "<!-- c -->\n", "\r\n"]),
    st.sampled_from(["", "", "", "\n", " ", "<z/>", "&", "<"]),
)
def test_same_on_generated_blocks(body: str, before: str, after: str) -> None:
    assert_same(before + body + after)
