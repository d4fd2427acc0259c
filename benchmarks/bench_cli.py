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

and prints per N: runs, median, min-max wall time, median CPU time (user + system of the
process and its workers) and the ratio of each persona-lint variant's median to each peer's.
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
import contextlib
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PERSONAS = ROOT / "personas"
DEFAULT_SIZES = (1, 1000, 10000)
LARGE = 10000  # from this size on, --repeat-large repetitions instead of --repeat
YAMLLINT_CONFIG = "{extends: relaxed, rules: {line-length: disable}}"
# Elements that hold a list even when a document has only one of them.
LIST_TAGS = frozenset(
    {
        "gate",
        "metric",
        "tool",
        "method",
        "focus",
        "expertise",
        "domain",
        "limitation",
        "priority",
        "obsession",
        "step",
    }
)

JsonValue = Any  # the JSON object trees built here: dict, list and str


# --------------------------------------------------------------------------------------
# Generating the documents
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Template:
    """One showcase persona and the identifiers a variant renames."""

    file: Path
    text: str
    name: str  # "Backend Engineer"
    slug: str  # "backend-engineer"

    @property
    def root(self) -> str:
        return behavior_root(self.slug)


def slugify(name: str) -> str:
    """The README's slug: lowercase, every run of other characters replaced by '-'."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def behavior_root(slug: str) -> str:
    return slug.replace("-", "_") + "_behavior"


def load_templates() -> list[Template]:
    templates = []
    for file in sorted(PERSONAS.glob("*.md")):
        text = file.read_text(encoding="utf-8")
        title = re.search(r"^# (.+) Persona$", text, re.MULTILINE)
        active = re.search(r'<persona_context active="([^"]+)">', text)
        if title is None or active is None:
            print(f"note: {file.name} is not in the showcase layout; not used", file=sys.stderr)
            continue
        templates.append(Template(file, text, title.group(1), active.group(1)))
    if not templates:
        raise SystemExit(f"no persona templates in {PERSONAS}")
    return templates


def variant(template: Template, number: int) -> tuple[str, str]:
    """The file name and text of variant ``number`` of ``template``."""
    name = f"{template.name} {number:05d}"
    slug = slugify(name)
    root = behavior_root(slug)
    text = template.text
    for old, new in (
        (f"# {template.name} Persona\n", f"# {name} Persona\n"),
        (f"<name>{template.name}</name>", f"<name>{name}</name>"),
        (f'<persona_context active="{template.slug}">', f'<persona_context active="{slug}">'),
        (f"<{template.root}>", f"<{root}>"),
        (f"</{template.root}>", f"</{root}>"),
        (f"--persona {template.slug}`", f"--persona {slug}`"),
    ):
        if text.count(old) != 1:
            raise SystemExit(f"{template.file.name}: expected {old!r} exactly once")
        text = text.replace(old, new)
    return f"{slug}.md", text


# The persona dialect's two relaxations (README), rewritten for xml.etree.
_BARE_AMP = re.compile(r"&(?!(?:[A-Za-z_][\w.-]*|#[0-9]+|#x[0-9A-Fa-f]+);)")
_BARE_LT = re.compile(r"<(?![A-Za-z_/!?])")


def _element(text: str) -> ET.Element:
    return ET.fromstring(_BARE_LT.sub("&lt;", _BARE_AMP.sub("&amp;", text)))


def _text(value: str | None) -> str:
    return "\n".join(line.strip() for line in (value or "").strip().splitlines())


def element_tree(element: ET.Element) -> JsonValue:
    """An element as JSON: text for a leaf; else an object of its attributes and children,
    a child's value being a list when the tag repeats (or always holds a list)."""
    children = list(element)
    if not children and not element.attrib:
        return _text(element.text)
    tree: dict[str, JsonValue] = dict(element.attrib)
    tags = [child.tag for child in children]
    for child in children:
        value = element_tree(child)
        if child.tag in LIST_TAGS or tags.count(child.tag) > 1:
            tree.setdefault(child.tag, []).append(value)
        else:
            tree[child.tag] = value
    return tree


