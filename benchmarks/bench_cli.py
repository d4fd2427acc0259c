"""Benchmark: whole processes of persona-lint against check-jsonschema and yamllint.

For each size N (default 1, 1,000 and 10,000) the script writes, into a temporary folder:

- N persona documents, variants of ``personas/*.md`` renamed consistently (name, title,
  ``active`` slug, behaviour root, Usage line and file name: "Backend Engineer 00042",
  ``backend-engineer-00042.md``), so that every file lints clean and every slug is unique;
- the same N documents as JSON (an object tree built from the version table, the title, the
  ``persona_context`` and behaviour XML and the Usage line), with one JSON Schema describing
  them (``schema.json``, written once);
- the same N documents as YAML.

It then times, in alternation (the order rotates on each repetition), whole processes of:

- persona-lint cold (``--no-cache``), with the default ``--jobs`` (automatic) and ``--jobs 1``;
- persona-lint warm (a cache populated by one untimed run first);
- ``check-jsonschema --schemafile schema.json FILES`` on the JSON files;
- ``yamllint -d CONFIG FILES`` (the relaxed preset without the line-length rule) on the YAML
  files;
- the floor: for one file, ``python -c pass`` (an interpreter that starts and exits); for more,
  ``benchmarks/floor.py`` on the persona documents: the C work alone (read, libxml2 parse and
  XSD validation of both blocks through lxml, no persona-lint code);

and prints per N: runs, median, min-max wall time, median CPU time (user + system of the
process and its workers) and the ratio of each persona-lint variant's median to each peer's
and to the floor.
persona-lint gets the folder; the peers get the file names on the command line (in batches,
one process after another, only if the list is longer than the system allows; a note says
so). Finally it measures the peak memory of persona-lint on the largest N: the largest
process's maximum resident set (``wait4``), and the whole process tree's proportional set
size (PSS, sampled from /proc every few milliseconds; workers share pages with the parent).

Tools are taken from this interpreter's ``bin`` folder (the venv), else from PATH; a missing
peer is skipped with a note (install them with ``pip install -e '.[bench]'``).

Bytecode: the tools run with ``PYTHONPYCACHEPREFIX`` set to a folder in the temporary
directory and without ``PYTHONDONTWRITEBYTECODE``, so each tool compiles its modules once
(in the untimed warm-up) and then loads bytecode, as an installed wheel does. An editable
install under ``PYTHONDONTWRITEBYTECODE=1`` compiles persona-lint's own sources in every
process; ``--as-is`` keeps the inherited environment to measure that.

``--phases`` instead times the phases of one cold single-file run (interpreter start, the
imports in stages, the libxml2 schemas, the command itself, interpreter exit).

POSIX only (``os.wait4``; memory figures from Linux's /proc, ``ru_maxrss`` in KB). Prints
figures; asserts nothing. Run, with the peers installed (``pip install -e '.[bench]'``):
    python benchmarks/bench_cli.py [--sizes 1,1000,10000] [--repeat 11] [--quick] [--json F]
    python benchmarks/bench_cli.py --phases [--repeat 21]
Results and method: docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from corpus import JSON_SCHEMA, PERSONAS, ROOT, Corpus, JsonValue, generate, load_templates
from processes import Tool, batches, find_tool, measure, measure_memory, run_once

DEFAULT_SIZES = (1, 1000, 10000)
LARGE = 10000  # from this size on, --repeat-large repetitions instead of --repeat
YAMLLINT_CONFIG = "{extends: relaxed, rules: {line-length: disable}}"

# --------------------------------------------------------------------------------------
# Where a single-file cold run spends its time
# --------------------------------------------------------------------------------------

# Run as ``python -c PHASES_CODE ARGS``: imports what a lint of one valid file imports, in
# stages, then runs the command, and prints wall-clock timestamps to standard error. The
# benchmark adds the time of the spawn and of the exit. Private names are guarded: when
# they change, the stage is folded into the next one.
PHASES_CODE = """
import sys, time
marks = [time.time()]
from persona_lint.cli import main
marks.append(time.time())
try:
    import persona_lint.engine.run, persona_lint.engine.lint
    from persona_lint.rules import all_rules
    list(all_rules())
