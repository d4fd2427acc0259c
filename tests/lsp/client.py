"""A test LSP client (pytest-lsp) for persona-lint's language server, started over stdio.

Every ``textDocument/publishDiagnostics`` goes into a queue, so a test waits for the next
notification (for one document) without missing any that arrive back to back.
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from lsprotocol import types
from pygls.protocol import default_converter
from pygls.workspace import TextDocument
from pygls.workspace.position_codec import PositionCodec
from pytest_lsp import ClientServerConfig, LanguageClient
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

SERVER = [sys.executable, "-m", "persona_lint", "server"]
TIMEOUT = 30.0
UTF16 = types.PositionEncodingKind.Utf16


class Client(LanguageClient):
    """pytest-lsp's client, with a queue of published diagnostics."""

    def __init__(self) -> None:
        super().__init__(converter_factory=default_converter)
        self.published: asyncio.Queue[types.PublishDiagnosticsParams] = asyncio.Queue()
        self.encoding: str = UTF16
        self.versions: dict[str, int] = {}
        self.server_capabilities: types.ServerCapabilities | None = None
        features = dict(DEFAULT_CLIENT_FEATURES)
        features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = _on_diagnostics
        register_lsp_features(self, features)

    async def next_diagnostics(self, uri: str) -> types.PublishDiagnosticsParams:
        """The next diagnostics published for ``uri`` (others are dropped)."""
        while True:
            params = await asyncio.wait_for(self.published.get(), TIMEOUT)
            if params.uri == uri:
                return params

    def open(self, path: Path, text: str, language: str = "markdown") -> str:
        uri = path.as_uri()
        self.versions[uri] = 1
        self.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(
                    uri=uri, language_id=language, version=1, text=text
                )
            )
        )
        return uri

    def change(self, uri: str, text: str) -> int:
        """Send the whole new text (the server asks for full synchronisation)."""
        self.versions[uri] += 1
        self.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(
                    uri=uri, version=self.versions[uri]
                ),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
            )
        )
        return self.versions[uri]

    def save(self, uri: str) -> None:
        self.text_document_did_save(
            types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
        )

    def close(self, uri: str) -> None:
        self.text_document_did_close(
            types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
        )

    def apply(self, text: str, edit: types.WorkspaceEdit, uri: str) -> str:
        """Apply a workspace edit to ``text``, counting columns in the negotiated encoding."""
        edits: list[types.TextEdit] = []
        if edit.changes:
            edits += edit.changes[uri]
        for change in edit.document_changes or ():
            assert isinstance(change, types.TextDocumentEdit)
            edits += [e for e in change.edits if isinstance(e, types.TextEdit)]
        document = TextDocument(uri, text, position_codec=PositionCodec(self.encoding))
        ordered = sorted(
            edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True
        )
        for text_edit in ordered:
            document.apply_change(
                types.TextDocumentContentChangePartial(
                    range=text_edit.range, text=text_edit.new_text
                )
            )
        return document.source


def _on_diagnostics(client: Client, params: types.PublishDiagnosticsParams) -> None:
    client.diagnostics[params.uri] = params.diagnostics
    client.published.put_nowait(params)


def capabilities(encodings: list[str] | None) -> types.ClientCapabilities:
    """An editor's capabilities, offering these position encodings (None: say nothing)."""
    general = types.GeneralClientCapabilities(position_encodings=encodings) if encodings else None
    return types.ClientCapabilities(
        general=general,
        text_document=types.TextDocumentClientCapabilities(
            publish_diagnostics=types.PublishDiagnosticsClientCapabilities(
                code_description_support=True, version_support=True
            ),
            hover=types.HoverClientCapabilities(
                content_format=[types.MarkupKind.Markdown, types.MarkupKind.PlainText]
            ),
            code_action=types.CodeActionClientCapabilities(
                code_action_literal_support=types.ClientCodeActionLiteralOptions(
                    code_action_kind=types.ClientCodeActionKindOptions(
                        value_set=[types.CodeActionKind.QuickFix]
                    )
                )
            ),
        ),
    )


async def start_client(
    folder: Path, encodings: list[str] | None = None, debounce_ms: int = 0
) -> Client:
    """Start ``persona-lint server`` and initialise it with ``folder`` as the workspace."""
    env = {**os.environ, "PERSONA_LINT_LSP_DEBOUNCE_MS": str(debounce_ms)}
    config = ClientServerConfig(server_command=SERVER, client_factory=Client, server_env=env)
    client = await config.start()
    assert isinstance(client, Client)
    result = await client.initialize_session(
        types.InitializeParams(
            capabilities=capabilities(encodings),
            root_uri=folder.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=folder.as_uri(), name=folder.name)],
        )
    )
    client.encoding = result.capabilities.position_encoding or UTF16
    client.server_capabilities = result.capabilities
    return client


async def stop_client(client: Client) -> None:
    await client.shutdown_session()
    await client.stop()  # type: ignore[no-untyped-call]
