"""Success metrics: what a ``<metric>`` says, read as subject, comparator and threshold.

A metric names what is measured (the *subject*), how it is compared, and the target
(the *threshold*, with an optional *unit*), followed by *qualifiers*::

    API response time   <            200         ms     for 95% of requests
    subject             comparator   threshold   unit   qualifier (percentile 95)

Before anything else the text is normalised: the entities ``&lt;`` ``&gt;`` ``&amp;``
``&le;`` ``&ge;`` ``&quot;`` ``&apos;`` and character references (``&#10;``) are
unescaped, in case the text still has them, and every run of whitespace becomes one
space. Every position reported is an offset into this normalised text.

Forms
-----
The forms are tried in this order; the first that applies wins.

1. **A comparison symbol**: ``<`` ``<=`` ``>`` ``>=`` ``=`` ``≤`` ``≥``. A text that
   contains a comparison symbol must contain exactly one, directly followed by a threshold
   (or by ``BASELINE by THRESHOLD``); anything else is a ``malformed-comparison``
   (``API latency << 200ms``, ``Latency < ms``, ``Latency <= > 5ms``, ``Latency <``)::

       SUBJECT OP THRESHOLD [UNIT] TAIL        Error rate < 0.1% for production traffic
       SUBJECT OP BASELINE by THRESHOLD TAIL   Cost per query < baseline by 25%
       OP THRESHOLD [UNIT] LEAD                < 15 minute incident response time

2. **A comparison in words**, found before any number and directly followed by a
   threshold: ``within`` (kept as its own comparator), ``under`` ``below`` ``less than``
   ``fewer than`` (``<``), ``at most`` ``up to`` ``no more than`` (``<=``), ``over``
   ``above`` ``more than`` ``greater than`` (``>``), ``at least`` ``no less than``
   ``no fewer than`` (``>=``), ``exactly`` (``=``). The same three shapes as above:
   ``Patch deployment within 48 hours``, ``At least 99.9% uptime``. A comparison word
   without a threshold is plain text: ``Memory usage within iOS recommendations``.

3. **Relative**: a threshold followed by a comparative, then ``than BASELINE`` or
   nothing: ``Development velocity 2x faster than native``, ``Build 3x faster``.
   Comparatives: ``faster`` ``slower`` ``higher`` ``lower`` ``more`` ``less`` ``fewer``
   ``better`` ``cheaper`` ``smaller`` ``larger``. A ``than`` with nothing after it is a
   ``malformed-comparison``.

4. **A stated target** (comparator ``implied``: the subject says which direction is
   good)::

       SUBJECT: THRESHOLD [UNIT] TAIL          Security vulnerability score: zero high-severity
       THRESHOLD [UNIT] LEAD                   99.99% infrastructure availability
       SUBJECT (THRESHOLD [UNIT]) TAIL         Smooth performance on low-end devices (60 FPS)
       SUBJECT THRESHOLD [UNIT] TAIL           Checks passing on 100% of audited routes

5. **No measurable threshold**: anything else (``Performance benchmarks met``,
   ``Support for two regions``). The subject is the whole text; comparator, threshold,
   unit, qualifiers, percentile and baseline are empty.

Thresholds
----------
* *number*: ``200``, ``0.1``, ``.5``, ``1,000``, ``-5``, ``10k`` / ``1.5M`` (thousands,
  millions), ``$4`` (the currency is the unit).
* *ratio*: ``4.0/5.0``, ``4.5/5``: the value is ``4.0``, the scale ``5.0``.
* *multiplier*: ``2x``, ``1.5×``.
* *word*: ``zero`` to ``twelve``, ``hundred``, ``thousand``, ``none``, and ``no`` as the
  first word (``No single point of failure``). Number words count only at the start of
  the text, after a comparison or after ``:``; elsewhere they are ordinary words.

Units
-----
Attached (``200ms``) or as the next word (``15 minutes``), case-insensitive, plurals
accepted; the canonical form is on the left:

* ``μs`` ``ms`` ``s``: ``µs``, ``microsecond``; ``msec``, ``millisecond``; ``sec``,
  ``second``.
* ``minute`` ``hour`` ``day`` ``week`` ``month`` ``quarter`` ``year``: also ``min``,
  ``h``/``hr``, ``d``, ``wk``, ``yr``; ``business day`` (also ``working day``).
* ``%`` (also ``percent``), ``KB`` ``MB`` ``GB`` ``TB``, ``FPS``, ``req/s`` (``rps``,
  ``requests/sec``), ``$`` ``€`` ``£`` (written before the number).
* rates ``/s`` ``/minute`` ``/hour`` ``/day`` ``/week`` ``/month`` ``/quarter``
  ``/year``: ``10/day``, ``10 deployments/day`` (the counted noun is dropped) and, after
  a number without a unit, ``0 per quarter``.

Subject, lead, tail and qualifiers
----------------------------------
The SUBJECT is the text before the comparison, without a trailing ``:`` ``,`` ``;``. A
LEAD, after a threshold that opens the text, is a subject up to the first qualifier word
or punctuation mark (``,`` ``;`` ``.``). A TAIL is split into qualifiers:

* a qualifier word starts a new qualifier that runs to the next qualifier word: ``for``
  ``with`` ``without`` ``on`` ``per`` ``in`` ``at`` ``over`` ``across`` ``during``
  ``within`` ``under`` ``after`` ``before`` ``from`` ``by`` ``via`` ``when`` ``while``
  ``until`` ``excluding`` ``including`` ``vs`` ``vs.`` ``versus``;
* outside such a phrase, the markers ``average`` ``avg`` ``mean`` ``median`` ``target``
  ``goal`` ``peak`` ``maximum`` ``minimum`` and percentiles ``p95`` ``p99.9`` are
  qualifiers of their own; other words form a qualifier up to the next boundary
  (``> 98% user coverage``);
* ``,`` ``;`` and ``.`` (at the end of the text or standing alone) end a qualifier and
  are dropped.

A percentile in the subject (``Response time p95 < 200ms``) moves to the front of the
qualifiers. The *percentile* is taken from the first qualifier that has one: ``p95``,
``for 95% of requests``, ``at the 75th percentile``. The *baseline* comes from
``than BASELINE``, ``OP BASELINE by THRESHOLD``, or else from a ``vs BASELINE``
qualifier (which stays a qualifier).

Value checks
------------
:func:`check_value` reports ``percentage-range`` (a percentile, or a percentage that is
not relative to a baseline, outside 0-100: ``Coverage > 120%``), ``score-scale`` (a ratio
above its scale or below zero, or a scale that is not positive: ``Satisfaction > 6/5``)
and ``negative-value`` (a negative duration, size, rate, frame rate or multiplier:
``Latency < -5ms``). A unitless number may be negative (``Net promoter score > -10``).

:func:`contradicts` tells whether two metrics on the same subject cannot both hold
(``Error rate < 0.1%`` and ``Error rate > 5%``). Subjects are compared ignoring case and
whitespace. It compares only metrics with the same percentile whose qualifiers are a
subset one of the other, converts between units of one kind (``200ms`` against ``1 s``,
``10/day`` against ``7/week``) and never compares different kinds (months against days,
ratios with different scales). ``within`` counts as ``<=``; a stated target counts as
``=`` when it is zero (``Zero high-severity vulnerabilities``) and is otherwise not
compared; metrics with a baseline or a comparative are never compared.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import re
from collections.abc import Sequence

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    from decimal import Decimal

    # (low, low is open, high, high is open); None is unbounded.
    _Interval = tuple[Decimal | None, bool, Decimal | None, bool]

__all__ = [
    "Comparator",
    "Metric",
    "MetricProblem",
    "Threshold",
    "check_value",
    "contradicts",
    "format_metric",
    "normalise",
    "parse_metric",
    "read_normalised",
    "subject_key",
]


class Comparator(enum.Enum):
    """How the subject relates to the threshold."""

    LT = "<"
    LE = "<="
    GT = ">"
    GE = ">="
    EQ = "="
    WITHIN = "within"
    # A stated target without a direction: "99.99% infrastructure availability",
    # "Security vulnerability score: zero high-severity".
    IMPLIED = "implied"
    # Relative to a baseline: "2x faster than native".
    FASTER = "faster"
    SLOWER = "slower"
    HIGHER = "higher"
    LOWER = "lower"
    MORE = "more"
    LESS = "less"
    FEWER = "fewer"
    BETTER = "better"
    CHEAPER = "cheaper"
    SMALLER = "smaller"
    LARGER = "larger"

    @property
    def is_relative(self) -> bool:
        """True for the comparatives ("faster", "lower", ...), which compare to a baseline."""
        return self.value in _COMPARATIVES


_COMPARATIVES = frozenset(
    {"faster", "slower", "higher", "lower", "more", "less", "fewer", "better", "cheaper"}
    | {"smaller", "larger"}
)


@dataclasses.dataclass(frozen=True)
class Threshold:
    """The target value: ``value`` as a float, ``text`` as written (without the unit)."""

    value: float
    kind: str  # "number" | "ratio" | "multiplier" | "word"
    scale: float | None
    text: str


@dataclasses.dataclass(frozen=True)
class Metric:
    """A parsed success metric (see the module documentation for the grammar)."""

    subject: str
    comparator: Comparator | None
    threshold: Threshold | None
    unit: str | None
    qualifiers: tuple[str, ...]
    percentile: float | None
    baseline: str | None
    text: str

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready structure with every field."""
        threshold: dict[str, object] | None = None
        if self.threshold is not None:
            threshold = {
                "value": self.threshold.value,
                "kind": self.threshold.kind,
                "scale": self.threshold.scale,
                "text": self.threshold.text,
            }
        return {
            "subject": self.subject,
            "comparator": None if self.comparator is None else self.comparator.value,
            "threshold": threshold,
            "unit": self.unit,
            "qualifiers": list(self.qualifiers),
            "percentile": self.percentile,
            "baseline": self.baseline,
            "text": self.text,
        }


