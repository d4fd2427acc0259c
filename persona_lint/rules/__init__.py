"""Every rule, registered by importing its family module (see ``registry``)."""

from persona_lint.rules import (  # noqa: F401  (imported for their registrations)
    corpus,
    gates,
    identity,
    metrics,
    sequences,
    structure,
    version,
    xml,
)
from persona_lint.rules.registry import RULES, Rule, all_rules, get_rule

__all__ = ["RULES", "Rule", "all_rules", "get_rule"]