def document_tree(text: str) -> JsonValue:
    """The content of a persona document as one JSON object."""
    table = re.search(r"^\|-.*\n\|(.*)\|\s*$", text, re.MULTILINE)
    title = re.search(r"^# (.+)$", text, re.MULTILINE)
    usage = re.search(r"^\*\*Usage\*\*: (.*)$", text, re.MULTILINE)
    blocks = re.findall(r"^```xml\n(.*?)^```", text, re.MULTILINE | re.DOTALL)
    if table is None or title is None or usage is None or len(blocks) < 2:
        raise SystemExit("a generated persona lacks its table, title, usage or XML blocks")
    version, last_updated, status = (cell.strip() for cell in table.group(1).split("|"))
    behavior = _element(blocks[1])
    return {
        "version": version,
        "last_updated": last_updated,
        "status": status,
        "title": title.group(1),
        "persona_context": element_tree(_element(blocks[0])),
        "behavior": {"root": behavior.tag, "sections": element_tree(behavior)},
        "usage": usage.group(1),
    }


def _list_of(item: JsonValue, *, unique: bool = False) -> JsonValue:
    schema = {"type": "array", "items": item, "minItems": 1}
    return {**schema, "uniqueItems": True} if unique else schema


def _object(*required: str, **properties: JsonValue) -> JsonValue:
    names = list(required) + [name for name in properties if name not in required]
    return {
        "type": "object",
        "required": list(required),
        "properties": {name: properties.get(name, {"$ref": "#/$defs/text"}) for name in names},
        "additionalProperties": False,
    }


TEXT_LIST = {"$ref": "#/$defs/text_list"}
SECTION = {"type": "object", "minProperties": 1}

# The JSON counterpart of schemas/persona.xsd and behavior.xsd, plus the checks persona-lint
# makes on the table, the slug, the behaviour root and the Usage line.
JSON_SCHEMA: JsonValue = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://example.invalid/persona.schema.json",
    "title": "Persona document (benchmark counterpart of persona-lint's XSD schemas)",
    "$defs": {
        "text": {"type": "string", "minLength": 1, "pattern": "\\S"},
        "text_list": _list_of({"$ref": "#/$defs/text"}),
    },
    "type": "object",
    "required": [
        "version",
        "last_updated",
        "status",
        "title",
        "persona_context",
        "behavior",
        "usage",
    ],
    "additionalProperties": False,
    "properties": {
        "version": {
            "type": "string",
            "pattern": r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
            r"(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$",
        },
        "last_updated": {"type": "string", "format": "date"},
        "status": {"enum": ["draft", "review", "stable", "deprecated"]},
        "title": {"type": "string", "pattern": "^\\S.* Persona$"},
        "usage": {"type": "string", "pattern": "`--persona [a-z0-9]+(-[a-z0-9]+)*`"},
        "persona_context": {
            "type": "object",
            "required": [
                "active",
                "persona_identity",
                "thinking_framework",
                "quality_standards",
                "tool_preferences",
                "collaboration_patterns",
                "domain_knowledge",
                "error_handling_philosophy",
            ],
            "minProperties": 9,  # at least one persona-specific section
            "properties": {
                "active": {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"},
                "persona_identity": _object(
                    "name",
                    "expertise_domain",
                    "experience_level",
                    "perspective",
                    experience_level={
                        "enum": [
                            "Junior",
                            "Intermediate",
                            "Senior",
                            "Staff",
                            "Lead",
                            "Principal",
                            "Expert",
                        ]
                    },
                ),
                "thinking_framework": _object(
                    "primary_lens",
                    "decision_priorities",
                    "problem_solving_method",
                    "trade_off_preferences",
                ),
                "quality_standards": _object(
                    "mandatory_gates",
                    "success_metrics",
                    "risk_tolerance",
                    "validation_approach",
                    mandatory_gates=_object(
                        "gate", gate=_list_of({"$ref": "#/$defs/text"}, unique=True)
                    ),
                    success_metrics=_object("metric", metric=TEXT_LIST),
                ),
                "tool_preferences": _object(
                    "primary_tools",
                    "analysis_methods",
                    "automation_focus",
                    "documentation_style",
                    primary_tools=_object("tool", tool=TEXT_LIST),
                    analysis_methods=_object("method", method=TEXT_LIST),
                    automation_focus=_object("focus", focus=TEXT_LIST),
                ),
                "collaboration_patterns": _object(
                    "communication_style",
                    "knowledge_sharing",
                    "conflict_resolution",
                    "mentoring_approach",
                ),
                "domain_knowledge": _object(
                    "core_expertise",
                    "adjacent_domains",
                    "blind_spots",
                    "learning_priorities",
                    core_expertise=_object("expertise", expertise=TEXT_LIST),
                    adjacent_domains=_object("domain", domain=TEXT_LIST),
                    blind_spots=_object("limitation", limitation=TEXT_LIST),
                    learning_priorities=_object("priority", priority=TEXT_LIST),
                ),
                "error_handling_philosophy": _object("principle", "approach", "escalation"),
            },
            "additionalProperties": SECTION,
        },
        "behavior": {
            "type": "object",
            "required": ["root", "sections"],
            "additionalProperties": False,
            "properties": {
                "root": {"type": "string", "pattern": "^[a-z0-9]+(_[a-z0-9]+)*_behavior$"},
                "sections": {
                    "type": "object",
                    "minProperties": 1,
                    "properties": {
                        "quality_obsessions": _object(
                            "obsession", obsession=_list_of({"$ref": "#/$defs/text"}, unique=True)
                        ),
                        "problem_solving_style": _object(
                            "approach", "tools", "validation", "iteration"
                        ),
                    },
                    "additionalProperties": SECTION,
                },
            },
        },
    },
}


