"""The rules: one module per family, registered in :mod:`persona_lint.rules.registry`.

The family modules are imported on first use of :func:`all_rules` or :func:`get_rule`, so
that importing one module of this package (the cache path imports only ``corpus``) does not
load the parsers every family needs.
"""

from persona_lint.rules.registry import RULES, Rule, all_rules, get_rule

__all__ = ["RULES", "Rule", "all_rules", "get_rule"]
