"""The built-in formats, by name, in the order they are tried, and where each is defined.

Kept apart from the formats themselves so that reading configuration (the ``formats`` key)
imports no parser, schema or scaffold; :func:`persona_lint.formats.get_format` imports a
format's module the first time it is asked for (a run of personas never imports BMAD's).
"""

# name -> "module:attribute" below persona_lint.formats.
BUILT_IN_FORMATS = {
    "persona": "persona:PERSONA",
    "bmad-agent": "bmad:BMAD_AGENT",
}

FORMAT_NAMES = tuple(BUILT_IN_FORMATS)
