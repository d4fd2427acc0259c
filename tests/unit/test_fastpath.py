"""Differential test: libxml2 (the fast path) and xmlschema (the validator of record) give
the same verdict on every block: fixtures, personas, the real corpus, and mutations."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from xml.etree import ElementTree

import pytest
from cases import documents as case_documents
from conftest import CANONICAL, PERSONAS, SHARED, examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tree_mutations import mutate

from persona_lint.document.model import parse_document
from persona_lint.xml.dialect import to_strict_xml
from persona_lint.xml.libxml import as_etree, is_valid
from persona_lint.xml.schema import behavior_schema, persona_schema
from persona_lint.xml.shape import BEHAVIOR_STAND_IN, schema_dir


def xmlschema_valid(root: ElementTree.Element, behavior: bool) -> bool:
    if behavior:
        stand_in = ElementTree.Element(BEHAVIOR_STAND_IN, root.attrib)
        stand_in.text = root.text
        stand_in.extend(list(root))
        root = stand_in
    schema = behavior_schema() if behavior else persona_schema()
    return not list(schema.iter_errors(root, use_location_hints=False))


def verdicts(text: str) -> list[tuple[bool | None, bool]]:
    document = parse_document("x.md", text)
    out = []
    for block, behavior in ((document.persona_context, False), (document.behavior, True)):
        if block is None or block.root is None:
            continue
        strict = to_strict_xml(block.code.content).text
        schema = "behavior.xsd" if behavior else "persona.xsd"
        # libxml2 on the tree the rules read (in place), and on the strict text: one verdict.
        verdict = is_valid(block.root, schema, behavior=behavior)
        assert verdict == is_valid(strict, schema, behavior=behavior) or verdict is None
        root = block.root
        copy = root if isinstance(root, ElementTree.Element) else as_etree(root)[0]
        out.append((verdict, xmlschema_valid(copy, behavior)))
    return out


# Behaviour blocks exercising the open vocabulary of behavior.xsd (issue 18): persona-specific
# sections, annotated approaches, known names inside persona-specific sections, and text
# beside children, which xmlschema accepted for a lone wildcard until the wildcards were
# nested in a sequence.
APPROACH = (
    "<always_start_with>a</always_start_with><default_thinking>b</default_thinking>"
    "<decision_criteria>c</decision_criteria><pattern_preference>d</pattern_preference>"
)
OPEN_SECTIONS = {
    "persona-specific sections": (
        f"<x_behavior><user_first_approach>{APPROACH}</user_first_approach>"
        "<business_technical_balance><approach>a</approach><iteration>b</iteration>"
        "</business_technical_balance><collaborative_quality><with_x>a</with_x>"
        "</collaborative_quality></x_behavior>"
    ),
    "a section of text only": "<x_behavior><free>text</free></x_behavior>",
    "an annotated approach": (
        "<x_behavior><security_first_approach><always_start_with>a</always_start_with>"
        "<default_thinking>b</default_thinking><defensive_context>IMPORTANT</defensive_context>"
        "<decision_criteria>c</decision_criteria><pattern_preference>d</pattern_preference>"
        "<security_context>NOTE</security_context></security_first_approach></x_behavior>"
    ),
    "an approach of three children": (
        "<x_behavior><development_approach><a/><b/><c/></development_approach></x_behavior>"
    ),
    "text beside an approach's children": (
        f"<x_behavior><development_approach>t{APPROACH}</development_approach></x_behavior>"
    ),
    "text beside a free section's children": (
        "<x_behavior><communication_patterns>t<with_x>a</with_x></communication_patterns>"
        "</x_behavior>"
    ),
    "text beside a persona-specific section's children": (
        "<x_behavior><free>t<a>b</a></free></x_behavior>"
    ),
    "text in the root": "<x_behavior>text</x_behavior>",
    "text after a section": "<x_behavior><free>a</free>tail</x_behavior>",
    "an empty root": "<x_behavior></x_behavior>",
    "a known name inside a persona-specific section, valid": (
        "<x_behavior><free><quality_obsessions><obsession>a</obsession></quality_obsessions>"
        "</free></x_behavior>"
    ),
    "a known name inside a persona-specific section, invalid": (
        "<x_behavior><free><quality_obsessions>text</quality_obsessions></free></x_behavior>"
    ),
    "a known section with a wrong child": (
        "<x_behavior><quality_obsessions><worry>a</worry></quality_obsessions></x_behavior>"
    ),
    "an attribute on a persona-specific section": (
        '<x_behavior><free kind="a"><b>c</b></free></x_behavior>'
    ),
}
# What libxml2 and xmlschema must both answer for each (the differential test checks they
# agree; this pins what they agree on).
OPEN_SECTIONS_VALID = {
    "persona-specific sections": True,
    "a section of text only": True,
    "an annotated approach": True,
    "an approach of three children": False,
    "text beside an approach's children": False,
    "text beside a free section's children": False,
    "text beside a persona-specific section's children": True,
    "text in the root": False,
    "text after a section": False,
    "an empty root": True,
    "a known name inside a persona-specific section, valid": True,
    "a known name inside a persona-specific section, invalid": False,
    "a known section with a wrong child": False,
    "an attribute on a persona-specific section": True,
}


@pytest.mark.parametrize("name", sorted(OPEN_SECTIONS))
def test_same_verdict_on_the_open_behaviour_sections(name: str, tmp_path: Path) -> None:
    xml = OPEN_SECTIONS[name]
    root = ElementTree.fromstring(xml)
    fast = is_valid(xml, "behavior.xsd", behavior=True)
    record = xmlschema_valid(root, behavior=True)
    assert (fast, record) == (OPEN_SECTIONS_VALID[name],) * 2
    if shutil.which("xmllint"):  # the command-line tool users run on exported blocks
        wrapper = tmp_path / "x_behavior.xsd"
        wrapper.write_text(
            '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">'
            f'<xs:include schemaLocation="{schema_dir() / "behavior.xsd"}"/>'
            '<xs:element name="x_behavior" type="BehaviorType"/></xs:schema>'
        )
        document = tmp_path / "block.xml"
        document.write_text(xml)
        command = ["xmllint", "--noout", "--nonet", "--schema", str(wrapper), str(document)]
        checked = subprocess.run(command, capture_output=True, text=True, check=False)
        assert (checked.returncode == 0) == OPEN_SECTIONS_VALID[name], checked.stderr


def documents() -> list[tuple[str, str]]:
    found = [(p.name, p.read_text(encoding="utf-8")) for p in sorted(PERSONAS.glob("*.md"))]
    corpus = SHARED / "corpus" / "persona-context"
    if corpus.is_dir():
        found += [(p.name, p.read_text(encoding="utf-8")) for p in sorted(corpus.glob("*.md"))]
    found += case_documents()  # the documents of the rule cases, tests/rules/*.toml
    return found


@pytest.mark.parametrize(("name", "text"), documents(), ids=[n for n, _ in documents()])
def test_same_verdict_on_every_known_document(name: str, text: str) -> None:
    for fast, record in verdicts(text):
        assert fast == record, name


def _roots() -> tuple[ElementTree.Element, ElementTree.Element]:
    document = parse_document("x.md", CANONICAL)
    assert document.persona_context is not None and document.persona_context.root is not None
    assert document.behavior is not None and document.behavior.root is not None
    return document.persona_context.root, document.behavior.root


PERSONA_ROOT, BEHAVIOR_ROOT = _roots()
TAGS = sorted(
    {e.tag for r in (PERSONA_ROOT, BEHAVIOR_ROOT) for e in r.iter()}
    | {"favorite_color", "step", "user_first_approach", "defensive_context"}
)


@st.composite
def mutated(draw: st.DrawFn, original: ElementTree.Element) -> str:
    return mutate(
        draw,
        original,
        tags=TAGS,
        attributes=["active", "name", "id"],
        texts=["x", " ", "Senior"],
        empty_leaves_only=True,
    )


# 300 and 200 examples reach every line and branch of persona_lint/xml and of xmlschema's
# validators that 1,500 and 500 reached (measured with coverage); for a longer search, raise
# max_examples locally.
@settings(
    max_examples=examples(300),
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(mutated(PERSONA_ROOT))
def test_same_verdict_on_persona_context_mutations(xml: str) -> None:
    root = ElementTree.fromstring(xml)
    assert is_valid(xml, "persona.xsd") == xmlschema_valid(root, behavior=False), xml


@settings(
    max_examples=examples(200),
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(mutated(BEHAVIOR_ROOT))
def test_same_verdict_on_behavior_mutations(xml: str) -> None:
    root = ElementTree.fromstring(xml)
    fast = is_valid(xml, "behavior.xsd", behavior=True)
    assert fast == xmlschema_valid(root, behavior=True), xml


def test_fast_path_never_loads_external_resources(tmp_path: Path) -> None:
    marker = tmp_path / "secret.txt"
    marker.write_text("secret")
    hostile = f'<persona_context xmlns:xi="http://www.w3.org/2001/XInclude" active="x"><xi:include href="{marker}" parse="text"/></persona_context>'
    # Namespaced blocks are left to xmlschema (libxml2 reads xmlns differently) ...
    assert is_valid(hostile, "persona.xsd") is None
    # ... and libxml2 itself never follows what it is given.
    assert (
        is_valid(
            hostile.replace(' xmlns:xi="http://www.w3.org/2001/XInclude"', "").replace("xi:", ""),
            "persona.xsd",
        )
        is False
    )
