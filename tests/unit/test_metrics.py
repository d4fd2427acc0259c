"""Tests for the metric grammar (persona_lint.metrics): the corpus table, exact structures, problems, properties."""

from __future__ import annotations

import dataclasses
import itertools
import json
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import CANONICAL, examples, lint, triples
from hypothesis import example, given, settings
from hypothesis import strategies as st

from persona_lint import metrics
from persona_lint.metrics import (
    Comparator,
    Metric,
    MetricProblem,
    Threshold,
    check_value,
    contradicts,
    format_metric,
    normalise,
    parse_metric,
)
from persona_lint.metrics.parse import parse_text

HERE = Path(__file__).parents[1]  # tests/
TABLE_PATH = HERE / "data" / "corpus_metrics.json"
SHARED = Path(__file__).parents[2].parent / "shared"
PERSONAS = Path(__file__).parents[2] / "personas"
TABLE: list[dict[str, Any]] = json.loads(TABLE_PATH.read_text(encoding="utf-8"))
BY_TEXT = {row["text"]: row["expected"] for row in TABLE}


def metric_texts(path: Path) -> list[str]:
    """The ``<metric>`` texts of a document, with the three XML entities unescaped."""
    text = path.read_text(encoding="utf-8")
    found = re.findall(r"<metric>(.*?)</metric>", text, re.DOTALL)
    return [m.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&") for m in found]


def parsed(text: str) -> Metric:
    result = parse_metric(text)
    assert isinstance(result, Metric), result
    return result


def without_text(metric: Metric) -> Metric:
    return dataclasses.replace(metric, text="")


# --------------------------------------------------------------------------- the table


@pytest.mark.parametrize("row", TABLE, ids=[row["text"] for row in TABLE])
def test_table_entry_parses_to_expected(row: dict[str, Any]) -> None:
    metric = parsed(row["text"])
    assert metric.to_dict() == row["expected"]
    # Real metrics carry no impossible values, and print to text that reads back the same.
    assert check_value(metric) is None
    assert without_text(parsed(format_metric(metric))) == without_text(metric)


def test_table_has_unique_texts() -> None:
    assert len(BY_TEXT) == len(TABLE)


def corpus_files() -> list[Path]:
    return [
        *sorted((SHARED / "corpus" / "persona-context").glob("*.md")),
        SHARED / "reference" / "backend-engineer.md",
        *sorted((SHARED / "corpus" / "compact-layout").glob("*.md")),
    ]


@pytest.mark.skipif(
    not (SHARED / "corpus").is_dir(), reason="../shared (the real persona corpus) is absent"
)
def test_every_corpus_metric_is_in_the_table() -> None:
    seen = 0
    for path in corpus_files():
        for text in metric_texts(path):
            seen += 1
            assert text in BY_TEXT, f"{path.name}: {text!r} is missing from {TABLE_PATH.name}"
            assert parsed(text).to_dict() == BY_TEXT[text]
    assert seen >= 60  # 12 canonical-layout files x 5 metrics, and the compact ones


@pytest.mark.skipif(not PERSONAS.is_dir(), reason="the showcase personas are absent")
def test_showcase_persona_metrics_are_measurable() -> None:
    for path in sorted(PERSONAS.glob("*.md")):
        for text in metric_texts(path):
            metric = parsed(text)
            assert metric.threshold is not None, f"{path.name}: {text!r}"
            assert check_value(metric) is None, f"{path.name}: {text!r}"


# --------------------------------------------------------------------------- exact structures


def T(value: float, text: str, kind: str = "number", scale: float | None = None) -> Threshold:
    return Threshold(value, kind, scale, text)


C = Comparator


def ex(
    text: str,
    subject: str,
    comparator: Comparator,
    threshold: Threshold,
    *,
    unit: str | None = None,
    qualifiers: tuple[str, ...] = (),
    percentile: float | None = None,
    baseline: str | None = None,
) -> tuple[str, Metric]:
    """A metric text and the metric it must parse to."""
    metric = Metric(subject, comparator, threshold, unit, qualifiers, percentile, baseline, "")
    return text, dataclasses.replace(metric, text=normalise(text))


# fmt: off
EXAMPLES = [
    ex("API response time < 200ms for 95% of requests",
       "API response time", C.LT, T(200, "200"),
       unit="ms", qualifiers=("for 95% of requests",), percentile=95.0),
    ex("Response time p95 < 200ms target",
       "Response time", C.LT, T(200, "200"),
       unit="ms", qualifiers=("p95", "target"), percentile=95.0),
    ex("Response time p95 &lt; 200ms target",
       "Response time", C.LT, T(200, "200"),
       unit="ms", qualifiers=("p95", "target"), percentile=95.0),
    ex("Test coverage ≥ 90% with quality assertions",
       "Test coverage", C.GE, T(90, "90"), unit="%", qualifiers=("with quality assertions",)),
    ex("Deployment frequency > 10/day",
       "Deployment frequency", C.GT, T(10, "10"), unit="/day"),
    ex("Deployment frequency > 10 deployments/day",
       "Deployment frequency", C.GT, T(10, "10"), unit="/day"),
    ex("User satisfaction score > 4.0/5.0",
       "User satisfaction score", C.GT, T(4, "4.0/5.0", "ratio", 5.0)),
    ex("User satisfaction score &gt; 4.0/5.0",
       "User satisfaction score", C.GT, T(4, "4.0/5.0", "ratio", 5.0)),
    ex("Mean time to recovery (MTTR) < 30 minutes",
       "Mean time to recovery (MTTR)", C.LT, T(30, "30"), unit="minute"),
    ex("Database query performance < 100ms average",
       "Database query performance", C.LT, T(100, "100"), unit="ms", qualifiers=("average",)),
    ex("Error rate < 0.1% for production traffic",
       "Error rate", C.LT, T(0.1, "0.1"), unit="%", qualifiers=("for production traffic",)),
    ex("API documentation coverage > 95%",
       "API documentation coverage", C.GT, T(95, "95"), unit="%"),
    ex("< 15 minute incident response time",
       "incident response time", C.LT, T(15, "15"), unit="minute"),
    ex("99.99% infrastructure availability",
       "infrastructure availability", C.IMPLIED, T(99.99, "99.99"), unit="%"),
    ex("Patch deployment within 48 hours",
       "Patch deployment", C.WITHIN, T(48, "48"), unit="hour"),
    ex("Development velocity 2x faster than native",
       "Development velocity", C.FASTER, T(2, "2x", "multiplier"), baseline="native"),
    ex("Cost per query < baseline by 25%",
       "Cost per query", C.LT, T(25, "25"), unit="%", baseline="baseline"),
    ex("Cost optimization > 30% vs baseline",
       "Cost optimization", C.GT, T(30, "30"),
       unit="%", qualifiers=("vs baseline",), baseline="baseline"),
    ex("Security vulnerability score: zero high-severity",
       "Security vulnerability score", C.IMPLIED, T(0, "zero", "word"),
       qualifiers=("high-severity",)),
    ex("Zero high-severity vulnerabilities in production",
       "high-severity vulnerabilities", C.IMPLIED, T(0, "Zero", "word"),
       qualifiers=("in production",)),
    ex("Zero high-severity security vulnerabilities",
       "high-severity security vulnerabilities", C.IMPLIED, T(0, "Zero", "word")),
    ex("Smooth performance on low-end devices (60 FPS)",
       "Smooth performance on low-end devices", C.IMPLIED, T(60, "60"), unit="FPS"),
    ex("Query performance < 100ms p95",
       "Query performance", C.LT, T(100, "100"), unit="ms", qualifiers=("p95",), percentile=95.0),
    ex("Latency p99.9 <= 1 s at peak",
       "Latency", C.LE, T(1, "1"), unit="s", qualifiers=("p99.9", "at peak"), percentile=99.9),
    ex("Interaction to Next Paint < 200ms at the 75th percentile",
       "Interaction to Next Paint", C.LT, T(200, "200"),
       unit="ms", qualifiers=("at the 75th percentile",), percentile=75.0),
    ex("Latency = 5 sec",
       "Latency", C.EQ, T(5, "5"), unit="s"),
    ex("Latency ≤ 5 Seconds",
       "Latency", C.LE, T(5, "5"), unit="s"),
    ex("Latency >= 5ms",
       "Latency", C.GE, T(5, "5"), unit="ms"),
    ex("Latency &lt;= 5 ms",
       "Latency", C.LE, T(5, "5"), unit="ms"),
    ex("Recovery < 2 Hours",
       "Recovery", C.LT, T(2, "2"), unit="hour"),
    ex("Retention > 30 days",
       "Retention", C.GT, T(30, "30"), unit="day"),
    ex("Throughput > 500 rps",
       "Throughput", C.GT, T(500, "500"), unit="req/s"),
    ex("Throughput > 10k req/s",
       "Throughput", C.GT, T(10000, "10k"), unit="req/s"),
    ex("Heap < 512 mb",
       "Heap", C.LT, T(512, "512"), unit="MB"),
    ex("Image size < 1.5GB",
       "Image size", C.LT, T(1.5, "1.5"), unit="GB"),
    ex("Rendering > 60 fps",
       "Rendering", C.GT, T(60, "60"), unit="FPS"),
    ex("Monthly spend < $1,000 per team",
       "Monthly spend", C.LT, T(1000, "1,000"), unit="$", qualifiers=("per team",)),
    ex("Incidents: 0 per quarter",
       "Incidents", C.IMPLIED, T(0, "0"), unit="/quarter"),
    ex("Escalations < five per week",
       "Escalations", C.LT, T(5, "five", "word"), unit="/week"),
    ex("Patch deployment within one hour",
       "Patch deployment", C.WITHIN, T(1, "one", "word"), unit="hour"),
    ex("At least 99.9% uptime",
       "uptime", C.GE, T(99.9, "99.9"), unit="%"),
    ex("No more than 3 pages per night",
       "pages", C.LE, T(3, "3"), qualifiers=("per night",)),
    ex("Build time 50% lower than last release",
       "Build time", C.LOWER, T(50, "50"), unit="%", baseline="last release"),
    ex("Build 3x faster",
       "Build", C.FASTER, T(3, "3x", "multiplier")),
    ex("New defects triaged within 1 business day",
       "New defects triaged", C.WITHIN, T(1, "1"), unit="business day"),
    ex("Checks passing on 100% of audited routes",
       "Checks passing on", C.IMPLIED, T(100, "100"), unit="%", qualifiers=("of audited routes",)),
    ex("Latency (p95) < 200ms, measured weekly",
       "Latency", C.LT, T(200, "200"),
       unit="ms", qualifiers=("p95", "measured weekly"), percentile=95.0),
    ex("Lock wait < 50µs",
       "Lock wait", C.LT, T(50, "50"), unit="μs"),
    ex("No single point of failure",
       "single point of failure", C.IMPLIED, T(0, "No", "word")),
    ex("Uptime 99.9%, measured monthly.",
       "Uptime", C.IMPLIED, T(99.9, "99.9"), unit="%", qualifiers=("measured monthly",)),
]
# fmt: on


@pytest.mark.parametrize(("text", "expected"), EXAMPLES, ids=[text for text, _ in EXAMPLES])
def test_exact_structure(text: str, expected: Metric) -> None:
    assert parse_metric(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Performance benchmarks met",
        "All data flows encrypted and authenticated",
        "Complete audit trail for sensitive operations",
        "Memory usage within iOS recommendations",
        "Throughput meets or exceeds SLA requirements",
        "Support for two regions",
        "Zero-downtime deployments",
        "",
    ],
)
def test_metric_without_threshold(text: str) -> None:
    metric = parsed(text)
    assert metric == Metric(text, None, None, None, (), None, None, text)
    assert check_value(metric) is None
    assert format_metric(metric) == text


