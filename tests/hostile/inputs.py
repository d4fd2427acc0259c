"""Pathological inputs, made on demand (never committed): shared by the hardening tests and
benchmarks/bench_hostile.py.

Each input is the canonical persona with something hostile added or put inside it, so the
whole pipeline runs (Markdown, XML, schemas, every rule), kept at or under the default
max-file-size so that it is parsed rather than refused.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from persona_lint.config.settings import DEFAULT_MAX_FILE_SIZE

ROOT = Path(__file__).resolve().parents[2]
CANONICAL = (ROOT / "personas" / "backend-engineer.md").read_text(encoding="utf-8")
FIRST_GATE = "<gate>Database schema and transaction integrity</gate>"
# The size the "limit" inputs fill; the benchmark can shrink it to show what a lower
# max-file-size would bound.
LIMIT = int(os.environ.get("PERSONA_LINT_BENCH_LIMIT", DEFAULT_MAX_FILE_SIZE))


SUPPRESSION = "<!-- persona-lint: disable-next-line PL305 -->\n"


def appended(tail: str) -> str:
    """The canonical persona followed by ``tail``."""
    return CANONICAL + "\n" + tail


def inside(find: str, replace: str) -> str:
    assert find in CANONICAL, find
    return CANONICAL.replace(find, replace, 1)


def room(unit: str, reserve: str = CANONICAL) -> int:
    """How many copies of ``unit`` fit beside ``reserve`` under the default size limit."""
    spare = LIMIT - len(reserve.encode("utf-8")) - 200
    return spare // len(unit.encode("utf-8"))


@dataclass(frozen=True)
class Hostile:
    name: str
    make: Callable[[], str]
    # "markdown": the pathological Markdown of issue 9, which must stay well under a
    # second; "xml": hostile XML; "limit": the most expensive shapes found, whose cost
    # grows linearly with their size, so max-file-size bounds it (see the benchmark).
    kind: str


def _nested_lists() -> str:
    lines, size, depth = [], 0, 0
    while size < LIMIT - len(CANONICAL) - 4000:
        line = "  " * depth + "- a\n"
        lines.append(line)
        size += len(line)
        depth += 1
    return appended("".join(lines))


def _quote_staircase() -> str:
    lines, size, depth = [], 0, 1
    while size < LIMIT - len(CANONICAL) - 4000:
        line = ">" * depth + " a\n"
        lines.append(line)
        size += len(line)
        depth += 1
    return appended("".join(lines))


def _billion_laughs() -> str:
    entities = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">'
        for i in range(1, 10)
    ]
    doctype = "<!DOCTYPE persona_context [\n" + "\n".join(entities) + "\n]>"
    return inside("```xml\n<persona_context", f"```xml\n{doctype}\n<persona_context").replace(
        "<name>Backend Engineer</name>", "<name>&lol9;</name>", 1
    )


def _quadratic_blowup() -> str:
    doctype = '<!DOCTYPE persona_context [<!ENTITY a "' + "x" * 50_000 + '">]>'
    return inside("```xml\n<persona_context", f"```xml\n{doctype}\n<persona_context").replace(
        "<name>Backend Engineer</name>", "<name>" + "&a;" * 10_000 + "</name>", 1
    )


_ATTRIBUTES = "<metric " + " ".join(f'b{i}="x"' for i in range(250)) + ">x</metric>"


HOSTILE: tuple[Hostile, ...] = (
    Hostile("100,000 nested >", lambda: appended(">" * 100_000 + " a\n"), "markdown"),
    Hostile("200,000 [", lambda: appended("[" * 200_000 + "\n"), "markdown"),
    Hostile("a megabyte of *a", lambda: appended("*a" * room("*a")), "markdown"),
    Hostile("100,000 backticks", lambda: appended("`" * 100_000 + "\n"), "markdown"),
    Hostile("fence lines", lambda: appended("```\n" * room("```\n")), "limit"),
    Hostile("nested lists, 1000 levels", _nested_lists, "markdown"),
    Hostile("nested list markers", lambda: appended("- " * room("- ") + "a\n"), "limit"),
    Hostile("blockquote staircase", _quote_staircase, "markdown"),
    Hostile(
        "10,000-deep XML",
        lambda: inside("<name>Backend Engineer</name>", "<a>" * 10_000 + "</a>" * 10_000),
        "xml",
    ),
    Hostile("billion laughs", _billion_laughs, "xml"),
    Hostile("quadratic blowup", _quadratic_blowup, "xml"),
    Hostile("200,000 unclosed comments", lambda: appended("```xml\n" + "<!--" * 200_000), "xml"),
    Hostile(
        "a megabyte of &",
        lambda: appended("```xml\n<r>" + "&" * room("&") + "</r>\n```\n"),
        "xml",
    ),
    Hostile(
        "a megabyte of <",
        lambda: appended("```xml\n<r>" + "<" * room("<") + "</r>\n```\n"),
        "xml",
    ),
    Hostile(
        "50,000 attributes",
        lambda: inside(
            'active="backend-engineer"',
            'active="backend-engineer" ' + " ".join(f"a{i}='x'" for i in range(50_000)),
        ),
        "xml",
    ),
    Hostile(
        "duplicate gates",
        lambda: inside(FIRST_GATE, "<gate>x</gate>\n" * room("<gate>x</gate>\n")),
        "limit",
    ),
    Hostile(
        "elements",
        lambda: appended("```xml\n<r>\n" + "<a>x</a>\n" * room("<a>x</a>\n") + "</r>\n```\n"),
        "limit",
    ),
    Hostile("headings", lambda: appended("# a\n" * room("# a\n")), "limit"),
    Hostile(
        "table rows",
        lambda: appended(
            "| v | a | b |\n|---|---|---|\n" + "| 1 | 2 | 3 |\n" * room("| 1 | 2 | 3 |\n")
        ),
        "limit",
    ),
    Hostile("short lines", lambda: appended("x\n" * room("x\n")), "limit"),
    Hostile("blank lines", lambda: appended("\n" * room("\n")), "limit"),
    # The costliest shapes of issue 15's finding 14, each filled to the size limit.
    Hostile(
        "empty children of success_metrics",
        lambda: inside("<success_metrics>", "<success_metrics>" + "<a/>" * room("<a/>")),
        "limit",
    ),
    Hostile(
        "60-deep nests repeated",
        lambda: inside(
            "<success_metrics>",
            "<success_metrics>" + ("<a>" * 60 + "</a>" * 60) * room("<a>" * 60 + "</a>" * 60),
        ),
        "limit",
    ),
    Hostile(
        "attribute-heavy elements",
        lambda: inside(
            "<success_metrics>",
            "<success_metrics>" + _ATTRIBUTES * room(_ATTRIBUTES),
        ),
        "limit",
    ),
    Hostile(
        "tiny fences",
        lambda: appended("```xml\n<a/>\n```\n" * room("```xml\n<a/>\n```\n")),
        "limit",
    ),
    Hostile(
        "suppression comments",
        lambda: appended(SUPPRESSION * room(SUPPRESSION)),
        "limit",
    ),
)
