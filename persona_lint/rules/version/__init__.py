"""PL3xx: the version table that opens every persona document.

| version | last_updated | status |
|---------|--------------|--------|
| 1.0.0   | 2025-07-11   | stable |

What is where:

- `cells`: shared helpers: the SemVer and date patterns, the data row and its cells
  (`version_cell`), the diagnostic at a cell.
- `shape`: PL301-PL303, the table is first, has the right columns and exactly one row.
- `values`: PL304-PL307, the version is SemVer, the date real and not in the future, the
  status allowed.
- `layout`: PL308, the canonical aligned layout (`render_table`, also used by `init`).
- `change_aware`: PL310-PL311, with `--changed-since REF`: version raised and date moved
  when the content changed (`SemVer`, `content_digest`), and their fixes.

Importing this package registers every rule; the names other modules use are re-exported.
"""

from persona_lint.rules.version import change_aware, layout, shape, values
from persona_lint.rules.version.cells import version_cell
from persona_lint.rules.version.change_aware import SemVer, content_digest
from persona_lint.rules.version.layout import render_table

__all__ = [
    "SemVer",
    "change_aware",
    "content_digest",
    "layout",
    "render_table",
    "shape",
    "values",
    "version_cell",
]
