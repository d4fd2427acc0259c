"""Printing a metric in its canonical form, one that reads back as the same metric."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from persona_lint.metrics.model import Comparator, Metric, Threshold
from persona_lint.metrics.parse import Parsed, parse_text
from persona_lint.metrics.qualifiers import is_marker
from persona_lint.metrics.thresholds import threshold_at
from persona_lint.metrics.tokens import normalise, tokenise
from persona_lint.metrics.vocabulary import (
    ATTACHED,
    CURRENCIES,
    PRINTED_OPERATOR,
    QUALIFIER_WORDS,
    TIME_CANONICAL,
    VERSUS,
)


def render_number(value: float) -> str:
    """A value as written in a metric: ``200``, ``0.1``."""
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def _format_threshold(threshold: Threshold, unit: str | None) -> str:
    written = threshold.text or render_number(threshold.value)
    if unit is None:
        return written
    if unit in CURRENCIES:
        return unit + written
    if unit in TIME_CANONICAL:
        return f"{written} {unit}" + ("" if threshold.value == 1 else "s")
    if threshold.kind == "number" and unit in ATTACHED and written[-1].isdigit():
        return written + unit
    return f"{written} {unit}"


def _baseline_in_qualifiers(metric: Metric) -> bool:
    for qualifier in metric.qualifiers:
        word, _, rest = qualifier.partition(" ")
        if word.lower() in VERSUS and rest:
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
        if not subject or subject.rpartition(" ")[2].lower() in QUALIFIER_WORDS:
            # "Checks passing on 100% of routes": a colon after "on" would read badly.
            candidates.append(f"{subject} {value}{qualifiers}")
        candidates.append(f"{subject}: {value}{qualifiers}")
        candidates.append(f"{value} {subject}{after_lead}")
    else:
        operator = PRINTED_OPERATOR[comparator]
        target = value if baseline is None else f"{baseline} by {value}"
        candidates.append(f"{subject} {operator} {target}{qualifiers}")
        candidates.append(f"{operator} {target} {subject}{after_lead}")
    printed = [normalise(candidate) for candidate in candidates]
    return next((text for text in printed if _reads_back(text, metric)), printed[0])


def _reads_back(text: str, metric: Metric) -> bool:
    parsed = parse_text(text)
    return isinstance(parsed, Parsed) and parsed.metric == dataclasses.replace(metric, text=text)


def _reads_as_unit(qualifier: str) -> bool:
    """Whether a qualifier printed after a bare number would be read as its unit."""
    match = threshold_at(tokenise("1 " + qualifier), 0, words=False)
    return match is not None and match.unit is not None


def _opens_phrase(qualifier: str) -> bool:
    return qualifier.partition(" ")[0].lower() in QUALIFIER_WORDS


def _is_lone_marker(qualifier: str) -> bool:
    return " " not in qualifier and is_marker(qualifier)


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
