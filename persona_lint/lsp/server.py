"""The language server: live diagnostics, rule documentation on hover, the rules' own fixes
and suppressions as code actions, for persona documents, over LSP on standard input and
output (pygls).

An edge over the core, like the CLI: each open Markdown document is linted with
:func:`lint_source` (``explicit=False``, so Markdown that is not a persona gets nothing);
the cross-file rules (PL801, duplicate slugs) see the open personas of one workspace
folder, kept incremental by an index of their slugs (:mod:`persona_lint.lsp.slugs`): an
edit re-publishes only the documents whose duplicate-slug findings it may change; when a
document takes or leaves a slug that others hold, it and they are published together after
a pause (see below), so a burst of opens costs each document once. Diagnostics become LSP
diagnostics only when published: 0-based lines, columns in the negotiated position
encoding (our columns count code points, so UTF-32 is preferred when the client offers
it), converted by pygls' :class:`PositionCodec`.

Code actions: for each fixable diagnostic, its rule's own fix (``quickfix``, preferred);
``source.fixAll.persona-lint``, every safe fix at once; both computed by the engine of
``--fix`` (:mod:`persona_lint.fix.engine`), which lints the fixed text again before a fix is
offered; then suppressions (:mod:`persona_lint.lsp.edits`).

Settings come from the same discovery as the command line (one :class:`Resolver`, kept
between requests and rebuilt when a document is saved or a configuration file changes). An
invalid configuration is one diagnostic per document: at 1:1 of each persona, and at its
line in the configuration file when that file is open. A change is linted after a pause in
typing: ``PERSONA_LINT_LSP_DEBOUNCE_MS`` milliseconds (default 200; 0 lints every change at
once, as the benchmark does); the same pause, after the last event that touches a shared
slug, before the holders' cross-file findings are published. Open, save and the requests
that need fresh diagnostics (hover, code actions) lint at once.

What is kept is bounded: per open document its text (pygls), its lines, its diagnostics and
its lint result without the parsed document; nothing for a closed one. Besides, one parsed
document and one fix-all result (the last asked for), at most :data:`MAX_RESOLVER_FOLDERS`
folders of cached configuration and :data:`MAX_SHOWN_ERRORS` configuration errors already
shown. The transport (:mod:`persona_lint.lsp.transport`) caps each message at
:data:`~persona_lint.lsp.transport.MAX_MESSAGE_BYTES` and answers every request it cannot
serve with a JSON-RPC error.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import sys
import threading
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from lsprotocol import types
from pygls.io_ import StdoutWriter, run_async
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path
from pygls.workspace.position_codec import PositionCodec

from persona_lint import __version__
from persona_lint.config.loader import CONFIG_NAME, PYPROJECT, ConfigError, Resolver
from persona_lint.config.settings import Settings
from persona_lint.diagnostics import Diagnostic, Severity
from persona_lint.document.model import Document
from persona_lint.engine.lint import FileResult, lint_source
from persona_lint.engine.postprocess import cap_findings, corpus_findings, finalize, suppress
from persona_lint.fix.engine import FIXERS, fix_one, fix_text
from persona_lint.lsp.edits import (
    Change,
    Fix,
    open_markup,
    removal_fix,
    suppression_fix,
    text_change,
)
from persona_lint.lsp.slugs import SlugIndex, SlugKey
from persona_lint.lsp.transport import BoundedReader, PersonaProtocol
from persona_lint.rules import get_rule
from persona_lint.rules.docs import render_rule
from persona_lint.source.walk import MARKDOWN_SUFFIXES

__all__ = [
    "Change",
    "Fix",
    "create_server",
    "open_markup",
    "removal_fix",
    "start",
    "suppression_fix",
]

DEBOUNCE_ENV = "PERSONA_LINT_LSP_DEBOUNCE_MS"
DEFAULT_DEBOUNCE_MS = 200
SOURCE = "persona-lint"
CONFIG_FILES = (CONFIG_NAME, PYPROJECT)
# Folders whose configuration the resolver keeps before it starts afresh.
MAX_RESOLVER_FOLDERS = 1000
# Configuration errors shown in a message window once; beyond, the record starts afresh.
MAX_SHOWN_ERRORS = 100
QUICK_FIX = types.CodeActionKind.QuickFix
FIX_ALL = f"{types.CodeActionKind.SourceFixAll.value}.persona-lint"
CODE_ACTION_KINDS = [QUICK_FIX, FIX_ALL]
SEVERITIES = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
}
# The word or markup token at a diagnostic's start, underlined when the rule gave no end.
_TOKEN = re.compile(r"</?[\w.:-]+>?|<[!?][^\s>]*>?|[\w.:-]+|([^\w\s])\1*")
# Where a configuration error's message says the problem is in the file.
_CONFIG_LINE = re.compile(r"^:(\d+):|\(at line (\d+), column \d+\)")

logger = logging.getLogger(__name__)


# --- Positions: our 1-based code points to LSP's 0-based code units ------------------------


@dataclass(frozen=True)
class Lines:
    """A document's lines as the linter counts them (LF-split, without a byte order mark),
    the conversion of 0-based code point places to the client's units, and the line ending
    that edits write."""

    lines: tuple[str, ...]
    codec: PositionCodec
    bom: bool = False
    newline: str = "\n"

    @classmethod
    def of(cls, source: str, codec: PositionCodec) -> Lines:
        newline = "\r\n" if "\r\n" in source else "\n"
        text = source.replace("\r\n", "\n").replace("\r", "\n")
        bom = text.startswith("\ufeff")
        return cls(tuple(text.removeprefix("\ufeff").split("\n")), codec, bom, newline)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def position(self, line: int, column: int) -> types.Position:
        """A 0-based place in the client's units (past the last line: the end)."""
        place = types.Position(line=line, character=column)
        position = self.codec.position_to_client_units(self.lines, place)
        if self.bom and line == 0:
            position.character += self.codec.client_num_units("\ufeff")
        return position

    def range_of(self, diagnostic: Diagnostic) -> types.Range:
        """0-based range; without a known end, the word or token at the start."""
        last = len(self.lines) - 1
        line = min(max(diagnostic.line - 1, 0), last)
        text = self.lines[line]
        start = min(max(diagnostic.column - 1, 0), len(text))
        if diagnostic.end_column is not None:
            end_line = min(max((diagnostic.end_line or diagnostic.line) - 1, line), last)
            end = min(max(diagnostic.end_column - 1, 0), len(self.lines[end_line]))
            if end_line == line:
                end = max(end, start)
        else:
            end_line = line
            match = _TOKEN.match(text, start)
            end = match.end() if match else min(start + 1, len(text))
        return types.Range(start=self.position(line, start), end=self.position(end_line, end))

    def edit(self, change: Change) -> types.TextEdit:
        """A change as an LSP text edit, in the document's line ending."""
        return types.TextEdit(
            range=types.Range(start=self.position(*change.start), end=self.position(*change.end)),
            new_text=change.text.replace("\n", self.newline),
        )


