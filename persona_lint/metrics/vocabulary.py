"""The grammar's words, symbols and units, each with its meaning.

Entities, comparison symbols and phrases, number words, qualifier words and markers, units
and their canonical spellings.
"""

from __future__ import annotations

import re

from persona_lint.metrics.model import Comparator

ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "le": "≤", "ge": "≥", "quot": '"', "apos": "'"}

OPERATORS = {
    "<": Comparator.LT,
    "<=": Comparator.LE,
    "≤": Comparator.LE,
    ">": Comparator.GT,
    ">=": Comparator.GE,
    "≥": Comparator.GE,
    "=": Comparator.EQ,
}
PRINTED_OPERATOR = {
    Comparator.LT: "<",
    Comparator.LE: "<=",
    Comparator.GT: ">",
    Comparator.GE: ">=",
    Comparator.EQ: "=",
    Comparator.WITHIN: "within",
}

# Longest phrases first, so "no more than" wins over a number word "no".
WORD_COMPARATORS: tuple[tuple[tuple[str, ...], Comparator], ...] = (
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
    for phrase, comparator in WORD_COMPARATORS:
        table.setdefault(phrase[0], []).append((phrase, comparator))
    return {word: tuple(phrases) for word, phrases in table.items()}


# The phrases of WORD_COMPARATORS by their first word, in the same order (longest first).
WORD_COMPARATORS_BY_FIRST = _by_first_word()

NUMBER_WORDS = {
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

QUALIFIER_WORDS = frozenset(
    {"for", "with", "without", "on", "per", "in", "at", "over", "across", "during", "within"}
    | {"under", "after", "before", "from", "by", "via", "when", "while", "until", "excluding"}
    | {"including", "vs", "vs.", "versus"}
)
VERSUS = frozenset({"vs", "vs.", "versus"})
MARKERS = frozenset(
    {"average", "avg", "mean", "median", "target", "goal", "peak", "maximum", "minimum"}
)
SEPARATORS = frozenset({",", ";", "."})

TIME_UNITS = {
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
RATE_OF = {
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
PER_TIME = {("second" if unit == "s" else unit): rate for unit, rate in RATE_OF.items()}
CURRENCIES = frozenset({"$", "€", "£"})


def _unit_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for canonical, spellings in TIME_UNITS.items():
        for spelling in spellings:
            table[spelling] = canonical
        if canonical in RATE_OF:
            for spelling in spellings:
                if spelling not in ("d", "h"):
                    table["/" + spelling] = RATE_OF[canonical]
    table["/d"] = "/day"
    table["/h"] = "/hour"
    table.update({"%": "%", "percent": "%"})
    table.update({"kb": "KB", "mb": "MB", "gb": "GB", "tb": "TB", "fps": "FPS"})
    for spelling in ("rps", "req/s", "req/sec", "requests/s", "requests/sec", "requests/second"):
        table[spelling] = "req/s"
    return table


UNITS = _unit_table()
# A counted noun before a rate ("deployments/day"): the unit is the rate.
NOUN_RATE = re.compile(r"[^\W\d_][\w-]*(/[a-z]+)")


# Printed as words, in the plural unless the value is 1.
TIME_CANONICAL = frozenset(TIME_UNITS) - {"μs", "ms", "s"} | {"business day"}
ATTACHED = frozenset({"μs", "ms", "s", "%", "KB", "MB", "GB", "TB"} | set(RATE_OF.values()))

MAGNITUDES = {"k": 1_000, "K": 1_000, "M": 1_000_000}
DIGITS = frozenset("0123456789")  # [0-9]: ASCII only
NUMBER_START = frozenset("-−$€£.0123456789")
SIGNS = frozenset("-−")
OPERATOR_SYMBOLS = frozenset("<>=≤≥")
TRAILING = frozenset("),;:")
