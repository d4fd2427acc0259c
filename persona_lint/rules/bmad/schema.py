"""BM210-BM216: the ``<agent>`` block against ``schemas/bmad-agent.xsd``."""

from __future__ import annotations

from collections.abc import Iterator

from persona_lint.diagnostics import Diagnostic
from persona_lint.document.model import Document
from persona_lint.rules.bmad.xml import E, _only
from persona_lint.rules.context import RuleContext
from persona_lint.rules.registry import rule


@rule("BM210", "agent-missing-element", E, "the <agent> block lacks a required element")
def agent_missing_element(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """The `<agent>` block lacks an element the schema requires.

    ## What it does
    Validates the block against `schemas/bmad-agent.xsd` and reports a missing required
    element at its parent's start tag: `<agent>` needs `<activation>` then `<persona>`;
    `<persona>` needs `role`, `identity`, `communication_style` and `principles`, in order.

    ## Why is this bad?
    The loader reads the agent by these names: a missing `<persona>` part is a gap the model
    fills by guessing.

    ## Example
    ```xml
    <persona><role>PM</role><identity>...</identity><principles>...</principles></persona>
    ```

    ## Use instead
    ```xml
    <persona><role>PM</role><identity>...</identity>
      <communication_style>...</communication_style><principles>...</principles></persona>
    ```
    """
    return _only("BM210", document)


@rule("BM211", "agent-unknown-element", E, "an element the BMAD schema does not allow there")
def agent_unknown_element(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """An element of the `<agent>` block is not allowed where it stands.

    ## What it does
    Reports an element the schema does not allow at its place, with the allowed names:
    a typo in `<activation>` (`<stepp>`), a `<menu>` child other than `<item>`. Sections
    after `<persona>` are open: any name is accepted there.

    ## Why is this bad?
    The loader ignores unknown names: what they say never reaches the model.

    ## Example
    ```xml
    <menu><entry cmd="MH">[MH] Menu</entry></menu>
    ```

    ## Use instead
    ```xml
    <menu><item cmd="MH">[MH] Menu</item></menu>
    ```
    """
    return _only("BM211", document)


@rule("BM212", "agent-misplaced-element", E, "a known element of <agent> in the wrong place")
def agent_misplaced_element(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """A known element of the `<agent>` block is repeated or out of order.

    ## What it does
    Reports an element that stands after the place where it belongs, or a second one where
    one is allowed (a second `<role>` in `<persona>`).

    ## Why is this bad?
    Two answers to one question leave the loader to pick one.

    ## Example
    ```xml
    <persona><role>PM</role><role>Analyst</role>...</persona>
    ```

    ## Use instead
    ```xml
    <persona><role>PM and Analyst</role>...</persona>
    ```
    """
    return _only("BM212", document)


@rule("BM213", "agent-empty-value", E, "an empty attribute or element the BMAD schema requires")
def agent_empty_value(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """A required value of the `<agent>` block is empty.

    ## What it does
    Reports an empty `id`, `name`, `title` or `icon` of `<agent>`, or an empty `<persona>`
    part.

    ## Why is this bad?
    Menus and greetings show these values: an empty icon or title shows nothing.

    ## Example
    ```xml
    <agent id="pm.agent.yaml" name="John" title="Product Manager" icon="">
    ```

    ## Use instead
    ```xml
    <agent id="pm.agent.yaml" name="John" title="Product Manager" icon="📋">
    ```
    """
    return _only("BM213", document)


@rule("BM214", "agent-invalid-attribute", E, "a missing or unexpected attribute in <agent>")
def agent_invalid_attribute(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """An attribute of the `<agent>` block is missing or unknown.

    ## What it does
    Reports a missing required attribute (`id`, `name`, `title`, `icon` of `<agent>`, `n`
    of `<step>`, `cmd` of `<c>`) and an attribute the schema does not define (a target
    attribute misspelt: `workfow=`).

    ## Why is this bad?
    A misspelt target is never run: the menu item does nothing.

    ## Example
    ```xml
    <item cmd="PR" workfow="{project-root}/_bmad/bmm/workflows/prd/workflow.yaml">[PR] PRD</item>
    ```

    ## Use instead
    ```xml
    <item cmd="PR" workflow="{project-root}/_bmad/bmm/workflows/prd/workflow.yaml">[PR] PRD</item>
    ```
    """
    return _only("BM214", document)


@rule("BM216", "agent-invalid-content", E, "an element's content does not match its BMAD type")
def agent_invalid_content(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """An element of the `<agent>` block holds content its type does not allow.

    ## What it does
    Reports elements where text is expected (a `<role>` holding elements) or text where
    only elements are (text directly inside `<menu>`).

    ## Why is this bad?
    The loader reads such content wrongly or not at all.

    ## Example
    ```xml
    <menu>Show the menu<item cmd="MH">[MH] Menu</item></menu>
    ```

    ## Use instead
    ```xml
    <menu><item cmd="MH">[MH] Menu</item></menu>
    ```
    """
    return _only("BM216", document)
