"""PL6xx: the success metrics of `quality_standards`, parsed by `persona_lint.metrics`.

Each `<metric>` is read into subject, comparator, threshold, unit and qualifiers (see
`persona-lint explain PL605` for the grammar). Diagnostics about a metric carry its parsed
structure, shown in the JSON output. A metric that still holds a template placeholder
(`{metric}`, `TODO`) is left to PL901: it says nothing measurable yet.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from typing import NamedTuple
from xml.etree.ElementTree import Element

from persona_lint.diagnostics import Diagnostic, Severity
from persona_lint.document.model import Document, XmlBlock, shared
from persona_lint.document.placeholders import PLACEHOLDER
from persona_lint.metrics import (
    Metric,
    MetricProblem,
    check_value,
    contradicts,
    normalise,
    parse_metric,
    subject_key,
)
from persona_lint.rules.context import RuleContext
from persona_lint.rules.registry import finding, rule

E, W = Severity.ERROR, Severity.WARNING


class ParsedMetric(NamedTuple):
    """One `<metric>` element and what the grammar made of it."""

    block: XmlBlock
    element: Element
    text: str  # normalised
    raw: str  # element.text
    result: Metric | MetricProblem
    # The range problem of a parsed metric (check_value), for PL602-PL604.
    value_problem: MetricProblem | None = None

    @property
    def offsets(self) -> tuple[int, ...]:
        """For each character of `text`, its offset in `raw`."""
        collapsed, offsets = _offsets(self.raw)
        if collapsed != self.text:  # entities were unescaped: no exact map
            offsets = tuple(min(i, len(self.raw)) for i in range(len(self.text)))
        return offsets

    def place(self, offset: int) -> tuple[int, int]:
        """The (line, column) in the file of the character at `offset` in `text`."""
        offsets = self.offsets
        index = offsets[offset] if offset < len(offsets) else (offsets[-1] + 1 if offsets else 0)
        return self.block.locate_text(self.element, index)

    def data(self) -> tuple[tuple[str, object], ...] | None:
        """The parsed metric, as the diagnostic's data for the JSON output (None if unparsed)."""
        if isinstance(self.result, Metric):
            return (("metric", self.result.to_dict()),)
        return None


_WORD = re.compile(r"\S+")  # \s is str.isspace(), as in str.split()


def _offsets(raw: str) -> tuple[str, tuple[int, ...]]:
    """Collapse whitespace like the grammar does, keeping where each character came from."""
    words: list[str] = []
    offsets: list[int] = []
    for match in _WORD.finditer(raw):
        start = match.start()
        if words:
            offsets.append(start - 1)  # the space stands for the last whitespace character
        words.append(match.group())
        offsets.extend(range(start, match.end()))
    return " ".join(words), tuple(offsets)


def parsed_metrics(document: Document) -> list[ParsedMetric]:
    """Every metric of the document, parsed once and kept with the document."""
    return document.once(_parse_metrics)


@shared("metrics")
def _parse_metrics(document: Document) -> list[ParsedMetric]:
    found: list[ParsedMetric] = []
    block = document.persona_context
    root = block.root if block is not None else None
    container = root.find("quality_standards/success_metrics") if root is not None else None
    if block is None or container is None:
        return found
    for element in container:
        if element.tag != "metric" or len(element):
            continue
        raw = element.text or ""
        if PLACEHOLDER.search(raw):
            continue  # an unfilled template metric is PL901's, not measured yet
        text = normalise(raw)
        if text:
            result = parse_metric(text)
            problem = check_value(result) if isinstance(result, Metric) else None
            found.append(ParsedMetric(block, element, text, raw, result, problem))
    return found


