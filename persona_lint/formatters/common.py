"""What several machine formats share.

Paths as URIs, rule lookup, source lines, the JSON shape of a diagnostic and the stable
fingerprint of a finding.
"""

from __future__ import annotations

import enum
import hashlib
import math
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from urllib.parse import quote

from persona_lint import __version__
from persona_lint.diagnostics import Diagnostic
from persona_lint.formatters import Report
from persona_lint.formatters.escape import json_path, json_text
from persona_lint.rules import get_rule

TOOL_NAME = "persona-lint"
TOOL_VERSION = __version__
PROJECT_URL = "https://github.com/persona-lint/persona-lint"

JsonValue = object


def posix_path(path: str) -> str:
    """The path as given, with ``/`` separators and no leading ``./``."""
    if os.sep != "/":
        path = path.replace(os.sep, "/")
    while path.startswith("./"):
        path = path[2:].lstrip("/")
    return path


def artifact_uri(path: str) -> str:
    """Return a URI for ``path``.

    A relative reference for a relative path (resolved by SARIF consumers against the
    checkout), a ``file://`` URI for an absolute one.
    """
    # ``quote`` keeps only unreserved characters and "/": a ":" in the first segment
    # would otherwise read as a URI scheme, a "%" or "#" as an escape or a fragment. It
    # quotes the name's bytes (os.fsencode), so a name that is not UTF-8 stays exact.
    if os.path.isabs(path):
        if os.sep != "/":
            return Path(path).as_uri()
        return "file://" + quote(os.fsencode(path), safe="/")
    return quote(os.fsencode(posix_path(path)), safe="/")


def rule_name(code: str) -> str | None:
    """Return the name of the rule ``code`` (None for a code no rule has)."""
    rule = get_rule(code)
    return rule.name if rule is not None else None


def rule_uri(code: str) -> str | None:
    """Return the address of the rule's documentation (None for a code no rule has)."""
    rule = get_rule(code)
    return rule.help_uri if rule is not None else None


def source_lines(report: Report) -> dict[str, tuple[str, ...]]:
    """The Markdown lines of every linted file, by path."""
    return {r.path: r.lines for r in report.results if r.lines}


def source_line(lines: tuple[str, ...] | None, number: int) -> str | None:
    """Return the 1-based line ``number`` of ``lines`` (None when there is no such line)."""
    if lines is None or not 1 <= number <= len(lines):
        return None
    return lines[number - 1]


def to_json(value: object) -> JsonValue:
    """``value`` as plain JSON data: mappings, sequences, strings, finite numbers, null.

    Rules attach structured data (such as a parsed metric) as tuples of pairs, enums
    and dataclass-like objects with ``to_dict``; non-finite floats have no JSON form.
    """
    if isinstance(value, str):
        return json_text(value)
    if value is None or isinstance(value, (bool, int)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, enum.Enum):
        return to_json(value.value)
    if isinstance(value, Mapping):
        return {str(key): to_json(item) for key, item in value.items()}
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):
        return to_json(to_dict())
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=repr) if isinstance(value, (set, frozenset)) else value
        return [to_json(item) for item in items]
    return str(value)


def data_object(data: tuple[tuple[str, object], ...]) -> dict[str, JsonValue]:
    """Return a diagnostic's data (key, value pairs) as a JSON object."""
    return {str(key): to_json(value) for key, value in data}


def diagnostic_json(diagnostic: Diagnostic) -> dict[str, JsonValue]:
    """One diagnostic as the ``json`` and ``json-lines`` formats write it (version 1)."""
    start = {"line": diagnostic.line, "column": diagnostic.column}
    end = None
    if diagnostic.end is not None:
        end = {"line": diagnostic.end[0], "column": diagnostic.end[1]}
    out: dict[str, JsonValue] = {
        "path": json_path(diagnostic.path),
        "range": {"start": start, "end": end},
        "code": diagnostic.code,
        "name": rule_name(diagnostic.code),
        "severity": str(diagnostic.severity),
        "message": json_text(diagnostic.message),
        "url": rule_uri(diagnostic.code),
    }
    if diagnostic.data is not None:
        out["data"] = data_object(diagnostic.data)
    return out


def fingerprints(report: Report) -> Iterator[tuple[Diagnostic, str]]:
    """Each diagnostic with a fingerprint that survives edits elsewhere in the file.

    The fingerprint hashes the path, the code, the offending line's stripped text and the
    occurrence index of that (code, text) pair in the file, but no line number: inserting
    or removing lines above a finding keeps it, fixing the line or renaming the file
    changes it, and two findings on identical lines stay distinct. A finding at 1:1
    without a range is about the whole file (its name, its encoding, its size: rules
    report those there), so its line's text is left out too.
    """
    lines = source_lines(report)
    seen: dict[tuple[str, str, str], int] = {}
    # Each line is stripped, and each (path, code, text) hashed, once: a long line with
    # many findings costs its length once, not once per finding.
    stripped: dict[tuple[str, int], str] = {}
    prefixes: dict[tuple[str, str, str], hashlib._Hash] = {}
    for diagnostic in report.diagnostics:
        path = posix_path(diagnostic.path)
        text = ""
        if not _about_the_file(diagnostic):
            place = (diagnostic.path, diagnostic.line)
            if place not in stripped:
                line = source_line(lines.get(diagnostic.path), diagnostic.line)
                stripped[place] = (line or "").strip()
            text = stripped[place]
        key = (path, diagnostic.code, text)
        index = seen.get(key, 0)
        seen[key] = index + 1
        prefix = prefixes.get(key)
        if prefix is None:
            # The material is "\0".join((path, code, text, str(index))).
            material = "\0".join((path, diagnostic.code, text, ""))
            prefix = prefixes[key] = hashlib.sha256(material.encode("utf-8", "surrogatepass"))
        digest = prefix.copy()
        digest.update(str(index).encode("ascii"))
        yield diagnostic, digest.hexdigest()


def _about_the_file(diagnostic: Diagnostic) -> bool:
    at_start = diagnostic.line == 1 and diagnostic.column == 1
    return at_start and diagnostic.end_line is None and diagnostic.end_column is None
