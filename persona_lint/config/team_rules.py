"""Reading a team's own rules: ``[[rules]]`` entries, and the ``plugins`` to load.

Each ``[[rules]]`` entry becomes a :class:`~persona_lint.rules.configured.ConfiguredRule`;
anything wrong (an unknown or missing key, a code that is persona-lint's or another rule's,
an XPath or a pattern that cannot be evaluated within the caps) is a :class:`ConfigError`
naming the file and the line of the entry's key. A configuration holds at most
:data:`MAX_RULES` rules. Each plugin is loaded by :mod:`persona_lint.plugins`; one that
cannot be is a :class:`ConfigError` at the ``plugins`` line.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from persona_lint.config.errors import ConfigError, did_you_mean, quoted
from persona_lint.config.readers import read_strings
from persona_lint.diagnostics import Severity
from persona_lint.plugins import Plugin, PluginError, load, plugins_disabled, refused_local
from persona_lint.rules.configured import BLOCK_ALIASES, CONDITIONS, ConfiguredRule, as_rule
from persona_lint.rules.linear_regex import PatternRefused, compile_pattern
from persona_lint.rules.registry import (
    BUILT_IN_PREFIXES,
    CODE_SHAPE,
    describe_configured,
    forget_configured,
)
from persona_lint.rules.xpath import XPathRefused, compile_xpath

if TYPE_CHECKING:
    from persona_lint.config.readers import Source
    from persona_lint.config.toml_lines import KeyPath

MAX_RULES = 32
MAX_TEXT = 500  # characters of a message or summary
REQUIRED = ("code", "name", "message", "block", "given", "then")
OPTIONAL = ("severity", "summary", "min", "max", "pattern", "values", "attribute")
# The keys that only some conditions take.
ONLY_FOR = {
    "min": ("count", "length"),
    "max": ("count", "length"),
    "pattern": ("pattern",),
    "values": ("enum",),
}
_NAME = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
_XML_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")


def read_plugins(source: Source, at: KeyPath, value: Any) -> tuple[Plugin, ...]:
    """The ``plugins`` list, each loaded (none under ``--no-plugins``)."""
    names = read_strings(source, at, value)
    if plugins_disabled():
        source.plugins_skipped = bool(names)
        return ()
    refused = next(filter(None, map(refused_local, names)), None)
    if refused is not None:
        raise source.fail(at, refused)
    try:
        return tuple(load(name, source.root) for name in dict.fromkeys(names))
    except PluginError as exc:
        raise source.fail(at, str(exc)) from None


def read_team_rules(source: Source, at: KeyPath, value: Any) -> tuple[ConfiguredRule, ...]:
    """The ``rules`` array of tables, each entry checked, and described to the registry."""
    if not isinstance(value, list) or not all(isinstance(entry, dict) for entry in value):
        raise source.fail(at, "'rules' must be an array of tables ([[rules]] entries)")
    if len(value) > MAX_RULES:
        raise source.fail(at, f"more than {MAX_RULES} rules in one configuration")
    lines = _EntryLines(source)
    rules = tuple(
        _read_entry(entry, _Place(source, lines, index)) for index, entry in enumerate(value)
    )
    origin = source.file or source.where
    forget_configured(origin)
    codes: set[str] = set()
    for index, rule in enumerate(rules):
        place = _Place(source, lines, index)
        if rule.code in codes:
            raise place.fail("code", f"code {rule.code} is defined twice in this configuration")
        codes.add(rule.code)
        try:
            describe_configured(origin, as_rule(rule))
        except ValueError as exc:
            raise place.fail("code", f"rule {rule.code} ({rule.name}) {exc}") from None
    return rules


class _EntryLines:
    """The line of each ``[[...rules]]`` header of the file, found on the first error."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self._headers: list[int] | None = None

    def header(self, index: int) -> tuple[int, int] | None:
        """The lines from entry ``index``'s header to the next header (None: unknown)."""
        if self._headers is None:
            self._headers = _headers(self.source.text, self.source.table)
        if index >= len(self._headers):
            return None
        following = [n for n in _table_lines(self.source.text) if n > self._headers[index]]
        return self._headers[index], (following[0] if following else 1 << 30)


def _headers(text: str, table: tuple[str, ...]) -> list[int]:
    """The 1-based lines of the ``[[<table>.rules]]`` headers, in order."""
    wanted = ".".join((*table, "rules"))
    found = []
    for number, line in enumerate(text.split("\n"), start=1):
        match = re.match(r"\s*\[\[(.*?)\]\]\s*(?:#.*)?$", line)
        if match and re.sub(r"[\s\"']", "", match.group(1)) == wanted:
            found.append(number)
    return found


def _table_lines(text: str) -> list[int]:
    """The 1-based lines of every table header (``[x]`` or ``[[x]]``)."""
    return [n for n, line in enumerate(text.split("\n"), start=1) if re.match(r"\s*\[", line)]


class _Place:
    """Entry ``index`` of ``rules``, for errors at the line of one of its keys."""

    def __init__(self, source: Source, lines: _EntryLines, index: int) -> None:
        self.source, self.lines, self.index = source, lines, index

    def fail(self, key: str, message: str) -> ConfigError:
        """The error about ``key`` of this entry, at its line (else the entry's, the key's)."""
        where = f"rules[{self.index}]"
        span = self.lines.header(self.index) if self.source.text else None
        if span is None:
            return self.source.fail(("rules",), f"{where}: {message}")
        line = span[0]
        pattern = re.compile(rf"\s*[\"']?{re.escape(key)}[\"']?\s*=")
        for number, text in enumerate(self.source.text.split("\n")[span[0] : span[1] - 1]):
            if pattern.match(text):
                line = span[0] + 1 + number
                break
        return ConfigError(
            f"{self.source.where}:{line}: {where}: {message}", self.source.file, line
        )


