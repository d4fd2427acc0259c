"""Rule options in the language server: a wrong ``rule-options`` table is one diagnostic.

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


@pytest_asyncio.fixture
async def client(tmp_path: Path) -> AsyncIterator[Client]:
    lsp = await start_client(tmp_path, [types.PositionEncodingKind.Utf16])
    yield lsp
    await stop_client(lsp)


async def test_an_unknown_option_is_one_diagnostic(client: Client, tmp_path: Path) -> None:
    config = tmp_path / ".persona-lint.toml"
    config.write_text("[rule-options.PL801]\nnamed-holder = 1\n", encoding="utf-8")
    uri = client.open(tmp_path / "backend-engineer.md", CANONICAL)
    published = await client.next_diagnostics(uri)
    assert [(d.code, d.range.start.line, d.message) for d in published.diagnostics] == [
        (
            None,
            0,
            f"invalid persona-lint configuration: {config}:2: 'rule-options.PL801': unknown "
            "option 'named-holder'; did you mean 'named-holders'?",
        )
    ]
