"""Benchmark: from how many files two worker processes beat one (the knee of ``--jobs``).

For each size N the script writes N generated personas (variants of ``personas/*.md``, as
bench_cli.py writes them) and times whole processes of ``persona-lint --no-cache --jobs 1``
and ``--jobs 2`` in pairs, alternating which goes first, ``--repeat`` pairs per size. Per size
it prints both medians, the median of the paired ratios (two workers / one; below 1: two
win) and their spread (lowest and highest ratio: the noise of the machine), then the knee:
the smallest N from which the median ratio stays below 1 for every larger size measured.
``engine/jobs.py``'s ``PARALLEL_THRESHOLD`` is set from it.

``--cpus 0,1`` pins every run to those cores (``taskset``): on a machine shared with other
work, pinning keeps the two workers on the cores measured. Pairs cancel slow drifts of the
load; they cannot cancel a burst, hence the spread.

Run: ``python benchmarks/bench_jobs.py [--sizes 20,50,100,150,200,300,500,1000] [--repeat 7]
[--cpus 0,1]``. Prints figures; asserts nothing. Results: docs/performance.md.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_SIZES = (20, 50, 100, 150, 200, 300, 500, 1000)


def write_personas(folder: Path, count: int) -> None:
    """Write ``count`` clean generated personas into ``folder``."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from corpus import load_templates, variant  # the generator of the CLI benchmark

    folder.mkdir(parents=True)
    templates = load_templates()
    for number in range(count):
        name, text = variant(templates[number % len(templates)], number)
        (folder / name).write_text(text, encoding="utf-8")


def timed(command: list[str]) -> float:
    """Wall time of one whole process (its output discarded)."""
    start = time.perf_counter()
    subprocess.run(command, capture_output=True, check=False)
    return time.perf_counter() - start


def measure(folder: Path, repeat: int, pin: list[str]) -> tuple[list[float], list[float]]:
    """``repeat`` pairs of runs with one and two processes, alternating the first."""
    command = [*pin, sys.executable, "-m", "persona_lint", "--no-cache", str(folder)]
    one: list[float] = []
    two: list[float] = []
    timed([*command, "--jobs", "1"])  # untimed: the file system cache, the bytecode
    for number in range(repeat):
        order = (1, 2) if number % 2 == 0 else (2, 1)
        for jobs in order:
            seconds = timed([*command, "--jobs", str(jobs)])
            (one if jobs == 1 else two).append(seconds)
    return one, two


def knee(ratios: dict[int, float]) -> int | None:
    """The smallest size from which two processes win at every larger size."""
    found = None
    for size in sorted(ratios, reverse=True):
        if ratios[size] >= 1:
            break
        found = size
    return found


def main() -> None:
    """Measure every size and print the knee."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)))
    parser.add_argument("--repeat", type=int, default=7, help="pairs of runs per size")
    parser.add_argument("--cpus", help="pin every run to these cores (taskset -c)")
    arguments = parser.parse_args()
    if arguments.cpus and shutil.which("taskset") is None:
        raise SystemExit("--cpus needs taskset (util-linux)")
    pin = ["taskset", "-c", arguments.cpus] if arguments.cpus else []
    sizes = [int(size) for size in arguments.sizes.split(",")]
    ratios: dict[int, float] = {}
    print(f"{'files':>6} {'--jobs 1':>9} {'--jobs 2':>9} {'2/1':>6} {'lowest-highest':>15}")
    with tempfile.TemporaryDirectory(prefix="bench-jobs-") as base:
        for size in sizes:
            folder = Path(base) / str(size)
            write_personas(folder, size)
            one, two = measure(folder, arguments.repeat, pin)
            paired = sorted(b / a for a, b in zip(one, two, strict=True))
            ratios[size] = statistics.median(paired)
            print(
                f"{size:>6} {statistics.median(one):>8.3f}s {statistics.median(two):>8.3f}s "
                f"{ratios[size]:>6.2f} {paired[0]:>7.2f}-{paired[-1]:.2f}",
                flush=True,
            )
    found = knee(ratios)
    print(f"knee: two processes win from {found} files" if found else "knee: not reached")


if __name__ == "__main__":
    main()