def test_whitespace_is_normalised() -> None:
    metric = parsed("  API response\n    time\t&lt; 200ms\n for 95%   of requests ")
    assert metric.subject == "API response time"
    assert metric.qualifiers == ("for 95% of requests",)
    assert metric.text == "API response time < 200ms for 95% of requests"


def test_normalise() -> None:
    assert normalise(" a \n\t b&amp;lt; &lt;&gt;&le;&ge;&#10;c&#x41; ") == "a b&lt; <>≤≥ cA"
    assert normalise("&#0; &#99999999; &nbsp;") == "&#0; &#99999999; &nbsp;"


def test_to_dict_is_json_ready() -> None:
    metric = parsed("User satisfaction score > 4.0/5.0 for 95% of users")
    data = metric.to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data == {
        "subject": "User satisfaction score",
        "comparator": ">",
        "threshold": {"value": 4.0, "kind": "ratio", "scale": 5.0, "text": "4.0/5.0"},
        "unit": None,
        "qualifiers": ["for 95% of users"],
        "percentile": 95.0,
        "baseline": None,
        "text": "User satisfaction score > 4.0/5.0 for 95% of users",
    }


# --------------------------------------------------------------------------- problems


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("API latency << 200ms", 12, 14),  # "<<"
        ("Latency < ms", 8, 12),  # "< ms"
        ("Latency <= > 5ms", 8, 12),  # "<= >"
        ("Latency <", 8, 9),  # "<"
        ("<", 0, 1),
        ("Latency =< 5ms", 8, 10),  # "=<"
        ("Latency != 5ms", 8, 10),  # "!="
        ("Latency < 5ms > 1ms", 14, 15),  # the second ">"
        ("Latency < fast", 8, 14),  # "< fast"
        ("Velocity 2x faster than", 12, 23),  # "faster than"
        ("Latency\n  &lt;&lt; 5ms", 8, 10),  # offsets into the normalised "Latency << 5ms"
    ],
)
def test_malformed_comparison(text: str, start: int, end: int) -> None:
    problem = parse_metric(text)
    assert isinstance(problem, MetricProblem)
    assert (problem.kind, problem.start, problem.end) == ("malformed-comparison", start, end)
    assert problem.message


