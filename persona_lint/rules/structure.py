"""PL0xx (files) and PL1xx (document structure): is this a readable persona document with
all its parts?"""

from __future__ import annotations

from collections.abc import Iterator

from persona_lint.diagnostics import Diagnostic, Severity
from persona_lint.document.model import Document, XmlBlock
from persona_lint.rules.context import RuleContext
from persona_lint.rules.registry import Edit, finding, rule

E, W = Severity.ERROR, Severity.WARNING


# PL0xx are reported by the linter itself, before or around the rules; the functions below
# only carry their documentation.


@rule("PL001", "internal-error", E, "persona-lint failed on this file (a bug: please report it)")
def internal_error(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """A rule raised an exception on this file.

    Why: a bug in one rule must not hide every other diagnostic, nor the other files of the
    run. The failing rule is named with the exception and its message (escaped, at most 200
    characters: it may quote the file); a computation several rules share is reported once.
    PL001 is reported whatever the selection: a file with a bug is a file not checked.
    Please report it with the file (or a reduced copy).
    """
    return iter(())


@rule("PL002", "encoding", E, "the file is not UTF-8 text")
def encoding(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """The file's bytes are not UTF-8 text: invalid UTF-8, a NUL byte, UTF-16 or UTF-32
    (with or without a byte order mark), a control character (C0 other than tab and line
    breaks, DEL, C1: they could drive the terminal through a quoted message), or a binary
    file (an image renamed ``.md``). Reported at the first offending character; nothing of
    the file is echoed.

    Why: persona documents are read by tools and models as UTF-8 text.

    Fails: a file saved as UTF-16, or one holding a ``0xff`` byte.

    Passes: the same text saved as UTF-8 (a byte order mark is accepted and ignored).
    """
    return iter(())


@rule("PL003", "file-too-large", E, "the file is larger than max-file-size")
def file_too_large(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """The file is larger than the ``max-file-size`` setting (1 MiB by default), so it is
    not parsed at all.

    Why: a persona is a few kilobytes; a huge file is a mistake or an attack, and parsing it
    would slow every run.
    """
    return iter(())


@rule("PL004", "unreadable-file", E, "the file could not be read")
def unreadable_file(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """The file could not be read: permission denied, it vanished during the run, it is a
    named pipe or a device (never opened), a symbolic link (to a file or a folder) pointing
    outside the linted tree (never followed), a link loop, or a folder that cannot be
    listed.

    Why: a file that is silently skipped is a file that is never checked.
    """
    return iter(())


@rule("PL005", "unused-suppression", W, "an inline suppression suppresses nothing")
def unused_suppression(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """A ``<!-- persona-lint: disable... -->`` comment that suppresses no diagnostic.

    Why: stale suppressions pile up and hide future problems (like ruff's unused noqa).

    Fails: ``<!-- persona-lint: disable-next-line PL305 -->`` above a valid version row.

    Passes: the same comment removed.
    """
    return iter(())


@rule("PL006", "unknown-suppression-code", W, "an inline suppression names an unknown code")
def unknown_suppression_code(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """A suppression comment names a code or rule name that does not exist.

    Why: a typo in a suppression suppresses nothing and misleads the reader.

    Fails: ``<!-- persona-lint: disable-file PL999 -->``

    Passes: ``<!-- persona-lint: disable-file PL407 -->``
    """
    return iter(())


@rule(
    "PL100",
    "not-a-persona",
    E,
    "a file named on the command line is not a persona document",
)
def not_a_persona(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """A Markdown file given explicitly has none of the persona markers: no version table,
    no ``# <Name> Persona`` title, no ``<persona_context>`` block.

    Why: when you name a file, you expect it to be checked; saying nothing would look like a
    pass. Files found by walking a directory are skipped silently instead (and counted).
    """
    return iter(())


@rule(
    "PL101",
    "missing-persona-context",
    E,
    "no ```xml block with a <persona_context> root",
    fails=Edit("```xml\n<persona_context", "```\n<persona_context"),
    passes=Edit("```xml\n<persona_context", "```xml\n<persona_context"),
)
def missing_persona_context(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """The document has no fenced ``xml`` block whose root is ``<persona_context>``.

    Why: the persona_context tree is the persona; without it there is nothing to apply.
    A ``<persona_context>`` inside a fence without the ``xml`` info string, or in an
    indented block, does not count (PL107 points at it).

    Fails: a document whose persona definition is in a plain ````` fence.

    Passes: the same block opened with ```` ```xml ````.
    """
    if _lacks_persona_context(document):
        yield finding("PL101", document, 1, 1, "no ```xml block with a <persona_context> root")


def _lacks_persona_context(document: Document) -> bool:
    """PL101's condition: no persona_context block, and no other layout (PL104) or broken
    block (PL201) that says why."""
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
    fails=Edit("```xml\n<backend_engineer_behavior>", "```\n<backend_engineer_behavior>"),
    passes=Edit("```xml\n<backend_engineer_behavior>", "```xml\n<backend_engineer_behavior>"),
)
def missing_behavior_block(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """The document has a persona_context block but no ``xml`` block whose root ends in
    ``_behavior`` (``<backend_engineer_behavior>``).

    Why: the behaviour block says how the persona acts; a persona without it is half done.

    Fails: the behaviour block removed, or fenced without ``xml``.

    Passes: a ```` ```xml ```` block with root ``<backend_engineer_behavior>``.
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
    fails=Edit("# Backend Engineer Persona", "Backend Engineer Persona"),
    passes=Edit("# Backend Engineer Persona", "# Backend Engineer Persona"),
)
def missing_title(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """The document has no level-1 heading.

    Why: the title names the persona for readers and must match ``persona_identity/name``
    (PL401, PL402 check its form).
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
    fails=Edit('<persona_context active="backend-engineer">', '<persona name="backend-engineer">'),
    passes=Edit(
        '<persona_context active="backend-engineer">', '<persona_context active="backend-engineer">'
    ),
)
def legacy_layout(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """The persona's XML root is not ``<persona_context>`` (for example the older compact
    layout's ``<persona name="...">``), so the document is not checked any further against
    the schema.

    Why: persona-lint checks the ``persona_context`` layout; rather than a cascade of schema
    errors, one diagnostic says what to migrate.

    Fails: ``<persona name="database-engineer">`` as the first block's root.

    Passes: ``<persona_context active="database-engineer">`` with the canonical sections.
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
    """Whether the document may be read as a persona document in the persona_context
    layout: False exactly when PL101 or PL104 reports it."""
    return _legacy_root(document) is None and not _lacks_persona_context(document)


def _legacy_root(document: Document) -> tuple[XmlBlock, str] | None:
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
    fails=Edit("**Usage**: Automatically", "Usage: Automatically"),
    passes=Edit("**Usage**: Automatically", "**Usage**: Automatically"),
)
def missing_usage(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """The document has no paragraph starting with ``**Usage**:``.

    Why: the Usage line tells people when the persona applies and how to select it with
    ``--persona slug``.
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
    """A fenced code block has no closing fence, so it silently runs to the end of the file
    (or of its blockquote) and swallows everything after it.

    Why: Markdown renderers do not complain; the persona after the fence simply disappears.

    Fails: a ```` ```xml ```` line with no matching ```` ``` ````.
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
    """A ``<persona_context>`` tree sits in a code block that is not a fenced ``xml`` block
    (an indented block, or a fence without the ``xml`` info string), so it is not checked.

    Why: tools that load personas look for ```` ```xml ```` fences.
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
    """The document has two or more ``xml`` blocks with a ``<persona_context>`` root.

    Why: a persona is one definition; which of the two applies is anybody's guess.
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