def _read_entry(entry: dict[str, Any], place: _Place) -> ConfiguredRule:
    """One entry: every key known, the required ones present, each value checked."""
    for key in entry:
        if key not in REQUIRED and key not in OPTIONAL:
            hint = did_you_mean(key, (*REQUIRED, *OPTIONAL))
            raise place.fail(key, f"unknown key {quoted(key)}{hint}")
    for key in REQUIRED:
        if key not in entry:
            raise place.fail("code", f"missing key {key!r}")
    text = {key: _string(entry, key, place) for key in (*REQUIRED, "severity", "summary")}
    then = text["then"]
    if then not in CONDITIONS:
        raise place.fail("then", f"then = {quoted(then)}; expected one of {', '.join(CONDITIONS)}")
    for key, conditions in ONLY_FOR.items():
        if key in entry and then not in conditions:
            raise place.fail(
                key, f"{key!r} is only for then = {' or '.join(map(repr, conditions))}"
            )
    _check_code_and_name(text["code"], text["name"], place)
    severity = text["severity"] or "error"
    if severity not in ("error", "warning"):
        raise place.fail(
            "severity", f'severity = {quoted(severity)}; expected "error" or "warning"'
        )
    block = text["block"]
    if block not in BLOCK_ALIASES and not _XML_NAME.fullmatch(block):
        raise place.fail(
            "block",
            f'block = {quoted(block)}; expected "persona", "behavior" or a root element\'s name',
        )
    try:
        compile_xpath(text["given"])
    except XPathRefused as exc:
        raise place.fail("given", f"given = {quoted(text['given'])}: {exc}") from None
    return ConfiguredRule(
        code=text["code"],
        name=text["name"],
        severity=Severity(severity),
        message=text["message"],
        block=block,
        given=text["given"],
        then=then,
        minimum=_bound(entry, "min", place),
        maximum=_bound(entry, "max", place),
        pattern=_pattern(entry, then, place),
        values=_values(entry, then, place),
        attribute=_attribute(entry, place),
        summary=text["summary"],
        origin=place.source.file or place.source.where,
    )


def _string(entry: dict[str, Any], key: str, place: _Place) -> str:
    """The non-empty one-line string ``key`` ("" when absent)."""
    value = entry.get(key, "")
    if not isinstance(value, str) or (key in entry and not value.strip()):
        raise place.fail(key, f"{key!r} must be a non-empty string")
    if len(value) > MAX_TEXT or "\n" in value:
        raise place.fail(key, f"{key!r} must be one line of at most {MAX_TEXT} characters")
    return value


def _check_code_and_name(code: str, name: str, place: _Place) -> None:
    """A team's code (letters, not ``PL`` or ``BM``, then digits) and a kebab-case name."""
    if not CODE_SHAPE.fullmatch(code) or code.startswith(BUILT_IN_PREFIXES):
        raise place.fail(
            "code",
            f"code = {quoted(code)}; expected a team's capital letters (not PL or BM) and digits, "
            "such as ACME101",
        )
    if not _NAME.fullmatch(name):
        raise place.fail("name", f"name = {quoted(name)}; expected kebab-case, such as gate-owner")


def _bound(entry: dict[str, Any], key: str, place: _Place) -> int | None:
    """``min`` or ``max``: a whole number, at least 0 (and ``min`` at most ``max``)."""
    value = entry.get(key)
    if value is None:
        if entry["then"] in ("count", "length") and "min" not in entry and "max" not in entry:
            raise place.fail("then", f"then = {entry['then']!r} needs 'min', 'max' or both")
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < 1 << 31:
        raise place.fail(key, f"{key!r} must be a whole number from 0")
    if key == "max" and isinstance(entry.get("min"), int) and entry["min"] > value:
        raise place.fail(key, "'max' is smaller than 'min'")
    return value


def _pattern(entry: dict[str, Any], then: str, place: _Place) -> str | None:
    """``pattern``: required by then = "pattern", and matched in linear time."""
    if then != "pattern":
        return None
    value = entry.get("pattern")
    if not isinstance(value, str):
        raise place.fail(
            "pattern" if "pattern" in entry else "then", "then = 'pattern' needs a string 'pattern'"
        )
    try:
        compile_pattern(value)
    except PatternRefused as exc:
        raise place.fail("pattern", f"pattern = {quoted(value)}: {exc}") from None
    return value


def _values(entry: dict[str, Any], then: str, place: _Place) -> tuple[str, ...]:
    """``values``: the non-empty list of strings that then = "enum" allows."""
    if then != "enum":
        return ()
    value = entry.get("values")
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise place.fail(
            "values" if "values" in entry else "then",
            "then = 'enum' needs 'values', a non-empty list of strings",
        )
    return tuple(value)


def _attribute(entry: dict[str, Any], place: _Place) -> str | None:
    """``attribute``: the name of the attribute whose value is checked."""
    value = entry.get("attribute")
    if value is not None and (not isinstance(value, str) or not _XML_NAME.fullmatch(value)):
        raise place.fail("attribute", "'attribute' must be an attribute's name")
    return value
