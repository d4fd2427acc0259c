"""Team schemas and ``extend`` in the real language server (issue 19).

The server is started in the workspace folder (editors start it there): team schemas and
extended files are read inside the current directory only.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from conftest import CANONICAL
from lsp.client import Client, start_client, stop_client
from lsprotocol import types

UTF16 = types.PositionEncodingKind.Utf16
XSD = """<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  {import_}<xs:element name="backend_engineering_framework">
    <xs:complexType><xs:sequence>
      <xs:element name="owner" type="xs:string"/>
      <xs:any processContents="skip" minOccurs="0" maxOccurs="unbounded"/>
    </xs:sequence></xs:complexType>
  </xs:element>
</xs:schema>
"""


@pytest_asyncio.fixture
async def client(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Client]:
    monkeypatch.chdir(tmp_path)  # the server inherits it: the workspace is its tree
    lsp = await start_client(tmp_path, [UTF16])
    yield lsp
    await stop_client(lsp)


def write(tmp_path: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")


@pytest.mark.slow
@pytest.mark.asyncio
async def test_a_team_section_is_checked_and_a_broken_schema_is_one_diagnostic(
    client: Client, tmp_path: Path
) -> None:
    write(
        tmp_path,
        {
            "base.toml": 'schemas = ["schemas/team.xsd"]\n',
            ".persona-lint.toml": 'extend = "base.toml"\n',
            "schemas/team.xsd": XSD.format(import_=""),
        },
    )
    uri = client.open(tmp_path / "backend-engineer.md", CANONICAL)
    published = list((await client.next_diagnostics(uri)).diagnostics)
    assert [(d.code, d.range.start, d.message) for d in published] == [
        (
            "PL217",
            types.Position(line=132, character=4),
            "unknown element <development_process> in <backend_engineering_framework>; "
            "expected <owner> (team schema schemas/team.xsd)",
        )
    ]
    importing = '<xs:import namespace="x" schemaLocation="https://example.com/x.xsd"/>\n  '
    (tmp_path / "schemas/team.xsd").write_text(XSD.format(import_=importing))
    client.save(uri)
    published = list((await client.next_diagnostics(uri)).diagnostics)
    message = (
        "invalid persona-lint configuration: schemas/team.xsd:2: team schema: xs:import of a "
        "URL is not allowed (list every team schema in 'schemas')"
    )
    assert [(d.message, d.range.start, d.code) for d in published] == [
        (message, types.Position(line=0, character=0), None)
    ]


@pytest.mark.slow
@pytest.mark.asyncio
async def test_an_extend_cycle_is_one_diagnostic(client: Client, tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            ".persona-lint.toml": 'extend = "base.toml"\n',
            "base.toml": 'extend = ".persona-lint.toml"\n',
        },
    )
    uri = client.open(tmp_path / "backend-engineer.md", CANONICAL)
    published = list((await client.next_diagnostics(uri)).diagnostics)
    message = (
        f"invalid persona-lint configuration: {tmp_path / 'base.toml'}:1: 'extend': "
        f"{tmp_path / '.persona-lint.toml'} closes a cycle of configuration files"
    )
    assert [(d.message, d.range.start) for d in published] == [
        (message, types.Position(line=0, character=0))
    ]
