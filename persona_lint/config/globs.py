"""The globs of the configuration (``exclude``, ``per-file-ignores``...), matched in linear time.

A glob is matched against a POSIX path relative to the folder of the configuration file
that defines it:

- ``*`` matches any run of characters but ``/``, ``?`` one character but ``/``;
- ``[...]`` matches one character of a set, as in a regular expression (``a-z`` ranges;
  ``[!...]`` or ``[^...]`` negated); a ``[`` without its ``]``, an empty ``[]`` and an empty
  negated ``[!]`` are bad globs;
- ``**/`` matches any number of whole folders, none included; ``**`` elsewhere matches any
  run of characters, ``/`` included;
- every other character matches itself; a glob is at most :data:`MAX_GLOB_LENGTH`
  characters long;
- a pattern without ``/`` (trailing slashes aside) matches a file or folder name at any
  depth; a pattern with one is anchored at the configuration file's folder, and its leading
  and trailing slashes are ignored;
- a pattern that matches a folder matches everything inside it.

Why not a regular expression: Python's ``re`` backtracks, and a translated pattern such as
``a*a*a*a*a*a*b`` costs it time that grows with the name's length to the power of the number
of ``*`` (a minute for one long name). Here a pattern is a small automaton, and matching
follows every position the pattern could be at, all at once, one character at a time; the
positions are the bits of one integer, so each character costs a few integer operations
whatever the pattern holds, and a path costs time linear in its length. (Unlike ``.`` in a
regular expression, nothing here stops at a line break: a name may hold one.)
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple, TypeAlias, TypeVar

# One character of the path is tested by one of these.
Test = Callable[[str], object]


def _not_slash(char: str) -> bool:
    return char != "/"


def _any(char: str) -> bool:
    return True


_SLASH: Test = "/".__eq__


class _One(NamedTuple):
    """One character that passes ``test``: ``?`` or a ``[...]`` set."""

    test: Test


class _Run(NamedTuple):
    """Any run of characters that pass ``test``: ``*``, or ``**`` not followed by ``/``."""

    test: Test


class _Folders:
    """``**/``: nothing, or any run of characters that ends with ``/``."""


_FOLDERS = _Folders()

# A pattern is a list of tokens; a plain character is a token of its own.
Token: TypeAlias = str | _One | _Run | _Folders


def _class_test(body: str) -> Test:
    """The test of one ``[...]`` set, whose ``body`` is between the brackets."""
    if not body:
        raise ValueError("empty '[]' in glob")
    if body[0] == "!":
        body = "^" + body[1:]
    if body == "^":
        raise ValueError("empty '[!]' in glob")
    # One character against one set: a regular expression cannot backtrack here.
    try:
        return re.compile("[" + body.replace("\\", "\\\\") + "]").match
    except re.error as exc:  # a bad range such as [z-a]
        raise ValueError(str(exc)) from None


def _tokens(pattern: str) -> list[Token]:
    tokens: list[Token] = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            tokens.append(_FOLDERS)
            i += 3
            continue
        if pattern.startswith("**", i):
            tokens.append(_Run(_any))
            i += 2
            continue
        char = pattern[i]
        if char == "*":
            tokens.append(_Run(_not_slash))
        elif char == "?":
            tokens.append(_One(_not_slash))
        elif char == "[":
            end = pattern.find("]", i + 1)
            if end < 0:
                raise ValueError("unclosed '[' in glob")
            tokens.append(_One(_class_test(pattern[i + 1 : end])))
            i = end
        else:
            tokens.append(char)
        i += 1
    return tokens


class _Automaton:
    """A nondeterministic automaton that moves all its states at once, by integer operations.

    Its states are laid out in a row, so that a set of states is a bit set (bit ``i`` for
    state ``i``) and one step moves all of them with a few operations on integers (the
    "shift-and" method).

    From state ``i``, a character may move to ``i + 1`` (``advance``: a plain character,
    ``?``, a set) or stay (``loops``: the runs ``*`` and ``**``). Reaching the first state
    of a ``**/`` (in ``free``) also reaches the two after it without reading a character:
    the folders' loop, and the rest of the pattern (no folder at all); from the loop, a
    ``/`` moves on to the rest.
    """

    def __init__(self, tokens: Sequence[Token]) -> None:
        self.advance: list[Test | None] = []
        self.loops: list[list[Test]] = []
        self.free = 0

        def new_state() -> int:
            self.advance.append(None)
            self.loops.append([])
            return len(self.advance) - 1

        state = new_state()
        for token in tokens:
            if isinstance(token, _Run):
                self.loops[state].append(token.test)
                continue
            if isinstance(token, _Folders):
                self.free |= 1 << state
                inside = new_state()  # somewhere in the folders, before the / that ends them
                self.loops[inside].append(_any)
                self.advance[inside] = _SLASH
            else:
                self.advance[state] = token.__eq__ if isinstance(token, str) else token.test
            state = new_state()
        # Whatever lies below a match: nothing, or "/" and anything.
        self.advance[state] = _SLASH
        below = new_state()
        self.loops[below].append(_any)
        self.accepting = 1 << state | 1 << below
        self.start = self._closure(1)

    def _closure(self, states: int) -> int:
        while True:
            entries = states & self.free
            grown = states | entries << 1 | entries << 2
            if grown == states:
                return states
            states = grown

    def masks(self, char: str) -> tuple[int, int]:
        """The states that ``char`` advances from, and those it loops on."""
        advance = loops = 0
        for state, test in enumerate(self.advance):
            if test is not None and test(char):
                advance |= 1 << state
            if any(loop(char) for loop in self.loops[state]):
                loops |= 1 << state
        return advance, loops

    def step(self, states: int, masks: tuple[int, int]) -> int:
        """The states after reading a character (its ``masks``) in any of ``states``."""
        advance, loops = masks
        return self._closure((states & advance) << 1 | (states & loops))


# Masks and steps already computed, by automaton: a folder walk matches the same patterns
# against paths that share most of their characters. Each is bounded for the whole
# process, whatever the number of patterns.
_MASKS: dict[tuple[_Automaton, str], tuple[int, int]] = {}
_STEPS: dict[tuple[_Automaton, int, str], int] = {}
_KEPT = 1 << 16
_Key = TypeVar("_Key")
_Value = TypeVar("_Value")


def _remember(memo: dict[_Key, _Value], key: _Key, value: _Value) -> _Value:
    if len(memo) >= _KEPT:
        memo.clear()
    memo[key] = value
    return value


def _masks(automaton: _Automaton, char: str) -> tuple[int, int]:
    found = _MASKS.get((automaton, char))
    return found or _remember(_MASKS, (automaton, char), automaton.masks(char))


# The longest glob: real ones are a few dozen characters, and matching costs time in
# proportion to the pattern's length for every character of every path.
MAX_GLOB_LENGTH = 256


class GlobPattern:
    """One compiled glob; :meth:`matches` takes a relative POSIX path."""

    def __init__(self, pattern: str) -> None:
        """Compile ``pattern``; ValueError, saying why, for a bad glob."""
        if len(pattern) > MAX_GLOB_LENGTH:
            raise ValueError(f"longer than {MAX_GLOB_LENGTH:,} characters")
        tokens: list[Token] = []
        for token in _tokens(pattern):
            if not (isinstance(token, _Folders) and tokens and isinstance(tokens[-1], _Folders)):
                tokens.append(token)  # **/**/ means what **/ means
        anywhere = "/" not in pattern.rstrip("/")
        while tokens and tokens[-1] == "/":
            tokens.pop()
        while not anywhere and tokens and tokens[0] == "/":
            tokens.pop(0)
        # A pattern of plain characters (``node_modules``) is compared as text.
        characters = [token for token in tokens if isinstance(token, str)]
        self._literal = "".join(characters) if len(characters) == len(tokens) else None
        self._anywhere = anywhere
        if anywhere and not (tokens and isinstance(tokens[0], _Folders)):
            tokens.insert(0, _FOLDERS)
        self._automaton = _Automaton(tokens)

    def matches(self, path: str) -> bool:
        """Whether the glob matches ``path`` (relative, POSIX; ``.`` is the folder itself)."""
        if self._literal is not None:
            return self._matches_text(path, self._literal)
        automaton = self._automaton
        states = automaton.start
        for char in path:
            key = (automaton, states, char)
            after = _STEPS.get(key)
            if after is None:
                after = _remember(_STEPS, key, automaton.step(states, _masks(automaton, char)))
            if not after:
                return False
            states = after
        return bool(states & automaton.accepting)

    def _matches_text(self, path: str, text: str) -> bool:
        if path == text or path.startswith(text + "/"):
            return True
        return self._anywhere and (path.endswith("/" + text) or f"/{text}/" in path)


@lru_cache(maxsize=1024)
def compile_glob(pattern: str) -> GlobPattern:
    """The compiled glob (cached: the language server reloads the same configuration)."""
    return GlobPattern(pattern)


class Glob(NamedTuple):
    """A glob of a configuration file, rooted at the folder of the file that defines it.

    Attributes:
        pattern: The glob as written, for messages and ``persona-lint config``.
        compiled: The compiled glob.
        root: The absolute folder the glob is relative to.
    """

    pattern: str
    compiled: GlobPattern
    root: Path

    def matches(self, path: Path) -> bool:
        """Whether the glob matches ``path`` (relative to the working directory, or absolute)."""
        return self.matches_absolute(absolute_posix(path))

    def matches_absolute(self, absolute: str) -> bool:
        """:meth:`matches` for a path already made absolute by :func:`absolute_posix`."""
        prefix = str(self.root).rstrip("/") + "/"
        if absolute == prefix[:-1]:
            return self.compiled.matches(".")
        return absolute.startswith(prefix) and self.compiled.matches(absolute[len(prefix) :])


def absolute_posix(path: Path, cwd: str | None = None) -> str:
    """``path.absolute().as_posix()`` without building Path objects (it runs for every file).

    Args:
        path: The path, absolute or relative to the working directory.
        cwd: The working directory, when the caller already knows it.
    """
    text = str(path)
    if text.startswith("/"):
        return text
    cwd = cwd if cwd is not None else os.getcwd()
    return cwd if text == "." else os.path.join(cwd, text)
