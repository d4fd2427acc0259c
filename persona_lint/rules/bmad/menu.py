"""BM401-BM406: activation steps, menu triggers, menu targets and their handlers."""

from __future__ import annotations

import re
from collections.abc import Iterator

from persona_lint.diagnostics import Diagnostic, Severity
from persona_lint.document.model import Document
from persona_lint.rules.bmad.agent import (
    TARGET_ATTRIBUTES,
    agent_root,
    menu_entries,
    targets,
)
from persona_lint.rules.context import RuleContext
from persona_lint.rules.registry import finding, rule

E = Severity.ERROR
W = Severity.WARNING
# A compound trigger: a short code, then the words it also answers to.
_COMPOUND = re.compile(r"^\s*\*?\s*([A-Za-z0-9-]+)\s+or\s+", re.IGNORECASE)
# The commands every agent answers without a target (help, exit, chat, ...).
BUILT_IN_TRIGGERS = frozenset({"help", "exit", "menu", "dismiss", "chat", "mh", "da", "ch"})
# Targets handled by the agent itself (action=) or by the IDE (run-workflow= in the early
# generation's <commands>): no <handler type> is needed for them... unless declared.
_HANDLED_BY_TYPE = ("workflow", "exec", "tmpl", "data", "validate-workflow")


def trigger_key(trigger: str) -> str:
    """The part of a trigger that must be unique in a menu, lowercased.

    ``PR`` of ``PR or fuzzy match on prd``, ``help`` of ``*help``.
    """
    compound = _COMPOUND.match(trigger)
    return (compound.group(1) if compound else trigger.strip().lstrip("*")).lower()


def trigger_style(trigger: str) -> str:
    """``compound`` (``PR or fuzzy match on prd``), ``asterisk`` (``*prd``) or ``bare``."""
    if _COMPOUND.match(trigger):
        return "compound"
    return "asterisk" if trigger.lstrip().startswith("*") else "bare"


