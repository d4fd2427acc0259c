"""PL4xx: one identity everywhere.

The title, `persona_identity/name`, the `active` slug, the behaviour block's root, the Usage
line and the file name all name the same persona.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import PurePath
from typing import NamedTuple
from xml.etree.ElementTree import Element

from persona_lint.diagnostics import Diagnostic, Severity
from persona_lint.document.model import Document, XmlBlock
from persona_lint.rules.context import RuleContext
from persona_lint.rules.registry import Edit, finding, rule

E, W = Severity.ERROR, Severity.WARNING
KEBAB = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TITLE_SUFFIX = " Persona"


_NON_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(name: str) -> str:
    """The slug of a persona name.

    `Backend Engineer` → `backend-engineer`, `iOS Engineer` → `ios-engineer`,
    `Cross-Platform Mobile Engineer` → `cross-platform-mobile-engineer`.
    """
    return _NON_SLUG.sub("-", name.lower()).strip("-")


def behavior_root(slug: str) -> str:
    """The behaviour block's root element for a slug: `backend_engineer_behavior`."""
    return slug.replace("-", "_") + "_behavior"


# Several rules ask the same questions of one document (the name, the ``active`` slug, the
# persona's slug). The answers are kept with the document (``Document.once``); places in
# the file are only looked up by rules that report something, since finding a place is the
# costly part.


class _Name(NamedTuple):
    text: str  # persona_identity/name, whitespace collapsed
    block: XmlBlock
    element: Element
    lead: int  # leading blanks of the element's text


def _name(document: Document) -> _Name | None:
    return document.once("persona_name", _find_name)


def _find_name(document: Document) -> _Name | None:
    block = document.persona_context
    if block is None or block.root is None:
        return None
    element = grandchild(block.root, "persona_identity", "name")
    text = element.text or "" if element is not None else ""
    words = text.split()
    if element is None or not words:
        return None
    return _Name(" ".join(words), block, element, len(text) - len(text.lstrip()))


def grandchild(parent: Element, tag: str, child_tag: str) -> Element | None:
    """`parent.find(f"{tag}/{child_tag}")` without ElementPath's Python machinery.

    That is the first `child_tag` child of the first `tag` child that has one (the path's
    order: ElementPath selects the children of every `tag` child, in document order).
    """
    for child in parent:
        if child.tag == tag:
            found = child.find(child_tag)
            if found is not None:
                return found
    return None


def persona_name(document: Document) -> tuple[str, tuple[int, int]] | None:
    """`persona_identity/name` and the place of its text, when present."""
    found = _name(document)
    if found is None:
        return None
    return found.text, found.block.locate_text(found.element, found.lead)


def persona_name_text(document: Document) -> str | None:
    """`persona_identity/name` with its whitespace collapsed, without looking up its place."""
    found = _name(document)
    return found.text if found is not None else None


def active_value(document: Document) -> str | None:
    """`persona_context/@active`, when present, without looking up its place."""
    block = document.persona_context
    if block is None or block.root is None:
        return None
    return block.root.attrib.get("active")


def active_slug(document: Document) -> tuple[str, tuple[int, int]] | None:
    """`persona_context/@active` and the place of its value, when present.

    Kept with the document: the linter records it for every persona, and a rule that reports
    it needs it too.
    """
    return document.once("active_slug", _find_active_slug)


def _find_active_slug(document: Document) -> tuple[str, tuple[int, int]] | None:
    block = document.persona_context
    if block is None or block.root is None or "active" not in block.root.attrib:
        return None
    return block.root.attrib["active"], block.locate_attribute(block.root, "active")


def identity_slug(document: Document) -> str | None:
    """The persona's slug: from `persona_identity/name` (the source of truth), else from `active`.

    The `active` value counts only when it is well-formed. Rules that compare names use this
    slug, so one wrong value is reported once instead of once per place that agrees with the
    other.
    """
    return document.once("identity_slug", _find_identity_slug)


def _find_identity_slug(document: Document) -> str | None:
    name = persona_name_text(document)
    if name is not None:
        return slugify(name) or None
    active = active_value(document)
    return active if active is not None and KEBAB.match(active) else None


@rule(
    "PL401",
    "title-format",
    E,
    "the H1 title does not read '<Name> Persona'",
    fails=Edit("# Backend Engineer Persona", "# Backend Engineer"),
    passes=Edit("# Backend Engineer Persona", "# Backend Engineer Persona"),
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
    fails=Edit("# Backend Engineer Persona", "# Backend Developer Persona"),
    passes=Edit("# Backend Engineer Persona", "# Backend Engineer Persona"),
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
    fails=Edit('active="backend-engineer"', 'active="Backend_Engineer"'),
    passes=Edit('active="backend-engineer"', 'active="backend-engineer"'),
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
    fails=Edit('active="backend-engineer"', 'active="backend-dev"'),
    passes=Edit('active="backend-engineer"', 'active="backend-engineer"'),
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
    fails=Edit("backend_engineer_behavior>", "backend_behavior>"),
    passes=Edit("backend_engineer_behavior>", "backend_engineer_behavior>"),
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
    fails=Edit("`--persona backend-engineer`", "`--persona backend`"),
    passes=Edit("`--persona backend-engineer`", "`--persona backend-engineer`"),
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


def file_stem(path: str) -> str:
    r"""`PurePath(path).stem`, without building a PurePath when `path` is plain.

    Plain means: no `\` or `:` (Windows separators and drives), no leading `//` (a UNC share),
    and a last `/`-separated part that is a name (not empty, `.` or `..`). Such a path's final
    component is that part on POSIX and Windows alike; anything else goes to pathlib.
    """
    name = path.rpartition("/")[2]
    if name in ("", ".", "..") or "\\" in path or ":" in path or path.startswith("//"):
        return PurePath(path).stem
    dot = name.rfind(".")
    return name[:dot] if 0 < dot < len(name) - 1 else name


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
    stem = file_stem(document.path)
    if stem != slug:
        yield finding(
            "PL407",
            document,
            1,
            1,
            f"file name {stem + '.md'!r} does not match the persona's slug {slug!r}; "
            f"expected {slug + '.md'!r}",
        )
