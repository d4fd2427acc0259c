"""The globs of the configuration (``exclude``, ``per-file-ignores``...), matched in linear time.

A glob is matched against a POSIX path relative to the folder of the configuration file
that defines it:

- ``*`` matches any run of characters but ``/``, ``?`` one character but ``/``;
- ``[...]`` matches one character of a set, as in a regular expression (``a-z`` ranges;
  ``[!...]`` or ``[^...]`` negated); a ``[`` without its ``]``, an empty ``[]`` and an empty
  negated ``[!]`` are bad globs;
- ``**/`` matches any number of whole folders, none included; ``**`` elsewhere matches any
  run of characters, ``/`` included;
- every other character matches itself;
- a pattern without ``/`` (trailing slashes aside) matches a file or folder name at any
  depth; a pattern with one is anchored at the configuration file's folder, and its leading
  and trailing slashes are ignored;
- a pattern that matches a folder matches everything inside it.

Why not a regular expression: Python's ``re`` backtracks, and a translated pattern such as
``a*a*a*a*a*a*b`` costs it time that grows with the name's length to the power of the number
of ``*`` (a minute for one long name). Here a pattern is a small automaton, and matching
follows every position the pattern could be at, all at once, one character at a time
(Thompson's construction): time proportional to the path's length times the pattern's,
whatever both hold.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import NamedTuple, TypeAlias

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
    return re.compile("[" + body.replace("\\", "\\\\") + "]").match


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
    """A nondeterministic automaton: states are numbers, each with its moves on one
    character (``moves``) and the states it also stands for without reading one
    (``closure``, as a bit set)."""

    def __init__(self, tokens: Sequence[Token]) -> None:
        self.moves: list[list[tuple[Test, int]]] = []
        free: list[list[int]] = []  # moves that read no character

        def new_state() -> int:
            self.moves.append([])
            free.append([])
            return len(self.moves) - 1

        state = new_state()
        for token in tokens:
            if isinstance(token, _Run):
                self.moves[state].append((token.test, state))
                continue
            after = new_state()
            if isinstance(token, _Folders):
                inside = new_state()  # somewhere in the folders, before the / that ends them
                free[state] += [after, inside]
                self.moves[inside] += [(_any, inside), (_SLASH, after)]
            elif isinstance(token, str):
                self.moves[state].append((token.__eq__, after))
            else:
                self.moves[state].append((token.test, after))
            state = after
        # Whatever lies below a match: nothing, or "/" and anything.
        below = new_state()
        self.moves[state].append((_SLASH, below))
        self.moves[below].append((_any, below))
        self.accepting = 1 << state | 1 << below
        self.closure = [self._reach(start, free) for start in range(len(self.moves))]
        self.start = self.closure[0]

    @staticmethod
    def _reach(start: int, free: list[list[int]]) -> int:
        reached, todo = 1 << start, [start]
        while todo:
            for target in free[todo.pop()]:
                if not reached >> target & 1:
                    reached |= 1 << target
                    todo.append(target)
        return reached

    def step(self, states: int, char: str) -> int:
        """The states after reading ``char`` in any of ``states``."""
        after = 0
        for state, moves in enumerate(self.moves):
            if states >> state & 1:
                for test, target in moves:
                    if test(char):
                        after |= self.closure[target]
        return after


# Steps already computed, by (automaton, states, character): a folder walk matches the same
# patterns against paths that share most of their characters. Bounded for the whole
# process, whatever the number of patterns.
_STEPS: dict[tuple[_Automaton, int, str], int] = {}
_STEPS_KEPT = 1 << 16


class GlobPattern:
    """One compiled glob; :meth:`matches` takes a relative POSIX path. Raises ValueError
    (or ``re.error`` for a bad range in a set) for a bad glob."""

    def __init__(self, pattern: str) -> None:
        tokens = _tokens(pattern)
        anywhere = "/" not in pattern.rstrip("/")
        while tokens and tokens[-1] == "/":
            tokens.pop()
        while not anywhere and tokens and tokens[0] == "/":
            tokens.pop(0)
        # A pattern of plain characters (``node_modules``) is compared as text.
        characters = [token for token in tokens if isinstance(token, str)]
        self._literal = "".join(characters) if len(characters) == len(tokens) else None
        self._anywhere = anywhere
        self._automaton = _Automaton([_FOLDERS, *tokens] if anywhere else tokens)

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
                if len(_STEPS) >= _STEPS_KEPT:
                    _STEPS.clear()
                after = _STEPS[key] = automaton.step(states, char)
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
