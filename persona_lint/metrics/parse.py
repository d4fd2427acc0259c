"""Parsing a metric: the five forms of the grammar, tried in order (see the package docs)."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Sequence

from persona_lint.metrics.model import COMPARATIVES, Comparator, Metric, MetricProblem
from persona_lint.metrics.qualifiers import (
    Piece,
    is_marker,
    lead_end,
    percentile_of,
    split_qualifiers,
    split_subject,
)
from persona_lint.metrics.thresholds import ThresholdMatch, threshold_at
from persona_lint.metrics.tokens import Token, normalise, tokenise
from persona_lint.metrics.vocabulary import (
    OPERATORS,
    QUALIFIER_WORDS,
    VERSUS,
    WORD_COMPARATORS_BY_FIRST,
)


@dataclasses.dataclass(frozen=True, slots=True)
class Parsed:
    """A metric and where its threshold and qualifiers are in its text."""

    metric: Metric
    threshold_span: tuple[int, int] | None
    qualifier_spans: tuple[tuple[int, int], ...]


def _slice(text: str, tokens: Sequence[Token]) -> Piece | None:
    if not tokens:
        return None
    return text[tokens[0].start : tokens[-1].end], tokens[0].start, tokens[-1].end


def _build(
    text: str,
    tokens: Sequence[Token],
    *,
    subject: Sequence[Token] | None,
    comparator: Comparator,
    match: ThresholdMatch,
    baseline: str | None,
    tail: int,
) -> Parsed:
    """Assemble a metric; ``subject=None`` means the subject is the lead after ``tail``."""
    if subject is None:
        end = lead_end(tokens, tail)
        subject, tail = tokens[tail:end], end
    subject_text, pieces = split_subject(text, subject)
    pieces += split_qualifiers(text, tokens[tail:])
    qualifiers = tuple(piece[0] for piece in pieces)
    if baseline is None:
        for qualifier in qualifiers:
            word, _, rest = qualifier.partition(" ")
            if word.lower() in VERSUS and rest:
                baseline = rest
                break
    metric = Metric(
        subject=subject_text,
        comparator=comparator,
        threshold=match.threshold,
        unit=match.unit,
        qualifiers=qualifiers,
        percentile=percentile_of(qualifiers),
        baseline=baseline,
        text=text,
    )
    spans = tuple((start, end) for _, start, end in pieces)
    return Parsed(metric, (match.start, match.end), spans)


def _by_form(tokens: Sequence[Token], start: int) -> tuple[int, ThresholdMatch] | None:
    """``BASELINE by THRESHOLD`` from token ``start``: the index of "by" and the threshold."""
    j = start
    while j < len(tokens) and tokens[j].kind == "word":
        if tokens[j].low == "by" and j > start:
            match = threshold_at(tokens, j + 1, words=False)
            if match is not None:
                return j, match
        elif threshold_at(tokens, j, words=False) is not None:
            return None
        j += 1
    return None


def _problem(message: str, start: int, end: int) -> MetricProblem:
    return MetricProblem("malformed-comparison", message, start, end)


def _comparison(
    text: str,
    tokens: Sequence[Token],
    index: int,
    after: int,
    comparator: Comparator,
) -> Parsed | None:
    """A comparison written at tokens ``index``..``after``; None when no threshold follows."""
    match = threshold_at(tokens, after, words=True)
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
    text: str, tokens: Sequence[Token], ops: Sequence[int]
) -> Parsed | MetricProblem:
    index = ops[0]
    op = tokens[index]
    comparator = OPERATORS.get(op.text)
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


def _word_comparator(tokens: Sequence[Token], i: int) -> tuple[Comparator, int] | None:
    phrases = WORD_COMPARATORS_BY_FIRST.get(tokens[i].low)
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
    text: str, tokens: Sequence[Token], index: int, match: ThresholdMatch
) -> Parsed | MetricProblem | None:
    k = match.next
    if k >= len(tokens) or tokens[k].kind != "word" or tokens[k].low not in COMPARATIVES:
        return None
    comparator = Comparator(tokens[k].low)
    nxt = k + 1
    baseline: str | None = None
    if nxt < len(tokens) and tokens[nxt].low == "than":
        end = nxt + 1
        while end < len(tokens) and not (
            tokens[end].is_separator
            or (tokens[end].kind == "word" and tokens[end].low in QUALIFIER_WORDS)
            or (tokens[end].kind == "word" and is_marker(tokens[end].text))
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
            and (tokens[nxt].low in QUALIFIER_WORDS or is_marker(tokens[nxt].text))
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


# Memoised (a pure function; what it returns is frozen): repositories repeat metric texts, and
# the PL6xx rules take ~90 instead of ~600 µs per file of the 1,000-file benchmark (~28% of
# its whole-process CPU).
@functools.lru_cache(maxsize=2048)
def parse_text(text: str) -> Parsed | MetricProblem:
    """Parse a normalised text: the metric and its spans, or why it cannot be read."""
    tokens = tokenise(text)
    ops = [i for i, token in enumerate(tokens) if token.kind == "op"]
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
        match = threshold_at(tokens, index, words=index == 0 or after_colon, no=index == 0)
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
            subject: Sequence[Token] | None = tokens[: index - 1]
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
    return Parsed(metric, None, ())


# --------------------------------------------------------------------------- public API


def parse_metric(text: str) -> Metric | MetricProblem:
    """Parse a metric's text (after XML parsing); never raises."""
    parsed = parse_text(normalise(text))
    return parsed.metric if isinstance(parsed, Parsed) else parsed
