"""One parse per block (issue 22): libxml2 builds the tree the rules read and validates it.

The reference is what persona-lint did before: expat builds every tree (``parser._parse``,
kept as the parser that explains errors), and libxml2 parses the strict text again for its
verdict. Both must agree on well-formedness, on every tree, every position and every
diagnostic: over the personas, the shared reference and corpus, the rule cases' documents,
and mutations of the canonical persona (800 a run; set ONEPARSE_EXAMPLES for a longer run).
"""

from __future__ import annotations

import os
import xml.parsers.expat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree
from xml.etree.ElementTree import Element

import pytest
from cases import documents
from conftest import CANONICAL, PERSONAS, SHARED, TODAY, examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from test_properties import _mutation, mutate

from persona_lint.config.settings import Settings
from persona_lint.diagnostics import Diagnostic
from persona_lint.document.model import parse_document
from persona_lint.engine.lint import lint_source
from persona_lint.rules.xml import shared
from persona_lint.source.decode import SourceProblem, decode
from persona_lint.xml import libxml, parser
from persona_lint.xml.dialect import to_strict_xml
from persona_lint.xml.explain import find_doctype
from persona_lint.xml.parser import MAX_DEPTH, ParsedXml, parse_block

SETTINGS = Settings(today=TODAY)
# Mutations drawn per run (derandomised); a longer run: ONEPARSE_EXAMPLES=20000 pytest this file.
EXAMPLES = int(os.environ.get("ONEPARSE_EXAMPLES", examples(800)))


def expat_parse(text: str) -> ParsedXml:
    """The reference parse: expat's tree, whatever the block."""
    doctype = find_doctype(text)
    if doctype is not None:
        return ParsedXml(None, {}, doctype)
    return parser._parse(text, to_strict_xml(text))


def shape(element: Element, parsed: ParsedXml) -> tuple[object, ...]:
    """Everything a rule can read of an element, its place included."""
    return (
        element.tag,
        list(element.attrib.items()),  # in document order
        element.text,
        element.tail,
        parsed.position(element),
        [shape(child, parsed) for child in element],
    )


def assert_same_parse(text: str) -> None:
    ours, reference = parse_block(text), expat_parse(text)
    assert ours.error == reference.error, text
    assert ours.strict == reference.strict, text
    assert (ours.root is None) == (reference.root is None), text
    if ours.root is not None and reference.root is not None:
        assert shape(ours.root, ours) == shape(reference.root, reference), text


def _verdict_on_text(root: Element, schema: str, *, behavior: bool = False) -> bool | None:
    """The reference verdict: libxml2 on the text of expat's tree, parsed again."""
    return libxml.is_valid(
        ElementTree.tostring(root, encoding="unicode"), schema, behavior=behavior
    )


def reference_lint(
    monkeypatch: pytest.MonkeyPatch, path: str, data: bytes
) -> tuple[Diagnostic, ...]:
    with monkeypatch.context() as patch:
        patch.setattr(parser, "_libxml_may_read", lambda _text, markup: False)
        patch.setattr(shared, "is_valid", _verdict_on_text)
        return lint_source(path, data, SETTINGS).diagnostics


def known_documents() -> list[tuple[str, bytes]]:
    paths = sorted(PERSONAS.glob("*.md")) + sorted((SHARED / "reference").glob("*.md"))
    paths += sorted((SHARED / "corpus").glob("**/*.md"))
    found = [(path.name, path.read_bytes()) for path in paths]
    found += [(f"{name}.md", text.encode("utf-8", "surrogatepass")) for name, text in documents()]
    return found


DOCUMENTS = known_documents()


def test_every_known_document_gets_the_same_diagnostics(monkeypatch: pytest.MonkeyPatch) -> None:
    assert len(DOCUMENTS) > 500
    differing = [
        name
        for name, data in DOCUMENTS
        if lint_source(name, data, SETTINGS).diagnostics != reference_lint(monkeypatch, name, data)
    ]
    assert differing == []


# Every known block (personas, corpus, cases) is compared in test_dialect_speed.py.
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(_mutation(), min_size=1, max_size=4))
def test_mutated_personas_parse_the_same(mutations: list[Any]) -> None:
    text = decode(mutate(mutations))
    if isinstance(text, SourceProblem):
        return  # not text: no block is parsed
    for block in parse_document("backend-engineer.md", text).xml_blocks:
        assert_same_parse(block.code.content)


