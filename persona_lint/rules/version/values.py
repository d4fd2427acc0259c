"""PL304-PL307: the values in the version row (SemVer version, real past date, known status)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from persona_lint.diagnostics import Diagnostic
from persona_lint.document.model import Document
from persona_lint.rules.context import RuleContext
from persona_lint.rules.registry import rule
from persona_lint.rules.version.cells import _DATE, SEMVER, E, _mark, version_cell


@rule(
    "PL304",
    "version-semver",
    E,
    "version is not SemVer 2.0.0",
)
def version_semver(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """The `version` cell is not a SemVer 2.0.0 version.

    ## What it does
    Checks that `version` is a SemVer 2.0.0 version: `MAJOR.MINOR.PATCH`, optionally with a
    pre-release (`-rc.1`) and build metadata (`+build.5`), no leading zeros, no `v`. So `1.0`,
    `v1.0.0` and `01.0.0` fail; `1.0.1` and `2.0.0-rc.1` pass.

    ## Why is this bad?
    Consumers compare versions to know when a persona changed (PL310 does too); `1.0` or `v1`
    do not compare reliably.

    ## Example
    ```markdown
    | 1.0     | 2025-07-11   | stable |
    ```

    ## Use instead
    ```markdown
    | 1.0.1   | 2025-07-11   | stable |
    ```
    """
    cell = version_cell(document, "version")
    if cell is not None and not SEMVER.match(cell.text):
        yield _mark(
            "PL304", document, cell, f"version {cell.text!r} is not SemVer (MAJOR.MINOR.PATCH)"
        )


@rule(
    "PL305",
    "last-updated-date",
    E,
    "last_updated is not a real YYYY-MM-DD date",
)
def last_updated_date(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """The `last_updated` cell is not a real `YYYY-MM-DD` date.

    ## What it does
    Checks that `last_updated` is a calendar date written `YYYY-MM-DD` that exists. So
    `2025-02-30`, `11/07/2025` and `2025-7-11` fail; `2025-07-11` passes.

    ## Why is this bad?
    The date tells readers and tools how fresh a persona is; a date in another format is read
    differently in every country, and a date that does not exist cannot be compared at all.

    ## Example
    ```markdown
    | 1.0.0   | 2025-02-30   | stable |
    ```

    ## Use instead
    ```markdown
    | 1.0.0   | 2025-02-28   | stable |
    ```
    """
    cell = version_cell(document, "last_updated")
    if cell is None:
        return
    if not _DATE.match(cell.text):
        yield _mark("PL305", document, cell, f"last_updated {cell.text!r} is not YYYY-MM-DD")
        return
    try:
        datetime.date.fromisoformat(cell.text)
    except ValueError:
        yield _mark("PL305", document, cell, f"last_updated {cell.text!r} is not a real date")


@rule(
    "PL306",
    "last-updated-future",
    E,
    "last_updated is later than today",
)
def last_updated_future(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """The `last_updated` date is later than today.

    ## What it does
    Checks that `last_updated` is not later than today. The `today` setting pins the date for
    reproducible runs.

    ## Why is this bad?
    A date in the future is a typo, and it hides when the persona really changed.

    ## Example
    ```markdown
    | 1.0.0   | 2999-07-11   | stable |
    ```

    ## Use instead
    ```markdown
    | 1.0.0   | 2025-07-12   | stable |
    ```
    """
    cell = version_cell(document, "last_updated")
    if cell is None or not _DATE.match(cell.text):
        return
    try:
        date = datetime.date.fromisoformat(cell.text)
    except ValueError:
        return
    if date > context.today:
        yield _mark(
            "PL306",
            document,
            cell,
            f"last_updated {cell.text} is later than today ({context.today.isoformat()})",
        )


@rule(
    "PL307",
    "status-value",
    E,
    "status is not one of the allowed values",
)
def status_value(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """The `status` cell is not one of the allowed values.

    ## What it does
    Checks that `status` is one of the `statuses` setting: by default `draft`, `review`,
    `stable`, `deprecated` (case matters: `Stable` fails, as does `final`).

    ## Why is this bad?
    The status tells readers and tools whether a persona is ready to be loaded (a `draft` is
    not, a `deprecated` one is on its way out); a status they do not know says neither.

    ## Example
    ```markdown
    | 1.0.0   | 2025-07-11   | final  |
    ```

    ## Use instead
    ```markdown
    | 1.0.0   | 2025-07-11   | review |
    ```
    """
    cell = version_cell(document, "status")
    allowed = context.settings.statuses
    if cell is not None and cell.text not in allowed:
        yield _mark(
            "PL307",
            document,
            cell,
            f"status {cell.text!r} is not one of {', '.join(allowed)}",
        )
