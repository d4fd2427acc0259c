"""Hover: the documentation of the rules whose diagnostics are under the cursor.

The text ``persona-lint explain`` prints, as Markdown (with a link to the rule in
docs/rules.md) when the client reads Markdown in hovers, else as plain text.
"""

from __future__ import annotations

from collections.abc import Sequence

from lsprotocol import types

from persona_lint.lsp.publishing import Shown
from persona_lint.rules import get_rule
from persona_lint.rules.docs import hover_markdown, render_rule


def rule_markdown(code: str) -> str | None:
    """Return a rule's documentation as Markdown, with a link to docs/rules.md."""
    rule = get_rule(code)
    if rule is None:
        return None
    return f"{hover_markdown(rule)}\n[{rule.code} in docs/rules.md]({rule.help_uri})\n"


def hover(hits: Sequence[Shown], markdown: bool) -> types.Hover | None:
    """Return the hover over these diagnostics (None when no rule documents them).

    Each rule once, in the order of its first diagnostic; the hover's range is the first
    diagnostic's.
    """
    codes = list(dict.fromkeys(ours.code for _, ours in hits))
    texts = [text for code in codes if (text := rule_markdown(code)) is not None]
    if not texts:
        return None
    if markdown:
        value, kind = "\n---\n\n".join(texts), types.MarkupKind.Markdown
    else:
        rules = [get_rule(code) for code in codes]
        value = "\n\n".join(render_rule(rule) for rule in rules if rule is not None)
        kind = types.MarkupKind.PlainText
    return types.Hover(contents=types.MarkupContent(kind=kind, value=value), range=hits[0][0].range)


def reads_markdown(capabilities: types.ClientCapabilities) -> bool:
    """Whether the client shows Markdown in hovers (it does unless it says otherwise)."""
    text_document = capabilities.text_document
    capability = text_document.hover if text_document else None
    formats = capability.content_format if capability else None
    return not formats or types.MarkupKind.Markdown in formats
