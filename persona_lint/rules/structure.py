"""PL0xx (files) and PL1xx (document structure) rules.

They answer one question: is this a readable persona document with all its parts?
"""

from __future__ import annotations

from collections.abc import Iterator

from persona_lint.diagnostics import Diagnostic, Severity
from persona_lint.document.model import Document, XmlBlock
from persona_lint.rules.context import RuleContext
from persona_lint.rules.registry import finding, rule

E, W = Severity.ERROR, Severity.WARNING


# PL0xx are reported by the linter itself, before or around the rules; the functions below
# only carry their documentation.


@rule("PL001", "internal-error", E, "persona-lint failed on this file (a bug: please report it)")
def internal_error(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """A rule raised an exception on this file.

    ## What it does
    Reports a bug in persona-lint itself: a rule raised an exception while checking this file.
    The diagnostic names the failing rule, the exception and its message (escaped, at most 200
    characters, because it may quote the file). A computation several rules share is reported
    once. PL001 is reported whatever the selection: a file with a bug is a file not checked.

    ## Why is this bad?
    A bug in one rule must not hide every other diagnostic, nor the other files of the run,
    and it must not pass silently either: the rule that failed did not check the persona, so
    the AI tool may be loading a persona nobody checked.

    ## Example
    ```text
    a.md:1:1: error: internal error in rule PL404 (active-slug-mismatch): KeyError: 'x' [PL001]
    ```

    ## Use instead
    Please report it with the file (or a reduced copy that still fails). There is nothing to
    change in the persona.
    """
    return iter(())


@rule("PL002", "encoding", E, "the file is not UTF-8 text")
def encoding(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """The file's bytes are not UTF-8 text.

    ## What it does
    Checks that the file is UTF-8 text. It reports invalid UTF-8, a NUL byte, UTF-16 or
    UTF-32 (with or without a byte order mark), a control character (C0 other than tab and
    line breaks, DEL, C1: they could drive the terminal through a quoted message), or a binary
    file (an image renamed `.md`). The diagnostic points at the first offending character;
    nothing of the file is echoed. A UTF-8 byte order mark is accepted and ignored.

    ## Why is this bad?
    Persona documents are read by tools and models as UTF-8 text: a file in another encoding
    is garbled or rejected when the AI tool loads it, and none of the other rules can check it.

    ## Example
    A persona saved as UTF-16, or one holding a `0xff` byte:
    ```text
    | version | last_updated | status |   (saved as UTF-16 LE with a byte order mark)
    ```

    ## Use instead
    The same text saved as UTF-8:
    ```text
    | version | last_updated | status |   (saved as UTF-8)
    ```
    """
    return iter(())


@rule("PL003", "file-too-large", E, "the file is larger than max-file-size")
def file_too_large(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """The file is larger than the `max-file-size` setting, so it is not parsed at all.

    ## What it does
    Checks the file's size against the `max-file-size` setting (1 MiB by default). A larger
    file is reported and not parsed.

    ## Why is this bad?
    A persona is a few kilobytes. A huge file is a mistake (a log or a data dump saved as
    `.md`) or an attack, parsing it would slow every run, and an AI tool that loads it as a
    persona would fill its context with it.

    ## Example
    ```text
    personas/backend-engineer.md   3.2 MiB (a pasted log after the Usage line)
    ```

    ## Use instead
    ```text
    personas/backend-engineer.md   9 KiB
    ```
    Or raise `max-file-size` in the configuration if the file really is a persona.
    """
    return iter(())


@rule("PL004", "unreadable-file", E, "the file could not be read")
def unreadable_file(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """The file could not be read.

    ## What it does
    Reports a file that could not be read: permission denied, it vanished during the run, it
    is a named pipe or a device (never opened), a symbolic link (to a file or a folder)
    pointing outside the linted tree (never followed), a link loop, or a folder that cannot
    be listed.

    ## Why is this bad?
    A file that is silently skipped is a file that is never checked, yet the AI tool may still
    load it as a persona.

    ## Example
    ```text
    personas/backend-engineer.md -> /home/me/drafts/backend.md   (a link out of the tree)
    ```

    ## Use instead
    ```text
    personas/backend-engineer.md   (a regular, readable file inside the tree)
    ```
    """
    return iter(())


@rule("PL005", "unused-suppression", W, "an inline suppression suppresses nothing")
def unused_suppression(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """An inline suppression comment suppresses no diagnostic.

    ## What it does
    Checks every `<!-- persona-lint: disable... -->` comment (`disable-next-line`,
    `disable-line`, `disable-file`, `disable`) and reports those that suppress no diagnostic.

    ## Why is this bad?
    Stale suppressions pile up and hide future problems (like ruff's unused `noqa`): the day
    the line really breaks, the comment silences the report and the AI tool loads the broken
    persona.

    ## Example
    A suppression above a version row that is valid:
    ```markdown
    <!-- persona-lint: disable-next-line PL305 -->
    | 1.0.0   | 2025-07-11   | stable |
    ```

    ## Use instead
    ```markdown
    | 1.0.0   | 2025-07-11   | stable |
    ```
    """
    return iter(())


@rule("PL006", "unknown-suppression-code", W, "an inline suppression names an unknown code")
def unknown_suppression_code(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """A suppression comment names a code or rule name that does not exist.

    ## What it does
    Checks that every code in a `<!-- persona-lint: ... -->` comment is a known rule code,
    prefix or rule name.

    ## Why is this bad?
    A typo in a suppression suppresses nothing and misleads the reader, who believes the
    diagnostic is silenced on purpose.

    ## Example
    ```markdown
    <!-- persona-lint: disable-file PL999 -->
    ```

    ## Use instead
    ```markdown
    <!-- persona-lint: disable-file PL407 -->
    ```
    """
    return iter(())


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