@dataclasses.dataclass(frozen=True)
class MetricProblem:
    """Why a metric cannot be read, or why its value is impossible.

    ``start`` and ``end`` are offsets into the normalised text (see :func:`normalise`).
    """

    kind: str
    message: str
    start: int
    end: int


# --------------------------------------------------------------------------- vocabulary

# The few regular expressions are compiled on first use (most texts need none of them), and
# the tokens and numbers are read by hand: importing this module compiles nothing.


@functools.cache
def _entity_re() -> re.Pattern[str]:
    return re.compile(r"&(?:(lt|gt|amp|le|ge|quot|apos)|#([0-9]{1,7})|#x([0-9A-Fa-f]{1,6}));")


_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "le": "≤", "ge": "≥", "quot": '"', "apos": "'"}

_OPERATORS = {
    "<": Comparator.LT,
    "<=": Comparator.LE,
    "≤": Comparator.LE,
    ">": Comparator.GT,
    ">=": Comparator.GE,
    "≥": Comparator.GE,
    "=": Comparator.EQ,
}
_PRINTED_OPERATOR = {
    Comparator.LT: "<",
    Comparator.LE: "<=",
    Comparator.GT: ">",
    Comparator.GE: ">=",
    Comparator.EQ: "=",
    Comparator.WITHIN: "within",
}

