"""PL8xx: checks across all documents of one run.

Every cross-file rule lives here: a run served from the cache imports this family alone.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence

from persona_lint.diagnostics import Diagnostic, Severity
from persona_lint.engine.result import PersonaFacts
from persona_lint.rules.context import RuleContext
from persona_lint.rules.registry import RULES, corpus_rule


@corpus_rule(
    "PL801",
    "duplicate-slug",
    Severity.ERROR,
    "two documents share one active slug",
    options={"named-holders": 3},  # other holders of the slug that a message names
)
def duplicate_slug(personas: Sequence[PersonaFacts], context: RuleContext) -> Iterator[Diagnostic]:
    """Two documents in one run share one `active` slug.

    ## What it does
    Checks the `persona_context/@active` slugs of all documents of one run (cached results
    included) and reports every document whose slug another one has too, naming the others:
    the first three, then how many more (a message naming every one of 3,000 holders would
    make the report grow with their square).

    ## Why is this bad?
    `--persona <slug>` must select exactly one persona; with two, the one the AI tool loads
    depends on load order.

    ## Example
    Two files of one run:
    ```text
    personas/backend.md           <persona_context active="backend-engineer">
    personas/backend-engineer.md  <persona_context active="backend-engineer">
    ```

    ## Use instead
    One slug per persona (or one file):
    ```text
    personas/backend-api.md       <persona_context active="backend-api">
    personas/backend-engineer.md  <persona_context active="backend-engineer">
    ```
    """
    named_holders = context.options["named-holders"]
    by_slug: dict[str, list[PersonaFacts]] = defaultdict(list)
    for persona in personas:
        by_slug[persona.slug].append(persona)
    for slug, holders in by_slug.items():
        if len(holders) < 2:
            continue
        for persona in holders:
            named = [p.path for p in holders[: named_holders + 1] if p is not persona]
            others = ", ".join(named[:named_holders])
            more = len(holders) - 1 - min(len(named), named_holders)
            if more:
                others += f" and {more} more"
            yield Diagnostic(
                persona.path,
                persona.line,
                persona.column,
                "PL801",
                f"active={slug!r} is also used by {others}",
                RULES["PL801"].severity,
                persona.line,
                persona.column + len(slug),
            )
