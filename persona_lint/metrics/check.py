"""Checks on parsed metrics: impossible values, and two metrics that cannot both hold."""

from __future__ import annotations

from persona_lint.metrics.format import render_number
from persona_lint.metrics.model import Comparator, Metric, MetricProblem, Threshold
from persona_lint.metrics.parse import Parsed, parse_text
from persona_lint.metrics.qualifiers import percentile_of
from persona_lint.metrics.vocabulary import RATE_OF, TIME_UNITS

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    from decimal import Decimal

    # (low, low is open, high, high is open); None is unbounded.
    _Interval = tuple[Decimal | None, bool, Decimal | None, bool]


_DURATIONS = frozenset(TIME_UNITS) | {"business day"}
_SIZES = frozenset({"KB", "MB", "GB", "TB"})
_NON_NEGATIVE = _DURATIONS | _SIZES | frozenset(RATE_OF.values()) | {"FPS", "req/s"}


def _spans(metric: Metric) -> tuple[tuple[int, int], tuple[tuple[int, int], ...]]:
    """Where the threshold and the qualifiers are in ``metric.text``."""
    parsed = parse_text(metric.text)
    if isinstance(parsed, Parsed) and parsed.metric == metric and parsed.threshold_span:
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
                f"{threshold.text} is outside its scale of 0 to {render_number(scale)}",
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
            if percentile_of((qualifier,)) is not None:
                start, end = span
                break
        return MetricProblem(
            "percentage-range",
            f"percentile {render_number(metric.percentile)} is not between 0 and 100",
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
    """A subject (or qualifier) as :func:`contradicts` compares it.

    That is casefolded, with its whitespace collapsed.
    """
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