# Longest phrases first, so "no more than" wins over a number word "no".
_WORD_COMPARATORS: tuple[tuple[tuple[str, ...], Comparator], ...] = (
    (("no", "more", "than"), Comparator.LE),
    (("no", "less", "than"), Comparator.GE),
    (("no", "fewer", "than"), Comparator.GE),
    (("less", "than"), Comparator.LT),
    (("fewer", "than"), Comparator.LT),
    (("more", "than"), Comparator.GT),
    (("greater", "than"), Comparator.GT),
    (("at", "most"), Comparator.LE),
    (("at", "least"), Comparator.GE),
    (("up", "to"), Comparator.LE),
    (("within",), Comparator.WITHIN),
    (("under",), Comparator.LT),
    (("below",), Comparator.LT),
    (("over",), Comparator.GT),
    (("above",), Comparator.GT),
    (("exactly",), Comparator.EQ),
)


def _by_first_word() -> dict[str, tuple[tuple[tuple[str, ...], Comparator], ...]]:
    table: dict[str, list[tuple[tuple[str, ...], Comparator]]] = {}
    for phrase, comparator in _WORD_COMPARATORS:
        table.setdefault(phrase[0], []).append((phrase, comparator))
    return {word: tuple(phrases) for word, phrases in table.items()}


# The phrases of _WORD_COMPARATORS by their first word, in the same order (longest first).
_WORD_COMPARATORS_BY_FIRST = _by_first_word()

_NUMBER_WORDS = {
    "zero": 0,
    "none": 0,
    "no": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "hundred": 100,
    "thousand": 1000,
}

_QUALIFIER_WORDS = frozenset(
    {"for", "with", "without", "on", "per", "in", "at", "over", "across", "during", "within"}
    | {"under", "after", "before", "from", "by", "via", "when", "while", "until", "excluding"}
    | {"including", "vs", "vs.", "versus"}
)
_VERSUS = frozenset({"vs", "vs.", "versus"})
_MARKERS = frozenset(
    {"average", "avg", "mean", "median", "target", "goal", "peak", "maximum", "minimum"}
)
_SEPARATORS = frozenset({",", ";", "."})

_TIME_UNITS = {
    "μs": ("μs", "µs", "microsecond", "microseconds"),
    "ms": ("ms", "msec", "msecs", "millisecond", "milliseconds"),
    "s": ("s", "sec", "secs", "second", "seconds"),
    "minute": ("min", "mins", "minute", "minutes"),
    "hour": ("h", "hr", "hrs", "hour", "hours"),
    "day": ("d", "day", "days"),
    "week": ("wk", "wks", "week", "weeks"),
    "month": ("month", "months"),
    "quarter": ("quarter", "quarters"),
    "year": ("yr", "yrs", "year", "years"),
}
_RATE_OF = {
    "s": "/s",
    "minute": "/minute",
    "hour": "/hour",
    "day": "/day",
    "week": "/week",
    "month": "/month",
    "quarter": "/quarter",
    "year": "/year",
}
# "0 per quarter": the same rates, keyed by the word that follows "per".
_PER_TIME = {("second" if unit == "s" else unit): rate for unit, rate in _RATE_OF.items()}
_CURRENCIES = frozenset({"$", "€", "£"})


def _unit_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for canonical, spellings in _TIME_UNITS.items():
        for spelling in spellings:
            table[spelling] = canonical
        if canonical in _RATE_OF:
            for spelling in spellings:
                if spelling not in ("d", "h"):
                    table["/" + spelling] = _RATE_OF[canonical]
    table["/d"] = "/day"
    table["/h"] = "/hour"
    table.update({"%": "%", "percent": "%"})
    table.update({"kb": "KB", "mb": "MB", "gb": "GB", "tb": "TB", "fps": "FPS"})
    for spelling in ("rps", "req/s", "req/sec", "requests/s", "requests/sec", "requests/second"):
        table[spelling] = "req/s"
    return table


_UNITS = _unit_table()


@functools.cache
def _noun_rate() -> re.Pattern[str]:
    """A counted noun before a rate ("deployments/day"): the unit is the rate."""
    return re.compile(r"[^\W\d_][\w-]*(/[a-z]+)")


# Printed as words, in the plural unless the value is 1.
_TIME_CANONICAL = frozenset(_TIME_UNITS) - {"μs", "ms", "s"} | {"business day"}
_ATTACHED = frozenset({"μs", "ms", "s", "%", "KB", "MB", "GB", "TB"} | set(_RATE_OF.values()))

_MAGNITUDES = {"k": 1_000, "K": 1_000, "M": 1_000_000}
_DIGITS = frozenset("0123456789")  # [0-9]: ASCII only
_NUMBER_START = frozenset("-−$€£.0123456789")
_SIGNS = frozenset("-−")
_OPERATOR_SYMBOLS = frozenset("<>=≤≥")
_TRAILING = frozenset("),;:")


def _number_end(text: str, i: int) -> int:
    """Where the number starting at ``text[i]`` ends (``i`` when there is none).

    A number is ``[0-9]{1,3}(,[0-9]{3})+`` or ``[0-9]+``, then an optional ``.[0-9]+``; or
    ``.[0-9]+``. Each part is taken as long as it goes (the part after it may be anything).
    """
    n = len(text)
    j = i
    while j < n and text[j] in _DIGITS:
        j += 1
    if j == i:
        if i + 1 < n and text[i] == "." and text[i + 1] in _DIGITS:
            j = i + 2
            while j < n and text[j] in _DIGITS:
                j += 1
        return j
    if j - i <= 3:  # thousands: "1,000", "12,345,678"
        while (
            j + 3 < n
            and text[j] == ","
            and text[j + 1] in _DIGITS
            and text[j + 2] in _DIGITS
            and text[j + 3] in _DIGITS
        ):
            j += 4
    if j + 1 < n and text[j] == "." and text[j + 1] in _DIGITS:
        j += 2
        while j < n and text[j] in _DIGITS:
            j += 1
    return j


