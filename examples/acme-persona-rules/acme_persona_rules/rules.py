"""ACME's persona rules, registered with persona-lint's public API when imported."""

from __future__ import annotations

import re
from collections.abc import Iterator

from persona_lint.api import Diagnostic, Document, RuleContext, Severity, finding, rule


@rule("ACME301", "metric-has-number", Severity.WARNING, "a success metric has no number")
def metric_has_number(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """A success metric has no number.

    ## What it does
    Checks that every `success_metrics/metric` holds a number to measure against.

    ## Why is this bad?
    "Zero high-severity findings" reads well but no dashboard can plot it; ACME's reviews
    ask for a figure.

    ## Example
    ```xml
    <metric>Security vulnerability score: zero high-severity</metric>
    ```

    ## Use instead
    ```xml
    <metric>Security vulnerability score: 0 high-severity findings</metric>
    ```
    """
    block = document.persona_context
    if block is None or block.root is None:
        return
    for metric in block.root.iterfind("quality_standards/success_metrics/metric"):
        text = "".join(metric.itertext()).strip()
        if not re.search(r"[0-9]", text):
            line, column = block.locate(metric)
            yield finding("ACME301", document, line, column, f"metric {text!r} has no number")
