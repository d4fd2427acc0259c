"""PL3xx: the version table that opens every persona document.

| version | last_updated | status |
|---------|--------------|--------|
| 1.0.0   | 2025-07-11   | stable |
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass
from operator import attrgetter

from persona_lint.diagnostics import Diagnostic, Fix, LineEdit, Severity, TextEdit
from persona_lint.document.model import VERSION_COLUMNS, Cell, Document
from persona_lint.rules.context import RuleContext
from persona_lint.rules.registry import finding, rule

E, W = Severity.ERROR, Severity.WARNING
# The regular expression published with SemVer 2.0.0 (semver.org).
SEMVER = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$"
)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


_TEXT = attrgetter("text")  # a cell's text


def _version_row(document: Document) -> tuple[Cell, ...] | None:
    """The version table's data row.

    None unless the header is exactly right and there is one row (PL302 and PL303 speak).
    """
    table = document.version_table
    if table is None or len(table.rows) != 1:
        return None
    return table.rows[0] if tuple(map(_TEXT, table.header)) == VERSION_COLUMNS else None


_COLUMN_INDEX = {name: index for index, name in enumerate(VERSION_COLUMNS)}


def version_cell(document: Document, column: str) -> Cell | None:
    """The version table's data cell under `column` (`version`, `last_updated` or `status`).

    None unless the table has the exact header and one row.
    """
    row = _version_row(document)
    if row is None:
        return None
    index = _COLUMN_INDEX[column]
    return row[index] if index < len(row) else None


def _mark(
    code: str, document: Document, cell: Cell, message: str, fix: Fix | None = None
) -> Diagnostic:
    return finding(
        code, document, cell.line, cell.column, message, end_column=cell.end_column, fix=fix
    )


def _replace_cell(document: Document, cell: Cell, text: str) -> Fix:
    """Replace a version-table cell's text, keeping the pipes after it in place.

    The new text takes or gives back padding, so the pipes stay where they were when there is
    room.
    """
    source = document.lines[cell.line - 1]
    end = cell.end_column - 1  # 0-based index after the cell's text
    padding = len(source[end:]) - len(source[end:].lstrip(" "))
    grow = len(text) - len(cell.text)
    kept = max(padding - grow, 1) if padding else 0
    return Fix.safe(TextEdit(cell.line, cell.column, cell.end_column + padding, text + " " * kept))


@rule(
    "PL301",
    "version-table-missing",
    E,
    "the version table is missing or not the first block",
)
def version_table_missing(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """The document does not open with its version table.

    ## What it does
    Checks that the first block of the file is the version table: no text, heading or front
    matter before it. A document without any version table is reported at its first block.

    ## Why is this bad?
    Tools and people read the version and status first, before they load the persona; a table
    buried in the text is not found by them, and is easy to forget to update.

    ## Example
    ```markdown
    Intro.

    | version | last_updated | status |
    |---------|--------------|--------|
    | 1.0.0   | 2025-07-11   | stable |
    ```

    ## Use instead
    ```markdown
    | version | last_updated | status |
    |---------|--------------|--------|
    | 1.0.0   | 2025-07-11   | stable |
    ```
    """
    table = document.version_table
    if table is None:
        yield finding(
            "PL301",
            document,
            document.first_block_line or 1,
            1,
            "no version table (| version | last_updated | status |) at the top of the file",
        )
    elif not table.is_first_block:
        yield finding(
            "PL301",
            document,
            table.line,
            1,
            f"the version table must be the first block of the file (it starts at line "
            f"{table.line}; the file starts at line {document.first_block_line})",
        )


@rule(
    "PL302",
    "version-table-columns",
    E,
    "the version table's columns are not exactly version | last_updated | status",
)
def version_table_columns(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """The version table's columns are not exactly `version`, `last_updated`, `status`.

    ## What it does
    Checks that the header row of the version table is exactly
    `| version | last_updated | status |`, in that order; reported at the first column that
    differs.

    ## Why is this bad?
    Tools and people read the version, the date and the status by column name: a renamed or
    reordered column is not found, and the persona's version cannot be read.

    ## Example
    ```markdown
    | version | updated | status |
    ```

    ## Use instead
    ```markdown
    | version | last_updated | status |
    ```
    """
    table = document.version_table
    if table is None:
        return
    found = tuple(c.text for c in table.header)
    if found != VERSION_COLUMNS:
        first_bad = next(
            (c for c, want in zip(table.header, VERSION_COLUMNS, strict=False) if c.text != want),
            table.header[-1],
        )
        yield finding(
            "PL302",
            document,
            first_bad.line,
            first_bad.column,
            f"version table columns are {' | '.join(found)}; expected "
            f"{' | '.join(VERSION_COLUMNS)}",
        )


@rule(
    "PL303",
    "version-table-rows",
    E,
    "the version table does not have exactly one data row",
)
def version_table_rows(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """The version table does not have exactly one data row.

    ## What it does
    Checks that the version table has exactly one data row, the current version, with one cell
    per column.

    ## Why is this bad?
    History belongs in git or a changelog; a second row makes "the version" ambiguous to the
    tools that read it, and a short row leaves a column empty.

    ## Example
    ```markdown
    | version | last_updated | status |
    |---------|--------------|--------|
    | 1.0.0   | 2025-07-11   | stable |
    | 0.9.0   | 2025-07-01   | draft  |
    ```

    ## Use instead
    ```markdown
    | version | last_updated | status |
    |---------|--------------|--------|
    | 1.0.0   | 2025-07-11   | stable |
    ```
    """
    table = document.version_table
    if table is None:
        return
    if len(table.rows) != 1:
        line = table.rows[1][0].line if len(table.rows) > 1 else table.line
        yield finding(
            "PL303",
            document,
            line,
            1,
            f"the version table has {len(table.rows)} data rows; expected exactly one",
        )
    elif len(table.rows[0]) != len(table.header):
        row = table.rows[0]
        yield finding(
            "PL303",
            document,
            row[0].line,
            1,
            f"the version row has {len(row)} cells; expected {len(table.header)}",
        )


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


# The canonical layout: each column as wide as its widest cell, one space of padding, a
# delimiter row of dashes only.
def render_table(header: tuple[str, ...], row: tuple[str, ...]) -> tuple[str, str, str]:
    """The three lines of a version table in the canonical layout."""
    header = tuple(_escape_cell(text) for text in header)
    row = tuple(_escape_cell(text) for text in row)
    widths = [max(len(a), len(b)) for a, b in zip(header, row, strict=True)]
    return (
        "| " + " | ".join(t.ljust(w) for t, w in zip(header, widths, strict=True)) + " |",
        "|" + "|".join("-" * (w + 2) for w in widths) + "|",
        "| " + " | ".join(t.ljust(w) for t, w in zip(row, widths, strict=True)) + " |",
    )


def _escape_cell(text: str) -> str:
    return text.replace("|", "\\|")


def table_layout(document: Document) -> tuple[int, tuple[str, str, str]] | None:
    """The version table's first line and its canonical three lines.

    None unless the table has the right header and one full row on three consecutive lines
    (else PL302 and PL303 speak), outside a block quote.
    """
    table = document.version_table
    row = _version_row(document)
    if table is None or row is None or len(row) != len(VERSION_COLUMNS):
        return None
    if row[0].line != table.line + 2:
        return None
    for line in document.lines[table.line - 1 : table.line + 2]:
        if line.lstrip().startswith(">"):
            return None  # inside a block quote: left alone
    return table.line, render_table(VERSION_COLUMNS, tuple(map(_TEXT, row)))


@rule(
    "PL308",
    "version-table-layout",
    W,
    "the version table is not in the canonical aligned layout",
    fixable=True,
)
def version_table_layout(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """The version table is not in the canonical aligned layout.

    ## What it does
    Checks that the version table is laid out like the canonical persona's: each column as wide
    as its widest cell, one space of padding inside every pipe, leading and trailing pipes, a
    delimiter row of dashes only. It is reported at the first line that differs. A table in a
    block quote is left alone.

    ## Why is this bad?
    The table is the one part of a persona that tools edit (version bumps, dates); one layout
    keeps those edits and their diffs small.

    ## Example
    ```markdown
    | version | last_updated | status |
    |---------|--------------|--------|
    | 1.0.0 | 2025-07-11 | stable |
    ```

    ## Use instead
    ```markdown
    | version | last_updated | status |
    |---------|--------------|--------|
    | 1.0.0   | 2025-07-11   | stable |
    ```

    ## Fix
    `--fix` rewrites the table's three lines in the canonical layout; the cells keep their text.
    """
    found = table_layout(document)
    if found is None:
        return
    first, expected = found
    for offset, want in enumerate(expected):
        if document.lines[first - 1 + offset] != want:
            yield finding(
                "PL308",
                document,
                first + offset,
                1,
                "the version table is not in the canonical layout (aligned columns, one "
                f"space of padding); expected {want!r}",
                fix=Fix.safe(LineEdit(first, first + len(expected) - 1, expected)),
            )
            return


# -- Change-aware rules: the file compared with its content at --changed-since REF. --------


@dataclass(frozen=True)
class SemVer:
    """A parsed SemVer 2.0.0 version, compared by SemVer precedence (build ignored)."""

    major: int
    minor: int
    patch: int
    prerelease: tuple[str, ...] = ()

    @classmethod
    def parse(cls, text: str) -> SemVer | None:
        """The version `text` parsed, or None when it is not SemVer 2.0.0."""
        match = SEMVER.match(text)
        if match is None:
            return None
        pre = tuple(match.group(4).split(".")) if match.group(4) else ()
        return cls(int(match.group(1)), int(match.group(2)), int(match.group(3)), pre)

    def key(self) -> tuple[int, int, int, int, tuple[tuple[int, int, str], ...]]:
        """The sort key of SemVer precedence.

        A release sorts after its pre-releases; numeric identifiers sort numerically and before
        alphanumeric ones, which sort in ASCII order; a longer pre-release sorts after its own
        prefix.
        """
        identifiers = tuple(
            (0, int(part), "") if part.isdigit() else (1, 0, part) for part in self.prerelease
        )
        return (self.major, self.minor, self.patch, 0 if self.prerelease else 1, identifiers)

    def __lt__(self, other: SemVer) -> bool:
        """Whether this version has lower precedence than `other`."""
        return self.key() < other.key()

    def __gt__(self, other: SemVer) -> bool:
        """Whether this version has higher precedence than `other`."""
        return self.key() > other.key()

    def next_patch(self) -> str:
        """The next patch release: `1.0.0` → `1.0.1`; `1.1.0-rc.1` → `1.1.0`."""
        patch = self.patch if self.prerelease else self.patch + 1
        return f"{self.major}.{self.minor}.{patch}"

    def next_minor(self) -> str:
        """The next minor release: `1.0.3` → `1.1.0`; `1.1.0-rc.1` → `1.1.0`."""
        if self.prerelease and self.patch == 0:
            return f"{self.major}.{self.minor}.0"
        return f"{self.major}.{self.minor + 1}.0"


def content_digest(document: Document) -> str:
    """A digest of the file's content without its version table and without whitespace.

    The content is taken as `git diff -w --ignore-blank-lines` sees it: equal digests mean
    that only the table or whitespace changed.
    """
    lines = document.lines
    table = document.version_table
    if table is not None:
        last = table.rows[-1][0].line if table.rows else table.line + 1
        lines = lines[: table.line - 1] + lines[last:]
    text = re.sub(r"\s+", "", "\n".join(lines))
    import hashlib  # only --changed-since compares digests: plain runs do not import it

    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _changed(document: Document, context: RuleContext) -> bool:
    previous = context.previous
    return previous is not None and content_digest(document) != previous.digest


def _since(context: RuleContext) -> str:
    previous = context.previous
    assert previous is not None
    renamed = f" (as {previous.renamed_from})" if previous.renamed_from else ""
    return f"{previous.ref}{renamed}"


def bumped_version(document: Document, context: RuleContext) -> str | None:
    """The version PL310 asks for: the next patch release after the previous version.

    None when the content did not change, the version was raised, or it cannot be compared (no
    previous version, or one of the two is not SemVer: PL304 speaks).
    """
    previous = context.previous
    if previous is None or previous.version is None:
        return None  # no --changed-since (the usual run): no need to read the table
    cell = version_cell(document, "version")
    if cell is None:
        return None
    old, new = SemVer.parse(previous.version), SemVer.parse(cell.text)
    if old is None or new is None or new > old or not _changed(document, context):
        return None
    return old.next_patch()


def moved_date(document: Document, context: RuleContext) -> str | None:
    """The date PL311 asks for: today.

    None when the content did not change, the date moved forward (or is today already), or a
    date cannot be read (PL305 speaks).
    """
    previous = context.previous
    if previous is None or previous.last_updated is None:
        return None
    cell = version_cell(document, "last_updated")
    if cell is None:
        return None
    if not _DATE.match(previous.last_updated) or not _DATE.match(cell.text):
        return None
    try:
        old = datetime.date.fromisoformat(previous.last_updated)
        new = datetime.date.fromisoformat(cell.text)
    except ValueError:
        return None
    if new > old or new == context.today:
        return None
    if not _changed(document, context):
        return None
    return context.today.isoformat()


@rule(
    "PL310",
    "version-not-bumped",
    E,
    "the content changed since --changed-since REF but the version was not raised",
    fixable=True,
)
def version_not_bumped(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """The content changed since `--changed-since REF` but the version was not raised.

    ## What it does
    With `--changed-since REF`: checks whether the file's content differs from its content at
    the git revision `REF` (the version table and whitespace aside) while `version` is not
    greater than it was at `REF` by SemVer precedence (`1.0.0-rc.1` < `1.0.0` < `1.0.1`; build
    metadata does not count). The message suggests the next patch and minor versions. A file
    that is new since `REF` passes; a renamed file is compared with its old path's content.
    Without `--changed-since` the rule does nothing.

    ## Why is this bad?
    Consumers of a persona rely on the version to know that it changed, and to reload it; in
    the public corpus, personas gained new content a day after release while still saying
    `1.0.0`.

    ## Example
    A gate added since `origin/main` while the version stays what it was there:
    ```markdown
    | 1.0.0   | 2025-07-11   | stable |
    ```

    ## Use instead
    The same change with the version raised (and the date moved, PL311):
    ```markdown
    | 1.0.1   | 2025-07-12   | stable |
    ```

    ## Fix
    `--fix` sets the next patch version (`1.0.0` becomes `1.0.1`; `1.1.0-rc.1` becomes
    `1.1.0`).
    """
    wanted = bumped_version(document, context)
    if wanted is None:
        return
    previous = context.previous
    cell = version_cell(document, "version")
    assert previous is not None and previous.version is not None and cell is not None
    old = SemVer.parse(previous.version)
    assert old is not None
    since = _since(context)
    if cell.text == previous.version:
        problem = f"version {cell.text} was not raised"
    else:
        problem = f"version {cell.text} is not above {previous.version} (the version at {since})"
    yield _mark(
        "PL310",
        document,
        cell,
        f"the content changed since {since} but {problem}; use {old.next_patch()} (patch) or "
        f"{old.next_minor()} (minor)",
        _replace_cell(document, cell, wanted),
    )


@rule(
    "PL311",
    "date-not-moved",
    E,
    "the content changed since --changed-since REF but last_updated did not move forward",
    fixable=True,
)
def date_not_moved(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """The content changed since `--changed-since REF` but `last_updated` did not move forward.

    ## What it does
    With `--changed-since REF`: checks whether the file's content differs from its content at
    the git revision `REF` (the version table and whitespace aside) while `last_updated` is
    not later than it was at `REF`. A date equal to today passes (a persona released today can
    change again today). Without `--changed-since` the rule does nothing.

    ## Why is this bad?
    The date tells readers how fresh a persona is; a changed persona with an old date claims a
    review that never happened.

    ## Example
    Content changed since `REF`, `last_updated` still what it was at `REF`:
    ```markdown
    | 1.0.1   | 2025-07-11   | stable |
    ```

    ## Use instead
    The date of the change:
    ```markdown
    | 1.0.1   | 2025-07-12   | stable |
    ```

    ## Fix
    `--fix` sets today's date (the `today` setting pins it).
    """
    wanted = moved_date(document, context)
    if wanted is None:
        return
    previous = context.previous
    cell = version_cell(document, "last_updated")
    assert previous is not None and cell is not None
    since = _since(context)
    if cell.text == previous.last_updated:
        problem = f"last_updated {cell.text} was not moved forward"
    else:
        problem = (
            f"last_updated {cell.text} is not after {previous.last_updated} (the date at {since})"
        )
    yield _mark(
        "PL311",
        document,
        cell,
        f"the content changed since {since} but {problem}; set it to {wanted}",
        _replace_cell(document, cell, wanted),
    )
