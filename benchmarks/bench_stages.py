"""Benchmark: instructions per persona in each stage of a lint, counted by callgrind.

Wall time on a shared 2-core VM moves by ±30 % between minutes; instruction counts do not.
The script lints ``--count`` generated personas (variants of ``personas/*.md``, as
bench_cli.py writes them) in one process, once per stage, each under
``valgrind --tool=callgrind``, and subtracts the count of the set-up alone (imports, the
texts, one warm-up lint that loads the schemas and rule families):

- ``xml``: each XML block rewritten into strict XML and parsed (``parse_block``): the trees
  the rules read;
- ``parse``: each document decoded and parsed (``parse_document``): Markdown structure and
  the XML blocks;
- ``verdict``: ``parse`` plus the PL2xx computation (the libxml2 verdict on both blocks, the
  checks XSD cannot make);
- ``lint``: the whole in-process lint (``lint_source``), every rule included.

Then per persona: the XML parse, the Markdown part of the parse (``parse`` - ``xml``), the
PL2xx computation (``verdict`` - ``parse``), the other rules and the rest (``lint`` -
``verdict``) and the whole lint. ``--pythonpath DIR`` measures another checkout (for a
before/after: ``git archive main | tar -x -C /tmp/main``, then ``--pythonpath /tmp/main``).

Run: ``python benchmarks/bench_stages.py [--count 200] [--pythonpath DIR]`` (valgrind needed;
about a minute per stage). ``--stage NAME`` runs one stage without valgrind (what callgrind
runs). Prints figures; asserts nothing. Results: docs/performance.md.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STAGES = ("setup", "xml", "parse", "verdict", "lint")


def _personas(count: int) -> list[tuple[str, bytes]]:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from corpus import load_templates, variant  # the generator of the CLI benchmark

    templates = load_templates()
    found = []
    for number in range(count):
        name, text = variant(templates[number % len(templates)], number)
        found.append((name, text.encode("utf-8")))
    return found


def run_stage(stage: str, count: int) -> None:
    """Do the set-up, then the work of ``stage`` (what callgrind counts)."""
    import datetime

    from persona_lint.config.settings import Settings
    from persona_lint.document.model import parse_document
    from persona_lint.engine.lint import lint_source
    from persona_lint.rules.xml.shared import xml_diagnostics
    from persona_lint.source.decode import decode
    from persona_lint.xml.parser import parse_block

    settings = Settings(today=datetime.date(2026, 11, 26))
    personas = _personas(count)
    texts = [str(decode(data)) for _, data in personas]
    blocks = [
        block.code.content for text in texts for block in parse_document("x.md", text).xml_blocks
    ]
    lint_source(*personas[0], settings)  # loads the schemas and the rule families
    if stage == "xml":
        for content in blocks:
            parse_block(content)
    elif stage in ("parse", "verdict"):
        for (name, _), text in zip(personas, texts, strict=True):
            document = parse_document(name, text)
            if stage == "verdict":
                xml_diagnostics(document)
    elif stage == "lint":
        for name, data in personas:
            lint_source(name, data, settings)


def count_instructions(stage: str, count: int, pythonpath: str | None) -> int:
    """Instructions callgrind counts for one process running ``stage``."""
    env = dict(os.environ)
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    command = [
        "valgrind",
        "--tool=callgrind",
        "--callgrind-out-file=/dev/null",
        sys.executable,
        __file__,
        "--stage",
        stage,
        "--count",
        str(count),
    ]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    found = re.search(r"Collected : (\d+)", done.stderr)
    if found is None:
        raise SystemExit(f"no instruction count from callgrind:\n{done.stderr[-2000:]}")
    return int(found.group(1))


def main() -> None:
    """Count every stage under callgrind and print instructions per persona."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--count", type=int, default=200, help="personas linted per stage")
    parser.add_argument("--stage", choices=STAGES, help="run one stage, without valgrind")
    parser.add_argument("--pythonpath", help="measure the persona_lint of this folder")
    arguments = parser.parse_args()
    if arguments.stage:
        run_stage(arguments.stage, arguments.count)
        return
    totals = {}
    for stage in STAGES:
        totals[stage] = count_instructions(stage, arguments.count, arguments.pythonpath)
        print(f"{stage:8} {totals[stage]:>15,} instructions", file=sys.stderr)
    per = {stage: (totals[stage] - totals["setup"]) / arguments.count for stage in STAGES}
    rows = [
        ("XML blocks: strict rewrite + parse (trees)", per["xml"]),
        ("Markdown structure, decode, rest of the parse", per["parse"] - per["xml"]),
        ("PL2xx: libxml2 verdict + checks XSD cannot make", per["verdict"] - per["parse"]),
        ("other rules, post-processing, result", per["lint"] - per["verdict"]),
        ("whole in-process lint", per["lint"]),
    ]
    where = arguments.pythonpath or str(ROOT)
    print(f"instructions per persona ({arguments.count} personas, persona_lint of {where}):")
    for label, value in rows:
        print(f"  {label:50} {value / 1e6:6.2f} M")


if __name__ == "__main__":
    main()
