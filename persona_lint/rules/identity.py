"""PL4xx: one identity everywhere.

The title, `persona_identity/name`, the `active` slug, the behaviour block's root, the Usage
line and the file name all name the same persona.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePath

from persona_lint.diagnostics import Diagnostic, Severity
from persona_lint.document.model import Document
from persona_lint.document.persona import (
    KEBAB,
    active_slug,
    active_value,
    behavior_root,
    identity_slug,
    persona_name,
    persona_name_text,
)
from persona_lint.rules.context import RuleContext
from persona_lint.rules.registry import finding, rule

E, W = Severity.ERROR, Severity.WARNING
TITLE_SUFFIX = " Persona"


@rule(
    "PL401",
    "title-format",
    E,
    "the H1 title does not read '<Name> Persona'",
)
def title_format(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """The first level-1 heading does not read `<Name> Persona`.

    ## What it does
    In a document with a `persona_context` block, checks that the first level-1 heading ends in
    ` Persona` after a non-empty name. So `# Backend Engineer` and `# Persona: Backend
    Engineer` fail; `# Backend Engineer Persona` passes.

    ## Why is this bad?
    Tools and people list personas by title and take the name from it (PL402 compares it with
    `persona_identity/name`); a title in another form is not recognised as a persona's.

    ## Example
    ```markdown
    # Backend Engineer
    ```

    ## Use instead
    ```markdown
    # Backend Engineer Persona
    ```
    """
    title = document.title
    if document.persona_context is None:
        return  # not the persona_context layout: PL101/PL104 say so once
    if title is not None and (
        not title.text.endswith(TITLE_SUFFIX) or not title.text[: -len(TITLE_SUFFIX)].strip()
    ):
        yield finding(
            "PL401",
            document,
            title.line,
            title.column,
            f"title {title.text!r} should read '<Name> Persona'",
            end_column=title.column + len(title.text),
        )


@rule(
    "PL402",
    "title-name-mismatch",
    E,
    "the title's <Name> differs from persona_identity/name",
)
def title_name_mismatch(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """The `<Name>` of the title differs from `persona_identity/name`.

    ## What it does
    Checks that the `<Name>` of the `# <Name> Persona` title equals `persona_identity/name`
    exactly (case included, whitespace in the name collapsed).

    ## Why is this bad?
    Readers see the title, the AI tool sees the name; when they disagree, the persona a person
    picks is not the one the tool describes.

    ## Example
    ```markdown
    # Backend Developer Persona
    ```
    with `<name>Backend Engineer</name>` in `persona_identity`.

    ## Use instead
    ```markdown
    # Backend Engineer Persona
    ```
    """
    title = document.title
    if title is None or not title.text.endswith(TITLE_SUFFIX):
        return
    name = persona_name_text(document)
    if name is None:
        return
    title_name = title.text[: -len(TITLE_SUFFIX)].strip()
    if title_name and title_name != name:
        found = persona_name(document)
        assert found is not None
        line, _column = found[1]
        yield finding(
            "PL402",
            document,
            title.line,
            title.column,
            f"title names {title_name!r} but persona_identity/name is {name!r} (line {line})",
            end_column=title.column + len(title_name),
        )


@rule(
    "PL403",
    "active-slug-format",
    E,
    "persona_context/@active is not kebab-case",
)
def active_slug_format(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """The `active` attribute of `persona_context` is not kebab-case.

    ## What it does
    Checks that `active` is kebab-case: lowercase letters and digits in words joined by `-`.
    So `Backend_Engineer`, `backend engineer` and `{persona_name}` fail; `backend-engineer`
    passes.

    ## Why is this bad?
    `active` is the slug that `--persona <slug>` selects; a slug with capitals, spaces or
    leftover template markup cannot be typed reliably, and the persona cannot be selected.

    ## Example
    ```xml
    <persona_context active="Backend_Engineer">
    ```

    ## Use instead
    ```xml
    <persona_context active="backend-engineer">
    ```
    """
    active = active_value(document)
    if active is not None and not KEBAB.match(active):
        found = active_slug(document)
        assert found is not None
        slug, (line, column) = found
        yield finding(
            "PL403",
            document,
            line,
            column,
            f"active={slug!r} is not kebab-case (such as backend-engineer)",
            end_column=column + len(slug),
        )


@rule(
    "PL404",
    "active-slug-mismatch",
    E,
    "persona_context/@active is not the slug of persona_identity/name",
)
def active_slug_mismatch(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """The `active` attribute of `persona_context` is not the slug of `persona_identity/name`.

    ## What it does
    Checks that a kebab-case `active` equals the slug of the name: `Backend Engineer` →
    `backend-engineer` (lowercase, every run of other characters becomes one `-`).

    ## Why is this bad?
    `--persona <slug>` selects the persona; a slug that drifts from the name breaks the
    selection silently, and the AI tool loads another persona or none.

    ## Example
    ```xml
    <persona_context active="backend-dev">
      <persona_identity>
        <name>Backend Engineer</name>
    ```

    ## Use instead
    ```xml
    <persona_context active="backend-engineer">
      <persona_identity>
        <name>Backend Engineer</name>
    ```
    """
    slug = active_value(document)
    name = persona_name_text(document)
    if slug is None or name is None or not KEBAB.match(slug):
        return
    expected = identity_slug(document) or ""  # slugify(name), found once
    if slug != expected:
        found = active_slug(document)
        assert found is not None
        _slug, (line, column) = found
        yield finding(
            "PL404",
            document,
            line,
            column,
            f"active={slug!r} does not match the name {name!r}; expected {expected!r}",
            end_column=column + len(slug),
        )


@rule(
    "PL405",
    "behavior-root-name",
    E,
    "the behaviour block's root is not <slug_behavior>",
)
def behavior_root_name(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """The behaviour block's root is not `<slug_behavior>`.

    ## What it does
    Checks that the root of the behaviour block is the persona's slug (from
    `persona_identity/name`, else a well-formed `active`) with `_` for `-`, then `_behavior`:
    `backend-engineer` → `<backend_engineer_behavior>`.

    ## Why is this bad?
    Tools pair the behaviour block with its persona by this name; a root named after another
    slug is the behaviour of some other persona, or of none.

    ## Example
    ```xml
    <backend_behavior>
      ...
    </backend_behavior>
    ```

    ## Use instead
    ```xml
    <backend_engineer_behavior>
      ...
    </backend_engineer_behavior>
    ```
    """
    slug = identity_slug(document)
    block = document.behavior
    if slug is None or block is None or block.parsed.root is None:
        return
    expected = behavior_root(slug)
    actual = block.parsed.root.tag
    if actual != expected:
        line, column = block.locate(block.parsed.root)
        yield finding(
            "PL405",
            document,
            line,
            column,
            f"behaviour root <{actual}> should be <{expected}> for the slug {slug!r}",
            end_column=column + len(actual) + 1,
        )


@rule(
    "PL406",
    "usage-persona",
    E,
    "the Usage line does not name --persona <slug>",
)
def usage_persona(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """The Usage line does not name `--persona <slug>`.

    ## What it does
    Checks that the `**Usage**:` line names `--persona <slug>` with the persona's slug (from
    `persona_identity/name`, else a well-formed `active`).

    ## Why is this bad?
    People copy the command from the Usage line; a wrong slug there selects another persona,
    or none, when they run it.

    ## Example
    In the backend-engineer persona:
    ```markdown
    **Usage**: Automatically applied ..., or explicitly via `--persona backend`.
    ```

    ## Use instead
    ```markdown
    **Usage**: Automatically applied ..., or explicitly via `--persona backend-engineer`.
    ```
    """
    usage = document.usage
    slug = identity_slug(document)
    if usage is None or slug is None:
        return
    if usage.persona is None:
        yield finding(
            "PL406",
            document,
            usage.line,
            usage.column,
            f"the Usage line does not name `--persona {slug}`",
        )
    elif usage.persona != slug:
        yield finding(
            "PL406",
            document,
            usage.persona_line,
            usage.persona_column,
            f"the Usage line names --persona {usage.persona}; expected --persona {slug}",
            end_column=usage.persona_column + len(usage.persona),
        )


@rule("PL407", "file-name-slug", W, "the file name is not <slug>.md")
def file_name_slug(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """The file name is not `<slug>.md`.

    ## What it does
    Checks that the file is named after the persona's slug: `backend-engineer.md` for the
    persona named `Backend Engineer`. Reported at 1:1, since the name is the file's. Standard
    input is not checked.

    ## Why is this bad?
    People and tools find personas by file name; a mismatch sends them to the wrong file.

    ## Example
    ```text
    personas/backend.md           holding  <persona_context active="backend-engineer">
    ```

    ## Use instead
    ```text
    personas/backend-engineer.md  holding  <persona_context active="backend-engineer">
    ```
    """
    slug = identity_slug(document)
    if slug is None or document.path in ("-", ""):
        return
    stem = PurePath(document.path).stem
    if stem != slug:
        yield finding(
            "PL407",
            document,
            1,
            1,
            f"file name {stem + '.md'!r} does not match the persona's slug {slug!r}; "
            f"expected {slug + '.md'!r}",
        )
