"""Every rule: its documented failing example triggers it at an exact place, its passing
example (a close variant) does not, and its documentation is complete."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from conftest import CANONICAL, ROOT, codes, edit, lint, triples

from persona_lint.config.settings import DEFAULT_GATE_TOPICS
from persona_lint.diagnostics import Diagnostic, Severity
from persona_lint.rules import RULES, Rule, all_rules, get_rule, registry
from persona_lint.rules.docs import help_markdown, help_text, render_rule, rules_markdown
from persona_lint.rules.registry import DEFAULT_OFF, corpus_rules, document_rules, fixable_codes

# Where each rule's documented failing example is reported: (line, column).
EXAMPLE_PLACES = {
    "PL101": (1, 1),
    "PL102": (9, 1),
    "PL103": (4, 1),
    "PL104": (10, 1),
    "PL105": (215, 1),
    "PL201": (16, 90),
    "PL210": (12, 3),
    "PL211": (16, 5),
    "PL212": (17, 5),
    "PL213": (40, 7),
    "PL214": (10, 1),
    "PL215": (170, 3),
    "PL216": (15, 5),
    "PL301": (3, 1),
    "PL302": (1, 13),
    "PL303": (4, 1),
    "PL304": (3, 3),
    "PL305": (3, 13),
    "PL306": (3, 13),
    "PL307": (3, 28),
    "PL308": (3, 1),
    "PL401": (5, 3),
    "PL402": (5, 3),
    "PL403": (10, 26),
    "PL404": (10, 26),
    "PL405": (179, 1),
    "PL406": (215, 116),
    "PL501": (45, 13),
    "PL502": (39, 5),
    "PL601": (49, 15),
    "PL602": (51, 44),
    "PL603": (51, 41),
    "PL604": (48, 44),
    "PL605": (47, 33),
    "PL606": (49, 15),
    "PL701": (24, 7),
    "PL901": (10, 26),
    "PL702": (29, 29),
    "PL703": (57, 20),
    "PL704": (66, 13),
}
WITH_EXAMPLES = [r for r in all_rules() if r.fails is not None]
# The settings a rule's failing example is documented with, when not the defaults: the
# default gate policy requires no topic, PL502's example requires the built-in security topic.
EXAMPLE_SETTINGS: dict[str, dict[str, object]] = {
    "PL502": {"required_gates": DEFAULT_GATE_TOPICS},
}


def test_every_rule_with_an_example_has_a_place() -> None:
    assert sorted(r.code for r in WITH_EXAMPLES) == sorted(EXAMPLE_PLACES)


@pytest.mark.parametrize("rule", WITH_EXAMPLES, ids=lambda r: r.code)
def test_failing_example_triggers_the_rule_at_its_place(rule: object) -> None:
    from persona_lint.rules.registry import Rule

    assert isinstance(rule, Rule) and rule.fails is not None
    settings = EXAMPLE_SETTINGS.get(rule.code, {})
    diagnostics = lint(rule.fails.apply(CANONICAL), "backend-engineer.md", **settings).diagnostics
    found = [t for t in triples(diagnostics) if t[0] == rule.code]
    assert found[:1] == [(rule.code, *EXAMPLE_PLACES[rule.code])]


@pytest.mark.parametrize("rule", WITH_EXAMPLES, ids=lambda r: r.code)
def test_passing_example_is_clean(rule: object) -> None:
    from persona_lint.rules.registry import Rule

    assert isinstance(rule, Rule) and rule.passes is not None
    settings = EXAMPLE_SETTINGS.get(rule.code, {})
    assert (
        triples(lint(rule.passes.apply(CANONICAL), "backend-engineer.md", **settings).diagnostics)
        == []
    )


def test_identity_mismatch_is_reported_once_not_everywhere() -> None:
    assert codes(edit('active="backend-engineer"', 'active="backend-dev"')) == [("PL404", 10, 26)]


def test_file_name_must_match_slug() -> None:
    assert codes(CANONICAL, path="personas/backend.md") == [("PL407", 1, 1)]
    assert lint(CANONICAL, path="personas/backend.md").diagnostics[0].severity.value == "warning"


def test_hidden_and_duplicate_persona_context() -> None:
    hidden = CANONICAL + '\n\n    <persona_context active="x">\n    </persona_context>\n'
    assert codes(hidden) == [("PL107", 217, 5)]
    first = CANONICAL.index("```xml")
    end = CANONICAL.index("```\n", first + 6) + 4
    doubled = CANONICAL + "\n\n" + CANONICAL[first:end]
    assert ("PL108", 218, 1) in codes(doubled)


def test_status_set_is_configurable() -> None:
    text = edit("| stable |", "| final  |")
    assert triples(lint(text).diagnostics) == [("PL307", 3, 28)]
    assert lint(text, statuses=("final",)).diagnostics == ()


def test_today_is_pinned_by_settings() -> None:
    import datetime

    from persona_lint.config.settings import Settings
    from persona_lint.engine.lint import lint_source

    text = edit("| 2025-07-11   |", "| 2026-12-01   |")
    early = Settings(today=datetime.date(2026, 11, 30))
    late = Settings(today=datetime.date(2026, 12, 1))
    assert [d.code for d in lint_source("backend-engineer.md", text, early).diagnostics] == [
        "PL306"
    ]
    assert lint_source("backend-engineer.md", text, late).diagnostics == ()


def test_numbered_steps_gap() -> None:
    text = edit("<step>4. Build authentication", "<step>5. Build authentication")
    assert codes(text) == [("PL701", 137, 13)]


def test_duplicate_slug_across_files() -> None:
    from persona_lint.config.settings import Settings
    from persona_lint.engine.lint import check_corpus, lint_source

    settings = Settings()
    results = check_corpus(
        [
            lint_source("a/backend-engineer.md", CANONICAL, settings),
            lint_source("b/backend-engineer.md", CANONICAL, settings),
            lint_source("c/x.md", "# Notes\n", settings, explicit=False),
        ],
        settings,
    )
    assert [triples(r.diagnostics) for r in results] == [
        [("PL801", 10, 26)],
        [("PL801", 10, 26)],
        [],
    ]
    assert results[0].diagnostics[0].message == (
        "active='backend-engineer' is also used by b/backend-engineer.md"
    )


def test_contradictory_metrics_are_reported_at_both() -> None:
    text = edit(
        "<metric>API documentation coverage > 95%</metric>", "<metric>Error rate > 5%</metric>"
    )
    result = lint(text)
    assert triples(result.diagnostics) == [("PL606", 49, 15), ("PL606", 51, 15)]
    assert result.diagnostics[1].message == (
        "metric 'Error rate > 5%' contradicts 'Error rate < 0.1% for production traffic' (line 49)"
    )


def test_metric_diagnostics_carry_the_parsed_metric() -> None:
    result = lint(edit("API documentation coverage > 95%", "API documentation coverage > 120%"))
    (diagnostic,) = result.diagnostics
    assert diagnostic.data is not None
    metric = dict(diagnostic.data)["metric"]
    assert isinstance(metric, dict)
    assert (metric["subject"], metric["comparator"], metric["unit"]) == (
        "API documentation coverage",
        ">",
        "%",
    )


def test_every_rule_is_documented() -> None:
    for rule in all_rules():
        assert re.fullmatch(r"PL\d{3}", rule.code)
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.name)
        assert rule.summary and not rule.summary.endswith(".")
        assert len(rule.doc) > 60, rule.code
        assert get_rule(rule.code) is rule and get_rule(rule.name) is rule
        assert rule.code in render_rule(rule)


def test_rules_doc_is_generated_and_current() -> None:
    assert (ROOT / "docs" / "rules.md").read_text(encoding="utf-8") == rules_markdown(), (
        "docs/rules.md drifted from the rules: run `make docs`"
    )


# -- The registry derives its lists from the rules' declarations. ----------------------------


def test_lists_are_derived_from_the_declarations() -> None:
    rules = list(all_rules())
    assert DEFAULT_OFF == {r.code for r in rules if not r.default_enabled} == {"PL220"}
    assert fixable_codes() == {r.code for r in rules if r.fixable}
    assert [r.code for r in corpus_rules()] == [r.code for r in rules if r.cross_file]
    assert [r.code for r in corpus_rules()] == ["PL801"]
    assert not any(r.cross_file for r in document_rules(None))


def _check(document: object, context: object) -> Iterator[Diagnostic]:
    """A check that finds nothing (for registration tests)."""
    return iter(())


def test_registration_checks_the_declaration() -> None:
    with pytest.raises(ValueError, match="default_enabled disagrees with DEFAULT_OFF"):
        registry.rule("PL990", "test-off", Severity.ERROR, "a rule", default_enabled=False)(_check)
    with pytest.raises(ValueError, match=r"cross-file rules live in rules/corpus\.py"):
        registry.corpus_rule("PL890", "test-corpus", Severity.ERROR, "a rule")(_check)
    with pytest.raises(ValueError, match="registered twice"):
        registry.rule("PL304", "version-semver", Severity.ERROR, "a rule")(_check)
    assert "PL990" not in RULES and "PL890" not in RULES


def test_a_rule_reads_its_options_through_its_context(monkeypatch: pytest.MonkeyPatch) -> None:
    from persona_lint.config.settings import Settings
    from persona_lint.engine.lint import check_corpus, lint_source

    declared = RULES["PL801"]
    assert dict(declared.options) == {"named-holders": 3}
    monkeypatch.setitem(RULES, "PL801", declared._replace(options={"named-holders": 1}))
    settings = Settings()
    results = check_corpus(
        [lint_source(f"{n}/backend-engineer.md", CANONICAL, settings) for n in "abc"], settings
    )
    assert results[0].diagnostics[0].message == (
        "active='backend-engineer' is also used by b/backend-engineer.md and 1 more"
    )


# -- Documentation rendered from the docstring. ----------------------------------------------

NEW_FORMAT = """Version table columns must be exactly version, last_updated, status.

