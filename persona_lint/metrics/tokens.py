"""Normalising a metric's text and cutting it into words, operators and punctuation."""

from __future__ import annotations

import dataclasses
import re

from persona_lint.metrics.vocabulary import ENTITIES, OPERATOR_SYMBOLS, SEPARATORS, TRAILING

ENTITY = re.compile(r"&(?:(lt|gt|amp|le|ge|quot|apos)|#([0-9]{1,7})|#x([0-9A-Fa-f]{1,6}));")


@dataclasses.dataclass(slots=True)
class Token:
    """A word, an operator or a punctuation mark, and where it is in the text."""

    text: str
    start: int
    end: int
    kind: str  # "word" | "op" | "punct"
    low: str = dataclasses.field(init=False)  # the text in lower case
    is_separator: bool = dataclasses.field(init=False)  # "," ";" or "."

    def __post_init__(self) -> None:
        """Derive the lower-case text and whether the token separates qualifiers."""
        self.low = self.text.lower()
        self.is_separator = self.kind == "punct" and self.text in SEPARATORS


def _unescape(match: re.Match[str]) -> str:
    name, decimal, hexadecimal = match.groups()
    if name is not None:
        return ENTITIES[name]
    code = int(decimal) if decimal is not None else int(hexadecimal, 16)
    return chr(code) if 0 < code <= 0x10FFFF else match.group()


def normalise(text: str) -> str:
    """Unescape the XML entities a metric may still contain and collapse whitespace."""
    return " ".join(ENTITY.sub(_unescape, text).split())


def _opens_operator(chunk: str, i: int) -> bool:
    """Whether an operator (``!?[<>=≤≥]+``) starts at ``chunk[i]``."""
    char = chunk[i]
    return char in OPERATOR_SYMBOLS or (
        char == "!" and i + 1 < len(chunk) and chunk[i + 1] in OPERATOR_SYMBOLS
    )


def _pieces(chunk: str) -> list[tuple[int, str, bool]]:
    """Cut a chunk into operators (``!?[<>=≤≥]+``) and the runs between them.

    Returns, for each piece, its offset in the chunk, its text and whether it is an operator.
    """
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
    """Cut a normalised text into tokens: at each space, then into operators and words."""
    tokens: list[Token] = []
    position = 0
    for chunk in text.split(" "):
        for offset, piece, operator in _pieces(chunk):
            start = position + offset
            end = start + len(piece)
            if operator:
                tokens.append(Token(piece, start, end, "op"))
            else:
                tokens.extend(_word_tokens(piece, start, at_end=end == len(text)))
        position += len(chunk) + 1
    return tokens


def _word_tokens(piece: str, start: int, *, at_end: bool) -> list[Token]:
    """The tokens of a piece without operators that starts at ``start``.

    They are its opening brackets, its word, and the punctuation that ends it (``),;:``, and
    a ``.`` that ends the text).
    """
    tokens: list[Token] = []
    lead = 0
    while lead < len(piece) and piece[lead] == "(":
        tokens.append(Token("(", start + lead, start + lead + 1, "punct"))
        lead += 1
    end = len(piece)
    trailing: list[Token] = []
    while end > lead and (
        piece[end - 1] in TRAILING or (at_end and end == len(piece) and piece[-1] == ".")
    ):
        trailing.append(Token(piece[end - 1], start + end - 1, start + end, "punct"))
        end -= 1
    if piece[lead:end] == ".":
        tokens.append(Token(".", start + lead, start + end, "punct"))
    elif end > lead:
        tokens.append(Token(piece[lead:end], start + lead, start + end, "word"))
    tokens.extend(reversed(trailing))
    return tokens
