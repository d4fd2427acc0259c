"""The subject and the qualifiers around a threshold, and the percentile they name."""

from __future__ import annotations

import re
from collections.abc import Sequence

from persona_lint.metrics.tokens import Token
from persona_lint.metrics.vocabulary import MARKERS, QUALIFIER_WORDS

Piece = tuple[str, int, int]  # text, start, end


def _is_digits(text: str) -> bool:
    """``[0-9]+``."""
    return text.isdigit() and text.isascii()


def is_percentile_token(word: str) -> bool:
    r"""Whether a word is ``[pP][0-9]+(\.[0-9]+)?``: ``p95``, ``P99.9``."""
    if word[:1] not in ("p", "P"):
        return False
    whole, dot, fraction = word[1:].partition(".")
    return _is_digits(whole) and (not dot or _is_digits(fraction))


def split_subject(text: str, tokens: Sequence[Token]) -> tuple[str, list[Piece]]:
    """The subject text, and the percentiles (``p95``) taken out of it."""
    extracted: list[Piece] = []
    runs: list[list[int]] = []  # [first, end) token indices of the runs between percentiles
    first = 0
    i = 0
    n = len(tokens)
    while i < n:
        token = tokens[i]
        if token.kind == "word" and is_percentile_token(token.text):
            extracted.append((token.text, token.start, token.end))
            skip = 1
        elif (
            token.text == "("
            and i + 2 < n
            and tokens[i + 1].kind == "word"
            and is_percentile_token(tokens[i + 1].text)
            and tokens[i + 2].text == ")"
        ):
            extracted.append((tokens[i + 1].text, tokens[i + 1].start, tokens[i + 1].end))
            skip = 3
        else:
            i += 1
            continue
        if i > first:
            runs.append([first, i])
        i += skip
        first = i
    if n > first:
        runs.append([first, n])
    # "Latency: < 5ms", "Latency, p95 < 5ms": the punctuation is not part of the subject.
    while runs:
        last = tokens[runs[-1][1] - 1]
        if not (last.kind == "punct" and last.text in ":,;"):
            break
        runs[-1][1] -= 1
        if runs[-1][1] == runs[-1][0]:
            runs.pop()
    parts = [text[tokens[start].start : tokens[end - 1].end] for start, end in runs]
    return " ".join(parts), extracted


def split_qualifiers(text: str, tokens: Sequence[Token]) -> list[Piece]:
    """Split a tail into qualifiers (see the module documentation)."""
    pieces: list[Piece] = []
    first: Token | None = None  # the first and the last token of the current qualifier
    last: Token | None = None
    in_phrase = False
    for token in tokens:
        word = token.kind == "word"
        opens = word and token.low in QUALIFIER_WORDS
        marker = word and not opens and not in_phrase and is_marker(token.text)
        if not (opens or marker or token.is_separator):
            if first is None:
                first = token
            last = token
            continue
        if first is not None and last is not None:
            pieces.append((text[first.start : last.end], first.start, last.end))
        first = last = token if opens else None
        in_phrase = opens
        if marker:
            pieces.append((token.text, token.start, token.end))
    if first is not None and last is not None:
        pieces.append((text[first.start : last.end], first.start, last.end))
    return pieces


def is_marker(word: str) -> bool:
    """Whether a word is a qualifier of its own: ``average``, ``target``, ``p95``."""
    return word.lower() in MARKERS or is_percentile_token(word)


# Where a qualifier names a percentile: "p95"; "95% of"; "95th percentile".
PERCENTILE_PATTERNS = (
    re.compile(r"(?<![\w.])[pP]([0-9]+(?:\.[0-9]+)?)(?![\w.])"),
    re.compile(r"(?<![\w.])([0-9]+(?:\.[0-9]+)?) ?% of\b"),
    re.compile(r"(?<![\w.])([0-9]+(?:\.[0-9]+)?)(?:st|nd|rd|th) percentile\b", re.IGNORECASE),
)


def percentile_of(qualifiers: Sequence[str]) -> float | None:
    """The percentile the first qualifier that names one names (the earliest mention in it)."""
    for qualifier in qualifiers:
        found = [
            (match.start(), match[1])
            for pattern in PERCENTILE_PATTERNS
            if (match := pattern.search(qualifier))
        ]
        if found:
            return float(min(found)[1])
    return None


def lead_end(tokens: Sequence[Token], start: int) -> int:
    """Where a lead subject (after an opening threshold) ends."""
    end = start
    while end < len(tokens):
        token = tokens[end]
        if token.is_separator or (token.kind == "word" and token.low in QUALIFIER_WORDS):
            break
        end += 1
    return end