@rule("BM401", "step-numbering", E, "activation steps not numbered 1..N")
def step_numbering(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """The activation steps are not numbered 1, 2, ..., N.

    ## What it does
    Reports, at its `n` value, the first `<step>` whose number is not the next integer: a
    repeated number, a gap, or a number that is not an integer.

    ## Why is this bad?
    Steps refer to each other by number ("DO NOT PROCEED to step 3"): two steps 6 leave the
    model unsure which one a later step means, and a gap looks like a lost step.

    ## Example
    ```xml
    <step n="6">On user input: ...</step>
    <step n="6">When executing a menu item: ...</step>
    ```

    ## Use instead
    ```xml
    <step n="6">On user input: ...</step>
    <step n="7">When executing a menu item: ...</step>
    ```
    """
    found = agent_root(document)
    if found is None:
        return
    block, root = found
    for expected, step in enumerate(root.iter("step"), start=1):
        number = step.get("n")
        if number is None:
            continue  # the schema requires it (BM214)
        if number.strip() == str(expected):
            continue
        line, column = block.locate_attribute(step, "n")
        if not number.strip().isdigit():
            message = f"step number {number!r} is not an integer; expected {expected}"
        else:
            message = f"step {number} should be step {expected} (steps run 1..N)"
        yield finding("BM401", document, line, column, message)
        return


@rule("BM402", "duplicate-trigger", E, "two menu items answer the same trigger")
def duplicate_trigger(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """Two menu items have the same trigger.

    ## What it does
    Reports, at its `cmd` value, a menu item whose trigger (the code of a compound trigger,
    `PR` of `PR or fuzzy match on prd`; the name of `*prd`; any case) an earlier item has.

    ## Why is this bad?
    The user types the trigger and only one item can run: the other is unreachable.

    ## Example
    ```xml
    <item cmd="*help">Show numbered menu</item>
    <item cmd="*help">Show help</item>
    ```

    ## Use instead
    ```xml
    <item cmd="*help">Show numbered menu</item>
    ```
    """
    found = agent_root(document)
    if found is None:
        return
    block, root = found
    seen: dict[str, str] = {}
    for entry in menu_entries(root):
        if entry.trigger is None:
            continue
        key = trigger_key(entry.trigger)
        if key in seen:
            line, column = block.locate_attribute(entry.element, "cmd")
            message = f"trigger {entry.trigger!r} repeats {seen[key]!r} of an earlier item"
            yield finding("BM402", document, line, column, message)
        else:
            seen[key] = entry.trigger


@rule("BM403", "asterisk-compound-trigger", W, "'*' before a compound trigger")
def asterisk_compound_trigger(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """A compound trigger starts with `*`.

    ## What it does
    Reports, at its `*`, a `cmd` such as `*CA or fuzzy match on create-agent`: the `*` of
    the early `*kebab` triggers prefixed to the later generation's compound form.

    ## Why is this bad?
    The menu shows `*CA`, so users type `*CA`, which the code `CA` does not match exactly;
    the agent falls back to fuzzy matching, or asks.

    ## Example
    ```xml
    <item cmd="*CA or fuzzy match on create-agent">[CA] Create Agent</item>
    ```

    ## Use instead
    ```xml
    <item cmd="CA or fuzzy match on create-agent">[CA] Create Agent</item>
    ```
    """
    found = agent_root(document)
    if found is None:
        return
    block, root = found
    for entry in menu_entries(root):
        trigger = entry.trigger
        if trigger and trigger.lstrip().startswith("*") and _COMPOUND.match(trigger):
            line, column = block.locate_attribute(entry.element, "cmd")
            column += len(trigger) - len(trigger.lstrip())
            message = f"'*' before the compound trigger {trigger!r}"
            yield finding("BM403", document, line, column, message)


@rule("BM404", "mixed-trigger-styles", W, "one menu mixes trigger styles")
def mixed_trigger_styles(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """One menu mixes `*kebab` triggers and compound `XX or fuzzy match on ...` triggers.

    ## What it does
    Reports, at its `cmd` value, the first menu item whose trigger style differs from the
    menu's first trigger (a `*` before a compound trigger counts as compound: BM403).

    ## Why is this bad?
    Users learn one way to call the agent's commands; a menu in two styles is a sign of a
    half-finished migration, and half its commands are typed wrong.

    ## Example
    ```xml
    <item cmd="MH or fuzzy match on menu or help">[MH] Redisplay Menu Help</item>
    <item cmd="*develop-story" workflow="...">Develop the story</item>
    ```

    ## Use instead
    ```xml
    <item cmd="MH or fuzzy match on menu or help">[MH] Redisplay Menu Help</item>
    <item cmd="DS or fuzzy match on dev-story" workflow="...">[DS] Develop the story</item>
    ```
    """
    found = agent_root(document)
    if found is None:
        return
    block, root = found
    first: str | None = None
    for entry in menu_entries(root):
        if entry.trigger is None:
            continue
        style = trigger_style(entry.trigger)
        if first is None:
            first = style
        elif style != first:
            line, column = block.locate_attribute(entry.element, "cmd")
            message = f"trigger {entry.trigger!r} is {style}, but this menu's triggers are {first}"
            yield finding("BM404", document, line, column, message)
            return


@rule("BM405", "missing-target", W, "a menu item with no target, or a target of 'todo'")
def missing_target(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """A menu item runs nothing: it has no target, or its target is `todo`.

    ## What it does
    Reports, at the item (or at the `todo` value), a menu item with none of `workflow=`,
    `exec=`, `tmpl=`, `data=`, `action=`, `validate-workflow=`, `run-workflow=` and no
    nested handlers, unless its trigger is one every agent answers itself (help, menu,
    exit, dismiss, chat); and a target whose value is `todo`.

    ## Why is this bad?
    The menu offers a command that does nothing, or that tells the user it "hasn't been
    implemented yet" only once they chose it.

    ## Example
    ```xml
    <item cmd="*tech-spec" workflow="todo">Create a tech spec</item>
    ```

    ## Use instead
    ```xml
    <item cmd="*tech-spec" workflow="{project-root}/bmad/bmm/workflows/tech-spec/workflow.yaml">
      Create a tech spec</item>
    ```
    """
    found = agent_root(document)
    if found is None:
        return
    block, root = found
    for entry in menu_entries(root):
        element = entry.element
        named = [name for name in TARGET_ATTRIBUTES if name in element.attrib]
        for name in named:
            if element.get(name, "").strip().lower() == "todo":
                line, column = block.locate_attribute(element, name)
                yield finding("BM405", document, line, column, f"{name}= is 'todo'")
        if named or len(element) or entry.trigger is None:
            continue
        if trigger_key(entry.trigger) in BUILT_IN_TRIGGERS:
            continue
        line, column = block.locate(element)
        message = f"menu item {entry.trigger!r} has no target (workflow=, exec=, action=, ...)"
        yield finding("BM405", document, line, column, message)


@rule("BM406", "missing-handler", E, "a menu target with no <handler> of its type")
def missing_handler(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """A menu item uses a target for which the activation has no handler.

    ## What it does
    Reports, at the attribute's value, the first `exec=`, `workflow=`, `tmpl=`, `data=` or
    `validate-workflow=` of a menu item (or of a multi item's handler) when the activation's
    handlers have no `<handler type="...">` of that name.

    ## Why is this bad?
    The handler tells the model how to carry out that kind of target (load workflow.xml,
    pass the yaml path, ...): without it the model improvises.

    ## Example
    ```xml
    <handlers><handler type="workflow">...</handler></handlers>
    ...
    <item cmd="PM" exec="{project-root}/_bmad/core/workflows/party-mode/workflow.md">Party</item>
    ```

    ## Use instead
    ```xml
    <handlers><handler type="workflow">...</handler><handler type="exec">...</handler></handlers>
    ```
    """
    found = agent_root(document)
    if found is None:
        return
    block, root = found
    declared = {
        handler.get("type")
        for handlers in root.iter("handlers")
        for handler in handlers
        if handler.tag == "handler"
    }
    reported: set[str] = set()
    for entry in menu_entries(root):
        for holder in targets(entry.element):
            for name in _HANDLED_BY_TYPE:
                if name in holder.attrib and name not in declared and name not in reported:
                    reported.add(name)
                    line, column = block.locate_attribute(holder, name)
                    message = f'{name}= is used but no <handler type="{name}"> says how to run it'
                    yield finding("BM406", document, line, column, message)
