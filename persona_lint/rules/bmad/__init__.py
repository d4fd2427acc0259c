"""BMxxx: BMAD-METHOD agent files (the ``bmad-agent`` format).

What is where:

- `agent`: the shared questions (the ``<agent>`` block, its menu items and their targets).
- `xml`: BM200 (an ``<agent>`` block outside an ```` ```xml ```` fence), BM201-BM203
  (well-formedness, same dialect and messages as PL201-PL203) and BM210-BM216 (the block
  against `schemas/bmad-agent.xsd`).
- `front_matter`: BM101-BM103, the YAML front matter.
- `text`: BM301-BM302, placeholders left by the installer or the build, stringified objects.
- `menu`: BM401-BM406, activation steps, menu triggers, targets and their handlers.
- `paths`: BM501-BM505, the paths of menu targets and the agent's id.

These rules run only on files checked as ``bmad-agent`` (see :mod:`persona_lint.formats`).
Importing this package registers every rule of the family.
"""

from persona_lint.rules.bmad import front_matter, menu, paths, schema, text, xml

__all__ = ["front_matter", "menu", "paths", "schema", "text", "xml"]