@settings(
    max_examples=max(10, EXAMPLES // 8), deadline=None, suppress_health_check=list(HealthCheck)
)
@given(st.lists(_mutation(), min_size=1, max_size=3))
def test_mutated_personas_get_the_same_diagnostics(mutations: list[Any]) -> None:
    data = mutate(mutations)
    with pytest.MonkeyPatch.context() as monkeypatch:
        reference = reference_lint(monkeypatch, "backend-engineer.md", data)
    assert lint_source("backend-engineer.md", data, SETTINGS).diagnostics == reference


# Where libxml2 alone would read a block otherwise than the dialect defines it: the parser
# gives these to expat (or libxml2's tree matches expat's), and the answer is expat's.
@pytest.mark.parametrize(
    "text",
    [
        "<a\u0e3f/>",  # a name of XML 1.0 fifth edition only: libxml2 accepts it, expat not
        "<\u0132>x</\u0132>",
        "<a b\u2070='1'/>",
        "<r\n  b\u0e3f = '1'/>",  # an attribute name, found as the word before "="
        "<r \u00e9='1'>x \u00e9=2 \u2192</r>",
        "<\u00e9 a='\u2192'>\u2192</\u00e9>",
        "<a xml:lang='en'>x</a>",  # libxml2 would say {http://www.w3.org/XML/1998/namespace}lang
        "<a xmlns='urn:x'><b/></a>",
        "<p:a xmlns:p='urn:x'/>",
        "<p:a/>",  # an undeclared prefix: an error for libxml2 only
        "<a>x<!-- c -->y<b/>t<!-- d -->u</a>",  # comments: no child, texts joined
        "<a>x<![CDATA[ <&> ]]>y<?pi z?>w</a>",
        "<?pi x?><!-- c --><a>é</a><!-- e -->",
        "<a><!-- \u2192 --><b/></a>",
        '<?xml version="1.0" encoding="latin-1"?><a>é</a>',  # the text is Unicode already
        "<a>&nbsp;</a>",
        "<a>]]></a>",
        "<a>&#0;</a>",
        "<a>&#xFFFE;</a>",
        "<a>\r\n<b/>\r</a>",
        "<a b='1' b='2'/>",
        "<a b='x\t\ny&#9;'/>",
        "<a><!DOCTYPE b></a>",
        "<!-- <!DOCTYPE a [<!ENTITY x 'y'>]> --><a>&x;</a>",
    ],
)
def test_blocks_libxml2_reads_otherwise(text: str) -> None:
    assert_same_parse(text)


@pytest.mark.parametrize("depth", [MAX_DEPTH, MAX_DEPTH + 1, 255, 256, 257, 3000])
def test_depth_limits_of_both_parsers(depth: int) -> None:
    # libxml2 stops at 256 levels without huge_tree; persona-lint at MAX_DEPTH either way.
    text = "".join(f"<a{i}>" for i in range(depth)) + "".join(
        f"</a{i}>" for i in reversed(range(depth))
    )
    assert_same_parse(text)
    error = parse_block(text).error
    assert (error is not None and error.kind == "depth") == (depth > MAX_DEPTH)


def test_a_well_formed_block_is_parsed_once_by_libxml2() -> None:
    parsed = parse_block("<a>x & y<!-- c --><b k='1'/>tail</a>")
    assert isinstance(parsed.root, etree._Element)
    assert all(isinstance(element.tag, str) for element in parsed.root.iter())
    assert [child.tag for child in parsed.root] == ["b"]
    assert parsed.root.text == "x & y"
    assert parsed.root[0].tail == "tail"
    assert parsed.position(parsed.root[0]) == (0, 18)


def _counting(calls: list[str], name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(name)
        return function(*args, **kwargs)

    return counted


def parses_of(monkeypatch: pytest.MonkeyPatch, path: Path) -> Iterator[str]:
    """Every XML parser started while linting ``path``: 'libxml2' or 'expat'."""
    calls: list[str] = []
    monkeypatch.setattr(etree, "fromstring", _counting(calls, "libxml2", etree.fromstring))
    monkeypatch.setattr(
        xml.parsers.expat, "ParserCreate", _counting(calls, "expat", xml.parsers.expat.ParserCreate)
    )
    lint_source(path.name, path.read_bytes(), SETTINGS)
    return iter(calls)


@pytest.mark.parametrize("path", sorted(PERSONAS.glob("*.md")), ids=lambda path: path.name)
def test_linting_a_persona_parses_each_block_once(
    monkeypatch: pytest.MonkeyPatch, path: Path
) -> None:
    libxml._schema("persona.xsd")  # the schemas are parsed once per process, not per file
    libxml._schema("behavior.xsd")
    blocks = len(parse_document(path.name, path.read_text(encoding="utf-8")).xml_blocks)
    assert list(parses_of(monkeypatch, path)) == ["libxml2"] * blocks


def test_the_behaviour_root_keeps_its_name_after_validation() -> None:
    document = parse_document("backend-engineer.md", CANONICAL)
    behavior = document.behavior
    assert behavior is not None and behavior.root is not None
    assert libxml.is_valid(behavior.root, "behavior.xsd", behavior=True) is True
    assert behavior.root.tag == "backend_engineer_behavior"


def test_an_invalid_block_is_explained_at_the_elements_of_its_own_tree() -> None:
    text = CANONICAL.replace("<risk_tolerance>", "<risk_tolerancy>", 1).replace(
        "</risk_tolerance>", "</risk_tolerancy>", 1
    )
    diagnostics = lint_source("backend-engineer.md", text, SETTINGS).diagnostics
    line = next(n for n, t in enumerate(text.split("\n"), 1) if "<risk_tolerancy>" in t)
    column = text.split("\n")[line - 1].index("<risk_tolerancy>") + 1
    assert [(d.code, d.line, d.column) for d in diagnostics] == [("PL211", line, column)]
