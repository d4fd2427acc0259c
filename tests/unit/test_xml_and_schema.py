"""XML well-formedness in the persona dialect, and schema validation, at exact places."""

from __future__ import annotations

import pytest
from conftest import CANONICAL, codes, edit, lint

from persona_lint.xml.dialect import to_strict_xml
from persona_lint.xml.parser import parse_block

# (id, edited canonical persona, expected (code, line, column) diagnostics)
CASES = [
    (
        "mismatched-tag",
        edit("</perspective>", "</perspectiv>"),
        [("PL201", 16, 90)],
    ),
    (
        "unclosed-tag-in-second-block",
        edit(
            "<obsession>API performance and response time optimization</obsession>",
            "<obsession>API performance and response time optimization",
        ),
        # Found at the closing tag that cannot match; the message names line 189.
        [("PL201", 194, 3)],
    ),
    (
        "unquoted-attribute",
        edit(
            '<persona_context active="backend-engineer">',
            "<persona_context active=backend-engineer>",
        ),
        [("PL201", 10, 25)],
    ),
    (
        "missing-section",
        edit("<collaboration_patterns>", "<collaboration_patterns_gone>").replace(
            "</collaboration_patterns>", "</collaboration_patterns_gone>"
        ),
        [("PL211", 87, 3)],
    ),
    (
        "section-removed",
        CANONICAL[: CANONICAL.index("  <collaboration_patterns>")]
        + CANONICAL[CANONICAL.index("  <domain_knowledge>") :],
        [("PL210", 10, 1)],
    ),
    (
        "unknown-element",
        edit("    <perspective>", "    <favorite_color>blue</favorite_color>\n    <perspective>"),
        [("PL211", 16, 5)],
    ),
    (
        "empty-gate",
        edit("<gate>Database schema and transaction integrity</gate>", "<gate> </gate>"),
        [("PL213", 41, 7)],
    ),
    (
        "doctype",
        edit(
            "```xml\n<persona_context", '```xml\n<!DOCTYPE x [<!ENTITY a "b">]>\n<persona_context'
        ),
        [("PL202", 10, 1)],
    ),
    (
        "missing-attribute",
        edit(' active="backend-engineer"', ""),
        [("PL214", 10, 1)],
    ),
    (
        "experience-level-value",
        edit("<experience_level>Senior<", "<experience_level>Guru<"),
        [("PL216", 15, 5)],
    ),
    (
        "section-after-error-handling",
        edit(
            "</error_handling_philosophy>",
            "</error_handling_philosophy>\n  <notes><n>x</n></notes>",
        ),
        [("PL215", 170, 3)],
    ),
    (
        "undefined-entity",
        edit("Server-Side Development & API", "Server-Side Development &nbsp; API"),
        [("PL201", 14, 47)],
    ),
    (
        "body-that-looks-like-a-path",
        edit(
            '<persona_context active="backend-engineer">',
            '/etc/passwd\n<persona_context active="backend-engineer">',
        ),
        [("PL201", 10, 1)],
    ),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_fixture_gives_exact_diagnostics(text: str, expected: list[tuple[str, int, int]]) -> None:
    found = [t for t in codes(text) if t[0].startswith("PL2")]
    assert found == expected


def test_schema_messages_are_in_author_words() -> None:
    result = lint(edit("<experience_level>Senior</experience_level>", ""))
    assert [d.message for d in result.diagnostics] == [
        "<persona_identity> is missing <experience_level> (before <perspective>)"
    ]
    result = lint(
        edit("    <perspective>", "    <favorite_color>blue</favorite_color>\n    <perspective>")
    )
    assert [d.message for d in result.diagnostics] == [
        "unknown element <favorite_color> in <persona_identity>; expected <perspective>"
    ]


def test_mismatched_tag_names_the_open_element_in_file_coordinates() -> None:
    result = lint(edit("</perspective>", "</perspectiv>"))
    assert [d.message for d in result.diagnostics] == [
        "closing tag </perspectiv> does not match <perspective> opened at line 16, column 5"
    ]


def test_unclosed_tag_message_names_where_it_was_opened() -> None:
    text = edit(
        "<obsession>API performance and response time optimization</obsession>",
        "<obsession>API performance and response time optimization",
    )
    assert [d.message for d in lint(text).diagnostics if d.code == "PL201"] == [
        "closing tag </quality_obsessions> does not match <obsession> opened at line 189, column 5"
    ]


def test_compact_layout_gets_one_error_not_a_cascade() -> None:
    text = edit("persona_context", "persona").replace('active="backend-engineer"', 'name="x"')
    assert [c for c, _, _ in codes(text)] == ["PL104"]


def test_other_xml_blocks_are_checked_for_well_formedness_only() -> None:
    extra = (
        "\n\n```xml\n<backend_development_lifecycle>\n  <anything>goes</anything>\n"
        "</backend_development_lifecycle>\n```\n"
    )
    assert codes(CANONICAL + extra) == []
    broken = extra.replace("</anything>", "</anythin>")
    assert [c for c, _, _ in codes(CANONICAL + broken)] == ["PL201"]


class TestDialect:
    def test_bare_ampersand_and_less_than_are_text(self) -> None:
        parsed = parse_block("<m>A & B < 200ms &lt; x &#x41; &amp;</m>")
        assert parsed.error is None and parsed.root is not None
        assert parsed.root.text == "A & B < 200ms < x A &"

    def test_less_than_first_in_text(self) -> None:
        parsed = parse_block("<m>< 15 minute incident response time</m>")
        assert parsed.root is not None and parsed.root.text == "< 15 minute incident response time"

    def test_markup_is_still_markup(self) -> None:
        assert parse_block("<a><b/></a>").error is None
        assert parse_block("<a><!-- c & d < e --></a>").error is None
        assert parse_block("<a><![CDATA[x & < y]]></a>").error is None

    def test_strict_text_and_column_map(self) -> None:
        strict = to_strict_xml("<a>x & y < 3 <b/></a>")
        assert strict.text == "<a>x &amp; y &lt; 3 <b/></a>"
        assert strict.original_column(0, strict.text.index("<b/>")) == 13
        assert strict.original_column(0, strict.text.index("amp;")) == 5

    def test_errors_after_escapes_report_original_columns(self) -> None:
        error = parse_block("<a>x & y < 3 & z</b>").error
        assert error is not None
        assert (error.line, error.column) == (0, 16)

    @pytest.mark.parametrize(
        ("text", "line", "column", "kind"),
        [
            ("<!DOCTYPE a SYSTEM 'http://example.com/a.dtd'>\n<a/>", 0, 0, "doctype"),
            ('<a>\n  <!ENTITY x "y">\n</a>', 1, 2, "doctype"),
            ("https://example.com/persona.xml", 0, 0, "syntax"),
            ("<a>" * 100 + "</a>" * 100, 0, 192, "depth"),
        ],
    )
    def test_hostile_blocks(self, text: str, line: int, column: int, kind: str) -> None:
        error = parse_block(text).error
        assert error is not None
        assert (error.line, error.column, error.kind) == (line, column, kind)


@pytest.mark.parametrize(
    "broken",
    [
        "<broken\n    <perspective>",
        "<broken attr='x'\n    <perspective>",
        "<broken\n\n<perspective>",
    ],
)
def test_unclosed_start_tag_is_reported_at_the_tag(broken: str) -> None:
    """Not at the next line's ``<``, where expat stops."""
    text = edit("<perspective>", broken)
    line = text.split("\n").index("    <broken" + broken.split("\n")[0][7:]) + 1
    diagnostics = lint(text).diagnostics
    assert [(d.code, d.line, d.column, d.message) for d in diagnostics] == [
        (
            "PL201",
            line,
            5,
            "start tag <broken is never closed: '>' is missing before the next '<'",
        )
    ]


# Each kind of schema error xmlschema reports, told apart by the error's validator (the
# facet, attribute group or content model that failed), not by its English message.
SCHEMA_MESSAGES = [
    (
        "missing-required-attribute",
        edit('<persona_context active="backend-engineer">', "<persona_context>"),
        ("PL214", 10, 1, "<persona_context> is missing the attribute active="),
    ),
    (
        "undeclared-attributes",
        edit("<persona_identity>", '<persona_identity tone="calm" b="x">'),
        ("PL214", 12, 3, "attribute tone= is not allowed on <persona_identity>"),
    ),
    (
        "enumeration",
        edit(
            "<experience_level>Senior</experience_level>",
            "<experience_level>Guru</experience_level>",
        ),
        ("PL216", 15, 5, "<experience_level> is 'Guru'; expected one of Junior, Intermediate"),
    ),
    (
        "text-between-children",
        edit("<persona_identity>", "<persona_identity>stray text"),
        ("PL216", 12, 3, "<persona_identity> holds elements, so it cannot also hold text"),
    ),
    (
        "min-length",
        edit("<gate>Database schema and transaction integrity</gate>", "<gate> </gate>"),
        ("PL213", 41, 7, "<gate> is empty"),
    ),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [case[1:] for case in SCHEMA_MESSAGES],
    ids=[case[0] for case in SCHEMA_MESSAGES],
)
def test_schema_errors_in_a_persona_authors_words(
    text: str, expected: tuple[str, int, int, str]
) -> None:
    code, line, column, message = expected
    found = [((d.code, d.line, d.column), d.message) for d in lint(text).diagnostics]
    assert any(
        place == (code, line, column) and said.startswith(message) for place, said in found
    ), found


def test_every_undeclared_attribute_is_named_once() -> None:
    text = edit("<persona_identity>", '<persona_identity tone="calm" b="x">')
    messages = [d.message for d in lint(text).diagnostics if d.code == "PL214"]
    assert messages == [
        "attribute tone= is not allowed on <persona_identity>",
        "attribute b= is not allowed on <persona_identity>",
    ]
