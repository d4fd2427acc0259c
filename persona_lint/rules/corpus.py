"""PL8xx: checks across all documents of one run."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence

from persona_lint.diagnostics import Diagnostic, Severity
from persona_lint.document import Document
from persona_lint.rules.context import RuleContext
from persona_lint.rules.identity import active_slug
from persona_lint.rules.registry import corpus_rule, finding


@corpus_rule("PL801", "duplicate-slug", Severity.ERROR, "two documents share one active slug")
def duplicate_slug(documents: Sequence[Document], context: RuleContext) -> Iterator[Diagnostic]:
    """Two documents in one run have the same ``persona_context/@active`` slug. Each is
    reported, naming the other.

    Why: ``--persona <slug>`` must select exactly one persona; with two, the one that wins
    depends on load order.

    Fails: ``personas/backend.md`` and ``personas/backend-engineer.md`` both with
    ``active="backend-engineer"``.
    """
    by_slug: dict[str, list[tuple[Document, tuple[int, int]]]] = defaultdict(list)
    for document in documents:
        found = active_slug(document)
        if found is not None:
            by_slug[found[0]].append((document, found[1]))
    for slug, holders in by_slug.items():
        if len(holders) < 2:
            continue
        for document, (line, column) in holders:
            others = ", ".join(d.path for d, _ in holders if d is not document)
            yield finding(
                "PL801",
                document,
                line,
                column,
                f"active={slug!r} is also used by {others}",
                end_column=column + len(slug),
            )
