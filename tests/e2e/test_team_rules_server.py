"""A team's own rules in the language server: rules in configuration and plugins, good and bad.

A real LSP client starts ``python -m persona_lint server`` over stdio in a scratch
workspace (marked slow, like tests/e2e/test_server.py); no test sleeps.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from conftest import CANONICAL
from lsp.client import Client, start_client, stop_client
from lsprotocol import types

pytestmark = [pytest.mark.slow, pytest.mark.asyncio]

RULE = """\
[[rules]]
code = "ACME103"
name = "short-perspective"
severity = "warning"
message = "the perspective is longer than 60 characters"
block = "persona"
given = "persona_identity/perspective"
then = "length"
max = 60
"""
PLUGIN = '''\
from persona_lint.api import Severity, rule


@rule("ACME202", "always-fails", Severity.WARNING, "a rule with a bug")
def always_fails(document, context):
    """A rule with a bug."""
    raise RuntimeError("kaboom")
'''


@pytest_asyncio.fixture
async def client(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Client]:
    # A trusted repository: the editor lets the server run its plugin modules.
    monkeypatch.setenv("PERSONA_LINT_LOCAL_PLUGINS", "1")
    lsp = await start_client(tmp_path, [types.PositionEncodingKind.Utf16])
    yield lsp
    await stop_client(lsp)


def summary(found: types.PublishDiagnosticsParams) -> list[tuple[object, int, int, str]]:
    return [
        (d.code, d.range.start.line, d.range.start.character, d.message) for d in found.diagnostics
    ]


async def test_a_rule_in_configuration_is_published_and_hovered(
    client: Client, tmp_path: Path
) -> None:
    (tmp_path / ".persona-lint.toml").write_text(RULE, encoding="utf-8")
    uri = client.open(tmp_path / "backend-engineer.md", CANONICAL)
    published = await client.next_diagnostics(uri)
    assert summary(published) == [
        ("ACME103", 15, 4, "the perspective is longer than 60 characters")
    ]
    assert published.diagnostics[0].severity == types.DiagnosticSeverity.Warning
    hover = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=types.Position(line=15, character=6),
        )
    )
    assert hover is not None
    assert isinstance(hover.contents, types.MarkupContent)
    assert hover.contents.value.startswith("### ACME103 (short-perspective)")


async def test_a_bad_xpath_is_one_diagnostic(client: Client, tmp_path: Path) -> None:
    config = tmp_path / ".persona-lint.toml"
    config.write_text(RULE.replace("persona_identity/perspective", "//x[//y]"), encoding="utf-8")
    uri = client.open(tmp_path / "backend-engineer.md", CANONICAL)
    published = await client.next_diagnostics(uri)
    assert summary(published) == [
        (
            None,
            0,
            0,
            f"invalid persona-lint configuration: {config}:7: rules[0]: given = '//x[//y]': "
            "'//' inside a predicate ('[...]') is not evaluated",
        )
    ]


async def test_a_plugin_that_raises_at_import_is_one_diagnostic(
    client: Client, tmp_path: Path
) -> None:
    config = tmp_path / ".persona-lint.toml"
    config.write_text('plugins = ["rules.py"]\n', encoding="utf-8")
    (tmp_path / "rules.py").write_text("raise ImportError('no such team')\n", encoding="utf-8")
    uri = client.open(tmp_path / "backend-engineer.md", CANONICAL)
    published = await client.next_diagnostics(uri)
    assert summary(published) == [
        (
            None,
            0,
            0,
            f"invalid persona-lint configuration: {config}:1: plugin 'rules.py' failed to "
            "load: ImportError: no such team",
        )
    ]


async def test_a_module_of_the_repository_runs_only_when_the_editor_allows_it(
    tmp_path: Path,
) -> None:
    config = tmp_path / ".persona-lint.toml"
    config.write_text('plugins = ["rules.py"]\n', encoding="utf-8")
    (tmp_path / "rules.py").write_text('open("ran.txt", "w")\n', encoding="utf-8")
    lsp = await start_client(tmp_path, [types.PositionEncodingKind.Utf16])
    try:
        uri = lsp.open(tmp_path / "backend-engineer.md", CANONICAL)
        published = await lsp.next_diagnostics(uri)
    finally:
        await stop_client(lsp)
    assert summary(published) == [
        (
            None,
            0,
            0,
            f"invalid persona-lint configuration: {config}:1: plugin 'rules.py' is a module "
            "of the repository, which a pull request may bring: it runs only with "
            "--local-plugins (or PERSONA_LINT_LOCAL_PLUGINS=1); --no-plugins lints without it",
        )
    ]
    assert not (tmp_path / "ran.txt").exists()


async def test_a_plugin_rule_that_raises_is_pl001_naming_it(client: Client, tmp_path: Path) -> None:
    (tmp_path / ".persona-lint.toml").write_text('plugins = ["rules.py"]\n', encoding="utf-8")
    (tmp_path / "rules.py").write_text(PLUGIN, encoding="utf-8")
    uri = client.open(tmp_path / "backend-engineer.md", CANONICAL)
    published = await client.next_diagnostics(uri)
    assert summary(published) == [
        (
            "PL001",
            0,
            0,
            "internal error in rule ACME202 (always-fails) of plugin rules.py: "
            "RuntimeError: kaboom",
        )
    ]
