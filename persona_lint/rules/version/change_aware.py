"""PL310-PL311, the change-aware rules: the file compared with its content at --changed-since REF.

SemVer precedence and the content digest live here: `persona_lint.changes` digests the file at
REF with `content_digest`; the fixes rewrite one cell in place (`_replace_cell`).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass

from persona_lint.diagnostics import Diagnostic, Fix, TextEdit
from persona_lint.document.model import Cell, Document
from persona_lint.rules.context import RuleContext
from persona_lint.rules.registry import rule
from persona_lint.rules.version.cells import _DATE, SEMVER, E, _mark, version_cell


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
