r"""Whole-string regular expression matching in time linear in the text, for ``pattern`` rules.

A pull request writes the configuration, and Python's ``re`` backtracks: ``(a|a)*b`` or
``\s*\s*\s*x`` against a long text takes exponential or polynomial time. A ``pattern``
only asks whether a whole value matches, so :func:`full_match` needs no backtracking: the
expression (parsed by Python's own parser, so the syntax and character classes are ``re``'s)
becomes an automaton of at most :data:`MAX_STATES` states, and the text is read once,
character by character, keeping the set of states it may be in (Thompson's construction,
with the sets met memoised: at most :data:`MAX_MEMO` of them kept).

What an automaton cannot do is refused when the configuration is read
(:class:`PatternRefused`): back-references, look-ahead and look-behind, atomic groups and
possessive repeats, conditionals, word boundaries and inline flags. Greedy and lazy repeats
match the same whole strings, so both are accepted. ``^`` and ``$`` (and ``\A``, ``\Z``)
only hold at the ends of the value.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

if sys.version_info >= (3, 11):
    from re import _parser as sre_parse
else:  # pragma: no cover - Python 3.10
    import sre_parse

MAX_PATTERN_LENGTH = 256
MAX_STATES = 256
MAX_MEMO = 4096

CharTest = Callable[[str], bool]
_CATEGORIES: dict[str, CharTest] = {
    "CATEGORY_DIGIT": str.isdecimal,
    "CATEGORY_NOT_DIGIT": lambda ch: not ch.isdecimal(),
    "CATEGORY_SPACE": str.isspace,
    "CATEGORY_NOT_SPACE": lambda ch: not ch.isspace(),
    "CATEGORY_WORD": lambda ch: ch.isalnum() or ch == "_",
    "CATEGORY_NOT_WORD": lambda ch: not (ch.isalnum() or ch == "_"),
}
_BEGIN = frozenset({"AT_BEGINNING", "AT_BEGINNING_STRING"})
_END = frozenset({"AT_END", "AT_END_STRING"})


class PatternRefused(ValueError):
    """A pattern that cannot be matched in linear time, or is not a valid expression."""


@dataclass
class _State:
    """One state: a character test and its successor, or empty moves (``jumps``).

    ``anchor``: ``begin`` or ``end`` for a move allowed only at that end of the text.
    """

    test: CharTest | None = None
    jumps: list[int] = field(default_factory=list)
    anchor: str = ""


class _Automaton:
    """The states of one pattern; state 0 accepts."""

    def __init__(self) -> None:
        self.states: list[_State] = [_State()]

    def add(self, state: _State) -> int:
        if len(self.states) >= MAX_STATES:
            raise PatternRefused(f"needs more than {MAX_STATES} states (repeat counts too large)")
        self.states.append(state)
        return len(self.states) - 1

    def sequence(self, items: Any, after: int) -> int:
        """The first state of ``items`` (parsed), continuing at state ``after``."""
        for op, value in reversed(list(items)):
            after = self.item(str(op), value, after)
        return after

    def item(self, op: str, value: Any, after: int) -> int:
        if op in ("LITERAL", "NOT_LITERAL", "ANY", "IN"):
            return self.add(_State(_char_test(op, value), [after]))
        if op == "BRANCH":
            return self.add(_State(jumps=[self.sequence(b, after) for b in value[1]]))
        if op == "SUBPATTERN":
            _group, add_flags, del_flags, body = value
            if add_flags or del_flags:
                raise PatternRefused("inline flags are not supported")
            return self.sequence(body, after)
        if op in ("MAX_REPEAT", "MIN_REPEAT"):
            return self.repeat(*value, after=after)
        if op == "AT" and str(value) in _BEGIN | _END:
            return self.add(
                _State(jumps=[after], anchor="begin" if str(value) in _BEGIN else "end")
            )
        raise PatternRefused(f"{op.lower().replace('_', ' ')} cannot be matched in linear time")

    def repeat(self, least: int, most: int, body: Any, *, after: int) -> int:
        if most == sre_parse.MAXREPEAT:
            loop = self.add(_State())  # its jumps need its own number: set once made
            self.states[loop].jumps = [self.sequence(body, loop), after]
            start = loop
        else:
            start = after
            for _ in range(most - least):  # each optional copy may be skipped
                start = self.add(_State(jumps=[self.sequence(body, start), start]))
        for _ in range(least):
            start = self.sequence(body, start)
        return start


def _char_test(op: str, value: Any) -> CharTest:
    """The test of one character for a literal, ``.``, or a class ``[...]``."""
    if op == "LITERAL":
        return chr(value).__eq__
    if op == "NOT_LITERAL":
        return chr(value).__ne__
    if op == "ANY":
        return "\n".__ne__
    tests: list[CharTest] = []
    negate = False
    for part, argument in value:
        kind = str(part)
        if kind == "NEGATE":
            negate = True
        elif kind == "LITERAL":
            tests.append(chr(argument).__eq__)
        elif kind == "RANGE":
            tests.append(_in_range(chr(argument[0]), chr(argument[1])))
        elif kind == "CATEGORY" and str(argument) in _CATEGORIES:
            tests.append(_CATEGORIES[str(argument)])
        else:
            raise PatternRefused(f"{kind.lower()} in a character class is not supported")
    return lambda ch: any(test(ch) for test in tests) != negate


def _in_range(low: str, high: str) -> CharTest:
    """The test of a range of characters ``[low-high]``."""
    return lambda ch: low <= ch <= high


class _Matcher:
    """A compiled pattern: its automaton and the memo of moves between sets of states."""

    def __init__(self, automaton: _Automaton, start: int) -> None:
        self.states = automaton.states
        self.start = self._closure({start}, begin=True, end=False)
        self.memo: dict[tuple[frozenset[int], str], frozenset[int]] = {}

    def _closure(self, found: set[int], *, begin: bool, end: bool) -> frozenset[int]:
        """Every state reachable from ``found`` by empty moves allowed here."""
        stack = list(found)
        reached = set(found)
        while stack:
            state = self.states[stack.pop()]
            if state.test is not None or (state.anchor == "begin" and not begin):
                continue
            if state.anchor == "end" and not end:
                continue
            for target in state.jumps:
                if target not in reached:
                    reached.add(target)
                    stack.append(target)
        return frozenset(reached)

    def step(self, current: frozenset[int], char: str) -> frozenset[int]:
        key = (current, char)
        found = self.memo.get(key)
        if found is None:
            moved = {
                state.jumps[0]
                for index in current
                for state in [self.states[index]]
                if state.test is not None and state.test(char)
            }
            if len(self.memo) >= MAX_MEMO:
                self.memo.clear()
            found = self.memo[key] = self._closure(moved, begin=False, end=False)
        return found

    def matches(self, text: str) -> bool:
        current = self.start
        for char in text:
            current = self.step(current, char)
            if not current:
                return False
        end = self._closure(set(current), begin=not text, end=True)
        return 0 in end


@lru_cache(maxsize=64)
def compile_pattern(pattern: str) -> _Matcher:
    """The matcher of ``pattern``, or :class:`PatternRefused` saying why not."""
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise PatternRefused(f"longer than {MAX_PATTERN_LENGTH} characters")
    try:
        re.compile(pattern)
        parsed = sre_parse.parse(pattern)
    except (re.error, RecursionError, OverflowError) as exc:
        raise PatternRefused(f"not a regular expression: {exc}") from None
    if parsed.state.flags & ~re.UNICODE:
        raise PatternRefused("inline flags are not supported")
    automaton = _Automaton()
    return _Matcher(automaton, automaton.sequence(parsed, 0))


def full_match(pattern: str, text: str) -> bool:
    """Whether all of ``text`` matches ``pattern`` (compiled once), in linear time."""
    return compile_pattern(pattern).matches(text)
