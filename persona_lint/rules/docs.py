"""Rule documentation rendered from the rules themselves.

A rule's docstring is its documentation, in Markdown with ruff's headings (``## What it
does``, ``## Why is this bad?``, ``## Example``, ``## Use instead``, ``## Fix``). It is
rendered two ways:

- plain text for a terminal (``persona-lint explain``, SARIF ``help.text``, plain-text
  hovers): headings as plain lines, fenced code indented, backticks dropped;
- Markdown (``docs/rules.md``, the language server's hover, SARIF ``help.markdown``): the
  docstring as it is, its headings moved under the rule's own heading.

Docstrings written before that format (reST double backticks, ``::`` literal blocks) are
read too: double backticks become single ones, a ``::`` block a fenced one. What the rule
declares (severity, summary, whether it is fixable or off by default, its options) is
rendered from the declaration, never from the docstring.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Generator, Iterator

from persona_lint.rules.options import option_kind
from persona_lint.rules.registry import Rule, all_rules

# A fence line: three or more backticks (then an info string without backticks) or tildes.
_FENCE = re.compile(r"^(`{3,})[^`]*$|^(~{3,}).*$")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
# A reST inline literal (``text``) that is not part of a longer run of backticks.
_REST_LITERAL = re.compile(r"(?<!`)``(?!`)(.+?)(?<!`)``(?!`)")
# A Markdown code span: a run of backticks, the code, the same run.
_CODE_SPAN = re.compile(r"(`+)(.+?)(?<!`)\1(?!`)")


def _options_heading(rule: Rule) -> str:
    """What introduces a rule's options: where configuration sets them."""
    return (
        f"Options (defaults shown), set in `[tool.persona-lint.rule-options.{rule.code}]` of "
        f"`pyproject.toml` or `[rule-options.{rule.code}]` of `.persona-lint.toml`:"
    )


def _markdown_lines(doc: str) -> Iterator[str]:
    """The docstring's lines as Markdown: reST literals and ``::`` blocks converted."""
    lines = doc.splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        marker = _fence(line)
        if marker is not None:
            yield line
            index = yield from _copy_fenced(lines, index, marker)
            continue
        if not line.rstrip().endswith("::"):
            yield _REST_LITERAL.sub(r"`\1`", line)
            continue
        yield _REST_LITERAL.sub(r"`\1`", line.rstrip()[:-1])
        index = yield from _literal_block(lines, index)


def _fence(line: str) -> str | None:
    """The marker of a fence line (its backticks or tildes); None for any other line."""
    match = _FENCE.match(line.strip())
    return None if match is None else match.group(1) or match.group(2)


def _closes(line: str, marker: str) -> bool:
    """Whether ``line`` closes the fenced block that ``marker`` opened."""
    stripped = line.strip()
    return stripped.startswith(marker) and not stripped.strip(marker[0])


def _copy_fenced(lines: list[str], index: int, marker: str) -> Generator[str, None, int]:
    """Yield the lines of a fenced block up to its closing fence; return the next index."""
    while index < len(lines):
        line = lines[index]
        index += 1
        yield line
        if _closes(line, marker):
            break
    return index


def _literal_block(lines: list[str], index: int) -> Generator[str, None, int]:
    """Yield a reST literal block (after a ``::`` line) as a fenced block.

    Returns the index of the line after it.
    """
    start = index
    while index < len(lines) and not lines[index].strip():
        index += 1
    block: list[str] = []
    while index < len(lines) and (not lines[index].strip() or lines[index].startswith(" ")):
        block.append(lines[index])
        index += 1
    while block and not block[-1].strip():
        block.pop()
        index -= 1
    if not block:
        return start
    indent = min(len(b) - len(b.lstrip()) for b in block if b.strip())
    yield ""
    yield "```"
    yield from (b[indent:] for b in block)
    yield "```"
    return index


def doc_markdown(rule: Rule, heading_level: int = 2) -> str:
    """The rule's docstring as Markdown, its ``##`` headings at ``heading_level``."""
    out = []
    fence: str | None = None
    for line in _markdown_lines(rule.doc):
        if fence is not None:
            fence = None if _closes(line, fence) else fence
            out.append(line)
            continue
        fence = _fence(line)
        heading = None if fence is not None else _HEADING.match(line)
        if heading is not None:
            level = len(heading.group(1)) - 2 + heading_level
            line = "#" * max(min(level, 6), 1) + " " + heading.group(2)
        out.append(line)
    return "\n".join(out).strip()