@pytest.mark.parametrize(
    ("text", "kind", "span"),
    [
        ("Coverage > 120%", "percentage-range", "120%"),
        ("Coverage >= -5 %", "percentage-range", "-5 %"),
        ("Satisfaction > 6/5", "score-scale", "6/5"),
        ("Satisfaction > -1/5", "score-scale", "-1/5"),
        ("Satisfaction > 4/0", "score-scale", "4/0"),
        ("Latency < -5ms", "negative-value", "-5ms"),
        ("Deployment frequency > -2/day", "negative-value", "-2/day"),
        ("Heap < -3 MB", "negative-value", "-3 MB"),
        ("Build -2x faster than native", "negative-value", "-2x"),
        ("Latency < 5ms p120", "percentage-range", "p120"),
        ("Latency < 5ms for 150% of requests", "percentage-range", "for 150% of requests"),
    ],
)
def test_check_value_problems(text: str, kind: str, span: str) -> None:
    metric = parsed(text)
    problem = check_value(metric)
    assert problem is not None
    assert problem.kind == kind
    assert metric.text[problem.start : problem.end] == span
    assert problem.message


@pytest.mark.parametrize(
    "text",
    [
        "Coverage > 100%",
        "Coverage >= 0%",
        "Satisfaction > 5/5",
        "Cost optimization > 130% vs baseline",  # relative percentages may exceed 100
        "Throughput 150% higher than last year",
        "Net promoter score > -10",  # a unitless score may be negative
        "Budget delta < $-5",
        "Performance benchmarks met",
    ],
)
def test_check_value_accepts(text: str) -> None:
    assert check_value(parsed(text)) is None


