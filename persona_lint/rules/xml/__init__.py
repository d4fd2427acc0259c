"""PL2xx: XML well-formedness (in the persona dialect), the XSD schemas, strict XML.

What is where:

- `shared`: the one computation per document (parse every ```` ```xml ```` block, validate
  the `persona_context` and behaviour blocks against `schemas/`) that PL201-PL216 share.
- `syntax`: PL201 xml-syntax, PL202 doctype, PL203 nesting-depth (well-formedness).
- `schema`: PL210-PL216, the schema rules (missing, unknown, misplaced, empty elements,
  attributes, section layout, content types).
- `team`: PL217 team-schema and PL218 undeclared-section, the team's own schemas
  (the `schemas` setting).
- `strict`: PL220 strict-xml (off by default) and its fix, with `bare_characters`.

Importing this package registers every rule of the family.
"""

from persona_lint.rules.xml import schema, strict, syntax, team
from persona_lint.rules.xml.shared import xml_diagnostics
from persona_lint.rules.xml.strict import bare_characters

__all__ = ["bare_characters", "schema", "strict", "syntax", "team", "xml_diagnostics"]