def doc_text(rule: Rule) -> str:
    """The rule's docstring as plain text for a terminal."""
    out = []
    fence: str | None = None
    for line in _markdown_lines(rule.doc):
        if fence is not None:
            if _closes(line, fence):
                fence = None
            else:
                out.append("    " + line if line.strip() else "")
            continue
        fence = _fence(line)
        if fence is not None:
            continue
        heading = _HEADING.match(line)
        out.append(heading.group(2) if heading else _CODE_SPAN.sub(_span_text, line))
    return "\n".join(out).strip()


def _span_text(match: re.Match[str]) -> str:
    """A code span's code, as a terminal shows it (CommonMark strips one space each side)."""
    code = match.group(2)
    return code[1:-1] if len(code) > 2 and code[0] == code[-1] == " " else code


def _option_value(value: object) -> str:
    """An option's default as configuration writes it."""
    return json.dumps(value)


def _facts(rule: Rule) -> list[tuple[str, str]]:
    """What the rule declares, as (label, value) pairs."""
    facts = [("Default severity", str(rule.severity)), ("Summary", rule.summary)]
    facts.append(("Fixable", "yes (--fix)" if rule.fixable else "no"))
    if not rule.default_enabled:
        facts.append(("Enabled", "no, off by default (select it by code or name)"))
    return facts


def help_text(rule: Rule) -> str:
    """The rule's documentation as plain text (the docstring and its options, no title)."""
    lines = [doc_text(rule)]
    if rule.options:
        lines += ["", _CODE_SPAN.sub(_span_text, _options_heading(rule))]
        lines += [
            f"    {name} = {_option_value(v)}  ({option_kind(v)})"
            for name, v in rule.options.items()
        ]
    return "\n".join(lines).strip() + "\n"


def render_rule(rule: Rule) -> str:
    """The full documentation of one rule as plain text (``persona-lint explain``)."""
    lines = [f"{rule.code} ({rule.name})", ""]
    lines += [f"{label}: {value}" for label, value in _facts(rule)]
    return "\n".join(lines) + "\n\n" + help_text(rule)


def _options_markdown(rule: Rule) -> list[str]:
    """The rule's options as a Markdown list (none: nothing)."""
    if not rule.options:
        return []
    items = [
        f"- `{name}` ({option_kind(v)}): default `{_option_value(v)}`"
        for name, v in rule.options.items()
    ]
    return ["", _options_heading(rule), "", *items]


def help_markdown(rule: Rule, heading_level: int = 2) -> str:
    """The rule's documentation as Markdown (the docstring and its options, no title)."""
    body = [doc_markdown(rule, heading_level), *_options_markdown(rule)]
    return "\n".join(body).strip() + "\n"


def hover_markdown(rule: Rule) -> str:
    """The rule's documentation for the language server's hover: title, facts, body."""
    facts = "  \n".join(f"{label}: {value}" for label, value in _facts(rule))
    return f"### {rule.code} ({rule.name})\n\n{facts}\n\n{help_markdown(rule, 4)}"


def _table_row(rule: Rule) -> str:
    """One rule's row in the table of docs/rules.md."""
    summary = rule.summary.replace("|", "\\|")
    severity = f"{rule.severity}" if rule.default_enabled else f"{rule.severity} (off)"
    return (
        f"| [{rule.code}](#{rule.code.lower()}-{rule.name}) | {rule.name} | "
        f"{severity} | {'yes' if rule.fixable else ''} | {summary} |"
    )


def _section(rule: Rule) -> list[str]:
    """One rule's section of docs/rules.md."""
    notes = f"Default severity: **{rule.severity}**."
    if not rule.default_enabled:
        notes += " Off by default."
    if rule.fixable:
        notes += " Fixable with `--fix`."
    body = help_markdown(rule, 3).rstrip("\n")
    return ["", f"## {rule.code} {rule.name}", "", f"{notes} {rule.summary}.", "", body]


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
    out += [_table_row(rule) for rule in rules]
    for rule in rules:
        out += _section(rule)
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    sys.stdout.write(rules_markdown())
