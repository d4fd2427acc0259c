r"""Where each key of a TOML document is defined, for the line of a configuration error.

``tomllib`` gives values without positions. When a value is wrong, the message names the
line of its key: :func:`key_lines` reads the document once, token by token, and records the
first line of every key path (``("tool", "persona-lint", "per-file-ignores", "legacy/*.md")``),
whether a table header, a dotted key or a key of an inline table defines it, with quoted
keys unescaped (``"sel\u0065ct"`` is ``select``). Strings and comments are skipped whole, so
a ``[table]`` or ``key =`` inside a multi-line string is not taken for one.

It expects a document that ``tomllib`` accepted; any other text still costs time linear in
its length, and gives lines that may be wrong.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

KeyPath = tuple[str, ...]

_TOKEN = re.compile(
    r"""
      (?P<newline>\n (?: [ \t\r]* (?: \#[^\n]* )? \n )*)  # with the blank lines that follow
    | (?P<skip>[ \t\r]+ | \#[^\n]*)
    | (?P<string>  # an unterminated string ends at the end of its line (or text)
          \"{3} (?: [^"\\] | \\.? | "(?!"") )* (?: \"{3,5} | \Z )
        | '{3} (?: [^'] | '(?!'') )* (?: '{3,5} | \Z )
        | " (?: [^"\\\n] | \\[^\n]? )* "?
        | ' [^'\n]* '?
      )
    | (?P<punct>[\[\]{}=,.])
    | (?P<atom>[^\s\[\]{}=,.\#"']+)
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_ESCAPE = re.compile(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|x[0-9A-Fa-f]{2}|.)", re.DOTALL)
_ESCAPED = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", "e": "\x1b"}


# A token: its group's name in _TOKEN, its text and its offset in the document.
_Token = tuple[str, str, int]


def _tokens(text: str) -> list[_Token]:
    return [
        (match.lastgroup or "other", match.group(), match.start())
        for match in _TOKEN.finditer(text)
        if match.lastgroup != "skip"
    ]


class _Lines:
    """Line numbers of increasing offsets, counted once: linear in the document."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.offset = 0
        self.line = 1

    def at(self, offset: int) -> int:
        self.line += self.text.count("\n", self.offset, offset)
        self.offset = offset
        return self.line


def _unescape(body: str) -> str:
    def one(match: re.Match[str]) -> str:
        code = match.group(1)
        if len(code) > 1:
            try:
                return chr(int(code[1:], 16))
            except (ValueError, OverflowError):
                return match.group()
        return _ESCAPED.get(code, code)

    return _ESCAPE.sub(one, body)


def _key(token: _Token) -> str | None:
    """The key a token spells, if it can spell one."""
    kind, text, _ = token
    if kind == "atom":
        return text
    if kind != "string" or text[:3] in ('"""', "'''"):
        return None
    return text[1:-1] if text[0] == "'" else _unescape(text[1:-1])


def _key_path(tokens: Sequence[_Token], i: int) -> tuple[KeyPath, int]:
    """The dotted key starting at ``tokens[i]`` (empty if none), and the index after it."""
    parts: list[str] = []
    while i < len(tokens):
        key = _key(tokens[i])
        if key is None:
            break
        parts.append(key)
        i += 1
        if i + 1 < len(tokens) and tokens[i][1] == "." and _key(tokens[i + 1]) is not None:
            i += 1
            continue
        break
    return tuple(parts), i


def key_lines(text: str) -> dict[KeyPath, int]:
    """The first line (1-based) defining each key path of the document."""
    tokens = _tokens(text)
    lines = _Lines(text)
    found: dict[KeyPath, int] = {}
    table: KeyPath = ()  # the table of the last [header]
    # Each open array or inline table, with the key path its values belong to.
    nested: list[tuple[str, KeyPath]] = []
    value_path: KeyPath = ()
    key_here = True  # a key may start: at a line's start outside values, after { or ,
    i = 0
    while i < len(tokens):
        kind, token, start = tokens[i]
        if key_here and not nested and token == "[":  # [table] or [[array of tables]]
            first = i + 2 if i + 1 < len(tokens) and tokens[i + 1][1] == "[" else i + 1
            table, i = _key_path(tokens, first)
            found.setdefault(table, lines.at(start))
            key_here = False
            continue
        if key_here:
            path, after = _key_path(tokens, i)
            if path and after < len(tokens) and tokens[after][1] == "=":
                value_path = (nested[-1][1] if nested else table) + path
                found.setdefault(value_path, lines.at(start))
                key_here = False
                i = after + 1
                continue
        if token in ("[", "{"):
            nested.append((token, value_path))
            key_here = token == "{"
        elif token in ("]", "}"):
            if nested:
                nested.pop()
            value_path = nested[-1][1] if nested else table
            key_here = False
        elif token == ",":
            key_here = bool(nested) and nested[-1][0] == "{"
        elif kind == "newline":
            key_here = not nested
        i += 1
    return found


def deepest_line(text: str) -> int:
    """The first line where arrays and inline tables are nested deepest."""
    lines = _Lines(text)
    depth = deepest = 0
    line = 1
    for _, token, start in _tokens(text):
        if token in ("[", "{"):
            depth += 1
            if depth > deepest:
                deepest, line = depth, lines.at(start)
        elif token in ("]", "}"):
            depth = max(depth - 1, 0)
    return line


def line_of(lines: dict[KeyPath, int], path: KeyPath) -> int | None:
    """The line of ``path``, or else of the nearest table or key that holds it."""
    for end in range(len(path), 0, -1):
        line = lines.get(path[:end])
        if line is not None:
            return line
    return None
