"""The names of the built-in formats, in the order they are tried.

Kept apart from the formats themselves so that reading configuration (the ``formats`` key)
imports no parser, schema or scaffold; :mod:`persona_lint.formats` checks that its table
agrees.
"""

FORMAT_NAMES = ("persona", "bmad-agent")
