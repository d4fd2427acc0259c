"""The copy-paste examples of docs/plugins.md and the README (rule options, team rules) run.

A fenced block whose info string names a file (```` ```toml .persona-lint.toml ````) is
written into a scratch folder beside the canonical persona; a ```` ```console ```` block
then runs its ``$ persona-lint ...`` line there, and its other lines are the output it must
print. Each console block starts the next example afresh.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from conftest import CANONICAL, ROOT, cli_process

DOCS = (ROOT / "docs" / "plugins.md", ROOT / "README.md")
# Three backticks or more (a Markdown file holding ```xml blocks is fenced with four).
_FENCE = re.compile(r"^(`{3,})(\S+)(?: (\S+))?\n(.*?)^\1$", re.MULTILINE | re.DOTALL)


def examples(document: Path) -> list[tuple[dict[str, str], str, list[str]]]:
    """(files, command, output) of each example in ``document``."""
    found = []
    files: dict[str, str] = {}
    for _, language, name, body in _FENCE.findall(document.read_text(encoding="utf-8")):
        if language == "console":
            command, *output = body.rstrip("\n").split("\n")
            found.append((files, command.removeprefix("$ "), output))
            files = {}
        elif name:
            files[name] = body
    return found


ALL = [(doc.name, *example) for doc in DOCS for example in examples(doc)]


def test_every_document_has_its_examples() -> None:
    assert [(name, command) for name, _, command, _ in ALL] == [
        ("plugins.md", "persona-lint backend-engineer.md"),
        ("plugins.md", "persona-lint --local-plugins backend-engineer.md"),
        ("README.md", "persona-lint runbooks/deploy.md"),
        ("README.md", "persona-lint pm.md"),
        ("README.md", "persona-lint backend-engineer.md"),
    ]


@pytest.mark.parametrize(("document", "files", "command", "output"), ALL)
def test_the_example_prints_what_it_shows(
    tmp_path: Path, document: str, files: dict[str, str], command: str, output: list[str]
) -> None:
    (tmp_path / "backend-engineer.md").write_text(CANONICAL, encoding="utf-8")
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    program, *args = shlex.split(command)
    assert program == "persona-lint"
    # A real process: two of the examples load a plugin (see conftest.cli).
    result = cli_process("--no-cache", *args, cwd=tmp_path)
    assert result.stdout.splitlines() == output, result.stderr


def test_the_documented_plugin_is_the_example_packages_module() -> None:
    (files, _, _) = examples(DOCS[0])[1]
    package = ROOT / "examples" / "acme-persona-rules" / "acme_persona_rules" / "rules.py"
    assert files["tools/our_rules.py"] == package.read_text(encoding="utf-8")
