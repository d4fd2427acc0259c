"""Differential tests of the screens in the rule families PL6xx and PL7xx: each one is
compared with the full analysis it stands in for, and must never hide a finding.

- ``_may_repeat`` (PL704) tells exactly whether two texts have the same item key.
- ``_may_have_empty_stage`` (PL702) is True for every text with an empty stage on a line.
- ``_numbered_lines`` (PL701) finds what ``_NUMBERED_LINE.finditer`` finds.
- ``_mixes_arrows`` (PL703) is True whenever an arrow differs from the first one.
- ``_success_metrics``, the lazy ``offsets``, ``read_normalised``
  and the subject grouping of PL606 give what the general code gives.
"""

from __future__ import annotations

import itertools
from xml.etree.ElementTree import Element, SubElement

from conftest import CANONICAL, lint, triples
from hypothesis import example, given, settings
from hypothesis import strategies as st

from persona_lint import metrics as grammar
from persona_lint.rules import metrics as metric_rules
from persona_lint.rules import sequences

# -- the whitespace lists behind PL704's screen ----------------------------------------------


def test_the_space_lists_are_every_character_str_split_splits_at() -> None:
    spaces = {chr(code) for code in range(0x110000) if chr(code).isspace()}
    listed = {" ", *sequences._SPACES_BUT_BLANK, *sequences._UNICODE_SPACES}
    assert listed == spaces
    assert all(space.isascii() for space in sequences._SPACES_BUT_BLANK)
    assert not any(space.isascii() for space in sequences._UNICODE_SPACES)


# -- PL704: two texts alike ------------------------------------------------------------------

TEXT_PIECES = ["Redis", "redis", "REDIS", "ß", "SS", "ss", " ", "  ", "\t", "\n", "\xa0"]
TEXT_PIECES += ["\u2003", "a", "→", "-", ".", "é", "É"]


def full_repeat(texts: list[str]) -> bool:
    keys = [" ".join(text.split()).casefold() for text in texts]
    keys = [key for key in keys if key]
    return len(set(keys)) < len(keys)


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.lists(st.sampled_from(TEXT_PIECES), max_size=5).map("".join), max_size=6))
@example(["Redis cache", "redis  cache"])
@example(["Redis cache", " redis cache"])
@example(["Redis\tcache", "redis cache"])
@example(["Redis\xa0cache", "redis cache"])
@example(["straße", "STRASSE"])
@example([" ", " "])
@example(["a", "a "])
def test_the_duplicate_screen_is_the_full_comparison(texts: list[str]) -> None:
    texts = [text for text in texts if text]
    assert sequences._may_repeat(texts) == full_repeat(texts), texts


def test_the_duplicate_screen_on_the_example_lists() -> None:
    assert not sequences._may_repeat(["Redis for caching", "Memcached for hot keys"])
    assert sequences._may_repeat(["Redis for caching", "redis  for caching"])
    assert sequences._may_repeat(["Redis for caching", "Redis for caching\n"])


# -- PL702: an empty stage -------------------------------------------------------------------

CHAIN_PIECES = ["→", "->", "-", ">", " ", "\t", "\n", "\r", "a", "b c", "\xa0"]


def full_empty_stage(text: str) -> bool:
    """What empty_arrow_stage reports on, line by line."""
    for _, line in sequences._text_lines(text):
        if ("→" in line or "->" in line) and not all(map(str.strip, sequences._ARROW.split(line))):
            return True
    return False


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(CHAIN_PIECES), max_size=12).map("".join))
@example("a → b → c")
@example("a → → b")
@example("→ a")
@example("a →")
@example("a →\n  b → c")
@example("a\n → b")
@example("a -> b")
@example("a\t→\xa0→ b")
def test_the_empty_stage_screen_never_hides_one(text: str) -> None:
    if full_empty_stage(text):
        assert sequences._may_have_empty_stage(text), text


def test_the_empty_stage_screen_passes_the_usual_chain() -> None:
    assert not sequences._may_have_empty_stage("\n  Unit testing → Integration testing\n  ")


