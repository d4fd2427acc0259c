"""Every rule is documented, and what the rule cases (tests/rules/) do not say: messages
naming other places, and the data a diagnostic carries. Where each rule reports, and what
it leaves alone, are its cases in tests/rules/PLxxx.toml."""

from __future__ import annotations

import re

from conftest import CANONICAL, ROOT, edit, lint

from persona_lint.config.settings import Settings
from persona_lint.engine.lint import check_corpus, lint_source
from persona_lint.rules import all_rules, get_rule
from persona_lint.rules.docs import render_rule, rules_markdown


def test_duplicate_slug_names_the_other_file() -> None:
    settings = Settings()
    results = check_corpus(
        [
            lint_source("a/backend-engineer.md", CANONICAL, settings),
            lint_source("b/backend-engineer.md", CANONICAL, settings),
        ],
        settings,
    )
    assert results[0].diagnostics[0].message == (
        "active='backend-engineer' is also used by b/backend-engineer.md"
    )


def test_contradictory_metrics_name_each_other() -> None:
    text = edit(
        "<metric>API documentation coverage > 95%</metric>", "<metric>Error rate > 5%</metric>"
    )
    result = lint(text)
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
