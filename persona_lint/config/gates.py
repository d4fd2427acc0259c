"""The ``required-gates`` key: which gate topics personas must meet, per file."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from persona_lint.config.errors import did_you_mean, dotted, quoted
from persona_lint.config.globs import Glob
from persona_lint.config.readers import Source, read_strings
from persona_lint.config.settings import DEFAULT_GATE_TOPICS, DEFAULT_REQUIRED_TOPICS
from persona_lint.config.toml_lines import KeyPath


class GatePolicy(NamedTuple):
    """The value of ``required-gates``: which gate topics personas must meet.

    Attributes:
        topics: Every topic that may be required (the built-in ones and the file's), with
            its keywords.
        default: The topics every persona must meet.
        per_file: (glob, topics) pairs: the last glob that matches a file replaces
            ``default`` for it.
    """

    topics: Mapping[str, tuple[str, ...]]
    default: tuple[str, ...]
    per_file: tuple[tuple[Glob, tuple[str, ...]], ...] = ()


# The keys of the required-gates table, in the order they are read.
GATE_PARTS = ("topics", "default", "per-file")


def read_gate_policy(source: Source, at: KeyPath, value: Any) -> GatePolicy:
    """The ``required-gates`` table: topics, then those required by default and per file.

    Every required topic must be a known one: built in, or defined under ``topics``.
    """
    key = at[0]
    if not isinstance(value, dict):
        raise source.fail(at, f"{key!r} must be a table with topics, default, per-file")
    for part in value:
        if part not in GATE_PARTS:
            raise source.fail(
                (key, part),
                f"unknown key {quoted(part)} in {key!r}{did_you_mean(part, GATE_PARTS)}",
            )
    topics = _gate_topics(source, key, value.get("topics", {}))

    def known(at: KeyPath, raw: Any) -> tuple[str, ...]:
        names = read_strings(source, at, raw)
        for name in names:
            if name not in topics:
                raise source.fail(
                    at, f"{key}.{at[1]}: unknown topic {quoted(name)}{did_you_mean(name, topics)}"
                )
        return names

    default = known((key, "default"), value.get("default", list(DEFAULT_REQUIRED_TOPICS)))
    per_file_raw = value.get("per-file", {})
    if not isinstance(per_file_raw, dict):
        raise source.fail((key, "per-file"), f"{key}.per-file must be a table of glob = [topics]")
    per_file = tuple(
        (source.glob(place, pattern), known(place, names))
        for pattern, names in per_file_raw.items()
        for place in [(key, "per-file", pattern)]
    )
    return GatePolicy(topics, default, per_file)


def _gate_topics(source: Source, key: str, raw: Any) -> dict[str, tuple[str, ...]]:
    """The built-in gate topics, plus (or replaced by) the table's ``topics``."""
    if not isinstance(raw, dict):
        raise source.fail((key, "topics"), f"{key}.topics must be a table of topic = [keywords]")
    topics = dict(DEFAULT_GATE_TOPICS)
    for topic, keywords in raw.items():
        at = (key, "topics", topic)
        words = read_strings(source, at, keywords)
        if not words or not all(word.strip() for word in words):
            raise source.fail(at, f"{dotted(at)} needs non-empty keywords")
        topics[topic] = tuple(word.strip() for word in words)
    return topics