def test_check_value_on_a_metric_built_by_hand() -> None:
    metric = Metric("Coverage", Comparator.GT, T(120, "120"), "%", (), None, None, "made up")
    problem = check_value(metric)
    assert problem is not None
    assert (problem.kind, problem.start, problem.end) == ("percentage-range", 0, len("made up"))


def test_a_text_is_read_once_in_a_bounded_cache() -> None:
    """Repositories repeat metric texts across personas: each is parsed once, and the cache
    of parsed texts has a bound."""
    text = "API response time < 200ms for 95% of requests"
    first = parse_metric(text)
    assert parse_metric(text) is first
    assert parse_metric(normalise(f"  {text}\n")) is first  # the same normalised text
    assert parse_text.cache_info().maxsize is not None
    parse_text.cache_clear()
    again = parse_metric(text)
    assert again == first
    assert again is not first
    # check_value finds the places of a problem whether or not the text is still cached.
    negative = parse_metric("Latency p95 < -5ms")
    assert isinstance(negative, Metric)
    found = check_value(negative)
    assert found is not None
    parse_text.cache_clear()
    assert check_value(negative) == found


# --------------------------------------------------------------------------- contradictions


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Error rate < 0.1%", "Error rate > 5%"),
        ("Error rate < 0.1% for production traffic", "error  rate > 5%"),
        ("Latency < 200ms", "latency > 1 s"),
        ("Latency < 5ms", "Latency >= 5ms"),
        ("Latency <= 5ms", "Latency > 5ms"),
        ("Latency p95 < 200ms", "Latency > 300ms p95"),
        ("Errors = 0", "Errors > 0"),
        ("Zero high-severity vulnerabilities", "High-severity vulnerabilities > 2"),
        ("Patch deployment within 48 hours", "Patch deployment > 3 days"),
        ("Score > 4/5", "Score < 3/5"),
        ("Deployment frequency > 10/day", "Deployment frequency < 7/week"),
    ],
)
def test_contradicts(a: str, b: str) -> None:
    assert contradicts(parsed(a), parsed(b))
    assert contradicts(parsed(b), parsed(a))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Latency <= 5ms", "Latency >= 5ms"),
        ("Latency < 200ms", "Latency > 100ms"),
        ("Latency < 200ms", "Throughput > 500ms"),
        ("Error rate < 0.1%", "Error rate > 5 ms"),
        ("Latency p95 < 200ms", "Latency p99 > 500ms"),
        ("Error rate < 0.1% for production traffic", "Error rate > 5% in staging"),
        ("99.99% infrastructure availability", "Infrastructure availability < 50%"),
        ("Score > 4/5", "Score < 3/10"),
        ("Cost per query < baseline by 25%", "Cost per query > baseline by 10%"),
        ("Build 2x faster than native", "Build 2x slower than native"),
        ("Release cadence < 2 months", "Release cadence > 90 days"),
        ("Performance benchmarks met", "Performance benchmarks met"),
        ("Retries < 2x", "Retries > 5"),
    ],
)
def test_does_not_contradict(a: str, b: str) -> None:
    assert not contradicts(parsed(a), parsed(b))
    assert not contradicts(parsed(b), parsed(a))


