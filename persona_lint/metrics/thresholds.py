"""Thresholds: the number, ratio, multiplier or number word at a token, and its unit."""

from __future__ import annotations

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
    """``[-−]? [$€£]? [-−]? NUMBER REST`` (REST without a newline): the first sign, the
    currency, the second sign, the number and the rest; None when the text is not so."""
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


class ThresholdMatch:
    """A threshold and its unit, read from the tokens."""

    __slots__ = ("end", "next", "start", "threshold", "unit")

    def __init__(
        self, threshold: Threshold, unit: str | None, next: int, start: int, end: int
    ) -> None:
        self.threshold = threshold
        self.unit = unit
        self.next = next  # index of the first token after the threshold and its unit
        self.start = start
        self.end = end


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def threshold_at(
    tokens: Sequence[Token], i: int, *, words: bool, no: bool = False
) -> ThresholdMatch | None:
    """The threshold (and unit) starting at token ``i``, if there is one."""
    if i >= len(tokens) or tokens[i].kind != "word":
        return None
    token = tokens[i]
    unit: str | None = None
    numeric = split_number(token.text)
    if numeric is not None:
        s1, currency, s2, number, rest = numeric
        if s1 and s2:
            return None
        sign = s1 or s2
        negative = -1.0 if sign else 1.0
        written = sign + number
        value = negative * _number(number)
        scale: float | None = None
        kind = "number"
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
        if currency:
            unit = currency
        threshold = Threshold(value, kind, scale, written)
    elif words and token.low in NUMBER_WORDS and (token.low != "no" or no):
        threshold = Threshold(float(NUMBER_WORDS[token.low]), "word", None, token.text)
        kind = "word"
    else:
        return None
    last = i
    if unit is None and kind in ("number", "word"):
        following = tokens[i + 1] if i + 1 < len(tokens) else None
        if following is not None and following.kind == "word":
            if following.low in UNITS:
                unit = UNITS[following.low]
                last = i + 1
            elif (
                "/" in following.low
                and (rate := NOUN_RATE.fullmatch(following.low))
                and rate[1] in UNITS
            ):
                unit = UNITS[rate[1]]
                last = i + 1
            elif (
                following.low in ("business", "working")
                and i + 2 < len(tokens)
                and tokens[i + 2].kind == "word"
                and tokens[i + 2].low in ("day", "days")
            ):
                unit = "business day"
                last = i + 2
            elif (
                following.low == "per"
                and i + 2 < len(tokens)
                and tokens[i + 2].kind == "word"
                and tokens[i + 2].low in PER_TIME
            ):
                unit = PER_TIME[tokens[i + 2].low]
                last = i + 2
    return ThresholdMatch(threshold, unit, last + 1, token.start, tokens[last].end)
