"""PL106-PL108 rules: code blocks that break, hide or duplicate the persona definition."""

from __future__ import annotations

from collections.abc import Iterator

from persona_lint.diagnostics import Diagnostic, Severity
from persona_lint.document.model import Document
from persona_lint.rules.context import RuleContext
from persona_lint.rules.registry import finding, rule

E, W = Severity.ERROR, Severity.WARNING


@rule("PL106", "unterminated-fence", E, "a code fence is never closed")
def unterminated_fence(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """A fenced code block has no closing fence.

    ## What it does
    Reports every fenced code block that is never closed, at its opening fence. Such a block
    silently runs to the end of the file (or of its blockquote) and swallows everything after
    it.

    ## Why is this bad?
    Markdown renderers do not complain: the persona after the fence simply disappears, and an
    AI tool that loads it reads the rest of the document as code.

    ## Example
    An ```` ```xml ```` line with no matching closing fence:
    ````markdown
    ```xml
    <backend_engineer_behavior>
      ...
    </backend_engineer_behavior>

    **Usage**: ...
    ````

    ## Use instead
    ````markdown
    ```xml
    <backend_engineer_behavior>
      ...
    </backend_engineer_behavior>
    ```

    **Usage**: ...
    ````
    """
    for block in document.code_blocks:
        if block.fenced and not block.closed:
            yield finding(
                "PL106",
                document,
                block.fence_line,
                block.fence_column,
                "this code fence is never closed; it runs to the end of the file",
            )


@rule("PL107", "hidden-xml", W, "a <persona_context> block that is not a ```xml fence")
def hidden_xml(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """A `<persona_context>` tree sits in a code block that is not a fenced `xml` block.

    ## What it does
    Reports a code block holding `<persona_context` that is an indented code block, or a
    fence without the `xml` info string: such a block is not checked.

    ## Why is this bad?
    Tools that load personas look for ```` ```xml ```` fences: the persona in the hidden block
    is not loaded, and persona-lint does not check it either.

    ## Example
    An indented block:
    ```markdown
        <persona_context active="backend-engineer">
        </persona_context>
    ```

    ## Use instead
    ````markdown
    ```xml
    <persona_context active="backend-engineer">
    </persona_context>
    ```
    ````
    """
    for block in document.code_blocks:
        # The cheap test first: the search would scan every (large) xml block's content.
        if not (block.fenced and block.language == "xml") and "<persona_context" in block.content:
            how = "an indented code block" if not block.fenced else "a fence without 'xml'"
            yield finding(
                "PL107",
                document,
                block.fence_line,
                block.fence_column,
                f"<persona_context> is in {how}; use a ```xml fence so it is checked",
            )


@rule("PL108", "duplicate-persona-context", E, "more than one <persona_context> block")
def duplicate_persona_context(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """The document has two or more `xml` blocks with a `<persona_context>` root.

    ## What it does
    Reports every `<persona_context>` block after the first, naming the line of the first.

    ## Why is this bad?
    A persona is one definition; when a tool loads a file with two, which of them applies is
    anybody's guess.

    ## Example
    ````markdown
    ```xml
    <persona_context active="backend-engineer">
    ...
    </persona_context>
    ```

    ```xml
    <persona_context active="backend-engineer">
    ...
    </persona_context>
    ```
    ````

    ## Use instead
    One block, merged:
    ````markdown
    ```xml
    <persona_context active="backend-engineer">
    ...
    </persona_context>
    ```
    ````
    """
    blocks = [b for b in document.xml_blocks if b.root_tag == "persona_context"]
    for block in blocks[1:]:
        line, column = (
            block.locate(block.parsed.root)
            if block.parsed.root is not None
            else (block.code.content_line, 1)
        )
        yield finding(
            "PL108",
            document,
            line,
            column,
            f"second <persona_context> block; the first is at line {blocks[0].code.content_line}",
        )