# What PL606 reports: every pair of metrics that contradicts() finds.
METRIC_POOL = [
    "Error rate < 0.1% for production traffic",
    "Error rate > 5%",
    "error  rate > 1%",
    "Error rate < 2%",
    "API response time < 200ms",
    "API response time > 1 s",
    "Zero high-severity vulnerabilities",
    "Deployment frequency > 10/day",
    "Deployment frequency < 7/week",
]


@settings(max_examples=examples(60), deadline=None)
@given(st.lists(st.sampled_from(METRIC_POOL), min_size=1, max_size=6))
@example(["Error rate < 0.1% for production traffic", "Error rate > 5%", "error  rate > 1%"])
def test_contradictions_are_every_pair_that_contradicts(pool: list[str]) -> None:
    """PL606 compares only metrics that share a subject: it reports every pair that
    contradicts() finds among all pairs."""
    metrics_xml = "\n      ".join(f"<metric>{text}</metric>" for text in pool)
    start = CANONICAL.index("<success_metrics>") + len("<success_metrics>")
    end = CANONICAL.index("</success_metrics>")
    text = CANONICAL[:start] + "\n      " + metrics_xml + "\n    " + CANONICAL[end:]
    line = CANONICAL[:start].count("\n") + 2  # the first metric's line
    expected = set()
    parsed = [parse_metric(metric) for metric in pool]
    for (i, a), (j, b) in itertools.combinations(enumerate(parsed), 2):
        if isinstance(a, Metric) and isinstance(b, Metric) and contradicts(a, b):
            expected |= {line + i, line + j}
    found = {line for code, line, _ in triples(lint(text).diagnostics) if code == "PL606"}
    assert found == expected


# --------------------------------------------------------------------------- printing


@pytest.mark.parametrize(
    ("text", "printed"),
    [
        ("< 15 minute incident response time", "incident response time < 15 minutes"),
        ("99.99% infrastructure availability", "infrastructure availability: 99.99%"),
        ("Latency ≥ 1 hours", "Latency >= 1 hour"),
        ("Response time p95 &lt; 200ms target", "Response time < 200ms p95 target"),
        ("Cost per query < baseline by 25%", "Cost per query < baseline by 25%"),
        (
            "Development velocity 2x faster than native",
            "Development velocity 2x faster than native",
        ),
        ("Checks passing on 100% of routes", "Checks passing on 100% of routes"),
        ("Spend < $10k", "Spend < $10k"),
        ("Latency < 10k ms", "Latency < 10k ms"),
        ("Zero data corruption incidents", "data corruption incidents: Zero"),
    ],
)
def test_format_metric(text: str, printed: str) -> None:
    metric = parsed(text)
    assert format_metric(metric) == printed
    assert parsed(printed) == dataclasses.replace(metric, text=printed)


