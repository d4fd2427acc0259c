"""PL0xx (files) and PL1xx (document structure) rules.

They answer one question: is this a readable persona document with all its parts?

- `files`: PL001-PL006, the file itself (reported by the linter; documentation only).
- `parts`: PL100-PL105, the persona's parts (title, `persona_context` and behaviour blocks,
  Usage line) and its layout; also `in_persona_layout` and `OTHER_LAYOUT_CODES`, which the
  linter uses to check a file in another layout only for what applies to it.
- `fences`: PL106-PL108, code blocks that break, hide or duplicate the persona definition.

Importing this package registers every rule of the family (the registry sorts them by code).
"""

from persona_lint.rules.structure import fences, files, parts
from persona_lint.rules.structure.parts import OTHER_LAYOUT_CODES, in_persona_layout

__all__ = ["OTHER_LAYOUT_CODES", "fences", "files", "in_persona_layout", "parts"]
