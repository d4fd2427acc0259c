"""Rule documentation rendered for people: ``explain`` and the generated docs/rules.md."""

from __future__ import annotations

from persona_lint.rules.registry import Rule, all_rules


def render_rule(rule: Rule) -> str:
    """The full documentation of one rule, as ``persona-lint explain`` prints it."""
    lines = [f"{rule.code} ({rule.name})", "", f"Default severity: {rule.severity}"]
    lines += [f"Summary: {rule.summary}"]
    lines += [f"Fixable: {'yes (--fix)' if rule.fixable else 'no'}"]
    if not rule.default_enabled:
        lines += ["Enabled: no, off by default (select it by code or name)"]
    lines += ["", rule.doc]
    if rule.fails is not None:
        lines += ["", "Example that fails (an edit of the canonical persona):", ""]
        lines += ["    " + line for line in rule.fails.replace.splitlines() or [""]]
    if rule.passes is not None:
        lines += ["", "Example that passes:", ""]
        lines += ["    " + line for line in rule.passes.replace.splitlines() or [""]]
    return "\n".join(lines).rstrip() + "\n"


def rules_markdown() -> str:
    """docs/rules.md: the table of every rule, then each rule's documentation."""
    out = [
        "# Rules",
        "",
        "Generated from the rules themselves by `python -m persona_lint.rules.docs`; a test",
        "fails when this file drifts from the code.",
        "",
        "Fix: rules marked *yes* are repaired by `persona-lint --fix` (see",
        "[change-aware.md](change-aware.md)). Rules marked *off* are not in the default",
        "selection: enable them by code, name or prefix (`extend-select`).",
        "",
        "| Code | Name | Severity | Fix | Summary |",
        "|------|------|----------|-----|---------|",
    ]
    rules = list(all_rules())
    for rule in rules:
        summary = rule.summary.replace("|", "\\|")
        severity = f"{rule.severity}" if rule.default_enabled else f"{rule.severity} (off)"
        out.append(
            f"| [{rule.code}](#{rule.code.lower()}-{rule.name}) | {rule.name} | "
            f"{severity} | {'yes' if rule.fixable else ''} | {summary} |"
        )
    for rule in rules:
        notes = f"Default severity: **{rule.severity}**."
        if not rule.default_enabled:
            notes += " Off by default."
        if rule.fixable:
            notes += " Fixable with `--fix`."
        out += ["", f"## {rule.code} {rule.name}", "", f"{notes} {rule.summary}.", "", rule.doc]
        if rule.fails is not None:
            out += ["", "Fails:", "", "```", rule.fails.replace, "```"]
        if rule.passes is not None:
            out += ["", "Passes:", "", "```", rule.passes.replace, "```"]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    import sys

    sys.stdout.write(rules_markdown())
