"""A golden dump: every diagnostic of every known input, one line each, to compare before and
after a change that must not change what persona-lint reports.

``python scripts/golden_dump.py > before.txt`` on the old code, the same on the new, then
``diff before.txt after.txt``. Inputs: ``personas/``, ``../shared/reference`` and
``../shared/corpus`` (every ``.md``), the documents of the rule cases
(tests/rules/*.toml), and seeded mutations of the canonical persona (the mutations of
tests/unit/test_properties.py, drawn with ``random.Random`` so the dump is the same on every
run). Each input is linted twice: with the
default selection and with every rule selected.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "unit"))
sys.path.insert(0, str(ROOT / "tests" / "rules"))

import datetime  # noqa: E402

from cases import documents  # noqa: E402
from test_properties import MARKUP, Mutation, mutate  # noqa: E402

from persona_lint.config.settings import Settings  # noqa: E402
from persona_lint.engine.lint import check_corpus, lint_source  # noqa: E402
from persona_lint.rules.registry import all_rules  # noqa: E402

TODAY = datetime.date(2026, 11, 26)


def _inputs(mutations: int) -> list[tuple[str, bytes]]:
    inputs: list[tuple[str, bytes]] = []
    shared = ROOT.parent / "shared"
    for folder in (ROOT / "personas", shared / "reference", shared / "corpus"):
        for path in sorted(folder.rglob("*.md")):
            inputs.append(
                (
                    path.relative_to(ROOT.parent).as_posix().replace(ROOT.name, "project", 1),
                    path.read_bytes(),
                )
            )
    for name, text in documents():  # the rule cases, tests/rules/*.toml
        inputs.append((f"case/{name}/backend-engineer.md", text.encode("utf-8", "surrogatepass")))
    chance = random.Random(20261206)
    kinds = ["delete", "duplicate", "swap", "insert_line", "insert_text", "insert_bytes"]
    for number in range(mutations):
        steps = []
        for _ in range(chance.randint(1, 4)):
            kind = chance.choice(kinds)
            at = chance.randint(0, 10_000)
            if kind == "insert_bytes":
                data = bytes(chance.randint(0, 255) for _ in range(chance.randint(1, 4)))
                steps.append(Mutation(kind, chance.randint(0, 12_000), data=data))
            else:
                text = "".join(chance.choice(MARKUP) for _ in range(chance.randint(1, 3)))
                steps.append(Mutation(kind, at, chance.randint(0, 10_000), text))
        inputs.append((f"mutation/{number}/backend-engineer.md", mutate(steps)))
    return inputs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mutations", type=int, default=1500)
    arguments = parser.parse_args()
    everything = frozenset(rule.code for rule in all_rules())  # loads every family
    for name, settings in (
        ("default", Settings(today=TODAY)),
        ("all", Settings(today=TODAY, select=everything)),
    ):
        results = []
        for path, data in _inputs(arguments.mutations):
            try:
                results.append(lint_source(path, data, settings, defer_suppressions=True))
            except Exception as exc:  # a crash is part of the dump, not the end of it
                print(f"{name}\t{path}\tCRASH {type(exc).__name__}: {exc}")
        for result in check_corpus(results, settings):
            for d in result.diagnostics:
                print(
                    f"{name}\t{d.path}\t{d.line}:{d.column}\t{d.code}\t{d.severity.value}\t"
                    f"{d.message}"
                )
            if not result.diagnostics:
                print(f"{name}\t{result.path}\tclean")


if __name__ == "__main__":
    main()
