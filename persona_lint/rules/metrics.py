"""PL6xx: the success metrics of ``quality_standards``, parsed by
:mod:`persona_lint.metrics.grammar`.

Each ``<metric>`` is read into subject, comparator, threshold, unit and qualifiers (see
``persona-lint explain PL605`` for the grammar). Diagnostics about a metric carry its parsed
structure, shown in the JSON output. A metric that still holds a template placeholder
(``{metric}``, ``TODO``) is left to PL901: it says nothing measurable yet.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from typing import NamedTuple
from xml.etree.ElementTree import Element

from persona_lint.diagnostics import Diagnostic, Severity
from persona_lint.document.model import Document, XmlBlock, shared
from persona_lint.metrics import grammar
from persona_lint.rules.context import RuleContext
from persona_lint.rules.registry import Edit, finding, rule
from persona_lint.rules.template import PLACEHOLDER, may_hold_placeholder

E, W = Severity.ERROR, Severity.WARNING


class ParsedMetric(NamedTuple):
    """One ``<metric>`` element and what the grammar made of it."""

    block: XmlBlock
    element: Element
    text: str  # normalised
    raw: str  # element.text
    result: grammar.Metric | grammar.MetricProblem
    # The range problem of a parsed metric (check_value), computed once for PL602-PL604.
    value_problem: grammar.MetricProblem | None = None

    @property
    def offsets(self) -> tuple[int, ...]:
        """For each character of ``text``, its offset in ``raw`` (worked out only for a
        metric that is reported)."""
        collapsed, offsets = _offsets(self.raw)
        if collapsed != self.text:  # entities were unescaped: no exact map
            offsets = tuple(min(i, len(self.raw)) for i in range(len(self.text)))
        return offsets

    def place(self, offset: int) -> tuple[int, int]:
        offsets = self.offsets
        index = offsets[offset] if offset < len(offsets) else (offsets[-1] + 1 if offsets else 0)
        return self.block.locate_text(self.element, index)

    def data(self) -> tuple[tuple[str, object], ...] | None:
        if isinstance(self.result, grammar.Metric):
            return (("metric", self.result.to_dict()),)
        return None


_WORD = re.compile(r"\S+")  # \s is str.isspace(), as in str.split()


def _offsets(raw: str) -> tuple[str, tuple[int, ...]]:
    """Collapse whitespace like the grammar does, keeping where each character came from."""
    text = " ".join(raw.split())
    if text == raw:  # the usual one-line metric: every character stays where it is
        return text, tuple(range(len(raw)))
    words: list[str] = []
    offsets: list[int] = []
    for match in _WORD.finditer(raw):
        start = match.start()
        if words:
            offsets.append(start - 1)  # the space stands for the last whitespace character
        words.append(match.group())
        offsets.extend(range(start, match.end()))
    return " ".join(words), tuple(offsets)


def _success_metrics(root: Element) -> Element | None:
    """``root.find("quality_standards/success_metrics")``, by two finds in C when the first
    ``quality_standards`` holds one (ElementPath's Python machinery costs more)."""
    section = root.find("quality_standards")
    if section is None:
        return None
    found = section.find("success_metrics")
    return found if found is not None else root.find("quality_standards/success_metrics")


def parsed_metrics(document: Document) -> list[ParsedMetric]:
    """Every metric of the document, parsed once and kept with the document."""
    return document.once(_parse_metrics)


@shared("metrics")
def _parse_metrics(document: Document) -> list[ParsedMetric]:
    found: list[ParsedMetric] = []
    block = document.persona_context
    root = block.root if block is not None else None
    container = _success_metrics(root) if root is not None else None
    if block is not None and container is not None:
        for element in container[:]:
            if element.tag != "metric" or len(element):
                continue
            raw = element.text or ""
            if may_hold_placeholder(raw) and PLACEHOLDER.search(raw):
                continue  # an unfilled template metric is PL901's, not measured yet
            if "&" in raw:
                text = grammar.normalise(raw)
                if text:
                    # normalise(raw) may still hold a "&": parse_metric normalises again.
                    result = grammar.parse_metric(text)
                    problem = (
                        grammar.check_value(result) if isinstance(result, grammar.Metric) else None
                    )
                    found.append(ParsedMetric(block, element, text, raw, result, problem))
                continue
            # Without "&" there is no entity: the normalised text is the text collapsed,
            # and normalising it again changes nothing.
            text = " ".join(raw.split())
            if text:
                result, problem = grammar.read_normalised(text)
                found.append(ParsedMetric(block, element, text, raw, result, problem))
    return found


def _problem(
    code: str, document: Document, metric: ParsedMetric, problem: grammar.MetricProblem
) -> Diagnostic:
    line, column = metric.place(problem.start)
    end_line, end_column = metric.place(max(problem.end, problem.start + 1))
    return finding(
        code,
        document,
        line,
        column,
        f"metric {metric.text!r}: {problem.message}",
        end_line=end_line,
        end_column=end_column,
        data=metric.data(),
    )


def _value_problems(document: Document, kind: str, code: str) -> Iterator[Diagnostic]:
    for metric in parsed_metrics(document):
        problem = metric.value_problem
        if problem is not None and problem.kind == kind:
            yield _problem(code, document, metric, problem)


@rule(
    "PL601",
    "unmeasurable-metric",
    W,
    "a success metric has no measurable threshold",
    fails=Edit(
        "<metric>Error rate < 0.1% for production traffic</metric>",
        "<metric>Error rate kept low</metric>",
    ),
    passes=Edit(
        "<metric>Error rate < 0.1% for production traffic</metric>",
        "<metric>Error rate < 0.5% for production traffic</metric>",
    ),
)
def unmeasurable_metric(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """A metric names no threshold at all: no number, ratio, multiplier or number word to
    measure against (``Performance benchmarks met``).

    Why: a success metric nobody can measure cannot tell success from failure. A warning,
    since real personas carry qualitative metrics on purpose.

    Fails: ``Error rate kept low``

    Passes: ``Error rate < 0.5% for production traffic``, ``Zero high-severity
    vulnerabilities``, ``Patch deployment within 48 hours``
    """
    for metric in parsed_metrics(document):
        if isinstance(metric.result, grammar.Metric) and metric.result.threshold is None:
            line, column = metric.place(0)
            yield finding(
                "PL601",
                document,
                line,
                column,
                f"metric {metric.text!r} has no measurable threshold (such as '< 200ms' or "
                "'≥ 90%')",
                end_column=column + len(metric.text),
                data=metric.data(),
            )


@rule(
    "PL602",
    "percentage-range",
    E,
    "a percentage outside 0-100",
    fails=Edit("API documentation coverage > 95%", "API documentation coverage > 120%"),
    passes=Edit("API documentation coverage > 95%", "API documentation coverage > 99%"),
)
def percentage_range(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """A metric's percentage threshold lies outside 0-100.

    Fails: ``Test coverage > 120%``
    """
    return _value_problems(document, "percentage-range", "PL602")


@rule(
    "PL603",
    "score-scale",
    E,
    "a score above its scale",
    fails=Edit(
        "<metric>API documentation coverage > 95%</metric>",
        "<metric>User satisfaction score > 6/5</metric>",
    ),
    passes=Edit(
        "<metric>API documentation coverage > 95%</metric>",
        "<metric>User satisfaction score > 4.5/5</metric>",
    ),
)
def score_scale(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """A ratio threshold is above its own scale: ``6/5``, ``11/10``.

    Fails: ``User satisfaction score > 6/5``

    Passes: ``User satisfaction score > 4.5/5``
    """
    return _value_problems(document, "score-scale", "PL603")


@rule(
    "PL604",
    "negative-value",
    E,
    "a negative duration, size or count",
    fails=Edit(
        "Database query performance < 100ms average", "Database query performance < -100ms average"
    ),
    passes=Edit(
        "Database query performance < 100ms average", "Database query performance < 120ms average"
    ),
)
def negative_value(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """A duration, size, rate or count threshold is negative.

    Fails: ``Latency < -5ms``, ``Deployment frequency > -2/day``
    """
    return _value_problems(document, "negative-value", "PL604")


@rule(
    "PL605",
    "malformed-comparison",
    E,
    "a metric's comparison cannot be read",
    fails=Edit("API response time < 200ms", "API response time << 200ms"),
    passes=Edit("API response time < 200ms", "API response time <= 200ms"),
)
def malformed_comparison(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """A metric with a comparison symbol that is not followed by exactly one threshold:
    ``<< 200ms``, ``< ms``, ``<= > 5ms``, a comparison at the very end.

    The grammar (from persona_lint/metrics/grammar.py): a metric is ``SUBJECT OP THRESHOLD [UNIT]
    [qualifiers]`` (``API response time < 200ms for 95% of requests``), ``OP THRESHOLD UNIT
    SUBJECT`` (``< 15 minute incident response time``), ``THRESHOLD UNIT SUBJECT``
    (``99.99% infrastructure availability``), a comparison in words (``within 48 hours``,
    ``2x faster than native``, ``< baseline by 25%``) or ``SUBJECT: THRESHOLD ...``
    (``Security vulnerability score: zero high-severity``). Comparators ``<`` ``<=`` ``>``
    ``>=`` ``=`` ``≤`` ``≥``, bare or entity-escaped; thresholds are numbers, ratios
    (``4.0/5.0``), multipliers (``2x``) or number words (``zero``).

    Fails: ``API response time << 200ms``

    Passes: ``API response time <= 200ms``
    """
    for metric in parsed_metrics(document):
        if isinstance(metric.result, grammar.MetricProblem):
            yield _problem("PL605", document, metric, metric.result)


@rule(
    "PL606",
    "contradictory-metrics",
    E,
    "two metrics on one subject that cannot both hold",
    fails=Edit(
        "<metric>API documentation coverage > 95%</metric>", "<metric>Error rate > 5%</metric>"
    ),
    passes=Edit(
        "<metric>API documentation coverage > 95%</metric>",
        "<metric>Error rate < 0.05% for payment traffic</metric>",
    ),
)
def contradictory_metrics(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """Two metrics on the same subject (compared case- and whitespace-insensitively) whose
    thresholds cannot both hold, such as ``Error rate < 0.1%`` and ``Error rate > 5%``.
    Both are reported, each naming the other's line; a metric that contradicts several
    is reported once, naming the first and how many more. Only the first 100 distinct
    metric texts on one subject are compared with each other.

    Fails: ``Error rate < 0.1% for production traffic`` and ``Error rate > 5%``
    """
    groups: dict[str, dict[str, list[ParsedMetric]]] = {}
    for metric in parsed_metrics(document):
        if isinstance(metric.result, grammar.Metric):
            texts = groups.setdefault(grammar.subject_key(metric.result.subject), {})
            texts.setdefault(metric.text, []).append(metric)
    for texts in groups.values():
        if len(texts) < 2:
            continue  # one text: whatever it says, it cannot contradict itself
        yield from _contradictions(document, list(texts.values())[:MAX_COMPARED_METRICS])


# Distinct metric texts on one subject compared pairwise; more are not compared. A real
# persona has a handful per subject; a hostile one could have thousands (and their pairs).
MAX_COMPARED_METRICS = 100


def _contradictions(document: Document, texts: list[list[ParsedMetric]]) -> Iterator[Diagnostic]:
    """PL606 for metrics of one subject, grouped by text: identical texts contradict the
    same others, so each text is compared once, and each metric reported once, naming the
    first metric it contradicts and how many others it does."""
    partners: list[list[int]] = [[] for _ in texts]
    for (i, first), (j, second) in itertools.combinations(enumerate(texts), 2):
        assert isinstance(first[0].result, grammar.Metric)
        assert isinstance(second[0].result, grammar.Metric)
        if grammar.contradicts(first[0].result, second[0].result):
            partners[i].append(j)
            partners[j].append(i)
    for same, found in zip(texts, partners, strict=True):
        if not found:
            continue
        # Each list is in document order: its first metric is the one to name.
        other = min((texts[index][0] for index in found), key=lambda m: m.place(0))
        other_line, _ = other.place(0)
        count = sum(len(texts[index]) for index in found)
        more = f" and {count - 1} more" if count > 1 else ""
        for one in same:
            line, column = one.place(0)
            yield finding(
                "PL606",
                document,
                line,
                column,
                f"metric {one.text!r} contradicts {other.text!r} (line {other_line}){more}",
                end_column=column + len(one.text),
                data=one.data(),
            )
