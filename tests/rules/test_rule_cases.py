"""Every rule's test cases (tests/rules/PLxxx.toml, described in cases.py), run through the
public API: each case's diagnostics are exactly the expected ones, and a fixable rule's
failing case is fixed to exactly the expected text."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from cases import (
    CASES_DIR,
    Case,
    all_cases,
    as_found,
    case_files,
    expected_fix,
    fix_case,
    load_file,
    run_case,
)

from persona_lint.diagnostics import Diagnostic
from persona_lint.document.model import Document
from persona_lint.rules import all_rules, get_rule
from persona_lint.rules.context import RuleContext
from persona_lint.rules.registry import RULES

CASES = list(all_cases())


def _planted_bug(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    raise ValueError("planted in a rule")


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_case_reports_exactly_what_it_expects(
    case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if "broken_rule" in case.spec:
        code = case.spec["broken_rule"]
        monkeypatch.setitem(RULES, code, RULES[code]._replace(check=_planted_bug))
    assert run_case(case, tmp_path) == as_found(case.spec["expected"])


FIX_CASES = [c for c in CASES if expected_fix(c) is not None]


@pytest.mark.parametrize("case", FIX_CASES, ids=lambda c: c.id)
def test_fix_gives_the_expected_text(case: Case) -> None:
    assert fix_case(case) == expected_fix(case)


def test_every_rule_has_a_case_file_with_a_failing_and_a_different_passing_case() -> None:
    assert [path.stem for path in case_files()] == sorted(r.code for r in all_rules())
    for rule in all_rules():
        cases = [c for c in CASES if c.code == rule.code]
        failing = [c for c in cases if c.fails]
        passing = [c for c in cases if not c.fails]
        assert failing and passing, rule.code
        # A passing case is a real variant (every edit changes the text: cases.apply_edits),
        # not the canonical persona untouched, and no failing case gives the same input.
        assert any(c.given != "{}" for c in passing), f"{rule.code}: no passing variant"
        assert {c.given for c in failing}.isdisjoint(c.given for c in passing), rule.code


def test_every_failing_case_of_a_fixable_rule_says_what_the_fix_gives() -> None:
    for case in CASES:
        rule = get_rule(case.code)
        assert rule is not None
        if rule.fixable and case.fails:
            assert expected_fix(case) is not None, case.id


def test_every_case_file_parses_and_names_its_own_rule() -> None:
    for path in case_files():
        code, cases = load_file(path)
        assert code == path.stem
        assert cases, path.name
        for case in cases:
            assert case.name and "expected" in case.spec, case.id
    assert not [p for p in CASES_DIR.iterdir() if p.suffix not in {".toml", ".py"} and p.is_file()]


def test_every_case_name_is_unique() -> None:
    repeated = [name for name, n in Counter(c.name for c in CASES).items() if n > 1]
    assert repeated == []
