"""A team format (issue 21) in the real language server: its findings, hovers, a bad definition.

The server is started in the workspace folder (editors start it there): the format's
schemas are read inside the current directory only. No test sleeps.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from lsp.client import Client, start_client, stop_client
from lsprotocol import types
from test_team_formats import CLEAN, CONFIG, XSD

pytestmark = [pytest.mark.slow, pytest.mark.asyncio]


@pytest_asyncio.fixture
async def client(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Client]:
    monkeypatch.chdir(tmp_path)  # the server inherits it: the workspace is its tree
    lsp = await start_client(tmp_path, [types.PositionEncodingKind.Utf16])
    yield lsp
    await stop_client(lsp)


def write_project(tmp_path: Path, config: str = CONFIG) -> None:
    """The configuration declaring acme-runbook, and its schema."""
    (tmp_path / ".persona-lint.toml").write_text(config, encoding="utf-8")
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "runbook.xsd").write_text(XSD, encoding="utf-8")


def summary(found: types.PublishDiagnosticsParams) -> list[tuple[object, int, int, str]]:
    return [
        (d.code, d.range.start.line, d.range.start.character, d.message) for d in found.diagnostics
    ]


async def test_a_runbook_gets_its_format_s_findings_and_hovers(
    client: Client, tmp_path: Path
) -> None:
    write_project(tmp_path)
    text = CLEAN.replace('<runbook id="deploy-api">', "<runbook>")
    uri = client.open(
        tmp_path / "deploy.md", text.replace("  <service>api</service>", "  <service>")
    )
    published = await client.next_diagnostics(uri)
    assert summary(published) == [
        (
            "ACME201",
            13,
            0,
            "closing tag </runbook> does not match <service> opened at line 10, column 3",
        )
    ]
    client.change(uri, text)
    published = await client.next_diagnostics(uri)
    assert summary(published) == [("ACME214", 8, 0, "<runbook> is missing the attribute id=")]
    hover = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=types.Position(line=8, character=2),
        )
    )
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    assert hover.contents.value.startswith("### ACME214 (acme-runbook-invalid-attribute)")


SECOND = '\n[team-formats.acme-playbook]\nroot = "playbook"\ncode-prefix = "ACME"\n'
IMPORT = '<xs:import namespace="x" schemaLocation="https://e.com/x.xsd"/>\n  <xs:element'


@pytest.mark.parametrize(
    ("config", "schema", "error"),
    [
        (
            CONFIG.replace('root = "runbook"', 'root = "runbok"'),
            XSD,
            "{config}:4: no schema of the team format 'acme-runbook' declares its root "
            '<runbok> (a global <xs:element name="runbok">)',
        ),
        (
            CONFIG + SECOND,
            XSD,
            "{config}:17: code-prefix = 'ACME' is already the prefix of the team format "
            "'acme-runbook'",
        ),
        (
            CONFIG,
            XSD.replace("<xs:element", IMPORT, 1),
            "schemas/runbook.xsd:3: team schema: xs:import of a URL is not allowed (list "
            "every team schema in 'schemas')",
        ),
    ],
    ids=["root-not-declared", "reused-prefix", "broken-schema"],
)
async def test_a_refused_definition_is_one_diagnostic(
    client: Client, tmp_path: Path, config: str, schema: str, error: str
) -> None:
    write_project(tmp_path, config)
    (tmp_path / "schemas" / "runbook.xsd").write_text(schema, encoding="utf-8")
    uri = client.open(tmp_path / "deploy.md", CLEAN)
    published = await client.next_diagnostics(uri)
    message = error.format(config=tmp_path / ".persona-lint.toml")
    assert summary(published) == [(None, 0, 0, f"invalid persona-lint configuration: {message}")]
