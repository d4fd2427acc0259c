"""The language server for persona documents, over LSP on standard input and output (pygls).

Live diagnostics, rule documentation on hover, the rules' own fixes and suppressions as
code actions.

An edge over the core, like the CLI. This module wires the protocol to the open documents'
lifecycle. Each open Markdown document is linted (:mod:`~persona_lint.lsp.linting`); the
cross-file rules see the open personas of one workspace folder, through an index of their
slugs (:mod:`~persona_lint.lsp.documents`): an edit re-publishes only the documents whose
duplicate-slug findings it may change, and when a document takes or leaves a slug that
others hold, they are published together after a pause, so a burst of opens costs each
document once. Publishing is :mod:`~persona_lint.lsp.publishing`, hover
:mod:`~persona_lint.lsp.hover`, code actions :mod:`~persona_lint.lsp.actions`, settings
:mod:`~persona_lint.lsp.configuration` (read again when a document is saved or a
configuration file changes).

A change is linted after a pause in typing (:mod:`~persona_lint.lsp.pauses`:
``PERSONA_LINT_LSP_DEBOUNCE_MS`` milliseconds, default 200); the same pause, after
the last event that touches a shared slug, comes before the holders' cross-file findings
are published. Open, save and the requests that need fresh diagnostics (hover, code
actions) lint at once. Nothing is kept of a closed document; :meth:`PersonaServer.kept`
lists the stores, each bounded.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Collection, Iterable
from pathlib import Path
from typing import BinaryIO

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from persona_lint import __version__
from persona_lint.document.model import Document
from persona_lint.lsp import actions
from persona_lint.lsp.configuration import (
    MAX_RESOLVER_FOLDERS,
    ConfigProblem,
    Configuration,
    is_config_name,
    watch_registration,
)
from persona_lint.lsp.documents import OpenLints, document_place
from persona_lint.lsp.hover import hover, reads_markdown
from persona_lint.lsp.lines import Lines
from persona_lint.lsp.linting import (
    Linted,
    failed_lint,
    invalid_configuration,
    lint_document,
    warm_up,
)
from persona_lint.lsp.pauses import Pauses, debounce_from_env
from persona_lint.lsp.publishing import Publisher
from persona_lint.lsp.transport import PersonaProtocol, serve_stdio
from persona_lint.source.walk import MARKDOWN_SUFFIXES

__all__ = ["MAX_RESOLVER_FOLDERS", "PersonaServer", "create_server", "start"]

# What waits for the pause after the events that touch a shared slug.
_SHARED_SLUGS = "the documents sharing a slug"

logger = logging.getLogger(__name__)


class PersonaServer(LanguageServer):
    """The state kept between requests: configuration, lint results, pending lints."""

    def __init__(self, debounce: float | None = None) -> None:
        """Set up a server that lints a change after ``debounce`` seconds.

        None takes the pause from ``PERSONA_LINT_LSP_DEBOUNCE_MS``.
        """
        super().__init__(
            "persona-lint",
            __version__,
            # Whole text on each change: pygls applies ranged changes by str.splitlines,
            # which also breaks lines at U+2028 and other characters LSP does not.
            text_document_sync_kind=types.TextDocumentSyncKind.Full,
            protocol_cls=PersonaProtocol,
        )
        self.debounce = debounce_from_env() if debounce is None else debounce
        self._configuration = Configuration()
        self._open: dict[str, str] = {}  # uri -> language id
        self._lints = OpenLints()
        self._stale: set[str] = set()  # whose cross-file findings may have changed
        self._settling = Pauses(self.debounce, self._guarded)  # one key: _SHARED_SLUGS
        self._publisher = Publisher(
            self.text_document_publish_diagnostics, self.window_show_message
        )
        self._typing = Pauses(self.debounce, self._guarded)  # by document uri
        self._fix_all = actions.LastFixAll()

    def start_io(self, stdin: BinaryIO | None = None, stdout: BinaryIO | None = None) -> None:
        """Serve on standard input and output (or these streams) until the client exits."""
        serve_stdio(self, stdin or sys.stdin.buffer, stdout or sys.stdout.buffer, self.refused)

    def refused(self, reason: str) -> None:
        """Say in the client's log that a message was skipped unread."""
        message = f"persona-lint: skipped {reason}"
        logger.warning(message)
        self.window_log_message(
            types.LogMessageParams(type=types.MessageType.Warning, message=message)
        )

    # Documents

    def opened(self, document: types.TextDocumentItem) -> None:
        """Lint a document just opened (and show a configuration file's own error)."""
        self._open[document.uri] = document.language_id
        if self._is_config(document.uri):
            self._publish_config_document(document.uri)
        self.refresh(document.uri)

    def changed(self, uri: str) -> None:
        """Lint a changed document after the pause in typing."""
        if self.debounce <= 0:
            self.refresh(uri)
        else:
            self._typing.after_pause(uri, lambda: self.refresh(uri))

    def saved(self, uri: str) -> None:
        """Read the configuration again (it may have changed on disk) and lint at once."""
        self.reload_configuration()
        self.refresh(uri)

    def closed(self, uri: str) -> None:
        """Forget everything about the document; re-publish those it shared a slug with."""
        self._typing.cancel(uri)
        language = self._open.pop(uri, None)
        self._publisher.forget(uri)
        self._stale.discard(uri)
        self._fix_all.forget(uri)
        if language is not None and (self._is_markdown(uri, language) or self._is_config(uri)):
            self._publisher.send(uri, [], None)
        self._mark_stale(self._lints.close(uri))

    def flush(self, uri: str) -> None:
        """Bring a document's published diagnostics up to date now.

        Lint now if a lint of this document is waiting for the pause in typing, and publish
        its cross-file findings if they wait for the pause after an event.
        """
        if self._typing.waiting(uri):
            self.refresh(uri)
        if uri in self._stale:
            self._publish([uri])

    def cancel_all(self) -> None:
        """Cancel every pending lint and publication (the server shuts down)."""
        self._typing.cancel_all()
        self._settling.cancel_all()

    def _guarded(self, action: Callable[[], None], what: str) -> None:
        """Run a timer's action and report its exception, which would be lost.

        ``what`` names what the action works on (a document's uri) in the report.
        """
        try:
            action()
        except Exception as exc:
            logger.exception("persona-lint: linting %s failed", what)
            self.window_log_message(
                types.LogMessageParams(
                    type=types.MessageType.Error, message=f"linting {what} failed: {exc!r}"
                )
            )

    def refresh(self, uri: str) -> None:
        """Lint the document's current text (if not done yet) and publish its diagnostics.

        Unless it joined or left a shared slug: then it waits for the pause with the
        other holders (their findings all change, and computing them costs the number of
        holders: once per burst of opens, not once per open).
        """
        self._typing.cancel(uri)
        if self._current(uri) is not None and uri not in self._stale:
            self._publish([uri], forced=True)

    def reload_configuration(self) -> None:
        """Rediscover configuration; relint the open documents whose settings changed."""
        self._configuration.reset()
        self._publisher.forget_errors()
        changed = []
        for uri in self._lints:
            entry = self._lints.get(uri)
            path = document_place(uri, self.workspace)[0]
            if entry is not None and self._configuration.resolve(path) != entry.settings:
                changed.append(uri)
                self._store(uri, None)
                self._current(uri)
        self._publish(changed)
        for uri in self._open:
            if self._is_config(uri):
                self._publish_config_document(uri)

    def reset_folders(self) -> None:
        """Workspace folders changed: corpora and relative paths change with them."""
        uris = list(self._lints)
        for uri in uris:
            self._store(uri, None)
        for uri in uris:
            self._current(uri)
        self._publish(uris, forced=True)

    # Linting

    def _is_markdown(self, uri: str, language: str) -> bool:
        return language == "markdown" or uri.lower().endswith(MARKDOWN_SUFFIXES)

    def _is_config(self, uri: str) -> bool:
        return to_fs_path(uri) is not None and is_config_name(uri)

    def _current(self, uri: str) -> Linted | None:
        """The lint of the document's current version (cached); None if not Markdown."""
        language = self._open.get(uri)
        if language is None or not self._is_markdown(uri, language):
            return None
        document = self.workspace.get_text_document(uri)
        cached = self._lints.get(uri)
        if cached is not None and cached.version == document.version:
            return cached
        lines = Lines.of(document.source, self.workspace.position_codec)
        parsed = None
        try:
            path, shown, group = document_place(uri, self.workspace)
            resolved = self._configuration.resolve(path)
            entry, parsed = lint_document(uri, document.version, lines, (shown, group), resolved)
        except Exception as exc:  # a bug: say so on the document rather than nothing
            logger.exception("persona-lint: linting %s failed", uri)
            entry = failed_lint(uri, document.version, lines, exc)
        self._store(uri, entry, parsed)
        return entry

    def _store(self, uri: str, entry: Linted | None, parsed: Document | None = None) -> None:
        """Keep (or, for None, drop) a document's lint; mark whose findings it changes."""
        self._mark_stale(self._lints.store(uri, entry, parsed))

    # Publishing

    def _mark_stale(self, uris: Collection[str]) -> None:
        """Re-publish these documents once events that touch others pause.

        Their cross-file findings may have changed. Each such event postpones it, so a
        burst of opens costs one pass, not one per open.
        """
        if not uris:
            return
        self._stale.update(uris)
        self._settling.after_pause(_SHARED_SLUGS, self._settle)

    def _settle(self) -> None:
        stale = list(self._stale)
        self._stale.clear()
        self._publish(stale)

    def _publish(self, uris: Iterable[str], forced: bool = False) -> None:
        """Publish these documents' diagnostics when they changed (or when ``forced``)."""
        for entry, found in self._lints.findings(uris):
            self._stale.discard(entry.uri)
            self._publisher.publish(entry, found, forced)

    def _publish_config_document(self, uri: str) -> None:
        """An open configuration file: its error, at its line, if it is its own."""
        fs_path = to_fs_path(uri)
        if fs_path is None:
            return
        path = Path(fs_path)
        document = self.workspace.get_text_document(uri)
        resolved = self._configuration.resolve(path.parent / "persona.md")
        diagnostics = []
        if isinstance(resolved, ConfigProblem) and (line := resolved.line_in(path)) is not None:
            lines = Lines.of(document.source, self.workspace.position_codec)
            message = invalid_configuration(resolved)
            diagnostics.append(self._publisher.error(message, lines, line))
        self._publisher.send(uri, diagnostics, document.version)

    def kept(self) -> dict[str, int]:
        """Return what the server holds, by store (for tests and debugging).

        The stores of open documents are empty once every document is closed; the others
        have caps.
        """
        return {
            "open documents": len(self._open),
            "text documents": len(self.workspace.text_documents),
            **self._lints.kept(),
            "stale": len(self._stale),
            **self._publisher.kept(),
            "timers": len(self._typing),
            "fix-all results": len(self._fix_all),
            "resolver folders": len(self._configuration),
        }

    # Requests

    def hover(self, uri: str, position: types.Position) -> types.Hover | None:
        """Return the documentation of the rules whose diagnostics are at ``position``."""
        self.flush(uri)
        here = types.Range(start=position, end=position)
        hits = self._publisher.shown(uri, here)
        return hover(hits, reads_markdown(self.client_capabilities))

    def code_actions(self, params: types.CodeActionParams) -> list[types.CodeAction] | None:
        """Return the code actions a client asks for, on the diagnostics in the range.

        The rules' own fixes and suppressions (quick fixes), and every safe fix at once
        (``source.fixAll.persona-lint``).
        """
        uri = params.text_document.uri
        self.flush(uri)
        entry = self._lints.get(uri)
        if entry is None or entry.result is None or entry.problem is not None:
            return None
        only = params.context.only
        versioned = actions.versioned_edits(self.client_capabilities)
        found: list[types.CodeAction] = []
        if actions.wanted(actions.QUICK_FIX, only):
            hits = self._publisher.shown(uri, params.range)
            document = self._lints.document(entry) if hits else None
            if document is not None:
                cross_file = self._lints.cross_file_of(entry)
                found += actions.quick_fixes(entry, hits, document, cross_file, versioned)
        if actions.wanted(actions.FIX_ALL, only):
            shown = self._publisher.shown(uri)
            fixed = self._fix_all.fixed(entry, shown, lambda: self._lints.cross_file_of(entry))
            fix_all = actions.fix_all(entry, fixed, versioned) if fixed is not None else None
            if fix_all is not None:
                found.append(fix_all)
        return found

    def watch_configuration(self) -> None:
        """Ask the client to report changes of configuration files, if it can."""
        registration = watch_registration(self.client_capabilities)
        if registration is not None:
            self.client_register_capability(registration)


