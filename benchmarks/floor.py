"""The C work alone: what any persona linter must do, with nothing of persona-lint's Python.

For every Markdown file below FOLDER: read it, find its first two fenced ``xml`` blocks, make
their bare ``&`` and ``<`` strict (two substitutions by the C regular-expression engine),
and let libxml2 (through lxml) parse and validate them against ``schemas/persona.xsd`` and
``schemas/behavior.xsd`` (the behaviour root renamed to the schema's stand-in). No rules, no
positions, no Markdown structure, no persona-lint import. bench_cli.py runs it as the floor
that persona-lint is measured against (beside ``python -c pass`` for one file).

Run: ``python benchmarks/floor.py FOLDER``; exits 1 if a block is not valid.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from lxml import etree

SCHEMAS = Path(__file__).resolve().parents[1] / "schemas"
_FENCE = re.compile(r"^```xml\n(.*?)^```", re.MULTILINE | re.DOTALL)
_BARE_AMP = re.compile(r"&(?!(?:[A-Za-z_][\w.-]*|#[0-9]+|#x[0-9A-Fa-f]+);)")
_BARE_LT = re.compile(r"<(?![A-Za-z_/!?])")


def main() -> int:
    """Validate both blocks of every file; 1 if one is invalid or missing."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    persona = etree.XMLSchema(etree.parse(str(SCHEMAS / "persona.xsd"), parser))
    behavior = etree.XMLSchema(etree.parse(str(SCHEMAS / "behavior.xsd"), parser))
    failed = 0
    for path in sorted(Path(sys.argv[1]).rglob("*.md")):
        blocks = _FENCE.findall(path.read_text(encoding="utf-8"))
        if len(blocks) < 2:
            failed += 1
            continue
        for text, schema, stand_in in ((blocks[0], persona, ""), (blocks[1], behavior, "x")):
            strict = _BARE_LT.sub("&lt;", _BARE_AMP.sub("&amp;", text))
            root = etree.fromstring(strict.encode("utf-8"), parser)
            if stand_in:
                root.tag = "persona_behavior"
            failed += not schema.validate(root)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