def test_format_rejects_half_metrics() -> None:
    with pytest.raises(ValueError, match="comparator"):
        format_metric(Metric("X", Comparator.LT, None, None, (), None, None, ""))
    with pytest.raises(ValueError, match="comparator"):
        format_metric(Metric("X", None, T(1, "1"), None, (), None, None, ""))


def test_docstring_documents_every_comparator() -> None:
    doc = metrics.__doc__ or ""
    for comparator in Comparator:
        assert f"``{comparator.value}``" in doc, comparator


# --------------------------------------------------------------------------- properties

# Words the grammar gives a meaning to; generated subjects, qualifiers and baselines avoid them.
_RESERVED_LINES = (
    "for with without on per in at over across during within under after before from by via",
    "when while until excluding including vs versus than",
    "average avg mean median target goal peak maximum minimum",
    "faster slower higher lower more less fewer better cheaper smaller larger greater",
    "below above exactly least most up to",
    "zero none no one two three four five six seven eight nine ten eleven twelve hundred",
    "thousand ms msec msecs millisecond milliseconds s sec secs second seconds min mins",
    "minute minutes h hr hrs hour hours d day days wk wks week weeks month months quarter",
    "quarters yr yrs year years microsecond microseconds percent kb mb gb tb fps rps",
    "business working",
)
RESERVED = frozenset(word for line in _RESERVED_LINES for word in line.split())
WORDS = st.from_regex(r"[A-Za-z][a-z]{0,7}", fullmatch=True).filter(
    lambda word: word.lower() not in RESERVED
)


def phrase(most: int) -> st.SearchStrategy[str]:
    return st.lists(WORDS, min_size=1, max_size=most).map(" ".join)


PREPOSITIONS = ["for", "with", "on", "per", "in", "at", "over", "across", "during", "within"]
UNITS = [
    "μs", "ms", "s", "minute", "hour", "day", "week", "month", "quarter", "year", "business day",
    "%", "KB", "MB", "GB", "TB", "FPS", "req/s", "/s", "/minute", "/hour", "/day", "/week",
    "/month", "/quarter", "/year", "$", "€", "£",
]  # fmt: skip
NUMBER_WORDS = {"zero": 0, "None": 0, "one": 1, "Two": 2, "five": 5, "ten": 10, "hundred": 100}


@st.composite
def thresholds(draw: st.DrawFn, kinds: tuple[str, ...]) -> tuple[Threshold, str | None]:
    """A threshold and a unit that can go with it."""
    kind = draw(st.sampled_from(kinds))
    if kind == "word":
        word = draw(st.sampled_from(sorted(NUMBER_WORDS)))
        unit = draw(st.sampled_from([None, "hour", "minute", "%", "ms", "FPS", "/day"]))
        return Threshold(float(NUMBER_WORDS[word]), "word", None, word), unit
    digits = draw(
        st.one_of(
            st.integers(0, 100_000).map(str),
            st.from_regex(r"[0-9]{1,3}\.[0-9]{1,3}", fullmatch=True),
            st.from_regex(r"[1-9][0-9]{0,2}(,[0-9]{3}){1,2}", fullmatch=True),
        )
    )
    value = float(digits.replace(",", ""))
    if kind == "ratio":
        scale = draw(st.sampled_from(["5", "5.0", "10", "100"]))
        return Threshold(value, "ratio", float(scale), f"{digits}/{scale}"), None
    sign = draw(st.sampled_from(["", "", "-"]))
    if sign:
        value = -1.0 * value
    if kind == "multiplier":
        mark = draw(st.sampled_from(["x", "X", "×"]))
        return Threshold(value, "multiplier", None, f"{sign}{digits}{mark}"), None
    magnitude = draw(st.sampled_from(["", "", "", "k", "M"]))
    if magnitude:
        value *= {"k": 1_000, "M": 1_000_000}[magnitude]
    unit = draw(st.sampled_from([None, *UNITS]))
    return Threshold(value, "number", None, f"{sign}{digits}{magnitude}"), unit


# A qualifier and its percentile.
Qualifier = tuple[str, float | None]