def _problem(
    code: str, document: Document, metric: ParsedMetric, problem: MetricProblem
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
)
def unmeasurable_metric(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """A success metric has no measurable threshold.

    ## What it does
    Checks every `<metric>` of `quality_standards/success_metrics` that the grammar reads (see
    PL605) and reports one that names no threshold at all: no number, ratio, multiplier or
    number word to measure against (`Performance benchmarks met`). A warning, since real
    personas carry qualitative metrics on purpose. `Zero high-severity vulnerabilities` and
    `Patch deployment within 48 hours` pass.

    ## Why is this bad?
    A success metric nobody can measure cannot tell success from failure: the AI that follows
    the persona cannot tell when its work meets the bar.

    ## Example
    ```xml
    <metric>Error rate kept low</metric>
    ```

    ## Use instead
    ```xml
    <metric>Error rate < 0.5% for production traffic</metric>
    ```
    """
    for metric in parsed_metrics(document):
        if isinstance(metric.result, Metric) and metric.result.threshold is None:
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
)
def percentage_range(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """A metric's percentage threshold lies outside 0-100.

    ## What it does
    Checks the threshold of every metric read as a percentage and reports one below 0% or
    above 100% (`Test coverage > 120%`).

    ## Why is this bad?
    A percentage above 100 or below 0 can never be reached (or is always met): the metric is
    a typo that the AI cannot satisfy, or one that demands nothing.

    ## Example
    ```xml
    <metric>API documentation coverage > 120%</metric>
    ```

    ## Use instead
    ```xml
    <metric>API documentation coverage > 99%</metric>
    ```
    """
    return _value_problems(document, "percentage-range", "PL602")


@rule(
    "PL603",
    "score-scale",
    E,
    "a score above its scale",
)
def score_scale(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """A ratio threshold is above its own scale.

    ## What it does
    Checks every metric whose threshold is a ratio (a score on a scale) and reports one above
    its own scale: `6/5`, `11/10`.

    ## Why is this bad?
    A score above its scale can never be reached: the metric is a typo, and the AI is held to a
    bar that does not exist.

    ## Example
    ```xml
    <metric>User satisfaction score > 6/5</metric>
    ```

    ## Use instead
    ```xml
    <metric>User satisfaction score > 4.5/5</metric>
    ```
    """
    return _value_problems(document, "score-scale", "PL603")


@rule(
    "PL604",
    "negative-value",
    E,
    "a negative duration, size or count",
)
def negative_value(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """A duration, size, rate or count threshold is negative.

    ## What it does
    Checks every metric whose threshold is a duration, size, rate or count and reports a
    negative one: `Latency < -5ms`, `Deployment frequency > -2/day`.

    ## Why is this bad?
    No duration, size or count is below zero: the metric is a typo, one that can never be met
    (`< -5ms`) or that is always met (`> -2/day`), and it tells the AI nothing.

    ## Example
    ```xml
    <metric>Database query performance < -100ms average</metric>
    ```

    ## Use instead
    ```xml
    <metric>Database query performance < 120ms average</metric>
    ```
    """
    return _value_problems(document, "negative-value", "PL604")


@rule(
    "PL605",
    "malformed-comparison",
    E,
    "a metric's comparison cannot be read",
)
def malformed_comparison(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """A metric's comparison cannot be read.

    ## What it does
    Reports a metric with a comparison symbol that is not followed by exactly one threshold:
    `<< 200ms`, `< ms`, `<= > 5ms`, a comparison at the very end.

    The grammar (in `persona_lint.metrics`): a metric is `SUBJECT OP THRESHOLD [UNIT]
    [qualifiers]` (`API response time < 200ms for 95% of requests`), `OP THRESHOLD UNIT
    SUBJECT` (`< 15 minute incident response time`), `THRESHOLD UNIT SUBJECT`
    (`99.99% infrastructure availability`), a comparison in words (`within 48 hours`,
    `2x faster than native`, `< baseline by 25%`) or `SUBJECT: THRESHOLD ...`
    (`Security vulnerability score: zero high-severity`). Comparators are `<`, `<=`, `>`,
    `>=`, `=`, `≤`, `≥`, bare or entity-escaped; thresholds are numbers, ratios (`4.0/5.0`),
    multipliers (`2x`) or number words (`zero`).

    ## Why is this bad?
    A comparison that cannot be read is a bar nobody, human or AI, can hold the work to; the
    other metric rules cannot check it either.

    ## Example
    ```xml
    <metric>API response time << 200ms for 95% of requests</metric>
    ```

    ## Use instead
    ```xml
    <metric>API response time <= 200ms for 95% of requests</metric>
    ```
    """
    for metric in parsed_metrics(document):
        if isinstance(metric.result, MetricProblem):
            yield _problem("PL605", document, metric, metric.result)


@rule(
    "PL606",
    "contradictory-metrics",
    E,
    "two metrics on one subject that cannot both hold",
)
def contradictory_metrics(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """Two metrics on one subject cannot both hold.

    ## What it does
    Reports two metrics on the same subject (compared case- and whitespace-insensitively)
    whose thresholds cannot both hold, such as `Error rate < 0.1%` and `Error rate > 5%`. Both
    are reported, each naming the other's line; a metric that contradicts several is reported
    once, naming the first and how many more. Only the first 100 distinct metric texts on one
    subject are compared with each other.

    ## Why is this bad?
    No work can meet both metrics: the AI that follows the persona must break one of them, and
    which one it picks is anybody's guess.

    ## Example
    ```xml
    <metric>Error rate < 0.1% for production traffic</metric>
    <metric>Error rate > 5%</metric>
    ```

    ## Use instead
    ```xml
    <metric>Error rate < 0.1% for production traffic</metric>
    <metric>Error rate < 0.05% for payment traffic</metric>
    ```
    """
    groups: dict[str, dict[str, list[ParsedMetric]]] = {}
    for metric in parsed_metrics(document):
        if isinstance(metric.result, Metric):
            texts = groups.setdefault(subject_key(metric.result.subject), {})
            texts.setdefault(metric.text, []).append(metric)
    for texts in groups.values():
        if len(texts) < 2:
            continue  # one text: whatever it says, it cannot contradict itself
        yield from _contradictions(document, list(texts.values())[:MAX_COMPARED_METRICS])


# Distinct metric texts on one subject compared pairwise; more are not compared. A real
# persona has a handful per subject; a hostile one could have thousands (and their pairs).
MAX_COMPARED_METRICS = 100


def _contradictions(document: Document, texts: list[list[ParsedMetric]]) -> Iterator[Diagnostic]:
    """PL606 for metrics of one subject, grouped by text.

    Identical texts contradict the same others, so each text is compared once, and each metric
    is reported once, naming the first metric it contradicts and how many others it does.
    """
    partners: list[list[int]] = [[] for _ in texts]
    for (i, first), (j, second) in itertools.combinations(enumerate(texts), 2):
        assert isinstance(first[0].result, Metric)
        assert isinstance(second[0].result, Metric)
        if contradicts(first[0].result, second[0].result):
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