except Exception:
    pass
marks.append(time.time())
try:
    from persona_lint.xml.libxml import _schema
    _schema("persona.xsd"), _schema("behavior.xsd")
except Exception:
    pass
marks.append(time.time())
code = 0
try:
    main(sys.argv[1:], prog_name="persona-lint")
except SystemExit as exc:
    code = exc.code
marks.append(time.time())
sys.stderr.write("PHASES " + " ".join(map(repr, marks)) + "\\n")
# As the console entry point (persona_lint.cli.entry) does: flush, then exit at once.
sys.stdout.flush()
sys.stderr.flush()
import os
os._exit(code if isinstance(code, int) else 0)
"""
PHASE_NAMES = (
    "interpreter start (to the first line of the program)",
    "import click and persona_lint.cli",
    "import linter, run, config, cache, rule families",
    "import lxml, load the two XSD schemas into libxml2",
    "the command: options, discovery, read, lint, report",
    "exit (flush and os._exit, as the console entry point does)",
)


def phases(python: str, file: Path, repeat: int, env: dict[str, str]) -> None:
    """Median time of each phase of ``persona-lint --no-cache FILE``, then the same command
    as a plain console-script run and a bare interpreter (``python -c pass``) for scale."""
    command = [python, "-c", PHASES_CODE, "--no-cache", str(file)]
    table: list[list[float]] = [[] for _ in PHASE_NAMES]
    plain: list[float] = []
    bare: list[float] = []
    persona_lint = str(Path(python).parent / "persona-lint")
    for _ in range(repeat + 1):  # the first run writes bytecode; it is not counted
        start = time.time()
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        end = time.time()
        line = [item for item in done.stderr.splitlines() if item.startswith("PHASES ")]
        if not line:
            raise SystemExit(f"the phase probe failed:\n{done.stdout}{done.stderr}")
        marks = [start, *map(float, line[-1].split()[1:]), end]
        for index in range(len(table)):
            table[index].append(marks[index + 1] - marks[index])
        plain.append(run_once([[persona_lint, "--no-cache", str(file)]], ROOT, env).wall)
        bare.append(run_once([[python, "-c", "pass"]], ROOT, env).wall)
    print(f"\nSingle-file cold path ({file.name}, {repeat} runs, medians)")
    total = 0.0
    for name, values in zip(PHASE_NAMES, table, strict=True):
        median = statistics.median(values[1:])
        total += median
        print(f"  {name:<62}{median * 1000:7.1f} ms")
    print(f"  {'sum of the medians':<62}{total * 1000:7.1f} ms")
    print(
        f"  {'persona-lint --no-cache FILE (console script, whole process)':<62}"
        f"{statistics.median(plain[1:]) * 1000:7.1f} ms"
    )
    print(
        f"  {'python -c pass (start and exit of a bare interpreter)':<62}"
        f"{statistics.median(bare[1:]) * 1000:7.1f} ms"
    )


# --------------------------------------------------------------------------------------
# The benchmark
# --------------------------------------------------------------------------------------


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms" if seconds < 10 else f"{seconds:,.1f} s"


def _mb(kb: int) -> str:
    return f"{kb / 1024:.0f} MB"


def child_environment(pycache: Path, as_is: bool) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("NO_COLOR", None)
    if not as_is:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(pycache)
    return env


def build_tools(
    corpus: Corpus, work: Path, persona_lint: str, peers: dict[str, str | None]
) -> list[Tool]:
    cache_dir = str(work / f"cache-{len(corpus.json_files)}")
    tools = [
        Tool("persona-lint cold", [[persona_lint, "--no-cache", corpus.markdown]], True),
        Tool(
            "persona-lint cold -j1",
            [[persona_lint, "--no-cache", "--jobs", "1", corpus.markdown]],
            True,
        ),
        Tool(
            "persona-lint warm", [[persona_lint, "--cache-dir", cache_dir, corpus.markdown]], True
        ),
    ]
    checker = peers.get("check-jsonschema")
    if checker:
        commands = batches([checker, "--schemafile", "../schema.json"], corpus.json_files)
        tools.append(Tool("check-jsonschema", commands, False))
    yamllint = peers.get("yamllint")
    if yamllint:
        commands = batches([yamllint, "-d", YAMLLINT_CONFIG], corpus.yaml_files)
        tools.append(Tool("yamllint", commands, False))
    # The floor: an interpreter that does nothing (one file), and the C work alone.
    if len(corpus.json_files) == 1:
        tools.append(Tool("python -c pass", [[sys.executable, "-c", "pass"]], False))
    else:
        floor = str(Path(__file__).resolve().parent / "floor.py")
        tools.append(Tool("C work (floor.py)", [[sys.executable, floor, corpus.markdown]], False))
    for tool in tools:
        if len(tool.commands) > 1:
            tool.note = f"{len(tool.commands)} processes in sequence (argument list too long)"
    return tools


def report(count: int, corpus: Corpus, tools: list[Tool]) -> dict[str, Any]:
    peers = [tool for tool in tools if not tool.persona_lint and tool.samples]
    average = corpus.size_bytes / max(1, count) / 1024
    print(f"\nN = {count:,} ({average:.1f} KB per persona)")
    header = f"  {'tool':<24}{'runs':>5}{'median':>11}{'min-max':>22}{'cpu':>11}"
    for peer in peers:
        header += f"{'/ ' + peer.label:>20}"
    print(header)
    rows: dict[str, Any] = {}
    for tool in tools:
        walls = [s.wall for s in tool.samples]
        cpu = statistics.median(s.cpu for s in tool.samples)
        median = statistics.median(walls)
        spread = f"{_ms(min(walls))} - {_ms(max(walls))}"
        line = f"  {tool.label:<24}{len(walls):>5}{_ms(median):>11}{spread:>22}{_ms(cpu):>11}"
        ratios = {}
        for peer in peers:
            ratio = median / peer.median()
            ratios[peer.label] = ratio
            line += f"{f'{ratio:.2f}x' if tool.persona_lint else '':>20}"
        print(line + (f"  ({tool.note})" if tool.note else ""))
        failed = sum(1 for s in tool.samples if s.returncode != 0)
        if failed:
            print(f"    note: {failed} of {len(walls)} runs exited non-zero")
        rows[tool.label] = {
            "runs": len(walls),
            "median": median,
            "min": min(walls),
            "max": max(walls),
            "cpu_median": cpu,
            "max_rss_kb": max(s.max_rss_kb for s in tool.samples),
            "ratios": ratios if tool.persona_lint else {},
            "failed_runs": failed,
            "note": tool.note,
        }
    return rows


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--sizes",
        default=",".join(map(str, DEFAULT_SIZES)),
        help="comma-separated numbers of personas (default: 1,1000,10000)",
    )
    parser.add_argument("--repeat", type=int, default=11, help="runs per tool below 10,000")
    parser.add_argument("--repeat-large", type=int, default=3, help="runs per tool at 10,000+")
    parser.add_argument(
        "--budget",
        type=float,
        default=240.0,
        help="seconds per tool and size after which it is not run again (default: 240)",
    )
    parser.add_argument("--quick", action="store_true", help="sizes 1,200; 3 runs each")
    parser.add_argument("--no-memory", action="store_true", help="skip the memory measurement")
    parser.add_argument("--as-is", action="store_true", help="keep the bytecode environment")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    parser.add_argument(
        "--phases",
        action="store_true",
        help="only time the phases of a single-file cold run (personas/backend-engineer.md)",
    )
    options = parser.parse_args(argv)
    sizes = [int(size) for size in options.sizes.split(",") if size.strip()]
    repeat, repeat_large = options.repeat, options.repeat_large
    if options.quick:
        sizes, repeat, repeat_large = [1, 200], 3, 1

    persona_lint = find_tool("persona-lint")
    if persona_lint is None:
        raise SystemExit("persona-lint is not installed (pip install -e .)")
    peers = {name: find_tool(name) for name in ("check-jsonschema", "yamllint")}
    for name, path in peers.items():
        if path is None:
            print(f"note: {name} not found in {Path(sys.executable).parent} or on PATH; skipped")
            print("      (install the peers with: pip install -e '.[bench]')")

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # clean up on kill, as on ^C
    templates = load_templates()
    work = Path(tempfile.mkdtemp(prefix="persona-lint-bench-"))
    env = child_environment(work / "pycache", options.as_is)
    if options.phases:
        try:
            phases(sys.executable, PERSONAS / "backend-engineer.md", repeat, env)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        return
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    where = subprocess.run(
        [sys.executable, "-c", "import persona_lint; print(persona_lint.__file__)"],
        env=env,
        cwd=work,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    print(f"persona-lint: {persona_lint} (package: {where or 'not importable'})")
    for name, path in peers.items():
        print(f"{name}: {path or 'missing'}")
    print(f"cpus: {os.cpu_count()}; load average at start: {load[0]:.2f} {load[1]:.2f}")
    print(f"generated files in {work}")
    (work / "schema.json").write_text(json.dumps(JSON_SCHEMA, indent=2) + "\n", "utf-8")
    results: dict[str, Any] = {"sizes": {}, "load_at_start": list(load)}
    try:
        for count in sizes:
            corpus = generate(work / f"n{count}", count, templates)
            tools = build_tools(corpus, work, persona_lint, peers)
            check = run_once(
                [[persona_lint, "--no-cache", corpus.first_markdown]], corpus.base, env
            )
            if check.returncode != 0:
                print(f"note: {corpus.first_markdown} does not lint clean:\n{check.output}")
            cache_file = work / f"cache-{count}" / "v1" / "results.json"
            warm = run_once(tools[2].commands, corpus.base, env)  # populates the cache
            populated = cache_file.stat().st_mtime_ns if cache_file.exists() else 0
            if warm.returncode != 0:
                print(f"note: persona-lint exited {warm.returncode}:\n{warm.output}")
            if count < LARGE:  # warm-up: bytecode and the page cache, untimed
                for tool in tools[:2] + tools[3:]:
                    run_once(tool.commands, corpus.base, env)
            rounds = repeat_large if count >= LARGE else repeat
            measure(tools, rounds, options.budget, corpus.base, env)
            rows = report(count, corpus, tools)
            if cache_file.exists() and cache_file.stat().st_mtime_ns != populated:
                print("  note: the cache was rewritten during the warm runs (code changed?)")
            entry: dict[str, Any] = {"tools": rows, "bytes": corpus.size_bytes}
            if count == max(sizes) and not options.no_memory:
                entry["memory"] = memory_report(count, tools, corpus.base, env)
            results["sizes"][str(count)] = entry
            if not options.keep:
                shutil.rmtree(corpus.base)
    finally:
        if not options.keep:
            shutil.rmtree(work, ignore_errors=True)
    if options.json:
        options.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


def memory_report(count: int, tools: list[Tool], cwd: Path, env: dict[str, str]) -> JsonValue:
    print(f"\nPeak memory of persona-lint on {count:,} files")
    print("  (largest single process's max RSS; whole process tree's peak PSS, sampled)")
    figures = {}
    for tool in tools:
        if not tool.persona_lint:
            continue
        memory = measure_memory(tool.commands[0], cwd, env)
        tree = _mb(memory.tree_pss_kb) if memory.tree_pss_kb else "n/a"
        print(
            f"  {tool.label:<24} max RSS {_mb(memory.max_rss_kb):>7}   tree PSS {tree:>7}"
            f"   ({memory.processes} processes, {_ms(memory.wall)})"
        )
        figures[tool.label] = {
            "max_rss_kb": memory.max_rss_kb,
            "tree_pss_kb": memory.tree_pss_kb,
            "processes": memory.processes,
        }
    return figures


if __name__ == "__main__":
    main()