def _split_number(text: str) -> tuple[str, str, str, str, str] | None:
    """``[-−]? [$€£]? [-−]? NUMBER REST`` (REST without a newline): the first sign, the
    currency, the second sign, the number and the rest; None when the text is not so."""
    if not text or text[0] not in _NUMBER_START or "\n" in text:
        return None
    n = len(text)
    i = 0
    s1 = currency = s2 = ""
    if text[i] in _SIGNS:
        s1, i = text[i], i + 1
    if i < n and text[i] in _CURRENCIES:
        currency, i = text[i], i + 1
    if i < n and text[i] in _SIGNS:
        s2, i = text[i], i + 1
    end = _number_end(text, i)
    if end == i:
        return None
    return s1, currency, s2, text[i:end], text[end:]


def _is_digits(text: str) -> bool:
    """``[0-9]+``."""
    return text.isdigit() and text.isascii()


def _is_percentile_token(word: str) -> bool:
    """``[pP][0-9]+(\\.[0-9]+)?``, the whole word: ``p95``, ``P99.9``."""
    if word[:1] not in ("p", "P"):
        return False
    whole, dot, fraction = word[1:].partition(".")
    return _is_digits(whole) and (not dot or _is_digits(fraction))


# --------------------------------------------------------------------------- tokens


class _Token:
    """A word, an operator or a punctuation mark, and where it is in the text."""

    __slots__ = ("end", "is_separator", "kind", "low", "start", "text")

    def __init__(self, text: str, start: int, end: int, kind: str) -> None:
        self.text = text
        self.start = start
        self.end = end
        self.kind = kind  # "word" | "op" | "punct"
        self.low = text.lower()
        self.is_separator = kind == "punct" and text in _SEPARATORS


def _unescape(match: re.Match[str]) -> str:
    name, decimal, hexadecimal = match.groups()
    if name is not None:
        return _ENTITIES[name]
    code = int(decimal) if decimal is not None else int(hexadecimal, 16)
    return chr(code) if 0 < code <= 0x10FFFF else match.group()


def normalise(text: str) -> str:
    """Unescape the XML entities a metric may still contain and collapse whitespace."""
    if "&" in text:
        text = _entity_re().sub(_unescape, text)
    return " ".join(text.split())


def _has_operator(text: str) -> bool:
    return "<" in text or ">" in text or "=" in text or "≤" in text or "≥" in text