def lsp_diagnostic(diagnostic: Diagnostic, lines: Lines) -> types.Diagnostic:
    rule = get_rule(diagnostic.code)
    return types.Diagnostic(
        range=lines.range_of(diagnostic),
        message=diagnostic.message,
        severity=SEVERITIES[diagnostic.severity],
        code=diagnostic.code,
        code_description=types.CodeDescription(href=rule.help_uri) if rule else None,
        source=SOURCE,
    )


def _before(a: types.Position, b: types.Position) -> bool:
    return (a.line, a.character) <= (b.line, b.character)


def _overlaps(a: types.Range, b: types.Range) -> bool:
    return _before(a.start, b.end) and _before(b.start, a.end)


def finished(result: FileResult, cross_file: Iterable[Diagnostic]) -> tuple[Diagnostic, ...]:
    """A persona's diagnostics as a run reports them: its own, its cross-file ones (before
    selection), then its inline suppressions and the per-rule cap."""
    added = finalize(cross_file, result.settings)
    if added:
        result = result._replace(diagnostics=(*result.diagnostics, *added))
    return cap_findings(suppress(result)).diagnostics


def config_error_line(error: str, path: Path, line_count: int) -> int | None:
    """The 1-based line of the configuration file ``path`` (of ``line_count`` lines) that
    ``error`` (a :class:`ConfigError` message) is about: the line it names, the last one
    for a TOML error at the end of the document, else the first; None when ``error`` is
    about another file."""
    named = str(path)
    rest = error[len(named) :]
    if not error.startswith(named) or not rest.startswith(":"):
        return None
    if "(at end of document)" in rest:
        return max(line_count, 1)
    match = _CONFIG_LINE.search(rest)
    line = int(match.group(1) or match.group(2)) if match else 1
    return min(max(line, 1), max(line_count, 1))


