"""What a rule selector means: the codes behind ``PL304``, ``PL3``, ``version-semver`` or ``ALL``.

Selectors name rules in ``select``, ``ignore``, ``severity``, ``per-file-ignores``, on the
command line and in ``# noqa`` comments; all of them resolve through :func:`resolve_selector`,
so a name means the same everywhere.
"""

from __future__ import annotations

import re

from persona_lint.config.errors import did_you_mean, quoted
from persona_lint.rules import all_rules


def resolve_selector(selector: str) -> frozenset[str]:
    """The codes a selector means; ValueError (with a suggestion) for an unknown one.

    A code, a prefix (``PL4``, ``PL``: only ``PL`` and up to three digits), ``ALL`` (any
    case) or a rule's name (any case); surrounding whitespace is ignored.
    """
    names = {rule.name: rule.code for rule in all_rules()}
    codes = list(names.values())
    text = selector.strip()
    if text.upper() == "ALL":
        return frozenset(codes)
    if text.lower() in names:
        return frozenset({names[text.lower()]})
    upper = text.upper()
    matched = frozenset(code for code in codes if code.startswith(upper))
    if matched and re.fullmatch(r"PL\d{0,3}", upper):
        return matched
    raise ValueError(
        f"unknown rule code or name {quoted(selector)}{did_you_mean(text, [*codes, *names])}"
    )
