"""Benchmark (issue 21): linting the 541 BMAD agent files of ../shared/corpus/bmad against
linting 541 persona documents, in one process, with the default selection.

The personas are the files of ``personas/`` repeated to 541; the BMAD files are every file
listed in ../shared/corpus/bmad/MANIFEST.tsv (533 Markdown files and 8 Cursor ``.mdc``
rules). Every file's bytes are read first; each repetition then lints all of them with
:func:`persona_lint.engine.lint.lint_source` (parsing, detection, schemas, rules). One
untimed round loads the schemas and the rule families. Prints the median and the range of
``--repeat`` rounds (default 7) for each set, and the ratio; the issue's bar is 2.0.

    python benchmarks/bench_bmad.py [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from persona_lint.config.settings import Settings
from persona_lint.engine.lint import lint_source

ROOT = Path(__file__).resolve().parents[1]
BMAD = ROOT.parent / "shared" / "corpus" / "bmad"
COUNT = 541


def bmad_files() -> list[tuple[str, bytes]]:
    """The 541 files of the BMAD corpus, from its manifest."""
    rows = (BMAD / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines()[1:]
    names = [row.split("\t")[6] for row in rows if row.strip()]
    return [(str(BMAD / name), (BMAD / name).read_bytes()) for name in names]


def persona_files() -> list[tuple[str, bytes]]:
    """541 persona documents: the showcase personas, repeated."""
    personas = sorted((ROOT / "personas").glob("*.md"))
    return [
        (str(personas[i % len(personas)]), personas[i % len(personas)].read_bytes())
        for i in range(COUNT)
    ]


def lint_all(files: list[tuple[str, bytes]], settings: Settings) -> float:
    """Seconds to lint every file once."""
    start = time.perf_counter()
    for path, data in files:
        lint_source(path, data, settings)
    return time.perf_counter() - start


def main() -> None:
    """Time both sets and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=7)
    repeat = parser.parse_args().repeat
    settings = Settings()
    sets = {"personas": persona_files(), "bmad": bmad_files()}
    assert all(len(files) == COUNT for files in sets.values()), {k: len(v) for k, v in sets.items()}
    for files in sets.values():
        lint_all(files, settings)  # untimed: schemas, rule families, lxml
    times: dict[str, list[float]] = {name: [] for name in sets}
    for _ in range(repeat):
        for name, files in sets.items():
            times[name].append(lint_all(files, settings))
    for name, measured in times.items():
        print(
            f"{name:9} {COUNT} files: median {statistics.median(measured) * 1000:.0f} ms "
            f"(min {min(measured) * 1000:.0f}, max {max(measured) * 1000:.0f}, {repeat} rounds)"
        )
    ratio = statistics.median(times["bmad"]) / statistics.median(times["personas"])
    print(f"ratio bmad / personas: {ratio:.2f} (bar: 2.00)")


if __name__ == "__main__":
    main()
