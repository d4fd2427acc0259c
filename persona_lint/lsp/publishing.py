"""What the client was shown: each open document's published diagnostics.

A document is published again only when what it shows changed (its version, its problem or
its diagnostics), unless the caller forces it. The diagnostics shown are kept with ours
(hover and code actions start from them). A configuration error is one diagnostic over a
whole line, and shown once in a message window too (at most :data:`MAX_SHOWN_ERRORS`
remembered; beyond, the record starts afresh).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from lsprotocol import types

from persona_lint.diagnostics import Diagnostic
from persona_lint.lsp.lines import Lines, error_over_line, lsp_diagnostic, overlaps
from persona_lint.lsp.linting import Linted

# Configuration errors shown in a message window once; beyond, the record starts afresh.
MAX_SHOWN_ERRORS = 100

# A diagnostic as published, with ours that it shows.
Shown = tuple[types.Diagnostic, Diagnostic]
Send = Callable[[types.PublishDiagnosticsParams], None]
ShowMessage = Callable[[types.ShowMessageParams], None]


class Publisher:
    """Publishes diagnostics through ``send`` and error messages through ``show_message``."""

    def __init__(self, send: Send, show_message: ShowMessage) -> None:
        """Publish through the server's notifications."""
        self._send = send
        self._show_message = show_message
        self._published: dict[str, tuple[object, ...]] = {}
        self._shown: dict[str, list[Shown]] = {}
        self._reported_errors: set[str] = set()

    def kept(self) -> dict[str, int]:
        """Return the size of each store (see :meth:`PersonaServer.kept`)."""
        return {"published": len(self._published), "shown": len(self._shown)}

    def shown(self, uri: str, within: types.Range | None = None) -> list[Shown]:
        """Return a document's diagnostics as shown (those overlapping ``within``, if given)."""
        shown = self._shown.get(uri, [])
        return shown if within is None else [s for s in shown if overlaps(s[0].range, within)]

    def publish(self, entry: Linted, found: tuple[Diagnostic, ...], forced: bool) -> None:
        """Publish a document's diagnostics (or its one problem) if they changed."""
        key = (
            entry.version,
            entry.problem,
            *(
                (d.line, d.column, d.end_line, d.end_column, d.code, d.severity, d.message)
                for d in found
            ),
        )
        if not forced and self._published.get(entry.uri) == key:
            return
        self._published[entry.uri] = key
        if entry.problem is not None:
            self._shown[entry.uri] = []
            self.send(entry.uri, [self.error(entry.problem, entry.lines, 1)], entry.version)
            return
        shown = [(lsp_diagnostic(d, entry.lines), d) for d in found]
        self._shown[entry.uri] = shown
        self.send(entry.uri, [d for d, _ in shown], entry.version)

    def error(self, message: str, lines: Lines, line: int) -> types.Diagnostic:
        """Return one error over a whole 1-based line; show it once in a message window."""
        if message not in self._reported_errors:
            if len(self._reported_errors) >= MAX_SHOWN_ERRORS:
                self._reported_errors.clear()
            self._reported_errors.add(message)
            self._show_message(
                types.ShowMessageParams(type=types.MessageType.Error, message=message)
            )
        return error_over_line(message, lines, line)

    def forget_errors(self) -> None:
        """Show each configuration error again (the configuration is read afresh)."""
        self._reported_errors.clear()

    def forget(self, uri: str) -> None:
        """Forget a closed document."""
        self._published.pop(uri, None)
        self._shown.pop(uri, None)

    def send(self, uri: str, diagnostics: Iterable[types.Diagnostic], version: int | None) -> None:
        """Publish these diagnostics of a document, whatever was shown before."""
        params = types.PublishDiagnosticsParams(
            uri=uri, diagnostics=list(diagnostics), version=version
        )
        self._send(params)