## What it does
Checks the `| version | last_updated | status |` header.

## Example
```markdown
| version | updated | status |
```

## Fix
`--fix` rewrites the header.
"""


def _documented(doc: str, options: dict[str, object]) -> Rule:
    def check(document: object, context: object) -> Iterator[Diagnostic]:
        return iter(())

    check.__doc__ = doc
    summary = "a test rule"
    return Rule(
        "PL399", "test-rule", Severity.WARNING, summary, check, fixable=True, options=options
    )


def test_new_format_docstrings_render_as_plain_text_and_markdown() -> None:
    documented = _documented(NEW_FORMAT, {"width": 3, "style": "aligned"})
    assert render_rule(documented) == (
        "PL399 (test-rule)\n\nDefault severity: warning\nSummary: a test rule\n"
        "Fixable: yes (--fix)\n\n"
        "Version table columns must be exactly version, last_updated, status.\n\n"
        "What it does\nChecks the | version | last_updated | status | header.\n\n"
        "Example\n    | version | updated | status |\n\n"
        "Fix\n--fix rewrites the header.\n\n"
        "Options (defaults; not yet settable in configuration):\n"
        '    width = 3\n    style = "aligned"\n'
    )
    assert help_markdown(documented, 3) == NEW_FORMAT.replace("## ", "### ") + (
        "\nOptions (defaults; not yet settable in configuration):\n\n"
        '- `width`: default `3`\n- `style`: default `"aligned"`\n'
    )
    assert help_text(documented) == render_rule(documented).split("\n\n", 2)[2]


def test_old_docstrings_render_without_rest_markup() -> None:
    layout = get_rule("PL308")
    assert layout is not None
    markdown, text = help_markdown(layout), help_text(layout)
    assert "delimiter row of dashes only:\n\n```\n| version | last_updated | status |" in markdown
    assert "``" not in markdown.replace("```", "")
    assert "    | version | last_updated | status |" in text
    assert "`" not in text
    assert "Example that fails (an edit of the canonical persona):" in text


def test_no_rule_renders_a_rest_literal_block() -> None:
    for each in all_rules():
        assert not re.search(r"::$", help_markdown(each), re.MULTILINE), each.code
        assert not re.search(r"::$", help_text(each), re.MULTILINE), each.code