# -- PL701: numbered lines -------------------------------------------------------------------

NUMBER_PIECES = ["1", "2", "10", "٣", ".", " ", "\t", "\n", "\r", "a", "\xa0", "²"]


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(NUMBER_PIECES), max_size=14).map("".join))
@example("1. a\n2. b\n4. c")
@example("  1. a\n  2.\tb")
@example("1.\n2. b")
@example("٣. a\n1. b")
def test_numbered_lines_are_the_regular_expression(text: str) -> None:
    expected = [
        (match.start(2), match.group(2)) for match in sequences._NUMBERED_LINE.finditer(text)
    ]
    assert sequences._numbered_lines(text) == (expected if "." in text else [])


# -- PL703: mixed arrows ---------------------------------------------------------------------


@settings(max_examples=500, deadline=None)
@given(st.lists(st.lists(st.sampled_from(CHAIN_PIECES), max_size=6).map("".join), max_size=4))
def test_the_mixed_arrow_screen_never_hides_one(texts: list[str]) -> None:
    arrows = [arrow.group() for text in texts for arrow in sequences._ARROW.finditer(text)]
    if any(arrow != arrows[0] for arrow in arrows):
        chains = [(None, None, text) for text in texts]
        assert sequences._mixes_arrows(chains), texts  # type: ignore[arg-type]


# -- PL6xx -----------------------------------------------------------------------------------


def tree(shape: list[tuple[int, str]]) -> Element:
    """A root whose children and grandchildren are named from a small alphabet."""
    root = Element("persona_context")
    parents = [root]
    for depth, tag in shape:
        parent = parents[min(depth, len(parents) - 1)]
        parents.append(SubElement(parent, tag))
    return root


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 3), st.sampled_from(["quality_standards", "success_metrics", "x"])
        ),
        max_size=8,
    )
)
def test_success_metrics_is_element_find(shape: list[tuple[int, str]]) -> None:
    root = tree(shape)
    found = metric_rules._success_metrics(root)
    assert found is root.find("quality_standards/success_metrics")


RAW_METRICS = [
    "API response time < 200ms for 95% of requests",
    "  Error rate\n   &lt; 0.1%  for production traffic ",
    "Latency &amp;lt; 5ms",
    "Cost &amp; time < 5 days",
    "Uptime\t≥ 99.9%",
    "",
]


def old_offsets(raw: str) -> tuple[str, tuple[int, ...]]:
    """The text and offsets as parsed_metrics computed them before they became lazy."""
    text, offsets = metric_rules._offsets(raw)
    if "&" in raw and grammar.normalise(raw) != text:
        text = grammar.normalise(raw)
        offsets = tuple(min(i, len(raw)) for i in range(len(text)))
    return text, offsets


def test_the_lazy_offsets_are_the_eager_ones() -> None:
    for raw in RAW_METRICS:
        text, offsets = old_offsets(raw)
        if not text:
            continue
        metric = metric_rules.ParsedMetric(
            None,  # type: ignore[arg-type]
            Element("metric"),
            text,
            raw,
            grammar.parse_metric(text),
        )
        assert metric.offsets == offsets, raw


def test_read_normalised_is_parse_metric_and_check_value() -> None:
    for raw in [*RAW_METRICS, "API documentation coverage > 120%", "Satisfaction > 6/5"]:
        text = grammar.normalise(raw)
        if "&" in text or not text:
            continue
        result = grammar.parse_metric(text)
        problem = grammar.check_value(result) if isinstance(result, grammar.Metric) else None
        assert grammar.read_normalised(text) == (result, problem)


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


@settings(max_examples=60, deadline=None)
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
    parsed = [grammar.parse_metric(metric) for metric in pool]
    for (i, a), (j, b) in itertools.combinations(enumerate(parsed), 2):
        if (
            isinstance(a, grammar.Metric)
            and isinstance(b, grammar.Metric)
            and grammar.contradicts(a, b)
        ):
            expected |= {line + i, line + j}
    found = {line for code, line, _ in triples(lint(text).diagnostics) if code == "PL606"}
    assert found == expected