def to_yaml(value: JsonValue, indent: int = 0) -> Iterator[str]:
    """Block-style YAML lines; every string double-quoted (JSON escapes are YAML escapes)."""
    pad = " " * indent
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, str):
                yield f"{pad}{key}: {json.dumps(item, ensure_ascii=False)}"
            else:
                yield f"{pad}{key}:"
                yield from to_yaml(item, indent + 2)
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, str):
                yield f"{pad}- {json.dumps(item, ensure_ascii=False)}"
            else:
                yield f"{pad}-"
                yield from to_yaml(item, indent + 2)
    else:
        yield f"{pad}{json.dumps(value, ensure_ascii=False)}"


@dataclass(frozen=True)
class Corpus:
    """One size's generated files, as paths relative to ``base``."""

    base: Path
    markdown: str  # the folder holding the persona documents
    json_files: list[str]
    yaml_files: list[str]
    first_markdown: str
    size_bytes: int


def generate(base: Path, count: int, templates: Sequence[Template]) -> Corpus:
    folders = {kind: base / kind for kind in ("md", "json", "yaml")}
    for folder in folders.values():
        folder.mkdir(parents=True)
    json_files, yaml_files, first, size = [], [], "", 0
    for number in range(count):
        file_name, text = variant(templates[number % len(templates)], number)
        stem = file_name.removesuffix(".md")
        tree = document_tree(text)
        (folders["md"] / file_name).write_text(text, encoding="utf-8")
        (folders["json"] / f"{stem}.json").write_text(
            json.dumps(tree, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        yaml_text = "---\n" + "\n".join(to_yaml(tree)) + "\n"
        (folders["yaml"] / f"{stem}.yaml").write_text(yaml_text, encoding="utf-8")
        json_files.append(f"json/{stem}.json")
        yaml_files.append(f"yaml/{stem}.yaml")
        size += len(text.encode())
        first = first or f"md/{file_name}"
    return Corpus(base, "md", json_files, yaml_files, first, size)


# --------------------------------------------------------------------------------------
# Running and timing processes
# --------------------------------------------------------------------------------------


def find_tool(name: str) -> str | None:
    """A command from this interpreter's bin folder (the venv), else from PATH."""
    local = Path(sys.executable).parent / name
    if local.is_file() and os.access(local, os.X_OK):
        return str(local)
    return shutil.which(name)


def batches(command: list[str], files: list[str]) -> list[list[str]]:
    """``command`` + files, split (like xargs) when the argument list would be too long."""
    try:
        limit = int(os.sysconf("SC_ARG_MAX")) // 4  # room for the environment
    except (ValueError, OSError):
        limit = 32_000
    base = sum(len(part) + 1 for part in command)
    result: list[list[str]] = []
    current: list[str] = []
    length = base
    for file in files:
        if current and length + len(file) + 1 > limit:
            result.append(command + current)
            current, length = [], base
        current.append(file)
        length += len(file) + 1
    result.append(command + current)
    return result


def _wait(process: subprocess.Popen[bytes]) -> tuple[int, Any]:
    """Wait for ``process`` (started in its own session); on an interruption, stop it and
    the workers it started, then let the interruption go on."""
    try:
        _, status, usage = os.wait4(process.pid, 0)
    except BaseException:
        with contextlib.suppress(OSError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        raise
    return status, usage


@dataclass(frozen=True)
class Sample:
    wall: float  # seconds
    cpu: float  # user + system seconds of the process and its waited-for children
    max_rss_kb: int  # the largest single process's maximum resident set
    returncode: int
    output: str


def run_once(commands: list[list[str]], cwd: Path, env: dict[str, str]) -> Sample:
    """Run the commands one after another; wall time from the first start to the last exit."""
    wall = cpu = 0.0
    rss = returncode = 0
    output: list[str] = []
    with tempfile.TemporaryFile() as log:
        for command in commands:
            start = time.perf_counter()
            process = subprocess.Popen(
                command,
                cwd=cwd,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                start_new_session=True,
            )
            status, usage = _wait(process)
            wall += time.perf_counter() - start
            process.returncode = os.waitstatus_to_exitcode(status)
            cpu += usage.ru_utime + usage.ru_stime
            rss = max(rss, usage.ru_maxrss)
            returncode = returncode or process.returncode
        log.seek(0)
        output.append(log.read(4000).decode("utf-8", "replace"))
    return Sample(wall, cpu, rss, returncode, "".join(output))


@dataclass
class Tool:
    label: str
    commands: list[list[str]]
    persona_lint: bool
    note: str = ""
    samples: list[Sample] = field(default_factory=list)

    def median(self) -> float:
        return statistics.median(s.wall for s in self.samples)


def measure(tools: list[Tool], repeat: int, budget: float, cwd: Path, env: dict[str, str]) -> None:
    """``repeat`` runs of each tool, alternating, the order rotating on each repetition;
    a tool whose runs at this size have taken more than ``budget`` seconds stops early."""
    spent = {tool.label: 0.0 for tool in tools}
    for repetition in range(repeat):
        shift = repetition % len(tools)
        for tool in tools[shift:] + tools[:shift]:
            if tool.samples and spent[tool.label] > budget:
                continue
            sample = run_once(tool.commands, cwd, env)
            spent[tool.label] += sample.wall
            if sample.returncode != 0 and not any(s.returncode for s in tool.samples):
                first = "\n    ".join(sample.output.strip().splitlines()[:5])
                print(f"  note: {tool.label} exited {sample.returncode}:\n    {first}")
            tool.samples.append(sample)


# --------------------------------------------------------------------------------------
# Memory of a process tree
# --------------------------------------------------------------------------------------


def _descendants(root: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", encoding="utf-8") as handle:
                ppid = int(handle.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry.name))
    tree, stack = {root}, [root]
    while stack:
        for child in children.get(stack.pop(), []):
            tree.add(child)
            stack.append(child)
    return tree


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


@dataclass(frozen=True)
class Memory:
    max_rss_kb: int  # the largest single process (wait4)
    tree_pss_kb: int  # the process tree's peak proportional set size (sampled), 0: unknown
    processes: int  # the most processes seen at once
    wall: float


def measure_memory(command: list[str], cwd: Path, env: dict[str, str]) -> Memory:
    peak = [0, 0]
    done = threading.Event()
    start = time.perf_counter()
    process = subprocess.Popen(
        command,
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )

    def sample() -> None:
        while not done.is_set():
            tree = _descendants(process.pid)
            peak[0] = max(peak[0], sum(_pss_kb(pid) for pid in tree))
            peak[1] = max(peak[1], len(tree))
            done.wait(0.005)

    sampler = threading.Thread(target=sample, daemon=True)
    if Path("/proc/self/smaps_rollup").exists():
        sampler.start()
    try:
        status, usage = _wait(process)
    finally:
        done.set()
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if sampler.is_alive():
        sampler.join()
    return Memory(usage.ru_maxrss, peak[0], peak[1], wall)


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