def rule_markdown(code: str) -> str | None:
    """A rule's documentation (as ``persona-lint explain`` prints it) as Markdown."""
    rule = get_rule(code)
    if rule is None:
        return None
    title, _, rest = render_rule(rule).partition("\n")
    # The severity and summary lines would run together in a Markdown paragraph.
    rest = rest.replace("\nSummary:", "  \nSummary:", 1)
    return f"### {title}\n{rest}\n[{rule.code} in docs/rules.md]({rule.help_uri})\n"


# --- The server ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Linted:
    """The lint of one version of an open document, before cross-file rules."""

    uri: str
    version: int | None
    lines: Lines
    group: str | None  # the workspace folder whose open documents form one corpus
    shown: str  # the path diagnostics and fixes name
    # Suppressions deferred to the cross-file rules, without the parsed document (kept for
    # one document at a time); None: nothing to report (not a persona, excluded, or a
    # problem below).
    result: FileResult | None
    # (settings, excluded), or why there are none (the configuration error, or the problem).
    settings: tuple[Settings, bool] | str
    # The one diagnostic to show instead (an invalid configuration, an internal error).
    problem: str | None = None

    @property
    def slug(self) -> SlugKey | None:
        """The slug this document holds among the open documents of its folder."""
        result = self.result
        if result is None or result.skipped or result.facts is None:
            return None
        return (self.group, result.facts.slug)


def _debounce_from_env() -> float:
    try:
        milliseconds = float(os.environ.get(DEBOUNCE_ENV, DEFAULT_DEBOUNCE_MS))
    except ValueError:
        milliseconds = DEFAULT_DEBOUNCE_MS
    return max(milliseconds, 0.0) / 1000


