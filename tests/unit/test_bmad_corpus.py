"""Issue 21, done when: real BMAD agents get exactly the diagnostics a maintainer agrees with.

tests/data/bmad_corpus.toml lists, per defect kind, a real file of ../shared/corpus/bmad and
the place of its defect; and a sample of real agents that must stay clean. The files are
read from ../shared, never copied into the repository.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import SETTINGS, SHARED, needs_shared, triples

from persona_lint.engine.lint import lint_source

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

BMAD = SHARED / "corpus" / "bmad"
DATA = tomllib.loads(
    (Path(__file__).resolve().parents[1] / "data" / "bmad_corpus.toml").read_text("utf-8")
)
DEFECTS: list[dict[str, Any]] = DATA["defect"]


def _lint(relative: str) -> list[tuple[str, int, int]]:
    path = BMAD / relative
    result = lint_source(str(path), path.read_bytes(), SETTINGS)
    assert result.format == "bmad-agent", relative
    return triples(result.diagnostics)


@needs_shared
@pytest.mark.parametrize("defect", DEFECTS, ids=lambda d: f"{d['expected'][0]}-{d['kind']}")
def test_a_real_defect_is_reported_at_its_place(defect: dict[str, Any]) -> None:
    code, line, column = defect["expected"]
    assert (code, line, column) in _lint(defect["file"])


def test_the_fixture_covers_every_bmad_rule_kind_the_issue_lists() -> None:
    codes = {defect["expected"][0] for defect in DEFECTS}
    wanted = {"BM101", "BM103", "BM200", "BM201", "BM301", "BM302", "BM401", "BM402"}
    wanted |= {"BM403", "BM404", "BM405", "BM406", "BM501", "BM502", "BM503", "BM504", "BM505"}
    assert wanted <= codes


@needs_shared
@pytest.mark.parametrize("relative", DATA["clean"])
def test_a_clean_real_agent_stays_clean(relative: str) -> None:
    assert _lint(relative) == []


@needs_shared
def test_no_real_agent_crashes_or_fails_a_rule() -> None:
    internal = []
    for path in sorted(BMAD.rglob("*.md*")):
        if path.name == "README.md":
            continue
        result = lint_source(str(path), path.read_bytes(), SETTINGS)
        internal += [(path.name, d.message) for d in result.diagnostics if d.code == "PL001"]
    assert internal == []
