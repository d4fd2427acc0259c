"""Thresholds: the number, ratio, multiplier or number word at a token, and its unit."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from persona_lint.metrics.model import Threshold
from persona_lint.metrics.tokens import Token
from persona_lint.metrics.vocabulary import (
    CURRENCIES,
    DIGITS,
    MAGNITUDES,
    NOUN_RATE,
    NUMBER_START,
    NUMBER_WORDS,
    PER_TIME,
    SIGNS,
    UNITS,
)


def number_end(text: str, i: int) -> int:
    """Where the number starting at ``text[i]`` ends (``i`` when there is none).

    A number is ``[0-9]{1,3}(,[0-9]{3})+`` or ``[0-9]+``, then an optional ``.[0-9]+``; or
    ``.[0-9]+``. Each part is taken as long as it goes (the part after it may be anything).
    """
    n = len(text)
    j = i
    while j < n and text[j] in DIGITS:
        j += 1
    if j == i:
        if i + 1 < n and text[i] == "." and text[i + 1] in DIGITS:
            j = i + 2
            while j < n and text[j] in DIGITS:
                j += 1
        return j
    if j - i <= 3:  # thousands: "1,000", "12,345,678"
        while (
            j + 3 < n
            and text[j] == ","
            and text[j + 1] in DIGITS
            and text[j + 2] in DIGITS
            and text[j + 3] in DIGITS
        ):
            j += 4
    if j + 1 < n and text[j] == "." and text[j + 1] in DIGITS:
        j += 2
        while j < n and text[j] in DIGITS:
            j += 1
    return j


def split_number(text: str) -> tuple[str, str, str, str, str] | None:
    """Split ``[-−]? [$€£]? [-−]? NUMBER REST`` (REST without a newline) into its parts.

    Returns the first sign, the currency, the second sign, the number and the rest; None
    when the text is not so.
    """
    if not text or text[0] not in NUMBER_START or "\n" in text:
        return None
    n = len(text)
    i = 0
    s1 = currency = s2 = ""
    if text[i] in SIGNS:
        s1, i = text[i], i + 1
    if i < n and text[i] in CURRENCIES:
        currency, i = text[i], i + 1
    if i < n and text[i] in SIGNS:
        s2, i = text[i], i + 1
    end = number_end(text, i)
    if end == i:
        return None
    return s1, currency, s2, text[i:end], text[end:]


@dataclasses.dataclass(frozen=True, slots=True)
class ThresholdMatch:
    """A threshold and its unit, read from the tokens."""

    threshold: Threshold
    unit: str | None
    next: int  # index of the first token after the threshold and its unit
    start: int  # where the threshold starts in the text
    end: int  # where the threshold (and its unit) ends


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def threshold_at(
    tokens: Sequence[Token], i: int, *, words: bool, no: bool = False
) -> ThresholdMatch | None:
    """The threshold (and unit) starting at token ``i``, if there is one.

    ``words``: a number word counts (at the start, after a comparison or a ``:``); ``no``:
    so does ``no`` (as the first word).
    """
    if i >= len(tokens) or tokens[i].kind != "word":
        return None
    token = tokens[i]
    unit: str | None = None
    read = _numeric(token.text)  # number words start with a letter, numbers never do
    if read is not None:
        threshold, unit = read
    elif words and token.low in NUMBER_WORDS and (token.low != "no" or no):
        threshold = Threshold(float(NUMBER_WORDS[token.low]), "word", None, token.text)
    else:
        return None
    last = i
    if unit is None and threshold.kind in ("number", "word"):
        unit, last = _unit_after(tokens, i)
    return ThresholdMatch(threshold, unit, last + 1, token.start, tokens[last].end)


def _numeric(text: str) -> tuple[Threshold, str | None] | None:
    """A threshold written with digits, and its attached unit; None when the word is not one.

    The word is a number, then nothing, a magnitude (``10k``), ``x`` (a multiplier), a
    scale (``4.5/5``) or a unit (``200ms``); a currency before the number is its unit.
    """
    numeric = split_number(text)
    if numeric is None:
        return None
    s1, currency, s2, number, rest = numeric
    if s1 and s2:
        return None
    sign = s1 or s2
    written = sign + number
    value = (-1.0 if sign else 1.0) * _number(number)
    scale: float | None = None
    kind = "number"
    unit: str | None = None
    if rest == "":
        pass
    elif rest in MAGNITUDES:
        written += rest
        value *= MAGNITUDES[rest]
    elif currency:
        return None
    elif rest in ("x", "X", "×"):
        kind = "multiplier"
        written += rest
    elif len(rest) > 1 and rest[0] == "/" and number_end(rest, 1) == len(rest):
        kind = "ratio"  # "4.0/5.0"
        written += rest
        scale = _number(rest[1:])
    elif rest.lower() in UNITS:
        unit = UNITS[rest.lower()]
    else:
        return None
    return Threshold(value, kind, scale, written), currency or unit


def _unit_after(tokens: Sequence[Token], i: int) -> tuple[str | None, int]:
    """The unit written after the number at token ``i``, and the index of its last token.

    A unit word (``15 minutes``), a counted noun per time (``10 deployments/day``),
    ``business day`` or ``working day``, or ``per`` and a time (``0 per quarter``).
    """
    following = tokens[i + 1] if i + 1 < len(tokens) else None
    if following is None or following.kind != "word":
        return None, i
    after = tokens[i + 2] if i + 2 < len(tokens) and tokens[i + 2].kind == "word" else None
    if following.low in UNITS:
        return UNITS[following.low], i + 1
    if (rate := NOUN_RATE.fullmatch(following.low)) and rate[1] in UNITS:
        return UNITS[rate[1]], i + 1
    if following.low in ("business", "working") and after and after.low in ("day", "days"):
        return "business day", i + 2
    if following.low == "per" and after is not None and after.low in PER_TIME:
        return PER_TIME[after.low], i + 2
    return None, i
