"""BM301-BM302: text the installer or the build should have replaced."""

from __future__ import annotations

import re
from collections.abc import Iterator

from persona_lint.diagnostics import Diagnostic, Severity
from persona_lint.document.model import Document
from persona_lint.rules.context import RuleContext
from persona_lint.rules.registry import finding, rule

# The runtime variables BMAD documents: the agent resolves them itself when it runs.
RUNTIME_VARIABLES = (
    "project-root",
    "user_name",
    "communication_language",
    "document_output_language",
    "output_folder",
    "project_name",
    "user_skill_level",
)
# Install-time placeholders: the installer replaces them when it writes the agent file.
INSTALL_PLACEHOLDERS = ("bmad_folder", "bmad-folder", "agent-filename")
# One placeholder: a name in single braces (``{{mustache}}`` is a template, not ours).
_PLACEHOLDER = re.compile(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_-]*)\}(?!\})")
# A build-time marker: a name in capitals (``{DYNAMIC_EXTRACT_LIST}``, ``{HELP_STEP}``).
_BUILD_MARKER = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+|[A-Z]{2,}")
_OBJECT = "[object Object]"


@rule(
    "BM301",
    "unresolved-placeholder",
    Severity.ERROR,
    "a placeholder the installer or the build should have replaced",
    options={
        "runtime-variables": RUNTIME_VARIABLES,
        "install-placeholders": INSTALL_PLACEHOLDERS,
    },
)
def unresolved_placeholder(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """A placeholder the installer or the build should have replaced is left in the file.

    ## What it does
    Reports, at its `{`, each install-time placeholder (option `install-placeholders`:
    `{bmad_folder}`, `{agent-filename}`) and each build-time marker, a name in capitals
    (`{DYNAMIC_EXTRACT_LIST}`, `{HELP_STEP}`). The runtime variables the agent resolves
    itself (option `runtime-variables`: `{project-root}`, `{user_name}`,
    `{communication_language}`, `{output_folder}`, ...) and other names in braces (a
    template's `{slug}` in a memory) are not reported.

    ## Why is this bad?
    The agent loads `{project-root}/{bmad_folder}/bmm/config.yaml` literally: the file is
    not found, no configuration is loaded, and every step that needs it fails.

    ## Example
    ```xml
    <step n="2">Load and read {project-root}/{bmad_folder}/bmm/config.yaml NOW</step>
    ```

    ## Use instead
    ```xml
    <step n="2">Load and read {project-root}/_bmad/bmm/config.yaml NOW</step>
    ```
    """
    allowed = set(context.options["runtime-variables"])
    installed = set(context.options["install-placeholders"])
    for number, line in enumerate(document.lines, start=1):
        if "{" not in line:
            continue
        for match in _PLACEHOLDER.finditer(line):
            name = match.group(1)
            if name in allowed:
                continue
            if name in installed:
                kind = "an install-time placeholder"
            elif _BUILD_MARKER.fullmatch(name):
                kind = "a build-time marker"
            else:
                continue
            message = f"{{{name}}} is {kind} left unreplaced"
            yield finding(
                "BM301", document, number, match.start() + 1, message, end_column=match.end() + 1
            )


@rule("BM302", "stringified-object", Severity.ERROR, "'[object Object]' in the text")
def stringified_object(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
    """The text holds `[object Object]`: a YAML mapping written out as a string.

    ## What it does
    Reports each `[object Object]`, at its first character.

    ## Why is this bad?
    The build turned a structured value of the agent's YAML source (principles written as
    a mapping) into JavaScript's default text: what the author wrote is lost, and the model
    reads `[object Object]` as the agent's principles.

    ## Example
    ```xml
    <principles>[object Object] [object Object]</principles>
    ```

    ## Use instead
    ```xml
    <principles>Risk-based testing. Automate what repeats.</principles>
    ```
    """
    for number, line in enumerate(document.lines, start=1):
        start = line.find(_OBJECT)
        while start >= 0:
            yield finding(
                "BM302",
                document,
                number,
                start + 1,
                "'[object Object]': a YAML mapping written out as text",
                end_column=start + len(_OBJECT) + 1,
            )
            start = line.find(_OBJECT, start + 1)