def _opens_operator(chunk: str, i: int) -> bool:
    """Whether an operator (``!?[<>=≤≥]+``) starts at ``chunk[i]``."""
    char = chunk[i]
    return char in _OPERATOR_SYMBOLS or (
        char == "!" and i + 1 < len(chunk) and chunk[i + 1] in _OPERATOR_SYMBOLS
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
            while j < n and chunk[j] in _OPERATOR_SYMBOLS:
                j += 1
        else:
            while j < n and not _opens_operator(chunk, j):
                j += 1
        pieces.append((i, chunk[i:j], operator))
        i = j
    return pieces


def _tokenise(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    append = tokens.append
    operators = _has_operator(text)
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
        elif chunk[0] != "(" and chunk[-1] not in _TRAILING and chunk[-1] != ".":
            append(_Token(chunk, chunk_start, position - 1, "word"))  # the usual case
            continue
        else:
            pieces = [(0, chunk, False)]
        for offset, word, operator in pieces:
            start = chunk_start + offset
            if operator:
                append(_Token(word, start, start + len(word), "op"))
                continue
            lead = 0
            while lead < len(word) and word[lead] == "(":
                tokens.append(_Token("(", start + lead, start + lead + 1, "punct"))
                lead += 1
            end = len(word)
            trailing: list[_Token] = []
            last_piece = start + end == len(text)
            while end > lead and (
                word[end - 1] in "),;:" or (last_piece and end == len(word) and word[-1] == ".")
            ):
                trailing.append(_Token(word[end - 1], start + end - 1, start + end, "punct"))
                end -= 1
            if word[lead:end] == ".":
                tokens.append(_Token(".", start + lead, start + end, "punct"))
            elif end > lead:
                tokens.append(_Token(word[lead:end], start + lead, start + end, "word"))
            tokens.extend(reversed(trailing))
    return tokens


# --------------------------------------------------------------------------- thresholds


class _Match:
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


def _threshold_at(
    tokens: Sequence[_Token], i: int, *, words: bool, no: bool = False
) -> _Match | None:
    """The threshold (and unit) starting at token ``i``, if there is one."""
    if i >= len(tokens) or tokens[i].kind != "word":
        return None
    token = tokens[i]
    unit: str | None = None
    numeric = _split_number(token.text)
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
        elif rest in _MAGNITUDES:
            written += rest
            value *= _MAGNITUDES[rest]
        elif currency:
            return None
        elif rest in ("x", "X", "×"):
            kind = "multiplier"
            written += rest
        elif len(rest) > 1 and rest[0] == "/" and _number_end(rest, 1) == len(rest):
            kind = "ratio"  # "4.0/5.0"
            written += rest
            scale = _number(rest[1:])
        elif rest.lower() in _UNITS:
            unit = _UNITS[rest.lower()]
        else:
            return None
        if currency:
            unit = currency
        threshold = Threshold(value, kind, scale, written)
    elif words and token.low in _NUMBER_WORDS and (token.low != "no" or no):
        threshold = Threshold(float(_NUMBER_WORDS[token.low]), "word", None, token.text)
        kind = "word"
    else:
        return None
    last = i
    if unit is None and kind in ("number", "word"):
        following = tokens[i + 1] if i + 1 < len(tokens) else None
        if following is not None and following.kind == "word":
            if following.low in _UNITS:
                unit = _UNITS[following.low]
                last = i + 1
            elif (
                "/" in following.low
                and (rate := _noun_rate().fullmatch(following.low))
                and rate[1] in _UNITS
            ):
                unit = _UNITS[rate[1]]
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
                and tokens[i + 2].low in _PER_TIME
            ):
                unit = _PER_TIME[tokens[i + 2].low]
                last = i + 2
    return _Match(threshold, unit, last + 1, token.start, tokens[last].end)


# --------------------------------------------------------------------------- building


class _Parsed:
    """A metric and where its threshold and qualifiers are in its text (never changed once
    built: _parse keeps it in its cache)."""

    __slots__ = ("metric", "qualifier_spans", "threshold_span")

    def __init__(
        self,
        metric: Metric,
        threshold_span: tuple[int, int] | None,
        qualifier_spans: tuple[tuple[int, int], ...],
    ) -> None:
        self.metric = metric
        self.threshold_span = threshold_span
        self.qualifier_spans = qualifier_spans


_Piece = tuple[str, int, int]  # text, start, end


def _slice(text: str, tokens: Sequence[_Token]) -> _Piece | None:
    if not tokens:
        return None
    return text[tokens[0].start : tokens[-1].end], tokens[0].start, tokens[-1].end


def _subject(text: str, tokens: Sequence[_Token]) -> tuple[str, list[_Piece]]:
    """The subject text, and the percentiles (``p95``) taken out of it."""
    extracted: list[_Piece] = []
    runs: list[list[int]] = []  # [first, end) token indices of the runs between percentiles
    first = 0
    i = 0
    n = len(tokens)
    while i < n:
        token = tokens[i]
        if token.kind == "word" and _is_percentile_token(token.text):
            extracted.append((token.text, token.start, token.end))
            skip = 1
        elif (
            token.text == "("
            and i + 2 < n
            and tokens[i + 1].kind == "word"
            and _is_percentile_token(tokens[i + 1].text)
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


def _segments(text: str, tokens: Sequence[_Token]) -> list[_Piece]:
    """Split a tail into qualifiers (see the module documentation)."""
    pieces: list[_Piece] = []
    first: _Token | None = None  # the first and the last token of the current qualifier
    last: _Token | None = None
    in_phrase = False
    for token in tokens:
        word = token.kind == "word"
        opens = word and token.low in _QUALIFIER_WORDS
        marker = word and not opens and not in_phrase and _is_marker(token.text)
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


def _is_marker(word: str) -> bool:
    return word.lower() in _MARKERS or _is_percentile_token(word)


@functools.cache
def _percentile_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """``p95``; ``95% of``; ``95th percentile``."""
    return (
        re.compile(r"(?<![\w.])[pP]([0-9]+(?:\.[0-9]+)?)(?![\w.])"),
        re.compile(r"(?<![\w.])([0-9]+(?:\.[0-9]+)?) ?% of\b"),
        re.compile(r"(?<![\w.])([0-9]+(?:\.[0-9]+)?)(?:st|nd|rd|th) percentile\b", re.IGNORECASE),
    )


def _percentile(qualifiers: Sequence[str]) -> float | None:
    for qualifier in qualifiers:
        # The first and last patterns need a "p" (only "p" and "P" match it, even ignoring
        # case), the second a "%": most qualifiers are searched with none of them.
        p = "p" in qualifier or "P" in qualifier
        share = "%" in qualifier
        if not (p or share):
            continue
        by_p, by_share, by_nth = _percentile_patterns()
        patterns = (by_p, by_share, by_nth) if p and share else (by_p, by_nth) if p else (by_share,)
        found = [(m.start(), m[1]) for pattern in patterns if (m := pattern.search(qualifier))]
        if found:
            return float(min(found)[1])
    return None


def _lead_end(tokens: Sequence[_Token], start: int) -> int:
    """Where a lead subject (after an opening threshold) ends."""
    end = start
    while end < len(tokens):
        token = tokens[end]
        if token.is_separator or (token.kind == "word" and token.low in _QUALIFIER_WORDS):
            break
        end += 1
    return end


def _build(
    text: str,
    tokens: Sequence[_Token],
    *,
    subject: Sequence[_Token] | None,
    comparator: Comparator,
    match: _Match,
    baseline: str | None,
    tail: int,
) -> _Parsed:
    """Assemble a metric; ``subject=None`` means the subject is the lead after ``tail``."""
    if subject is None:
        end = _lead_end(tokens, tail)
        subject, tail = tokens[tail:end], end
    subject_text, pieces = _subject(text, subject)
    pieces += _segments(text, tokens[tail:])
    qualifiers = tuple(piece[0] for piece in pieces)
    if baseline is None:
        for qualifier in qualifiers:
            word, _, rest = qualifier.partition(" ")
            if word.lower() in _VERSUS and rest:
                baseline = rest
                break
    metric = Metric(
        subject=subject_text,
        comparator=comparator,
        threshold=match.threshold,
        unit=match.unit,
        qualifiers=qualifiers,
        percentile=_percentile(qualifiers),
        baseline=baseline,
        text=text,
    )
    spans = tuple((start, end) for _, start, end in pieces)
    return _Parsed(metric, (match.start, match.end), spans)


def _by_form(tokens: Sequence[_Token], start: int) -> tuple[int, _Match] | None:
    """``BASELINE by THRESHOLD`` from token ``start``: the index of "by" and the threshold."""
    j = start
    while j < len(tokens) and tokens[j].kind == "word":
        if tokens[j].low == "by" and j > start:
            match = _threshold_at(tokens, j + 1, words=False)
            if match is not None:
                return j, match
        elif _threshold_at(tokens, j, words=False) is not None:
            return None
        j += 1
    return None


def _problem(message: str, start: int, end: int) -> MetricProblem:
    return MetricProblem("malformed-comparison", message, start, end)


def _comparison(
    text: str,
    tokens: Sequence[_Token],
    index: int,
    after: int,
    comparator: Comparator,
) -> _Parsed | None:
    """A comparison written at tokens ``index``..``after``; None when no threshold follows."""
    match = _threshold_at(tokens, after, words=True)
    baseline: str | None = None
    if match is None:
        by = _by_form(tokens, after)
        if by is None:
            return None
        by_index, match = by
        baseline = text[tokens[after].start : tokens[by_index - 1].end]
    return _build(
        text,
        tokens,
        subject=tokens[:index] if index > 0 else None,
        comparator=comparator,
        match=match,
        baseline=baseline,
        tail=match.next,
    )


def _with_operator(
    text: str, tokens: Sequence[_Token], ops: Sequence[int]
) -> _Parsed | MetricProblem:
    index = ops[0]
    op = tokens[index]
    comparator = _OPERATORS.get(op.text)
    if comparator is None:
        return _problem(
            f"{op.text!r} is not a comparison; use one of <, <=, >, >=, =, ≤, ≥",
            op.start,
            op.end,
        )
    parsed = _comparison(text, tokens, index, index + 1, comparator)
    if parsed is None:
        if index + 1 < len(tokens):
            following = tokens[index + 1]
            return _problem(
                f"{op.text!r} must be followed by a number, not {following.text!r}",
                op.start,
                following.end,
            )
        return _problem(f"{op.text!r} at the end: the threshold is missing", op.start, op.end)
    if len(ops) > 1:
        second = tokens[ops[1]]
        return _problem(
            f"a metric has one comparison; {second.text!r} is a second one",
            second.start,
            second.end,
        )
    return parsed


def _word_comparator(tokens: Sequence[_Token], i: int) -> tuple[Comparator, int] | None:
    phrases = _WORD_COMPARATORS_BY_FIRST.get(tokens[i].low)
    if phrases is None:
        return None
    for phrase, comparator in phrases:
        end = i + len(phrase)
        if end <= len(tokens) and all(
            tokens[i + k].kind == "word" and tokens[i + k].low == word
            for k, word in enumerate(phrase)
        ):
            return comparator, end
    return None


def _relative(
    text: str, tokens: Sequence[_Token], index: int, match: _Match
) -> _Parsed | MetricProblem | None:
    k = match.next
    if k >= len(tokens) or tokens[k].kind != "word" or tokens[k].low not in _COMPARATIVES:
        return None
    comparator = Comparator(tokens[k].low)
    nxt = k + 1
    baseline: str | None = None
    if nxt < len(tokens) and tokens[nxt].low == "than":
        end = nxt + 1
        while end < len(tokens) and not (
            tokens[end].is_separator
            or (tokens[end].kind == "word" and tokens[end].low in _QUALIFIER_WORDS)
            or (tokens[end].kind == "word" and _is_marker(tokens[end].text))
        ):
            end += 1
        piece = _slice(text, tokens[nxt + 1 : end])
        if piece is None:
            return _problem(
                f"{tokens[k].text} than what? The baseline is missing",
                tokens[k].start,
                tokens[nxt].end,
            )
        baseline, tail = piece[0], end
    elif (
        nxt == len(tokens)
        or tokens[nxt].is_separator
        or (
            tokens[nxt].kind == "word"
            and (tokens[nxt].low in _QUALIFIER_WORDS or _is_marker(tokens[nxt].text))
        )
    ):
        tail = nxt
    else:
        return None
    return _build(
        text,
        tokens,
        subject=tokens[:index],
        comparator=comparator,
        match=match,
        baseline=baseline,
        tail=tail,
    )


# A pure function of the text, and what it returns is never changed (frozen dataclasses, tuples
# and a _Parsed nobody writes to): the same metric text, which repositories repeat across
# personas, is read once. check_value and format_metric read texts again through it.
@functools.lru_cache(maxsize=2048)
def _parse(text: str) -> _Parsed | MetricProblem:
    tokens = _tokenise(text)
    ops = [i for i, token in enumerate(tokens) if token.kind == "op"] if _has_operator(text) else []
    if ops:
        return _with_operator(text, tokens, ops)
    for index, token in enumerate(tokens):
        if token.kind != "word":
            continue
        word = _word_comparator(tokens, index)
        if word is not None:
            comparator, after = word
            parsed = _comparison(text, tokens, index, after, comparator)
            if parsed is not None:
                return parsed
            continue  # "within acceptable limits", "no more than ..." without a number
        previous = tokens[index - 1] if index > 0 else None
        after_colon = previous is not None and previous.text == ":"
        match = _threshold_at(tokens, index, words=index == 0 or after_colon, no=index == 0)
        if match is None:
            continue
        relative = _relative(text, tokens, index, match)
        if relative is not None:
            return relative
        tail = match.next
        if (
            previous is not None
            and previous.text == "("
            and tail < len(tokens)
            and tokens[tail].text == ")"
        ):
            subject: Sequence[_Token] | None = tokens[: index - 1]
            tail += 1
        elif after_colon:
            subject = tokens[: index - 1]
        else:
            subject = tokens[:index] if index > 0 else None
        return _build(
            text,
            tokens,
            subject=subject,
            comparator=Comparator.IMPLIED,
            match=match,
            baseline=None,
            tail=tail,
        )
    metric = Metric(text, None, None, None, (), None, None, text)
    return _Parsed(metric, None, ())


# --------------------------------------------------------------------------- public API


def parse_metric(text: str) -> Metric | MetricProblem:
    """Parse a metric's text (after XML parsing); never raises."""
    parsed = _parse(normalise(text))
    return parsed.metric if isinstance(parsed, _Parsed) else parsed


@functools.lru_cache(maxsize=2048)
def read_normalised(text: str) -> tuple[Metric | MetricProblem, MetricProblem | None]:
    """:func:`parse_metric` of a text already normalised (``normalise(text) == text``), and
    :func:`check_value` of the metric it gives (None for a problem). Memoised like
    ``_parse``: what it returns is never changed, and repositories repeat metric texts."""
    parsed = _parse(text)
    if isinstance(parsed, _Parsed):
        return parsed.metric, check_value(parsed.metric)
    return parsed, None


def _render_number(value: float) -> str:
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def _format_threshold(threshold: Threshold, unit: str | None) -> str:
    written = threshold.text or _render_number(threshold.value)
    if unit is None:
        return written
    if unit in _CURRENCIES:
        return unit + written
    if unit in _TIME_CANONICAL:
        return f"{written} {unit}" + ("" if threshold.value == 1 else "s")
    if threshold.kind == "number" and unit in _ATTACHED and written[-1].isdigit():
        return written + unit
    return f"{written} {unit}"


def _baseline_in_qualifiers(metric: Metric) -> bool:
    for qualifier in metric.qualifiers:
        word, _, rest = qualifier.partition(" ")
        if word.lower() in _VERSUS and rest:
            return rest == metric.baseline
    return False


def format_metric(metric: Metric) -> str:
    """Print a metric in its canonical form; ``metric.text`` is ignored.

    The canonical forms are ``SUBJECT OP THRESHOLD``, ``SUBJECT OP BASELINE by
    THRESHOLD``, ``SUBJECT within THRESHOLD``, ``SUBJECT THRESHOLD faster than BASELINE``
    and ``SUBJECT: THRESHOLD`` (implied), each followed by the qualifiers, with a comma
    before a qualifier only where it would otherwise run into what precedes it. When the
    canonical form would not read back as the same metric (a subject with numbers of its
    own), the form with the threshold first is used. A metric without a threshold prints
    as its subject and qualifiers.

    Raises ValueError for a metric with a comparator but no threshold or the other way
    round, and for a stated target (``implied``) with a baseline not in a ``vs`` qualifier.
    """
    comparator, threshold = metric.comparator, metric.threshold
    if comparator is None or threshold is None:
        if comparator is not None or threshold is not None:
            raise ValueError("a metric has both a comparator and a threshold, or neither")
        return normalise(" ".join((metric.subject, *metric.qualifiers)))
    relative = comparator.is_relative
    subject = metric.subject
    # After a threshold without a unit, "minutes" or "per day" would be read as its unit.
    bare = not relative and metric.unit is None and threshold.kind in ("number", "word")
    qualifiers = _join_qualifiers(
        metric.qualifiers, lead=not subject and not relative, relative=relative, bare=bare
    )
    # Qualifiers after a subject that follows the threshold ("< 15 minutes SUBJECT ...").
    after_lead = _join_qualifiers(metric.qualifiers, lead=True, relative=False, bare=False)
    value = _format_threshold(threshold, metric.unit)
    baseline = None if _baseline_in_qualifiers(metric) else metric.baseline
    candidates: list[str] = []
    if relative:
        than = "" if baseline is None else f" than {baseline}"
        candidates.append(f"{subject} {value} {comparator.value}{than}{qualifiers}")
    elif comparator is Comparator.IMPLIED:
        if baseline is not None:
            raise ValueError("a stated target takes its baseline from a 'vs' qualifier")
        if not subject or subject.rpartition(" ")[2].lower() in _QUALIFIER_WORDS:
            # "Checks passing on 100% of routes": a colon after "on" would read badly.
            candidates.append(f"{subject} {value}{qualifiers}")
        candidates.append(f"{subject}: {value}{qualifiers}")
        candidates.append(f"{value} {subject}{after_lead}")
    else:
        operator = _PRINTED_OPERATOR[comparator]
        target = value if baseline is None else f"{baseline} by {value}"
        candidates.append(f"{subject} {operator} {target}{qualifiers}")
        candidates.append(f"{operator} {target} {subject}{after_lead}")
    printed = [normalise(candidate) for candidate in candidates]
    return next((text for text in printed if _reads_back(text, metric)), printed[0])


def _reads_back(text: str, metric: Metric) -> bool:
    parsed = _parse(text)
    return isinstance(parsed, _Parsed) and parsed.metric == dataclasses.replace(metric, text=text)


def _reads_as_unit(qualifier: str) -> bool:
    """Whether a qualifier printed after a bare number would be read as its unit."""
    match = _threshold_at(_tokenise("1 " + qualifier), 0, words=False)
    return match is not None and match.unit is not None


def _opens_phrase(qualifier: str) -> bool:
    return qualifier.partition(" ")[0].lower() in _QUALIFIER_WORDS


def _is_lone_marker(qualifier: str) -> bool:
    return " " not in qualifier and _is_marker(qualifier)


def _join_qualifiers(qualifiers: Sequence[str], *, lead: bool, relative: bool, bare: bool) -> str:
    """The qualifiers as printed after the threshold, with a comma where one is needed.

    A qualifier is printed with a comma before it only where reading would otherwise run it
    into the one before (a marker after a phrase, two plain ones in a row) or into a lead
    subject or a baseline.
    """
    text = ""
    previous: str | None = None
    for qualifier in qualifiers:
        if previous is None:
            separate = (
                (lead and not _opens_phrase(qualifier))
                or (relative and not (_opens_phrase(qualifier) or _is_lone_marker(qualifier)))
                or (bare and _reads_as_unit(qualifier))
            )
        else:
            separate = not (
                _opens_phrase(qualifier)
                or _is_lone_marker(previous)
                or (_is_lone_marker(qualifier) and not _opens_phrase(previous))
            )
        text += (", " if separate else " ") + qualifier
        previous = qualifier
    return text


# --------------------------------------------------------------------------- checks

_DURATIONS = frozenset(_TIME_UNITS) | {"business day"}
_SIZES = frozenset({"KB", "MB", "GB", "TB"})
_NON_NEGATIVE = _DURATIONS | _SIZES | frozenset(_RATE_OF.values()) | {"FPS", "req/s"}


def _spans(metric: Metric) -> tuple[tuple[int, int], tuple[tuple[int, int], ...]]:
    """Where the threshold and the qualifiers are in ``metric.text``."""
    parsed = _parse(metric.text)
    if isinstance(parsed, _Parsed) and parsed.metric == metric and parsed.threshold_span:
        return parsed.threshold_span, parsed.qualifier_spans
    whole = (0, len(metric.text))
    threshold = (
        whole
        if metric.threshold is None or metric.threshold.text not in metric.text
        else (
            metric.text.index(metric.threshold.text),
            metric.text.index(metric.threshold.text) + len(metric.threshold.text),
        )
    )
    qualifiers = []
    for qualifier in metric.qualifiers:
        at = metric.text.find(qualifier)
        qualifiers.append(whole if at < 0 else (at, at + len(qualifier)))
    return threshold, tuple(qualifiers)


def check_value(metric: Metric) -> MetricProblem | None:
    """An impossible value: ``percentage-range``, ``score-scale`` or ``negative-value``."""
    threshold = metric.threshold
    if threshold is None:
        return None
    relative = metric.baseline is not None or (
        metric.comparator is not None and metric.comparator.is_relative
    )
    value, unit = threshold.value, metric.unit
    # Where the problem is (_spans) is worked out only for a metric that has one.
    if threshold.kind == "ratio":
        scale = threshold.scale if threshold.scale is not None else 0.0
        if scale <= 0 or value < 0 or value > scale:
            (start, end), _ = _spans(metric)
            return MetricProblem(
                "score-scale",
                f"{threshold.text} is outside its scale of 0 to {_render_number(scale)}",
                start,
                end,
            )
    if unit == "%" and not relative and not 0 <= value <= 100:
        (start, end), _ = _spans(metric)
        return MetricProblem(
            "percentage-range", f"{threshold.text}% is not between 0% and 100%", start, end
        )
    if value < 0 and (unit in _NON_NEGATIVE or threshold.kind == "multiplier"):
        (start, end), _ = _spans(metric)
        what = "multiplier" if unit is None else f"value in {unit}"
        return MetricProblem("negative-value", f"{threshold.text} is a negative {what}", start, end)
    if metric.percentile is not None and not 0 <= metric.percentile <= 100:
        (start, end), qualifier_spans = _spans(metric)
        for qualifier, span in zip(metric.qualifiers, qualifier_spans, strict=True):
            if _percentile((qualifier,)) is not None:
                start, end = span
                break
        return MetricProblem(
            "percentage-range",
            f"percentile {_render_number(metric.percentile)} is not between 0 and 100",
            start,
            end,
        )
    return None


_FACTORS: dict[str, tuple[str, int]] = {
    "μs": ("time", 1),
    "ms": ("time", 1_000),
    "s": ("time", 1_000_000),
    "minute": ("time", 60_000_000),
    "hour": ("time", 3_600_000_000),
    "day": ("time", 86_400_000_000),
    "week": ("time", 604_800_000_000),
    "month": ("calendar", 1),
    "quarter": ("calendar", 3),
    "year": ("calendar", 12),
    "KB": ("size", 1),
    "MB": ("size", 1_000),
    "GB": ("size", 1_000_000),
    "TB": ("size", 1_000_000_000),
    "/week": ("rate", 1),
    "/day": ("rate", 7),
    "/hour": ("rate", 168),
    "/minute": ("rate", 10_080),
    "/s": ("rate", 604_800),
    "/year": ("calendar rate", 1),
    "/quarter": ("calendar rate", 4),
    "/month": ("calendar rate", 12),
}


def _quantity(metric: Metric) -> tuple[str, Decimal] | None:
    """The threshold as a (dimension, value in the dimension's smallest unit) pair."""
    from decimal import Decimal  # imported here: only comparisons of two metrics need it

    threshold = metric.threshold
    assert threshold is not None
    value = Decimal(repr(threshold.value))
    if not value.is_finite():
        return None
    dimension, factor = _FACTORS.get(metric.unit or "", (metric.unit or "", 1))
    kind = {"word": "number"}.get(threshold.kind, threshold.kind)
    return f"{dimension}|{kind}|{threshold.scale}", value * factor


def _interval(comparator: Comparator, value: Decimal, threshold: Threshold) -> _Interval | None:
    if comparator is Comparator.IMPLIED:
        comparator = Comparator.EQ if threshold.value == 0 else comparator
    if comparator is Comparator.LT:
        return None, False, value, True
    if comparator in (Comparator.LE, Comparator.WITHIN):
        return None, False, value, False
    if comparator is Comparator.GT:
        return value, True, None, False
    if comparator is Comparator.GE:
        return value, False, None, False
    if comparator is Comparator.EQ:
        return value, False, value, False
    return None


def _disjoint(a: _Interval, b: _Interval) -> bool:
    def below(first: _Interval, second: _Interval) -> bool:
        high, high_open = first[2], first[3]
        low, low_open = second[0], second[1]
        if high is None or low is None:
            return False
        return high < low or (high == low and (high_open or low_open))

    return below(a, b) or below(b, a)


def subject_key(subject: str) -> str:
    """A subject (or qualifier) as :func:`contradicts` compares it: casefolded, whitespace
    collapsed."""
    return " ".join(subject.casefold().split())


def contradicts(a: Metric, b: Metric) -> bool:
    """True when two metrics on the same subject cannot both hold."""
    if subject_key(a.subject) != subject_key(b.subject):
        return False
    if a.comparator is None or b.comparator is None or a.threshold is None or b.threshold is None:
        return False
    if a.baseline is not None or b.baseline is not None:
        return False
    if a.comparator.is_relative or b.comparator.is_relative or a.percentile != b.percentile:
        return False
    qualifiers_a = {subject_key(q) for q in a.qualifiers}
    qualifiers_b = {subject_key(q) for q in b.qualifiers}
    if not (qualifiers_a <= qualifiers_b or qualifiers_b <= qualifiers_a):
        return False
    quantity_a, quantity_b = _quantity(a), _quantity(b)
    if quantity_a is None or quantity_b is None or quantity_a[0] != quantity_b[0]:
        return False
    interval_a = _interval(a.comparator, quantity_a[1], a.threshold)
    interval_b = _interval(b.comparator, quantity_b[1], b.threshold)
    if interval_a is None or interval_b is None:
        return False
    return _disjoint(interval_a, interval_b)
