"""What a rule selector means: the codes behind ``PL304``, ``PL3``, ``version-semver`` or ``ALL``.

Selectors name rules in ``select``, ``ignore``, ``severity``, ``per-file-ignores``, on the
command line and in ``# noqa`` comments; all of them resolve through :func:`resolve_selector`,
so a name means the same everywhere.
"""

from __future__ import annotations

import re

from persona_lint.config.errors import did_you_mean, quoted
from persona_lint.rules import all_rules

# A code or code prefix: a family's letters (``PL``, a team's ``ACME``), then digits.
_CODE_SHAPE = re.compile(r"([A-Z]+)(\d*)")


def _family(code: str) -> str:
    """The letters that start a code: ``PL`` for ``PL304``."""
    shape = _CODE_SHAPE.match(code)
    return shape[1] if shape else ""


def resolve_selector(selector: str) -> frozenset[str]:
    """The codes a selector means; ValueError (with a suggestion) for an unknown one.

    A code, a prefix (``PL4``, ``PL``: a code family's whole letters and some of its
    digits, so ``P`` selects nothing), ``ALL`` (any case) or a rule's name (any case);
    surrounding whitespace is ignored.
    """
    names = {rule.name: rule.code for rule in all_rules()}
    codes = list(names.values())
    text = selector.strip()
    if text.upper() == "ALL":
        return frozenset(codes)
    if text.lower() in names:
        return frozenset({names[text.lower()]})
    prefix = _CODE_SHAPE.fullmatch(text.upper())
    if prefix is not None:
        matched = frozenset(
            code for code in codes if code.startswith(prefix[0]) and _family(code) == prefix[1]
        )
        if matched:
            return matched
    raise ValueError(
        f"unknown rule code or name {quoted(selector)}{did_you_mean(text, [*codes, *names])}"
    )
