"""The parsed metric: its comparator, threshold, fields and problems (the grammar's types)."""

from __future__ import annotations

import dataclasses
import enum


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
        return self.value in COMPARATIVES


COMPARATIVES = frozenset(
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
