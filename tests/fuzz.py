"""A fuzzing run of the whole command line: parse, lint and every output format.

Not part of the test suite (it runs for minutes): ``python tests/fuzz.py --minutes 15``.
Each example is a mutated canonical persona (the mutations of tests/unit/test_properties.py)
under a random file name (any bytes a git tree can hold: not UTF-8, control characters,
names that look like options), linted in-process through the real click command line with
one random output format. Every example must:

- end with exit 0 or 1 (never 2, never an exception);
- in the machine formats, be parsed back strictly (JSON, JSON lines, SARIF, GitLab, JUnit);
- in the human formats, carry no control character but tab and line feed.

Prints how many examples ran per format and the first failure, if any (exit 1 then).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import xml.dom.minidom
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent / "unit"))

from click.testing import CliRunner
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st
from test_properties import Mutation, _mutation, mutate

from persona_lint.cli import main
from persona_lint.formatters import FORMAT_NAMES

NAME_BYTES = st.binary(min_size=1, max_size=12).map(
    lambda b: b.replace(b"/", b"_").replace(b"\x00", b"_")
)
NAMES = st.one_of(
    NAME_BYTES.map(lambda b: b + b".md"),
    st.sampled_from([b"--output-file=x.md", b"-x.md", b"\x1b]8;;x\x07a.md", b"::error::a.md"]),
)
ALLOWED_CONTROLS = {"\t", "\n"}
counts: Counter[str] = Counter()


def check_output(name: str, output: str) -> None:
    if name in ("json", "sarif", "gitlab"):
        json.loads(output)
    elif name == "json-lines":
        for line in output.splitlines():
            json.loads(line)
    elif name == "junit":
        xml.dom.minidom.parseString(output.encode("utf-8"))
    else:
        bad = [c for c in output if (ord(c) < 32 or 0x7F <= ord(c) < 0xA0) and c not in "\t\n"]
        assert not bad, f"control characters {bad[:5]!r} in {name} output"


@settings(
    max_examples=200,
    deadline=None,
    database=None,
    derandomize=False,  # the test suite's profile (conftest) derandomises; a fuzzer must not
    suppress_health_check=list(HealthCheck),
)
@given(
    st.lists(_mutation(), min_size=1, max_size=6),
    NAMES,
    st.sampled_from(FORMAT_NAMES),
)
def one_example(mutations: list[Mutation], name: bytes, output_format: str) -> None:
    data = mutate(mutations)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / os.fsdecode(name)
        path.write_bytes(data)
        runner = CliRunner()
        arguments = ["check", "--isolated", "--no-cache", "--output-format", output_format]
        result = runner.invoke(main, [*arguments, "--", folder], catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert result.exit_code in (0, 1), (result.exit_code, result.output[-500:])
    check_output(output_format, result.stdout)
    counts[output_format] += 1


def run(minutes: float) -> int:
    deadline = time.monotonic() + minutes * 60
    start = time.monotonic()
    rounds = 0
    while time.monotonic() < deadline:
        seed(rounds)(one_example)()
        rounds += 1
    total = sum(counts.values())
    elapsed = time.monotonic() - start
    print(f"{total} examples in {elapsed:.0f} s ({rounds} rounds of up to 200), all passed")
    for name, count in sorted(counts.items()):
        print(f"  {name:<12} {count}")
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=15.0)
    sys.exit(run(parser.parse_args().minutes))
