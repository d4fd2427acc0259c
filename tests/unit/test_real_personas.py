"""Issue 18: no false error on any persona in the wild, and personas found where they live.

Every fixture is a real persona document of ``../shared/corpus`` (or the canonical persona)
edited at test time into the shape a real later revision has; nothing of the corpus is
copied into the repository. Each test asserts the exact diagnostics (code, line, column):
the ones persona-lint reported before issue 18 differed.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CANONICAL, ROOT, SHARED, cli, lint, needs_shared, triples

from persona_lint.config.settings import DEFAULT_GATE_TOPICS

pytestmark = needs_shared
CORPUS = SHARED / "corpus"
REAL_PERSONAS = sorted((CORPUS / "persona-context").glob("*.md"))


def corpus(relative: str) -> str:
    return (CORPUS / relative).read_text(encoding="utf-8")


def edited(text: str, *edits: tuple[str, str]) -> str:
    """``text`` with each (find, replace) applied once; every ``find`` must occur."""
    for find, replace in edits:
        assert text.count(find) == 1, find
        text = text.replace(find, replace)
    return text


def found(text: str, path: str, **settings: object) -> list[tuple[str, int, int]]:
    return triples(lint(text, path, **settings).diagnostics)


def errors(text: str, path: str) -> list[tuple[str, int, int]]:
    return triples([d for d in lint(text, path).diagnostics if d.is_error])


# -- every real persona -----------------------------------------------------------------------


@pytest.mark.parametrize("path", REAL_PERSONAS, ids=lambda p: p.name)
def test_every_real_persona_has_no_error(path: Path) -> None:
    assert errors(path.read_text(encoding="utf-8"), path.name) == []


# -- bullet 1: the behaviour vocabulary is open ------------------------------------------------

FRONTEND = "persona-context/frontend-engineer.md"
# The real product-engineer and quality-advocate revisions: an approach under a name of
# their own, a section of their own with children named like problem_solving_style's, and
# a communication section under another name.
PRODUCT_SECTIONS = (
    ("<development_approach>", "<user_first_approach>"),
    ("</development_approach>", "</user_first_approach>"),
    ("<communication_patterns>", "<collaborative_quality>"),
    ("</communication_patterns>", "</collaborative_quality>"),
    (
        "  <problem_solving_style>",
        "  <business_technical_balance>\n"
        "    <principle>Technical decisions should enable business objectives</principle>\n"
        "    <approach>Balance technical quality with user value delivery</approach>\n"
        "    <iteration>Fast learning cycles with user feedback</iteration>\n"
        "  </business_technical_balance>\n\n"
        "  <problem_solving_style>",
    ),
)


def test_persona_specific_behaviour_sections_are_accepted() -> None:
    # Before: PL211 at 181:3 (<user_first_approach>), 196:3 and 203:3.
    assert found(edited(corpus(FRONTEND), *PRODUCT_SECTIONS), "frontend-engineer.md") == []


def test_a_persona_specific_approach_is_checked_like_an_approach() -> None:
    text = edited(
        corpus(FRONTEND),
        *PRODUCT_SECTIONS,
        ("    <decision_criteria>User experience and accessibility", "    <criteria>User"),
        ("implementation convenience</decision_criteria>", "implementation convenience</criteria>"),
    )
    # Before: PL211 at 181:3 (the section's name, and 196:3, 203:3), nothing about its
    # children.
    result = lint(text, "frontend-engineer.md")
    assert triples(result.diagnostics) == [("PL210", 181, 3)]
    assert result.diagnostics[0].message == (
        "<user_first_approach> is missing <decision_criteria> (before <pattern_preference>)"
    )


def test_an_approach_child_out_of_order_in_a_persona_specific_section() -> None:
    always = "    <always_start_with>User experience and component architecture analysis</always_start_with>\n"
    text = edited(
        corpus(FRONTEND),
        *PRODUCT_SECTIONS,
        (always, ""),
        ("    <pattern_preference>Modern", always + "    <pattern_preference>Modern"),
    )
    result = lint(text, "frontend-engineer.md")
    # Before: PL211 at 181:3. Now: the first child breaks the order.
    assert triples(result.diagnostics) == [("PL210", 181, 3)]
    assert result.diagnostics[0].message == (
        "<user_first_approach> is missing <always_start_with> (before <default_thinking>)"
    )


def test_an_empty_approach_child_in_a_persona_specific_section() -> None:
    text = edited(
        corpus(FRONTEND),
        *PRODUCT_SECTIONS,
        (
            "<pattern_preference>Modern frontend patterns and component-based architecture<",
            "<pattern_preference> <",
        ),
    )
    # Before: PL211 at 181:3 only.
    assert found(text, "frontend-engineer.md") == [("PL213", 185, 5)]


def test_a_known_section_keeps_its_shape() -> None:
    first = "<obsession>Exceptional user experience and interface design</obsession>"
    text = edited(corpus(FRONTEND), (first, first.replace("obsession>", "worry>")))
    # Unchanged: quality_obsessions still holds obsession elements only.
    assert found(text, "frontend-engineer.md") == [("PL211", 189, 5)]


# -- bullet 2: an approach may carry annotation children -----------------------------------------

SECURITY = "persona-context/security-specialist.md"
DEFAULT_THINKING_END = "What data is at risk?</default_thinking>\n"
DEFENSIVE = (
    "    <defensive_context>IMPORTANT: All security analysis performed for DEFENSIVE purposes"
    " - understanding attack vectors to build better protections</defensive_context>\n"
)


def test_the_real_annotated_security_approach_is_accepted() -> None:
    # The real later revision of security-specialist.md: <defensive_context> between
    # default_thinking and decision_criteria. Before: PL211 at 191:5.
    text = edited(corpus(SECURITY), (DEFAULT_THINKING_END, DEFAULT_THINKING_END + DEFENSIVE))
    assert errors(text, "security-specialist.md") == []


def test_annotations_after_the_four_children_are_accepted() -> None:
    text = edited(
        corpus(SECURITY),
        (
            "minimal attack surface</pattern_preference>\n",
            "minimal attack surface</pattern_preference>\n"
            "    <security_context>NOTE: All security analysis is for DEFENSIVE purposes"
            "</security_context>\n" + DEFENSIVE,
        ),
    )
    # Before: PL212 at 193:5 ("nothing more is allowed here").
    assert errors(text, "security-specialist.md") == []


def test_an_annotated_approach_still_needs_its_four_children() -> None:
    decision = (
        "    <decision_criteria>Security impact assessment guides all technical decisions"
        "</decision_criteria>\n"
    )
    text = edited(corpus(SECURITY), (decision, DEFENSIVE))
    result = lint(text, "security-specialist.md")
    # Before: PL211 at 191:5 (the annotation), which hid what is really missing.
    assert [t for t in triples(result.diagnostics) if t[0].startswith("PL2")] == [("PL210", 188, 3)]
    message = next(d.message for d in result.diagnostics if d.code == "PL210")
    assert message == (
        "<security_first_approach> is missing <decision_criteria> (before <pattern_preference>)"
    )


def test_an_approach_child_given_twice() -> None:
    pattern = "    <pattern_preference>Proven security patterns with minimal attack surface</pattern_preference>\n"
    text = edited(corpus(SECURITY), (pattern, pattern + DEFENSIVE + pattern))
    result = lint(text, "security-specialist.md")
    pl2 = [d for d in result.diagnostics if d.code.startswith("PL2")]
    # Before: PL211 at 193:5 (the annotation).
    assert triples(pl2) == [("PL212", 194, 5)]
    assert pl2[0].message == (
        "<pattern_preference> appears more than once in <security_first_approach>"
    )


# -- bullet 3: no cascade on a file that is not a persona -----------------------------------------

MODULE = "not-personas/module-persona-manager.md"
# The real rd-quality-gates.md module of the same repository: its version table sits under
# its H1 and it maps personas to gates in a list of <persona name="..."> items.
GATE_MAPPING = (
    "  <persona_quality_gate_mapping>\n"
    '    <persona name="ios-engineer">mobile_engineering_gates + security_engineering_gates</persona>\n'
    '    <persona name="ios-engineer">mobile_engineering_gates + security_engineering_gates</persona>\n'
    "  </persona_quality_gate_mapping>\n"
)


def test_a_module_gets_one_diagnostic() -> None:
    # Before: PL104 at 13:1 and 34 PL901 warnings for the template it documents.
    assert found(corpus(MODULE), "module-persona-manager.md") == [("PL104", 13, 1)]


def test_a_module_with_a_version_table_under_its_title_and_a_list() -> None:
    text = corpus(MODULE)
    table, rest = text[: text.index("\n\n") + 2], text[text.index("\n\n") + 2 :]
    title = "# Persona Manager Module\n\n"
    text = edited(
        title + table + rest.replace(title, "", 1), ("  <purpose>", GATE_MAPPING + "  <purpose>")
    )
    # Before: PL301 at 3:1 (the table is not the first block), PL104, PL704 at 17:34 (the
    # same mapping twice) and 34 PL901 warnings.
    assert found(text, "module-persona-manager.md") == [("PL104", 13, 1)]


def test_a_module_still_gets_its_real_well_formedness_errors() -> None:
    text = edited(corpus(MODULE), ("</purpose>", "</purpos>"))
    # Before: the same two, and 34 PL901 warnings.
    assert found(text, "module-persona-manager.md") == [("PL104", 13, 1), ("PL201", 17, 3)]


def test_the_compact_layout_gets_one_diagnostic() -> None:
    text = edited(
        corpus("compact-layout/qa-engineer.md"),
        ("| 1.0.0   |", "| 1.0     |"),
        ("<domain>quality-assurance-and-testing</domain>", "<domain>{domain}</domain>"),
    )
    # Before: PL304 at 3:3 (the version), PL104 and PL901 at 15:11.
    assert found(text, "qa-engineer.md") == [("PL104", 14, 1)]


def test_a_document_with_a_version_table_and_no_persona_block() -> None:
    """PL101, like PL104, says the file is not a persona in the persona_context layout."""
    text = corpus(MODULE).replace("```xml", "```").replace("| 1.0.0   |", "| 1.0     |")
    # Before: also PL304 at 3:3 and 34 PL901 warnings. PL107 says where the template's
    # <persona_context> sits.
    assert found(text, "module-persona-manager.md") == [
        ("PL101", 1, 1),
        ("PL107", 12, 1),
        ("PL107", 172, 1),
    ]


# -- bullet 4: list items are compared with their attributes ------------------------------------

THIRD_BLOCK = (
    "\n\n```xml\n<persona_routing>\n"
    '  <persona name="ios-engineer">mobile_engineering_gates + security_engineering_gates</persona>\n'
    '  <persona name="{other}">mobile_engineering_gates + security_engineering_gates</persona>\n'
    "</persona_routing>\n```"
)


def test_items_with_different_attributes_are_not_duplicates() -> None:
    text = CANONICAL + THIRD_BLOCK.replace("{other}", "android-engineer")
    # Before: PL704 at 220:36.
    assert found(text, "backend-engineer.md") == []


def test_items_with_the_same_attributes_and_text_are_duplicates() -> None:
    text = CANONICAL + THIRD_BLOCK.replace("{other}", "ios-engineer")
    assert found(text, "backend-engineer.md") == [("PL704", 220, 32)]


# -- bullet 5: personas are found where they live ----------------------------------------------


def test_a_tree_shaped_like_the_real_repository(tmp_path: Path) -> None:
    """``.claude/prompt_eng/personas/...`` and an ``archive/`` copy, as in the repository
    the canonical persona comes from; version control and virtual environments skipped."""
    files = {
        ".claude/prompt_eng/personas/core/security-specialist.md": SECURITY,
        ".claude/prompt_eng/personas/rd-engineering/frontend-engineer.md": FRONTEND,
        "archive/2025-07/personas/security-specialist.md": SECURITY,
        ".claude/modules/patterns/persona-manager.md": MODULE,
        ".git/refs/notes.md": FRONTEND,
        ".venv/lib/site/frontend-engineer.md": FRONTEND,
    }
    for relative, source in files.items():
        target = tmp_path / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(corpus(source), encoding="utf-8")
    result = cli(".", "--isolated", "--output-format", "json", cwd=tmp_path)
    report = json.loads(result.stdout)
    # Before: nothing found ("0 files checked"), exit 0.
    assert result.returncode == 1
    assert sorted(f["path"] for f in report["files"]) == [
        ".claude/modules/patterns/persona-manager.md",
        ".claude/prompt_eng/personas/core/security-specialist.md",
        ".claude/prompt_eng/personas/rd-engineering/frontend-engineer.md",
        "archive/2025-07/personas/security-specialist.md",
    ]
    errors_found = sorted(
        (d["path"], d["code"], d["range"]["start"]["line"], d["range"]["start"]["column"])
        for f in report["files"]
        for d in f["diagnostics"]
        if d["severity"] == "error"
    )
    assert errors_found == [
        (".claude/modules/patterns/persona-manager.md", "PL104", 13, 1),
        (".claude/prompt_eng/personas/core/security-specialist.md", "PL801", 10, 26),
        ("archive/2025-07/personas/security-specialist.md", "PL801", 10, 26),
    ]


# -- bullet 6: no gate topic is required by default; a required one is an error -----------------

ANALYTICS = "persona-context/analytics-engineer.md"


def test_no_gate_topic_is_required_by_default() -> None:
    # Before: PL502 (warning) at 39:5 on 7 of the 11 corpus personas.
    assert found(corpus(ANALYTICS), "analytics-engineer.md") == []


def test_a_required_topic_a_persona_lacks_is_an_error(tmp_path: Path) -> None:
    (tmp_path / ".persona-lint.toml").write_text('[required-gates]\ndefault = ["security"]\n')
    (tmp_path / "analytics-engineer.md").write_text(corpus(ANALYTICS), encoding="utf-8")
    result = cli(".", "--output-format", "concise", cwd=tmp_path)
    # Before: a warning, exit 0.
    assert result.returncode == 1
    assert result.stdout.splitlines()[0].startswith(
        "analytics-engineer.md:39:5: error: no gate covers the required topic 'security'"
    )
    policy = lint(corpus(ANALYTICS), "analytics-engineer.md", required_gates=DEFAULT_GATE_TOPICS)
    assert [(d.code, d.line, d.column, d.is_error) for d in policy.diagnostics] == [
        ("PL502", 39, 5, True)
    ]


STDIN_AS_OWN_PERSONA = ("--stdin-filename", "personas/backend-engineer.md", "--format", "concise")


def test_the_projects_own_personas_require_security() -> None:
    """pyproject.toml's policy: a persona of personas/ without a security gate fails."""
    text = CANONICAL.replace("Security and authentication implementation", "Access control")
    result = subprocess.run(
        [sys.executable, "-m", "persona_lint", "--no-cache", "-", *STDIN_AS_OWN_PERSONA],
        cwd=ROOT,
        input=text,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert result.stdout.splitlines()[0].startswith(
        "personas/backend-engineer.md:39:5: error: no gate covers the required topic 'security'"
    )
