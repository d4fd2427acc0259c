"""BM501-BM505: the paths of menu targets, and the agent's id against its file's place."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import PurePosixPath

from persona_lint.diagnostics import Diagnostic, Severity
from persona_lint.document.model import Document, XmlBlock
from persona_lint.rules.bmad.agent import PATH_ATTRIBUTES, agent_root, menu_entries, targets
from persona_lint.rules.context import RuleContext
from persona_lint.rules.registry import finding, rule

E = Severity.ERROR
W = Severity.WARNING
# A path on one person's machine: a home folder, a mounted volume, a Windows drive.
_MACHINE_PATH = re.compile(
    r"(?<![\w{}.-])(?:/home/[^/\s\"'<>]+|/Users/[^/\s\"'<>]+|/Volumes/[^/\s\"'<>]+|"
    r"[A-Za-z]:\\(?:Users|Documents and Settings)\\[^\\\s\"'<>]+)"
)
# Target values that are not paths: a not-yet-written target, a skill, a URL.
_NOT_A_PATH = re.compile(r"^(?:todo|skill:|https?://)", re.IGNORECASE)
# What persona-lint takes for the file's own name in an id: bmad/bmm/agents/pm.md, pm.agent.yaml.
_ID_SUFFIXES = (".agent.yaml", ".md")
# IDE wrappers name the agent file after its module and name (bmm-pm.chatmode.md,
# 20-bmm-pm.md): the id's name must end the file's name.
_WRAPPER_SUFFIXES = (".chatmode.md", ".agent.md", ".mdc", ".md")


def _path_targets(block: XmlBlock, document: Document) -> Iterator[tuple[str, str, int, int]]:
    """Each path target of the menu: (attribute, value, line, column of the value)."""
    found = agent_root(document)
    if found is None:
        return
    root = found[1]
    for entry in menu_entries(root):
        for holder in targets(entry.element):
            for name in PATH_ATTRIBUTES:
                value = holder.get(name)
                if value is not None and not _NOT_A_PATH.match(value.strip()):
                    line, column = block.locate_attribute(holder, name)
                    yield name, value, line, column


@rule("BM501", "machine-path", E, "a path on one person's machine")
def machine_path(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    r"""The agent names a path on one person's machine.

    ## What it does
    Reports, at its first character, each absolute path into a home folder or a mounted
    volume (`/home/name/...`, `/Users/name/...`, `/Volumes/...`, `C:\Users\name\...`)
    anywhere in the file.

    ## Why is this bad?
    The path exists on the machine of whoever ran the installer, and nowhere else: in a
    shared repository every other user's agent loads nothing.

    ## Example
    ```xml
    <item cmd="*prd" workflow="/home/odin/app/bmad/bmm/workflows/prd/workflow.yaml">PRD</item>
    ```

    ## Use instead
    ```xml
    <item cmd="*prd" workflow="{project-root}/bmad/bmm/workflows/prd/workflow.yaml">PRD</item>
    ```
    """
    for number, line in enumerate(document.lines, start=1):
        if "/" not in line and "\\" not in line:
            continue
        for match in _MACHINE_PATH.finditer(line):
            message = f"{match.group()!r}: an absolute path on one machine; use {{project-root}}"
            yield finding("BM501", document, number, match.start() + 1, message)


@rule("BM502", "double-slash-path", W, "'//' in a menu target's path")
def double_slash_path(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """A menu target's path holds `//`.

    ## What it does
    Reports, at the `//`, a menu target whose path has an empty folder name (an installer
    that joined a root ending in `/` with a path starting with `/`).

    ## Why is this bad?
    Most tools read `a//b` as `a/b`, but some do not, and it shows a path built by string
    concatenation that may be wrong in other ways.

    ## Example
    ```xml
    <item cmd="*prd" workflow="{project-root}//bmad/bmm/workflows/prd/workflow.yaml">PRD</item>
    ```

    ## Use instead
    ```xml
    <item cmd="*prd" workflow="{project-root}/bmad/bmm/workflows/prd/workflow.yaml">PRD</item>
    ```
    """
    block_root = agent_root(document)
    if block_root is None:
        return
    for name, value, line, column in _path_targets(block_root[0], document):
        index = value.find("//")
        if index >= 0 and "\n" not in value[:index]:
            message = f"{name}= has '//' in its path"
            yield finding("BM502", document, line, column + index, message)


@rule("BM503", "path-without-project-root", W, "a menu target's path not under {project-root}")
def path_without_project_root(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """A menu target's path does not start with `{project-root}`.

    ## What it does
    Reports, at the value, a path target (`workflow=`, `exec=`, `tmpl=`, `data=`,
    `validate-workflow=`, `run-workflow=`) that neither starts with `{project-root}` nor is
    `todo`, a `skill:` or a URL. A path on one machine is BM501's, not reported here.

    ## Why is this bad?
    A relative path is resolved against whatever folder the IDE runs in, which is not the
    project's root in every IDE.

    ## Example
    ```xml
    <item cmd="*prd" workflow="bmad/bmm/workflows/prd/workflow.yaml">PRD</item>
    ```

    ## Use instead
    ```xml
    <item cmd="*prd" workflow="{project-root}/bmad/bmm/workflows/prd/workflow.yaml">PRD</item>
    ```
    """
    block_root = agent_root(document)
    if block_root is None:
        return
    for name, value, line, column in _path_targets(block_root[0], document):
        stripped = value.strip()
        if stripped.startswith("{project-root}") or _MACHINE_PATH.match(stripped):
            continue
        message = f"{name}={value!r} does not start with {{project-root}}"
        yield finding("BM503", document, line, column, message)


@rule("BM504", "target-kind-mismatch", E, "exec= names a workflow.yaml or workflow= a .md")
def target_kind_mismatch(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """A target's attribute does not fit the kind of file it names.

    ## What it does
    Reports, at the value, an `exec=` that names a `.yaml` workflow configuration and a
    `workflow=` that names a `.md` file.

    ## Why is this bad?
    `exec=` makes the model follow a Markdown file's instructions; `workflow=` makes it load
    the workflow engine with a YAML configuration. Swapped, the model follows a YAML file
    as prose, or hands the engine a document it cannot read.

    ## Example
    ```xml
    <item cmd="*prd" exec="{project-root}/_bmad/bmm/workflows/prd/workflow.yaml">PRD</item>
    ```

    ## Use instead
    ```xml
    <item cmd="*prd" workflow="{project-root}/_bmad/bmm/workflows/prd/workflow.yaml">PRD</item>
    ```
    """
    block_root = agent_root(document)
    if block_root is None:
        return
    for name, value, line, column in _path_targets(block_root[0], document):
        suffix = PurePosixPath(value.strip()).suffix.lower()
        if name == "exec" and suffix in (".yaml", ".yml"):
            message = "exec= names a YAML workflow configuration; use workflow="
        elif name == "workflow" and suffix == ".md":
            message = "workflow= names a Markdown file; use exec="
        else:
            continue
        yield finding("BM504", document, line, column, message)


@rule("BM505", "agent-id-location", W, "agent@id disagrees with the file's name")
def agent_id_location(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """The agent's `id` names another file than the one it is in.

    ## What it does
    Reports, at the `id` value, an id whose file name (`pm` of `bmad/bmm/agents/pm.md` or of
    `pm.agent.yaml`) is not the agent file's name, or the end of an IDE wrapper's name
    (`bmm-pm.chatmode.md`, `20-bmm-pm.md`).

    ## Why is this bad?
    The id is how other files and the installer's manifest find the agent (customisation
    overrides, party mode): an id that names another file points them at the wrong agent,
    or at nothing.

    ## Example
    ```xml
    <!-- in bmad/bmm/agents/dev.md -->
    <agent id="bmad/bmm/agents/dev-impl.md" name="Amelia" title="Developer Agent" icon="💻">
    ```

    ## Use instead
    ```xml
    <agent id="bmad/bmm/agents/dev.md" name="Amelia" title="Developer Agent" icon="💻">
    ```
    """
    found = agent_root(document)
    if found is None:
        return
    block, root = found
    agent_id = (root.get("id") or "").strip()
    if not agent_id:
        return  # the schema reports it (BM213/BM214)
    name = PurePosixPath(agent_id.replace("\\", "/")).name
    for suffix in _ID_SUFFIXES:
        if name.endswith(suffix):
            name = name[: -len(suffix)]
            break
    file_name = PurePosixPath(document.path.replace("\\", "/")).name
    stem = next(
        (file_name[: -len(s)] for s in _WRAPPER_SUFFIXES if file_name.endswith(s)), file_name
    )
    if stem == name or stem.endswith(f"-{name}"):
        return
    line, column = block.locate_attribute(root, "id")
    message = f"id {agent_id!r} names {name!r}, but the file is {file_name!r}"
    yield finding("BM505", document, line, column, message)