def create_server(debounce: float | None = None) -> PersonaServer:
    """Return a server with every feature registered (not started)."""
    server = PersonaServer(debounce)

    @server.feature(types.INITIALIZED)
    def initialized(params: types.InitializedParams) -> None:
        warm_up()
        server.watch_configuration()

    @server.feature(types.SHUTDOWN)
    def shutdown(params: None) -> None:
        server.cancel_all()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(params: types.DidOpenTextDocumentParams) -> None:
        server.opened(params.text_document)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(params: types.DidChangeTextDocumentParams) -> None:
        server.changed(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE, types.SaveOptions(include_text=False))
    def did_save(params: types.DidSaveTextDocumentParams) -> None:
        server.saved(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(params: types.DidCloseTextDocumentParams) -> None:
        server.closed(params.text_document.uri)

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched_files(params: types.DidChangeWatchedFilesParams) -> None:
        if any(is_config_name(change.uri) for change in params.changes):
            server.reload_configuration()

    @server.feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
    def folders_changed(params: types.DidChangeWorkspaceFoldersParams) -> None:
        server.reset_folders()

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def on_hover(params: types.HoverParams) -> types.Hover | None:
        return server.hover(params.text_document.uri, params.position)

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=actions.CODE_ACTION_KINDS),
    )
    def code_action(params: types.CodeActionParams) -> list[types.CodeAction] | None:
        return server.code_actions(params)

    return server


def start() -> None:
    """Run the language server on standard input and output until the client exits."""
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    create_server().start_io()
