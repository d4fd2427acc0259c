"""Benchmark: time to lint the showcase personas in-process, and one cold process.

Prints figures; asserts nothing (tests stay deterministic). Run: python benchmarks/bench_lint.py
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    from persona_lint.config.settings import Settings
    from persona_lint.engine.lint import lint_source

    files = sorted((ROOT / "personas").glob("*.md"))
    data = [(str(f), f.read_bytes()) for f in files]
    settings = Settings()
    lint_source(*data[0], settings)  # load the schemas once
    samples = []
    for _ in range(30):
        start = time.perf_counter()
        for path, content in data:
            lint_source(path, content, settings)
        samples.append((time.perf_counter() - start) / len(data))
    print(f"in-process, per persona: median {statistics.median(samples) * 1000:.2f} ms")
    cold = []
    for _ in range(5):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "persona_lint", str(files[0])], check=False, capture_output=True
        )
        cold.append(time.perf_counter() - start)
    print(f"cold process, one persona: median {statistics.median(cold) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
