"""BM101-BM103: the YAML front matter of a BMAD agent file.

The front matter is the block between a first line ``---`` and the next line ``---`` (or
``...``). It is parsed with PyYAML's safe loader, imported only when a file has front
matter. At most :data:`MAX_FRONT_MATTER` characters are parsed: a longer block is reported,
not read.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

from persona_lint.diagnostics import Diagnostic, Severity
from persona_lint.document.model import Document, shared
from persona_lint.rules.context import RuleContext
from persona_lint.rules.registry import finding, rule

E = Severity.ERROR
MAX_FRONT_MATTER = 64 * 1024
_FENCES = ("---", "...")
# Keys that IDE installers write instead of ``name`` (Copilot chat modes: tools; Windsurf
# workflows: auto_execution_mode; Cursor rules: globs, alwaysApply): those generations of
# the agent file have a description and no name.
IDE_KEYS = frozenset({"tools", "auto_execution_mode", "globs", "alwaysApply"})


class FrontMatter(NamedTuple):
    """The front matter: its lines (1-based, fences excluded) and what it parsed to."""

    first_line: int  # the first line inside the fences
    end_line: int  # the closing fence's line; 0 when it is never closed
    data: Any  # the parsed YAML, or None
    error: tuple[int, int, str] | None  # (line, column, message) of a YAML error


def front_matter(document: Document) -> FrontMatter | None:
    """The file's front matter, parsed once; None when the file has none."""
    return document.once(_front_matter)


@shared("bmad front matter")
def _front_matter(document: Document) -> FrontMatter | None:
    lines = document.lines
    if not lines or lines[0].rstrip() != "---":
        return None
    end = next((n for n in range(1, len(lines)) if lines[n].rstrip() in _FENCES), 0)
    if not end:
        return FrontMatter(2, 0, None, (1, 1, "the front matter's '---' is never closed"))
    body = "\n".join(lines[1:end])
    if len(body) > MAX_FRONT_MATTER:
        message = f"the front matter is longer than {MAX_FRONT_MATTER} characters; not read"
        return FrontMatter(2, end + 1, None, (2, 1, message))
    return _parsed(body, end + 1)


def _parsed(body: str, end_line: int) -> FrontMatter:
    import yaml  # only files with front matter pay for PyYAML (about 10 ms to import)

    try:
        data = yaml.safe_load(body)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 2, mark.column + 1) if mark else (2, 1)
        reason = exc.problem or exc.context or "invalid YAML"
        return FrontMatter(2, end_line, None, (line, column, f"invalid YAML: {reason}"))
    except (yaml.YAMLError, RecursionError) as exc:
        reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
        return FrontMatter(2, end_line, None, (2, 1, f"invalid YAML: {reason}"))
    if data is not None and not isinstance(data, dict):
        message = f"the front matter is a YAML {type(data).__name__}, not a mapping of keys"
        return FrontMatter(2, end_line, None, (2, 1, message))
    return FrontMatter(2, end_line, data or {}, None)


@rule("BM101", "front-matter-yaml", E, "the front matter is not valid YAML")
def front_matter_yaml(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """The front matter is not a valid YAML mapping.

    ## What it does
    Parses the block between the first line `---` and the next `---` with a YAML safe
    loader and reports the first error at its line and column, a front matter never closed,
    or one that is not a mapping of keys.

    ## Why is this bad?
    The IDE or the installer reads the front matter to list the agent: invalid YAML hides
    it, or breaks the whole list. An unquoted value holding `: ` is the usual cause.

    ## Example
    ```yaml
    ---
    description: BMAD BMM Agent: Product Manager
    ---
    ```

    ## Use instead
    ```yaml
    ---
    description: "BMAD BMM Agent: Product Manager"
    ---
    ```
    """
    found = front_matter(document)
    if found is not None and found.error is not None:
        line, column, message = found.error
        yield finding("BM101", document, line, column, message)


@rule("BM102", "front-matter-keys", E, "the front matter lacks name or description")
def front_matter_keys(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """The front matter lacks `name` or `description`, or one is empty.

    ## What it does
    Reports, at the front matter's first line, a missing or empty `description`, and a
    missing or empty `name` unless the front matter is an IDE's (it has `tools`,
    `auto_execution_mode`, `globs` or `alwaysApply`: those generations have no `name`).

    ## Why is this bad?
    The agent is listed and invoked by these keys: without them it shows as a blank entry
    or under its file name.

    ## Example
    ```yaml
    ---
    name: "pm"
    ---
    ```

    ## Use instead
    ```yaml
    ---
    name: "pm"
    description: "Product Manager"
    ---
    ```
    """
    found = front_matter(document)
    if found is None or found.error is not None:
        return
    data = found.data
    required = ["name", "description"] if not IDE_KEYS & set(data) else ["description"]
    for key in required:
        value = data.get(key)
        if key not in data:
            message = f"the front matter lacks {key!r}"
        elif not isinstance(value, str):  # never str(): an alias can stand for a huge tree
            message = f"the front matter's {key!r} is not text"
        elif not value.strip():
            message = f"the front matter has an empty {key!r}"
        else:
            continue
        yield finding("BM102", document, found.first_line, 1, message)


@rule("BM103", "nested-front-matter", E, "a second front-matter block after the first")
def nested_front_matter(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """A second front-matter block follows the first.

    ## What it does
    Reports a `---` line that opens a block of `key: value` lines right after the front
    matter (only blank lines between): an installer that wrapped an agent file that already
    had front matter in its own.

    ## Why is this bad?
    Only the first block is read as front matter: the agent's own `name` and `description`
    become body text, shown to the model as a stray heading.

    ## Example
    ```yaml
    ---
    description: "Product Manager"
    ---

    ---
    name: "pm"
    ---
    ```

    ## Use instead
    ```yaml
    ---
    name: "pm"
    description: "Product Manager"
    ---
    ```
    """
    found = front_matter(document)
    if found is None or not found.end_line:
        return
    lines = document.lines
    number = found.end_line  # 0-based index of the line after the closing fence
    while number < len(lines) and not lines[number].strip():
        number += 1
    if number + 1 < len(lines) and lines[number].rstrip() == "---" and ":" in lines[number + 1]:
        message = "a second front-matter block: merge it into the first"
        yield finding("BM103", document, number + 1, 1, message)
