"""Benchmark: time and peak memory of linting each pathological input of issue 9.

Every input (see tests/hostile/inputs.py) is linted in a fresh process, after a valid and an
invalid persona have been linted once so that both validators are loaded. ``time`` is one
lint_source call; ``traced`` the peak of Python allocations during a second call
(tracemalloc); ``maxrss`` the process's peak resident memory after the first call, including
the interpreter and the loaded validators (about 45 MB before the input). Prints figures;
asserts nothing.

Run: python benchmarks/bench_hostile.py [--limit BYTES] [NAME...]

``--limit`` fills the size-bound inputs to BYTES instead of the default max-file-size, to
show what a lower limit would bound.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from hostile.inputs import CANONICAL, HOSTILE  # noqa: E402


def measure(name: str) -> dict[str, object]:
    from persona_lint.config.settings import Settings
    from persona_lint.engine.lint import lint_source

    settings = Settings()
    # Warm up both validators: the libxml2 fast path (valid persona) and xmlschema, which is
    # imported and built only for the first invalid block (about half a second, once).
    lint_source("backend-engineer.md", CANONICAL.encode(), settings)
    invalid = CANONICAL.replace("<perspective>", "<unknown/><perspective>", 1)
    lint_source("backend-engineer.md", invalid.encode(), settings)
    baseline_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    data = next(h for h in HOSTILE if h.name == name).make().encode("utf-8")
    start = time.perf_counter()
    result = lint_source("backend-engineer.md", data, settings)
    seconds = time.perf_counter() - start
    maxrss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # before tracemalloc's own
    tracemalloc.start()
    lint_source("backend-engineer.md", data, settings)
    traced = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    codes = sorted({d.code for d in result.diagnostics})
    return {
        "bytes": len(data),
        "seconds": seconds,
        "traced_mb": traced / 2**20,
        "maxrss_mb": maxrss_kb / 1024,
        "baseline_mb": baseline_kb / 1024,
        "codes": codes,
    }


def main(names: list[str], limit: str | None) -> None:
    chosen = [h for h in HOSTILE if not names or h.name in names]
    env = dict(os.environ)
    if limit is not None:
        env["PERSONA_LINT_BENCH_LIMIT"] = limit
        print(f"size-bound inputs filled to {limit} bytes")
    print(f"{'input':<30} {'kind':<8} {'bytes':>9} {'time':>9} {'traced':>9} {'maxrss':>9}  codes")
    for hostile in chosen:
        process = subprocess.run(
            [sys.executable, __file__, "--one", hostile.name],
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
            env=env,
        )
        if process.returncode != 0:
            print(f"{hostile.name:<30} FAILED: {process.stderr.strip().splitlines()[-1:]}")
            continue
        row = json.loads(process.stdout)
        print(
            f"{hostile.name:<30} {hostile.kind:<8} {row['bytes']:>9} "
            f"{row['seconds'] * 1000:>7.0f}ms {row['traced_mb']:>7.1f}MB "
            f"{row['maxrss_mb']:>7.1f}MB  {' '.join(row['codes'])[:40]}"
        )


if __name__ == "__main__":
    arguments = sys.argv[1:]
    if arguments[:1] == ["--one"]:
        print(json.dumps(measure(arguments[1])))
    elif arguments[:1] == ["--limit"]:
        main(arguments[2:], arguments[1])
    else:
        main(arguments, None)
