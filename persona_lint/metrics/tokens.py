"""Normalising a metric's text and cutting it into words, operators and punctuation."""

from __future__ import annotations

import re

from persona_lint.metrics.vocabulary import ENTITIES, OPERATOR_SYMBOLS, SEPARATORS, TRAILING

ENTITY = re.compile(r"&(?:(lt|gt|amp|le|ge|quot|apos)|#([0-9]{1,7})|#x([0-9A-Fa-f]{1,6}));")


class Token:
    """A word, an operator or a punctuation mark, and where it is in the text."""

    __slots__ = ("end", "is_separator", "kind", "low", "start", "text")

    def __init__(self, text: str, start: int, end: int, kind: str) -> None:
        self.text = text
        self.start = start
        self.end = end
        self.kind = kind  # "word" | "op" | "punct"
        self.low = text.lower()
        self.is_separator = kind == "punct" and text in SEPARATORS


def _unescape(match: re.Match[str]) -> str:
    name, decimal, hexadecimal = match.groups()
    if name is not None:
        return ENTITIES[name]
    code = int(decimal) if decimal is not None else int(hexadecimal, 16)
    return chr(code) if 0 < code <= 0x10FFFF else match.group()


def normalise(text: str) -> str:
    """Unescape the XML entities a metric may still contain and collapse whitespace."""
    if "&" in text:
        text = ENTITY.sub(_unescape, text)
    return " ".join(text.split())


def has_operator(text: str) -> bool:
    return "<" in text or ">" in text or "=" in text or "≤" in text or "≥" in text


def _opens_operator(chunk: str, i: int) -> bool:
    """Whether an operator (``!?[<>=≤≥]+``) starts at ``chunk[i]``."""
    char = chunk[i]
    return char in OPERATOR_SYMBOLS or (
        char == "!" and i + 1 < len(chunk) and chunk[i + 1] in OPERATOR_SYMBOLS
    )


def _pieces(chunk: str) -> list[tuple[int, str, bool]]:
    """A chunk cut into operators (``!?[<>=≤≥]+``) and the runs between them: for each its
    offset in the chunk, its text and whether it is an operator."""
    pieces: list[tuple[int, str, bool]] = []
    n = len(chunk)
    i = 0
    while i < n:
        operator = _opens_operator(chunk, i)
        j = i + 1
        if operator:
            while j < n and chunk[j] in OPERATOR_SYMBOLS:
                j += 1
        else:
            while j < n and not _opens_operator(chunk, j):
                j += 1
        pieces.append((i, chunk[i:j], operator))
        i = j
    return pieces


def tokenise(text: str) -> list[Token]:
    tokens: list[Token] = []
    append = tokens.append
    operators = has_operator(text)
    position = 0
    for chunk in text.split(" "):
        chunk_start = position
        position += len(chunk) + 1
        if not chunk:
            continue
        if operators and (
            "<" in chunk or ">" in chunk or "=" in chunk or "≤" in chunk or "≥" in chunk
        ):
            pieces = _pieces(chunk)
        elif chunk[0] != "(" and chunk[-1] not in TRAILING and chunk[-1] != ".":
            append(Token(chunk, chunk_start, position - 1, "word"))  # the usual case
            continue
        else:
            pieces = [(0, chunk, False)]
        for offset, word, operator in pieces:
            start = chunk_start + offset
            if operator:
                append(Token(word, start, start + len(word), "op"))
                continue
            lead = 0
            while lead < len(word) and word[lead] == "(":
                tokens.append(Token("(", start + lead, start + lead + 1, "punct"))
                lead += 1
            end = len(word)
            trailing: list[Token] = []
            last_piece = start + end == len(text)
            while end > lead and (
                word[end - 1] in "),;:" or (last_piece and end == len(word) and word[-1] == ".")
            ):
                trailing.append(Token(word[end - 1], start + end - 1, start + end, "punct"))
                end -= 1
            if word[lead:end] == ".":
                tokens.append(Token(".", start + lead, start + end, "punct"))
            elif end > lead:
                tokens.append(Token(word[lead:end], start + lead, start + end, "word"))
            tokens.extend(reversed(trailing))
    return tokens
