"""PL100-PL105 rules: a persona document in the `persona_context` layout, with all its parts.

Also what the linter asks of a file in another layout (`in_persona_layout`,
`OTHER_LAYOUT_CODES`).
"""

from __future__ import annotations

from collections.abc import Iterator

from persona_lint.diagnostics import Diagnostic, Severity
from persona_lint.document.model import Document, XmlBlock
from persona_lint.rules.context import RuleContext
from persona_lint.rules.registry import finding, rule

E = Severity.ERROR


@rule(
    "PL100",
    "not-a-persona",
    E,
    "a file named on the command line is not a persona document",
)
def not_a_persona(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """A Markdown file named on the command line is not a persona document.

    ## What it does
    Reports a Markdown file given explicitly that has none of the persona markers: no version
    table, no `# <Name> Persona` title, no `<persona_context>` block. Files found by walking a
    directory are skipped silently instead (and counted).

    ## Why is this bad?
    When you name a file, you expect it to be checked; saying nothing would look like a pass,
    while the file the AI tool will load is not checked at all.

    ## Example
    `persona-lint notes.md` where `notes.md` holds:
    ```markdown
    # Meeting notes

    - ship the backend persona
    ```

    ## Use instead
    Name only persona documents, or a folder (other Markdown files in it are skipped):
    ```markdown
    | version | last_updated | status |
    |---------|--------------|--------|
    | 1.0.0   | 2025-07-11   | stable |

    # Backend Engineer Persona
    ```
    """
    return iter(())


@rule(
    "PL101",
    "missing-persona-context",
    E,
    "no ```xml block with a <persona_context> root",
)
def missing_persona_context(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """The document has no fenced `xml` block whose root is `<persona_context>`.

    ## What it does
    Looks for a fenced code block with the `xml` info string whose root element is
    `<persona_context>`. A `<persona_context>` inside a fence without the `xml` info string,
    or in an indented block, does not count (PL107 points at it). A document in another
    layout (PL104), or whose `<persona_context>` block is not well-formed (PL201), is reported
    by those rules instead.

    ## Why is this bad?
    The `persona_context` tree is the persona: without it an AI tool that loads the file has
    nothing to apply, and no other rule can check it.

    ## Example
    The persona definition in a plain fence:
    ````markdown
    ```
    <persona_context active="backend-engineer">
    ```
    ````

    ## Use instead
    The same block opened with ```` ```xml ````:
    ````markdown
    ```xml
    <persona_context active="backend-engineer">
    ```
    ````
    """
    if _lacks_persona_context(document):
        yield finding("PL101", document, 1, 1, "no ```xml block with a <persona_context> root")


def _lacks_persona_context(document: Document) -> bool:
    """Whether PL101 reports the document.

    True when there is no `persona_context` block, and no other layout (PL104) or broken
    block (PL201) that says why.
    """
    if document.persona_context is not None or _legacy_root(document) is not None:
        return False
    if any(block.root_tag == "persona_context" for block in document.xml_blocks):
        return False
    return not any(
        block.parsed.error and "<persona_context" in block.code.content
        for block in document.xml_blocks
    )  # a broken one is reported as an XML syntax error


@rule(
    "PL102",
    "missing-behavior-block",
    E,
    "no ```xml block with a <slug_behavior> root",
)
def missing_behavior_block(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """The document has no fenced `xml` block whose root is `<slug_behavior>`.

    ## What it does
    When the document has a `persona_context` block, looks for a fenced `xml` block whose root
    element ends in `_behavior` (`<backend_engineer_behavior>`). A block that is not
    well-formed but names a `_behavior` element is left to PL201.

    ## Why is this bad?
    The behaviour block says how the persona acts; an AI tool that loads a persona without it
    gets who the persona is but not what it does: the persona is half done.

    ## Example
    The behaviour block fenced without `xml`:
    ````markdown
    ```
    <backend_engineer_behavior>
    ```
    ````

    ## Use instead
    ````markdown
    ```xml
    <backend_engineer_behavior>
    ```
    ````
    """
    found = document.persona_context
    if found is None or document.behavior is not None:
        return
    if any(
        block.parsed.error and "_behavior" in block.code.content for block in document.xml_blocks
    ):
        return  # a broken block naming a behaviour element may hold it; PL201 says so
    line = found.code.fence_line
    yield finding(
        "PL102",
        document,
        line,
        1,
        "no ```xml block with a <slug_behavior> root (such as <backend_engineer_behavior>)",
    )


@rule(
    "PL103",
    "missing-title",
    E,
    "no '# <Name> Persona' title",
)
def missing_title(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """The document has no level-1 heading.

    ## What it does
    Checks that the document has a level-1 heading (`# ...`), reported just under the version
    table when there is none.

    ## Why is this bad?
    The title names the persona for readers and for the tools that list personas; it must
    match `persona_identity/name` (PL401 and PL402 check its form and its name).

    ## Example
    ```markdown
    Backend Engineer Persona
    ```

    ## Use instead
    ```markdown
    # Backend Engineer Persona
    ```
    """
    if document.title is None:
        line = (document.version_table.line + 3) if document.version_table else 1
        line = min(line, len(document.lines))
        yield finding("PL103", document, line, 1, "no '# <Name> Persona' title")


@rule(
    "PL104",
    "legacy-layout",
    E,
    "the document uses the old <persona name=...> layout, not <persona_context>",
)
def legacy_layout(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """The persona's XML root is not `<persona_context>`.

    ## What it does
    Checks the root of the first `xml` block of a document that has no `<persona_context>`
    block: the older compact layout's `<persona name="...">` (or, in a document with a title,
    any other root that is not a `_behavior` block) is reported, and the document is not
    checked any further against the schema.

    ## Why is this bad?
    persona-lint and the tools that load personas read the `persona_context` layout; an older
    layout is not applied as intended. Rather than a cascade of schema errors, one diagnostic
    says what to migrate.

    ## Example
    ```xml
    <persona name="backend-engineer">
    ```

    ## Use instead
    The `persona_context` layout with the canonical sections:
    ```xml
    <persona_context active="backend-engineer">
    ```
    """
    root = _legacy_root(document)
    if root is not None:
        block, tag = root
        line, column = (
            block.locate(block.parsed.root)
            if block.parsed.root is not None
            else (block.code.content_line, 1)
        )
        if tag == "persona":
            message = (
                "this persona uses the old compact <persona name=...> layout; persona-lint "
                'checks the <persona_context active="slug"> layout (see backend-engineer.md)'
            )
        else:
            message = (
                f"the first ```xml block's root is <{tag}>, not <persona_context>: this is not "
                "a persona document in the persona_context layout"
            )
        yield finding("PL104", document, line, column, message)


# What a file that is not a persona document in the persona_context layout (a module, an
# older layout, a document with a version table: PL101 or PL104) is checked for: that one
# diagnostic, the real well-formedness errors of its blocks (a fence never closed, broken
# XML), and the hint of PL107 when its <persona_context> sits in a fence without xml (both
# PL106 and PL107 may be why PL101 found no block). Every other rule reads the file as a
# persona document, and on such a file reports only noise (a cascade).
OTHER_LAYOUT_CODES = frozenset({"PL101", "PL104", "PL106", "PL107", "PL201", "PL202", "PL203"})


def in_persona_layout(document: Document) -> bool:
    """Whether the document may be read as a persona in the `persona_context` layout.

    False exactly when PL101 or PL104 reports it.
    """
    return _legacy_root(document) is None and not _lacks_persona_context(document)


def _legacy_root(document: Document) -> tuple[XmlBlock, str] | None:
    """The first `xml` block and its root tag, when they make the document another layout.

    That is: no `persona_context` block, and a first root that is `<persona>`, or any other
    root but a `_behavior` one in a document that has a title. None otherwise.
    """
    if document.persona_context is not None or not document.xml_blocks:
        return None
    first = document.xml_blocks[0]
    tag = first.root_tag
    if tag is None or tag == "persona_context" or tag.endswith("_behavior"):
        return None
    if tag == "persona" or document.title is not None:
        return first, tag
    return None


@rule(
    "PL105",
    "missing-usage",
    E,
    "no '**Usage**:' line",
)
def missing_usage(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """The document has no paragraph starting with `**Usage**:`.

    ## What it does
    When the document has a `persona_context` block, checks that a paragraph starts with
    `**Usage**:`. It is reported on the last line, where the Usage line belongs.

    ## Why is this bad?
    The Usage line tells people and tools when the persona applies and how to select it with
    `--persona slug`; without it nobody knows how to turn the persona on.

    ## Example
    ```markdown
    Usage: Automatically applied ..., or explicitly via `--persona backend-engineer`.
    ```

    ## Use instead
    ```markdown
    **Usage**: Automatically applied ..., or explicitly via `--persona backend-engineer`.
    ```
    """
    if document.usage is None and document.persona_context is not None:
        yield finding(
            "PL105",
            document,
            len(document.lines),
            1,
            "no '**Usage**:' line naming `--persona <slug>` at the end of the document",
        )
