"""The public API for plugins: what persona-lint's own rules are written with.

A plugin is a Python module that registers rules with :func:`rule` when it is imported
(docs/plugins.md)::

    from persona_lint.api import Document, RuleContext, Severity, finding, rule

    @rule("ACME201", "gate-mentions-owner", Severity.ERROR, "a gate names no owner")
    def gate_mentions_owner(document: Document, context: RuleContext):
        \"\"\"A gate names no owner. ... (the rule's documentation, Markdown)\"\"\"
        block = document.persona_context
        ...
            yield finding("ACME201", document, line, column, "...")

Everything named here keeps its meaning across minor versions of persona-lint; anything
imported from elsewhere in the package may change.

- :func:`rule`: register a per-document rule: its code (a team's letters, never ``PL``),
  kebab-case name, default severity and summary, and its ``options`` with their defaults
  (set in configuration's ``rule-options``, read as ``context.options[name]``); its
  docstring documents it (``## What it does``, ``## Why is this bad?``, ``## Example``,
  ``## Use instead``).
- :func:`finding`: a diagnostic of a rule at a line and column of the Markdown file, with
  the rule's default severity (configuration changes it afterwards).
- :class:`Document`: the parsed file: ``lines``, ``version_table``, ``title``,
  ``persona_context`` and ``behavior`` (:class:`XmlBlock`), ``xml_blocks``, ``path``.
- :class:`XmlBlock`: a fenced ``xml`` block: ``root`` (an ``xml.etree`` element, None when
  the block is not well-formed) and ``locate(element)``, the element's line and column in
  the Markdown file.
- :class:`RuleContext`: what a rule may know besides the document: ``settings``,
  ``today`` and ``options`` (the rule's options in force).
- :class:`Diagnostic`, :class:`Severity`, :class:`Fix`: the values rules return.
- :func:`persona_name`, :func:`active_value`, :func:`slugify`: the persona's identity.
"""

from __future__ import annotations

from persona_lint.diagnostics import Diagnostic, Fix, Severity
from persona_lint.document.model import Document, XmlBlock
from persona_lint.document.persona import active_value, persona_name, slugify
from persona_lint.rules.context import RuleContext
from persona_lint.rules.registry import finding, rule

__all__ = [
    "Diagnostic",
    "Document",
    "Fix",
    "RuleContext",
    "Severity",
    "XmlBlock",
    "active_value",
    "finding",
    "persona_name",
    "rule",
    "slugify",
]