class PersonaServer(LanguageServer):
    """The state kept between requests: configuration, lint results, pending lints."""

    def __init__(self, debounce: float | None = None) -> None:
        super().__init__(
            "persona-lint",
            __version__,
            # Whole text on each change: pygls applies ranged changes by str.splitlines,
            # which also breaks lines at U+2028 and other characters LSP does not.
            text_document_sync_kind=types.TextDocumentSyncKind.Full,
            protocol_cls=PersonaProtocol,
        )
        self.debounce = _debounce_from_env() if debounce is None else debounce
        self._resolver = Resolver()
        self._resolver_folders: set[str] = set()
        self._open: dict[str, str] = {}  # uri -> language id
        self._linted: dict[str, Linted] = {}
        self._slugs = SlugIndex()
        self._stale: set[str] = set()  # whose cross-file findings may have changed
        self._settle_timer: asyncio.TimerHandle | None = None
        self._published: dict[str, tuple[object, ...]] = {}
        self._shown: dict[str, list[tuple[types.Diagnostic, Diagnostic]]] = {}
        self._timers: dict[str, asyncio.TimerHandle] = {}
        self._reported_errors: set[str] = set()
        self._parsed: tuple[str, int | None, Document] | None = None
        self._fixed_all: tuple[str, int | None, str] | None = None

    def start_io(self, stdin: BinaryIO | None = None, stdout: BinaryIO | None = None) -> None:
        """pygls' stdio loop with :class:`BoundedReader` in place of its reader."""
        self._stop_event = threading.Event()
        self.protocol.set_writer(StdoutWriter(stdout or sys.stdout.buffer))

        async def serve() -> None:
            reader = BoundedReader(stdin or sys.stdin.buffer, self.thread_pool, self.refused)
            assert self._stop_event is not None
            await run_async(
                self._stop_event, reader, self.protocol, logger, self.report_server_error
            )

        try:
            asyncio.run(serve())
        except BrokenPipeError:
            logger.error("the connection to the client is lost; shutting down")
        except (KeyboardInterrupt, SystemExit):
            pass
        finally:
            self.shutdown()  # type: ignore[no-untyped-call]

    def refused(self, reason: str) -> None:
        """A message was skipped unread: say so in the client's log."""
        message = f"persona-lint: skipped {reason}"
        logger.warning(message)
        self.window_log_message(
            types.LogMessageParams(type=types.MessageType.Warning, message=message)
        )

    # Documents

    def opened(self, document: types.TextDocumentItem) -> None:
        self._open[document.uri] = document.language_id
        if self._is_config(document.uri):
            self._publish_config_document(document.uri)
        self.refresh(document.uri)

    def changed(self, uri: str) -> None:
        self._cancel(uri)
        if self.debounce <= 0:
            self.refresh(uri)
            return
        loop = asyncio.get_running_loop()
        self._timers[uri] = loop.call_later(self.debounce, self._fire, uri)

    def saved(self, uri: str) -> None:
        self.reload_configuration()
        self.refresh(uri)

    def closed(self, uri: str) -> None:
        """Forget everything about the document; re-publish those it shared a slug with."""
        self._cancel(uri)
        language = self._open.pop(uri, None)
        entry = self._linted.pop(uri, None)
        self._published.pop(uri, None)
        self._shown.pop(uri, None)
        self._stale.discard(uri)
        if self._parsed is not None and self._parsed[0] == uri:
            self._parsed = None
        if self._fixed_all is not None and self._fixed_all[0] == uri:
            self._fixed_all = None
        if language is not None and (self._is_markdown(uri, language) or self._is_config(uri)):
            self._send(uri, [], None)
        if entry is not None:
            self._mark_stale(self._slugs.move(uri, entry.slug, None))

    def flush(self, uri: str) -> None:
        """Lint now if a lint of this document is waiting for the pause in typing, and
        publish its cross-file findings if they wait for the pause after an event."""
        if uri in self._timers:
            self.refresh(uri)
        if uri in self._stale:
            self._publish([uri])

    def cancel_all(self) -> None:
        for uri in list(self._timers):
            self._cancel(uri)
        if self._settle_timer is not None:
            self._settle_timer.cancel()
            self._settle_timer = None

    def _cancel(self, uri: str) -> None:
        timer = self._timers.pop(uri, None)
        if timer is not None:
            timer.cancel()

    def _fire(self, uri: str) -> None:
        self._timers.pop(uri, None)
        self._guarded(lambda: self.refresh(uri), uri)

    def _guarded(self, action: Callable[[], None], what: str) -> None:
        """Run a timer's action and report its exception, which would be lost."""
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
        """Lint the document's current text (if not done yet) and publish its diagnostics,
        unless it joined or left a shared slug: then it waits for the pause with the
        other holders (their findings all change, and computing them costs the number of
        holders: once per burst of opens, not once per open)."""
        self._cancel(uri)
        if self._current(uri) is not None and uri not in self._stale:
            self._publish([uri], forced=True)

    def reload_configuration(self) -> None:
        """Rediscover configuration; relint the open documents whose settings changed."""
        self._resolver = Resolver()
        self._resolver_folders.clear()
        self._reported_errors.clear()
        changed = []
        for uri, entry in list(self._linted.items()):
            if self._resolve(self._paths(uri)[0]) != entry.settings:
                changed.append(uri)
                self._store(uri, None)
                self._current(uri)
        self._publish(changed)
        for uri in self._open:
            if self._is_config(uri):
                self._publish_config_document(uri)

    def reset_folders(self) -> None:
        """Workspace folders changed: corpora and relative paths change with them."""
        uris = list(self._linted)
        for uri in uris:
            self._store(uri, None)
        for uri in uris:
            self._current(uri)
        self._publish(uris, forced=True)

    # Linting

    def _is_markdown(self, uri: str, language: str) -> bool:
        return language == "markdown" or uri.lower().endswith(MARKDOWN_SUFFIXES)

    def _is_config(self, uri: str) -> bool:
        return to_fs_path(uri) is not None and uri.rsplit("/", 1)[-1] in CONFIG_FILES

    def _folders(self) -> list[Path]:
        folders = []
        for folder in self.workspace.folders.values():
            path = to_fs_path(folder.uri)
            if path is not None:
                folders.append(Path(path))
        root = self.workspace.root_path
        if not folders and root:
            folders.append(Path(root))
        return folders

    def _paths(self, uri: str) -> tuple[Path, str | None]:
        """The file a document stands for (for configuration) and its workspace folder."""
        fs_path = to_fs_path(uri)
        folders = self._folders()
        if fs_path is None:
            base = folders[0] if folders else Path.cwd()
            return base / "untitled.md", None
        path = Path(fs_path)
        inside = [f for f in folders if path.is_relative_to(f)]
        group = max(inside, key=lambda f: len(f.parts)) if inside else None
        return path, str(group) if group is not None else None

    def _resolve(self, path: Path) -> tuple[Settings, bool] | str:
        """The settings of ``path`` and whether it is excluded, or the configuration
        error. The resolver caches by folder: past :data:`MAX_RESOLVER_FOLDERS` it starts
        afresh."""
        folder = str(path.parent)
        if folder not in self._resolver_folders:
            if len(self._resolver_folders) >= MAX_RESOLVER_FOLDERS:
                self._resolver = Resolver()
                self._resolver_folders.clear()
            self._resolver_folders.add(folder)
        try:
            return (self._resolver.settings_for(path), self._resolver.excluded(path))
        except ConfigError as exc:
            return str(exc)
        except Exception as exc:  # a loader bug: still an invalid configuration to the user
            logger.exception("persona-lint: reading the configuration of %s failed", path)
            return f"it cannot be read ({type(exc).__name__})"

    def _current(self, uri: str) -> Linted | None:
        """The lint of the document's current version (cached); None if not Markdown."""
        language = self._open.get(uri)
        if language is None or not self._is_markdown(uri, language):
            return None
        document = self.workspace.get_text_document(uri)
        cached = self._linted.get(uri)
        if cached is not None and cached.version == document.version:
            return cached
        try:
            entry = self._lint(uri, document.source, document.version)
        except Exception as exc:  # a bug: say so on the document rather than nothing
            logger.exception("persona-lint: linting %s failed", uri)
            lines = Lines.of(document.source, self.workspace.position_codec)
            problem = f"persona-lint failed on this document: {type(exc).__name__}"
            entry = Linted(uri, document.version, lines, None, uri, None, problem, problem)
        self._store(uri, entry)
        return entry

    def _lint(self, uri: str, source: str, version: int | None) -> Linted:
        lines = Lines.of(source, self.workspace.position_codec)
        path, group = self._paths(uri)
        if to_fs_path(uri) is None:
            shown = uri
        elif group is not None:
            shown = path.relative_to(group).as_posix()
        else:
            shown = str(path)
        resolved = self._resolve(path)
        if isinstance(resolved, str):
            probe = lint_source(shown, lines.text, Settings(), explicit=False)
            problem = None if probe.skipped else f"invalid persona-lint configuration: {resolved}"
            return Linted(uri, version, lines, group, shown, None, resolved, problem)
        settings, excluded = resolved
        if excluded:
            return Linted(uri, version, lines, group, shown, None, resolved)
        result = lint_source(shown, lines.text, settings, explicit=False, defer_suppressions=True)
        if result.document is not None:
            self._parsed = (uri, version, result.document)
        light = result._replace(document=None)
        return Linted(uri, version, lines, group, shown, light, resolved)

    def _store(self, uri: str, entry: Linted | None) -> None:
        """Keep (or, for None, drop) a document's lint and index its slug."""
        old = self._linted.pop(uri, None) if entry is None else self._linted.get(uri)
        if entry is not None:
            self._linted[uri] = entry
        old_slug = old.slug if old is not None else None
        touched = self._slugs.move(uri, old_slug, entry.slug if entry else None)
        if touched and entry is not None:
            touched.add(uri)
        self._mark_stale(touched)

    def _document(self, entry: Linted) -> Document | None:
        """The parsed document of a lint (parsed again unless it is the last one kept)."""
        if entry.result is None:
            return None
        kept = self._parsed
        if kept is not None and kept[:2] == (entry.uri, entry.version):
            return kept[2]
        result = lint_source(entry.shown, entry.lines.text, entry.result.settings, explicit=False)
        if result.document is not None:
            self._parsed = (entry.uri, entry.version, result.document)
        return result.document

    # Publishing

    def _mark_stale(self, uris: Collection[str]) -> None:
        """These documents' cross-file findings may have changed: re-publish them once
        events that touch others pause (each postpones it, so a burst of opens costs one
        pass, not one per open)."""
        if not uris:
            return
        self._stale.update(uris)
        if self._settle_timer is not None:
            self._settle_timer.cancel()
        self._settle_timer = asyncio.get_running_loop().call_later(self.debounce, self._settle)

    def _settle(self) -> None:
        self._settle_timer = None
        stale = list(self._stale)
        self._stale.clear()
        self._guarded(lambda: self._publish(stale), "the documents sharing a slug")

    def _cross_file(self, key: SlugKey | None) -> dict[str, list[Diagnostic]]:
        """The cross-file findings among the holders of one slug, by path."""
        holders = [self._linted[uri].result for uri in self._slugs.holders(key)]
        results = [result for result in holders if result is not None]
        return corpus_findings(results) if len(results) > 1 else {}

    def _cross_file_of(self, entry: Linted) -> list[Diagnostic]:
        """One document's cross-file findings (before selection and suppressions)."""
        if entry.result is None:
            return []
        return self._cross_file(entry.slug).get(entry.result.path, [])

    def _publish(self, uris: Iterable[str], forced: bool = False) -> None:
        """Publish these documents' diagnostics when they changed (or when ``forced``)."""
        by_slug: dict[SlugKey | None, dict[str, list[Diagnostic]]] = {}
        for uri in uris:
            entry = self._linted.get(uri)
            if entry is None:
                continue
            self._stale.discard(uri)
            found: tuple[Diagnostic, ...] = ()
            result = entry.result
            if result is not None and not result.skipped:
                if entry.slug not in by_slug:
                    by_slug[entry.slug] = self._cross_file(entry.slug)
                found = finished(result, by_slug[entry.slug].get(result.path, []))
            key = (
                entry.version,
                entry.problem,
                *(
                    (d.line, d.column, d.end_line, d.end_column, d.code, d.severity, d.message)
                    for d in found
                ),
            )
            if not forced and self._published.get(uri) == key:
                continue
            self._published[uri] = key
            if entry.problem is not None:
                self._shown[uri] = []
                self._send(
                    uri, [self._problem_diagnostic(entry.problem, entry.lines, 1)], entry.version
                )
                continue
            shown = [(lsp_diagnostic(d, entry.lines), d) for d in found]
            self._shown[uri] = shown
            self._send(uri, [d for d, _ in shown], entry.version)

    def _problem_diagnostic(self, message: str, lines: Lines, line: int) -> types.Diagnostic:
        """One error over a whole 1-based line; shown once in a message window too."""
        if message not in self._reported_errors:
            if len(self._reported_errors) >= MAX_SHOWN_ERRORS:
                self._reported_errors.clear()
            self._reported_errors.add(message)
            self.window_show_message(
                types.ShowMessageParams(type=types.MessageType.Error, message=message)
            )
        index = min(max(line - 1, 0), len(lines.lines) - 1)
        return types.Diagnostic(
            range=types.Range(
                start=lines.position(index, 0), end=lines.position(index, len(lines.lines[index]))
            ),
            message=message,
            severity=types.DiagnosticSeverity.Error,
            source=SOURCE,
        )

    def _publish_config_document(self, uri: str) -> None:
        """An open configuration file: its error, at its line, if it is its own."""
        fs_path = to_fs_path(uri)
        if fs_path is None:
            return
        path = Path(fs_path)
        document = self.workspace.get_text_document(uri)
        lines = Lines.of(document.source, self.workspace.position_codec)
        error = self._resolve(path.parent / "persona.md")
        line = config_error_line(error, path, len(lines.lines)) if isinstance(error, str) else None
        diagnostics = []
        if line is not None:
            message = f"invalid persona-lint configuration: {error}"
            diagnostics.append(self._problem_diagnostic(message, lines, line))
        self._send(uri, diagnostics, document.version)

    def _send(self, uri: str, diagnostics: list[types.Diagnostic], version: int | None) -> None:
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=version)
        )

    def kept(self) -> dict[str, int]:
        """What the server holds, by store (for tests and debugging): the stores of open
        documents are empty once every document is closed; the others have caps."""
        return {
            "open documents": len(self._open),
            "text documents": len(self.workspace.text_documents),
            "lints": len(self._linted),
            "slugs": len(self._slugs),
            "stale": len(self._stale),
            "published": len(self._published),
            "shown": len(self._shown),
            "timers": len(self._timers),
            "parsed documents": int(self._parsed is not None),
            "fix-all results": int(self._fixed_all is not None),
            "resolver folders": len(self._resolver_folders),
        }

    # Requests

    def hover(self, uri: str, position: types.Position) -> types.Hover | None:
        self.flush(uri)
        here = types.Range(start=position, end=position)
        hits = [(d, ours) for d, ours in self._shown.get(uri, []) if _overlaps(d.range, here)]
        codes = list(dict.fromkeys(ours.code for _, ours in hits))
        texts = [text for code in codes if (text := rule_markdown(code)) is not None]
        if not texts:
            return None
        if not self._markdown_hovers():
            rules = [get_rule(code) for code in codes]
            value = "\n\n".join(render_rule(rule) for rule in rules if rule is not None)
            kind = types.MarkupKind.PlainText
        else:
            value, kind = "\n---\n\n".join(texts), types.MarkupKind.Markdown
        return types.Hover(
            contents=types.MarkupContent(kind=kind, value=value), range=hits[0][0].range
        )

    def _markdown_hovers(self) -> bool:
        text_document = self.client_capabilities.text_document
        hover = text_document.hover if text_document else None
        formats = hover.content_format if hover else None
        return not formats or types.MarkupKind.Markdown in formats

    def code_actions(self, params: types.CodeActionParams) -> list[types.CodeAction] | None:
        """The rules' own fixes and suppressions of the diagnostics in the range (quick
        fixes), and every safe fix at once (``source.fixAll.persona-lint``)."""
        only = params.context.only
        uri = params.text_document.uri
        self.flush(uri)
        entry = self._linted.get(uri)
        if entry is None or entry.result is None or entry.problem is not None:
            return None
        actions = []
        if _wanted(QUICK_FIX, only):
            actions += self._quick_fixes(entry, params.range)
        if _wanted(FIX_ALL, only):
            fixed = self._fix_all(entry)
            if fixed is not None:
                actions.append(
                    types.CodeAction(
                        title="Fix all auto-fixable persona-lint problems",
                        kind=FIX_ALL,
                        edit=self._workspace_edit(entry, (fixed,)),
                    )
                )
        return actions

    def _quick_fixes(self, entry: Linted, within: types.Range) -> list[types.CodeAction]:
        document = self._document(entry)
        if document is None or entry.result is None:
            return []
        settings = entry.result.settings
        actions = []
        for lsp, ours in self._shown.get(entry.uri, []):
            if not _overlaps(lsp.range, within):
                continue
            fixes = [suppression_fix(document, ours.line, ours.code)]
            if ours.code == "PL005":
                removal = removal_fix(document, ours)
                if removal is not None:
                    fixes.insert(0, removal)
            elif ours.code in FIXERS:
                fixed = fix_one(
                    entry.shown, entry.lines.text, settings, ours, extra=self._cross_file_of(entry)
                )
                change = text_change(entry.lines.text, fixed) if fixed is not None else None
                if change is not None:
                    rule = get_rule(ours.code)
                    name = f" ({rule.name})" if rule is not None else ""
                    fixes.insert(0, Fix(f"Fix {ours.code}{name}", (change,), preferred=True))
            for fix in fixes:
                actions.append(
                    types.CodeAction(
                        title=fix.title,
                        kind=QUICK_FIX,
                        diagnostics=[lsp],
                        edit=self._workspace_edit(entry, fix.changes),
                        is_preferred=fix.preferred or None,
                    )
                )
        return actions

    def _fix_all(self, entry: Linted) -> Change | None:
        """The change that applies every safe fix (as ``--fix`` does); the last one asked
        for is kept, as editors ask again on every cursor move."""
        kept = self._fixed_all
        if kept is not None and kept[:2] == (entry.uri, entry.version):
            fixed = kept[2]
        elif entry.result is None or not any(
            d.code in FIXERS for _, d in self._shown.get(entry.uri, [])
        ):
            return None
        else:
            text = entry.lines.text
            settings = entry.result.settings
            fixed = fix_text(entry.shown, text, settings, extra=self._cross_file_of(entry)).text
            self._fixed_all = (entry.uri, entry.version, fixed)
        return text_change(entry.lines.text, fixed)

    def _workspace_edit(self, entry: Linted, changes: Iterable[Change]) -> types.WorkspaceEdit:
        edits: list[types.TextEdit | types.AnnotatedTextEdit | types.SnippetTextEdit] = [
            entry.lines.edit(change) for change in changes
        ]
        workspace = self.client_capabilities.workspace
        edit_capability = workspace.workspace_edit if workspace else None
        if edit_capability is not None and edit_capability.document_changes:
            identifier = types.OptionalVersionedTextDocumentIdentifier(
                uri=entry.uri, version=entry.version
            )
            return types.WorkspaceEdit(
                document_changes=[types.TextDocumentEdit(text_document=identifier, edits=edits)]
            )
        return types.WorkspaceEdit(
            changes={entry.uri: [e for e in edits if isinstance(e, types.TextEdit)]}
        )

    def warm_up(self) -> None:
        """Build the schemas and the Markdown parser before the first document arrives."""
        from persona_lint.xml.schema import behavior_schema, persona_schema

        persona_schema()
        behavior_schema()
        lint_source("warm-up.md", _WARM_UP, Settings(), explicit=False)

    def watch_configuration(self) -> None:
        """Ask the client to report changes of configuration files, if it can."""
        workspace = self.client_capabilities.workspace
        watched = workspace.did_change_watched_files if workspace else None
        if watched is None or not watched.dynamic_registration:
            return
        options = types.DidChangeWatchedFilesRegistrationOptions(
            watchers=[types.FileSystemWatcher(glob_pattern=f"**/{name}") for name in CONFIG_FILES]
        )
        registration = types.Registration(
            id="persona-lint-configuration",
            method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
            register_options=options,
        )
        self.client_register_capability(types.RegistrationParams(registrations=[registration]))


