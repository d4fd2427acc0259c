"""Every rule is documented, and what the rule cases (tests/rules/) do not say: messages
naming other places, and the data a diagnostic carries. Where each rule reports, and what
it leaves alone, are its cases in tests/rules/PLxxx.toml."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from conftest import CANONICAL, ROOT, edit, lint

from persona_lint.config.settings import Settings
from persona_lint.diagnostics import Diagnostic, Severity
from persona_lint.engine.lint import check_corpus, lint_source
from persona_lint.rules import RULES, Rule, all_rules, get_rule, registry
from persona_lint.rules.docs import help_markdown, help_text, render_rule, rules_markdown
from persona_lint.rules.registry import DEFAULT_OFF, corpus_rules, document_rules, fixable_codes


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
        assert re.fullmatch(r"(?:PL|BM)\d{3}", rule.code)
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
        "Options (defaults shown), set in [tool.persona-lint.rule-options.PL399] of "
        "pyproject.toml or [rule-options.PL399] of .persona-lint.toml:\n"
        '    width = 3  (a whole number)\n    style = "aligned"  (a string)\n'
    )
    assert help_markdown(documented, 3) == NEW_FORMAT.replace("## ", "### ") + (
        "\nOptions (defaults shown), set in `[tool.persona-lint.rule-options.PL399]` of "
        "`pyproject.toml` or `[rule-options.PL399]` of `.persona-lint.toml`:\n\n"
        '- `width` (a whole number): default `3`\n- `style` (a string): default `"aligned"`\n'
    )
    assert help_text(documented) == render_rule(documented).split("\n\n", 2)[2]


OLD_FORMAT = """The version table is laid out with a delimiter row of dashes only::

    | version | last_updated | status |
    |---------|--------------|--------|

Why: one layout keeps ``--fix`` diffs small.
"""


def test_old_docstrings_render_without_rest_markup() -> None:
    old = _documented(OLD_FORMAT, {})._replace(fixable=False)
    assert help_markdown(old) == (
        "The version table is laid out with a delimiter row of dashes only:\n\n```\n"
        "| version | last_updated | status |\n|---------|--------------|--------|\n```\n\n"
        "Why: one layout keeps `--fix` diffs small.\n"
    )
    assert help_text(old) == (
        "The version table is laid out with a delimiter row of dashes only:\n\n"
        "    | version | last_updated | status |\n    |---------|--------------|--------|\n\n"
        "Why: one layout keeps --fix diffs small.\n"
    )


def test_no_rule_renders_a_rest_literal_block() -> None:
    for each in all_rules():
        assert not re.search(r"::$", help_markdown(each), re.MULTILINE), each.code
        assert not re.search(r"::$", help_text(each), re.MULTILINE), each.code