@st.composite
def qualifier(draw: st.DrawFn) -> Qualifier:
    choice = draw(
        st.sampled_from(["phrase", "share", "nth", "versus", "marker", "p", "bare", "unit"])
    )
    if choice == "phrase":
        return f"{draw(st.sampled_from(PREPOSITIONS))} {draw(phrase(3))}", None
    if choice == "share":
        share = draw(st.integers(0, 100))
        return f"for {share}% of {draw(WORDS)}", float(share)
    if choice == "nth":
        nth = draw(st.sampled_from([50, 75, 90, 99]))
        return f"at the {nth}th percentile", float(nth)
    if choice == "versus":
        return f"vs {draw(phrase(2))}", None
    if choice == "marker":
        return draw(st.sampled_from(["average", "target", "median", "peak"])), None
    if choice == "p":
        number = draw(st.sampled_from(["50", "95", "99", "99.9"]))
        return f"p{number}", float(number)
    if choice == "unit":
        # Printed after a number without a unit, these would become its unit.
        return draw(st.sampled_from(["per day", "minutes", "business days", "FPS", "ms"])), None
    return draw(phrase(2)), None


@st.composite
def metrics_to_print(draw: st.DrawFn) -> Metric:
    comparator = draw(st.sampled_from(list(Comparator)))
    subject = draw(st.just("") | phrase(4))
    baseline: str | None = None
    if comparator.is_relative:
        threshold, unit = draw(thresholds(("number", "multiplier")))
        baseline = draw(st.none() | phrase(2))
    elif comparator is Comparator.IMPLIED:
        threshold, unit = draw(thresholds(("number", "word", "ratio", "multiplier")))
    else:
        threshold, unit = draw(thresholds(("number", "word", "ratio", "multiplier")))
        if threshold.kind != "word" and draw(st.booleans()):
            baseline = draw(phrase(2))
    chosen = draw(st.lists(qualifier(), max_size=4))
    qualifiers = tuple(text for text, _ in chosen)
    percentile = next((p for _, p in chosen if p is not None), None)
    if baseline is None:
        baseline = next((q[3:] for q in qualifiers if q.startswith("vs ")), None)
    metric = Metric(subject, comparator, threshold, unit, qualifiers, percentile, baseline, "")
    return dataclasses.replace(metric, text=format_metric(metric))


# 100 examples each, and the relative metric below, reach every line and branch of
# persona_lint/metrics that 300 each reached (measured with coverage).
@settings(max_examples=examples(100), deadline=None, derandomize=True)
@given(metrics_to_print())
def test_parse_reads_back_what_format_prints(metric: Metric) -> None:
    assert parse_metric(format_metric(metric)) == metric


METRIC_TOKENS = st.sampled_from(
    ["<", "<=", ">", ">=", "=", "≤", "≥", "<<", "&lt;", "&gt;", "!=", ":", "(", ")", ",", ".",
     "5ms", "200", "-3", "4.0/5.0", "2x", "10k", "$4", "1,000", "99.9%", "%", "minutes", "FPS",
     "deployments/day", "per", "day", "zero", "no", "one", "within", "at", "least", "more",
     "than", "faster", "by", "baseline", "vs", "for", "95%", "of", "p95", "average", "target",
     "latency", "API", "business", "day", "(60", "FPS)", "\n", "\t"]
)  # fmt: skip
SOUP = st.lists(st.one_of(METRIC_TOKENS, WORDS), max_size=10).map(" ".join)


def assert_well_formed(text: str) -> None:
    normalised = normalise(text)
    result = parse_metric(text)
    assert isinstance(result, Metric | MetricProblem)
    if isinstance(result, MetricProblem):
        assert 0 <= result.start <= result.end <= len(normalised)
        return
    assert result.text == normalised
    problem = check_value(result)
    if problem is not None:
        assert 0 <= problem.start <= problem.end <= len(normalised)
    assert contradicts(result, result) in (True, False)


@settings(max_examples=examples(100), deadline=None, derandomize=True)
@given(st.text())
def test_parse_never_raises_on_any_text(text: str) -> None:
    assert_well_formed(text)


@settings(max_examples=examples(100), deadline=None, derandomize=True)
@given(SOUP)
@example("20% faster API")  # a comparative followed by neither "than" nor an end
def test_parse_never_raises_on_metric_like_text(text: str) -> None:
    assert_well_formed(text)


@settings(max_examples=examples(100), deadline=None, derandomize=True)
@given(SOUP)
def test_format_is_canonical(text: str) -> None:
    """Whatever parses prints to a text that parses to the same metric."""
    metric = parse_metric(text)
    if isinstance(metric, Metric):
        printed = format_metric(metric)
        assert parse_metric(printed) == dataclasses.replace(metric, text=printed)