def _wanted(kind: str, only: Sequence[str] | None) -> bool:
    """Whether the client asks for code actions of ``kind`` (``only`` lists kinds and their
    parents: ``source`` asks for ``source.fixAll.persona-lint`` too)."""
    return not only or any(kind == k or kind.startswith(f"{k}.") for k in only)


_WARM_UP = """\
| version | last_updated | status |
|---------|--------------|--------|
| 1.0.0   | 2025-01-01   | draft  |

# Warm Up Persona

```xml
<persona_context active="warm-up"><persona_identity><name>Warm Up</name></persona_identity>
</persona_context>
```

```xml
<warm_up_behavior><approach>x</approach></warm_up_behavior>
```

**Usage**: `--persona warm-up`
"""


def create_server(debounce: float | None = None) -> PersonaServer:
    """A server with every feature registered (not started)."""
    server = PersonaServer(debounce)

    @server.feature(types.INITIALIZED)
    def initialized(params: types.InitializedParams) -> None:
        server.warm_up()
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
        if any(change.uri.rsplit("/", 1)[-1] in CONFIG_FILES for change in params.changes):
            server.reload_configuration()

    @server.feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
    def folders_changed(params: types.DidChangeWorkspaceFoldersParams) -> None:
        server.reset_folders()

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(params: types.HoverParams) -> types.Hover | None:
        return server.hover(params.text_document.uri, params.position)

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=CODE_ACTION_KINDS),
    )
    def code_action(params: types.CodeActionParams) -> list[types.CodeAction] | None:
        return server.code_actions(params)

    return server


def start() -> None:
    """Run the language server on standard input and output until the client exits."""
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    create_server().start_io()
