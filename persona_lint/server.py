"""The language server: live diagnostics, rule documentation on hover and suppression quick
fixes for persona documents, over LSP on standard input and output (pygls).

An edge over the core, like the CLI: each open Markdown document is linted with
:func:`lint_source` (``explicit=False``, so Markdown that is not a persona gets nothing); the
open documents of one workspace folder go through :func:`check_corpus` together, so
duplicate slugs (PL801) are found across them; diagnostics become LSP diagnostics only when
published: 0-based lines, columns in the negotiated position encoding (our columns count code
points, so UTF-32 is preferred when the client offers it; otherwise the client's choice,
UTF-16 by default, computed from the line's text).

Settings come from the same discovery as the command line (one :class:`Resolver`, kept
between requests and rebuilt when a document is saved or a configuration file changes). A
change is linted after a pause in typing: ``PERSONA_LINT_LSP_DEBOUNCE_MS`` milliseconds
(default 200; 0 lints every change at once, as the benchmark does). Open, save and the
requests that need fresh diagnostics (hover, code actions) lint at once.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import sys
from collections.abc import Generator, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol, lsp_method
from pygls.uris import to_fs_path

from persona_lint import __version__
from persona_lint.config import CONFIG_NAME, PYPROJECT, ConfigError, Resolver, resolve_selector
from persona_lint.diagnostics import Diagnostic, Severity
from persona_lint.document import CodeBlock, Document
from persona_lint.files import MARKDOWN_SUFFIXES
from persona_lint.linter import FileResult, check_corpus, lint_source
from persona_lint.rules import get_rule
from persona_lint.rules.docs import render_rule
from persona_lint.settings import Settings

DEBOUNCE_ENV = "PERSONA_LINT_LSP_DEBOUNCE_MS"
DEFAULT_DEBOUNCE_MS = 200
SOURCE = "persona-lint"
CONFIG_FILES = (CONFIG_NAME, PYPROJECT)
UTF8 = types.PositionEncodingKind.Utf8
UTF16 = types.PositionEncodingKind.Utf16
UTF32 = types.PositionEncodingKind.Utf32
QUICK_FIX = types.CodeActionKind.QuickFix
SEVERITIES = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
}
# The word or markup token at a diagnostic's start, underlined when the rule gave no end.
_TOKEN = re.compile(r"</?[\w.:-]+>?|<[!?][^\s>]*>?|[\w.:-]+|([^\w\s])\1*")

logger = logging.getLogger(__name__)


# --- Positions: our 1-based code points to LSP's 0-based code units ------------------------


def code_units(text: str, encoding: str) -> int:
    """The length of ``text`` in the code units of a position encoding."""
    if encoding == UTF32:
        return len(text)
    if encoding == UTF8:
        return len(text.encode("utf-8", "surrogatepass"))
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


@dataclass(frozen=True)
class Lines:
    """A document's lines as the linter counts them (LF-split, without a byte order mark),
    and the conversion of 0-based code point places to the client's units."""

    lines: tuple[str, ...]
    encoding: str
    bom: bool = False

    @classmethod
    def of(cls, source: str, encoding: str) -> Lines:
        text = source.replace("\r\n", "\n").replace("\r", "\n")
        bom = text.startswith("\ufeff")
        return cls(tuple(text.removeprefix("\ufeff").split("\n")), encoding, bom)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def position(self, line: int, column: int) -> types.Position:
        if line >= len(self.lines):
            return types.Position(line=len(self.lines), character=0)
        units = code_units(self.lines[line][:column], self.encoding)
        if self.bom and line == 0:
            units += code_units("\ufeff", self.encoding)
        return types.Position(line=line, character=units)

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


# --- Quick fixes: pure edits of a parsed document ------------------------------------------


@dataclass(frozen=True)
class Change:
    """Replace code points ``start`` to ``end`` (0-based (line, column) places) with
    ``text``; an insertion when they are equal."""

    start: tuple[int, int]
    end: tuple[int, int]
    text: str


@dataclass(frozen=True)
class Fix:
    title: str
    changes: tuple[Change, ...]
    preferred: bool = False


def _comment(kind: str, code: str) -> str:
    return f"<!-- persona-lint: {kind} {code} -->"


def _indent(text: str) -> str:
    return text[: len(text) - len(text.lstrip())]


def _add_to_directive(lines: Sequence[str], index: int, kind: str, code: str) -> Change | None:
    """Name ``code`` in an existing directive of this kind on line ``index``, if any."""
    if not 0 <= index < len(lines):
        return None
    match = re.search(rf"<!--\s*persona-lint:\s*{kind}\b(.*?)-->", lines[index])
    if match is None or not match.group(1).strip():
        return None
    return Change(
        (index, match.start(1)), (index, match.end(1)), f" {match.group(1).strip()} {code} "
    )


def _append(lines: Sequence[str], index: int, code: str) -> Change:
    merged = _add_to_directive(lines, index, "disable-line", code)
    if merged is not None:
        return merged
    text = lines[index]
    space = " " if text.strip() else ""
    return Change((index, len(text)), (index, len(text)), space + _comment("disable-line", code))


def _above(lines: Sequence[str], index: int, code: str) -> Change:
    previous = lines[index - 1] if index > 0 else ""
    if previous.strip().startswith("<!--"):
        merged = _add_to_directive(lines, index - 1, "disable-next-line", code)
        if merged is not None:
            return merged
    text = _indent(lines[index]) + _comment("disable-next-line", code) + "\n"
    return Change((index, 0), (index, 0), text)


def open_markup(lines: Sequence[str]) -> list[int | None]:
    """For each line of an XML block: None when it ends outside markup, else the index of
    the line where the unfinished tag, comment, CDATA section or instruction began.

    A light scan in the persona dialect (a ``<`` that cannot start markup is text), only
    to tell where a comment may go; the real parser reports errors.
    """
    ends = {"<!--": "-->", "<![CDATA[": "]]>", "<?": "?>", "<!": ">"}
    result: list[int | None] = []
    closing: str | None = None  # what ends the open construct; "" is a tag
    began = 0
    quote = ""
    for number, line in enumerate(lines):
        i = 0
        while i < len(line):
            if closing is None:
                j = line.find("<", i)
                if j < 0:
                    break
                opener = next((o for o in ends if line.startswith(o, j)), None)
                name = line[j + 2 : j + 3] if line.startswith("</", j) else line[j + 1 : j + 2]
                if opener is not None:
                    closing, began, i = ends[opener], number, j + len(opener)
                elif name and (name.isalpha() or name in "_:"):
                    closing, began, quote, i = "", number, "", j + 1
                else:
                    i = j + 1
            elif closing == "":
                char = line[i]
                if quote:
                    quote = "" if char == quote else quote
                elif char in "\"'":
                    quote = char
                elif char == ">":
                    closing = None
                i += 1
            else:
                j = line.find(closing, i)
                if j < 0:
                    break
                i, closing = j + len(closing), None
        result.append(None if closing is None else began)
    return result


def _last_line(block: CodeBlock) -> int:
    """1-based line of the block's closing fence (or last content line when unclosed)."""
    return block.content_line + len(block.line_offsets) - (0 if block.closed else 1)


def suppression_fix(document: Document, line: int, code: str) -> Fix:
    """The edit that suppresses ``code`` at 1-based ``line`` and keeps the document valid.

    - In a table, a comment would become a cell or end the table: ``disable-file`` on a
      line of its own after the table (the version table is the only table rules read).
    - On a heading or a fence line, a comment would change the title or the fence:
      ``disable-next-line`` on a line of its own above.
    - In an ``xml`` block, an XML comment at the end of the line, unless the line ends
      inside a tag (then above it, or, in the middle of a tag spanning lines, a
      ``disable``/``enable`` pair around the tag).
    - Anywhere else, ``disable-line`` at the end of the line.
    """
    lines = document.lines
    index = min(max(line - 1, 0), len(lines) - 1)
    number = index + 1
    on_line = f"Suppress {code} on this line"
    for table in document.tables:
        end = max([table.line + 1, *(row[0].line for row in table.rows if row)])
        if table.line <= number <= end:
            merged = _add_to_directive(lines, end, "disable-file", code)
            text = "\n" + _comment("disable-file", code)
            change = merged or Change(
                (end - 1, len(lines[end - 1])), (end - 1, len(lines[end - 1])), text
            )
            return Fix(f"Suppress {code} in this file", (change,))
    if any(heading.line == number for heading in document.headings):
        return Fix(on_line, (_above(lines, index, code),))
    for block in document.code_blocks:
        if not block.fenced or not block.fence_line <= number <= _last_line(block):
            continue
        if number == block.fence_line or (block.closed and number == _last_line(block)):
            return Fix(on_line, (_above(lines, index, code),))
        if block.language != "xml":
            break
        first = block.content_line - 1
        open_at = open_markup(lines[first : first + len(block.line_offsets)])
        inner = index - first
        if open_at[inner] is None:
            break
        if inner == 0 or open_at[inner - 1] is None:
            return Fix(on_line, (_above(lines, index, code),))
        start = first + (open_at[inner] or 0)
        stop = next((j for j in range(inner, len(open_at)) if open_at[j] is None), None)
        end = first + (stop if stop is not None else len(open_at) - 1)
        disable = _indent(lines[start]) + _comment("disable", code) + "\n"
        enable = " " + _comment("enable", code)
        return Fix(
            f"Suppress {code} on lines {start + 1}-{end + 1}",
            (
                Change((start, 0), (start, 0), disable),
                Change((end, len(lines[end])), (end, len(lines[end])), enable),
            ),
        )
    return Fix(on_line, (_append(lines, index, code),))


def removal_fix(document: Document, diagnostic: Diagnostic) -> Fix | None:
    """Remove an unused suppression (PL005): safe, as it suppresses nothing, unless it may
    cover cross-file rules, which see only the documents open in the editor."""
    index = diagnostic.line - 1
    if diagnostic.end_column is None or not 0 <= index < len(document.lines):
        return None
    text = document.lines[index]
    start, end = diagnostic.column - 1, diagnostic.end_column - 1
    kinds = "disable-line|disable-next-line|disable-file"
    match = re.match(rf"<!--\s*persona-lint:\s*(?:{kinds})\b(.*?)-->", text[start:end])
    if match is None:
        return None
    try:
        codes = {
            c for w in re.split(r"[,\s]+", match.group(1).strip()) if w for c in resolve_selector(w)
        }
    except ValueError:
        return None
    if not codes or any(c.startswith("PL8") for c in codes):
        return None
    title = "Remove unused suppression"
    if not (text[:start] + text[end:]).strip():
        if index + 1 < len(document.lines):
            return Fix(title, (Change((index, 0), (index + 1, 0), ""),), preferred=True)
        if index > 0:
            previous = len(document.lines[index - 1])
            return Fix(title, (Change((index - 1, previous), (index, len(text)), ""),), True)
    while start > 0 and text[start - 1] in " \t":
        start -= 1
    return Fix(title, (Change((index, start), (index, end), ""),), preferred=True)


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
    # Suppressions deferred to check_corpus; None: nothing to report (not a persona,
    # excluded, or the configuration is invalid).
    result: FileResult | None
    settings: tuple[Settings, bool] | str  # (settings, excluded), or the configuration error
    config_error: str | None = None


class _Protocol(LanguageServerProtocol):
    @lsp_method(types.INITIALIZE)
    def lsp_initialize(
        self, params: types.InitializeParams
    ) -> Generator[Any, Any, types.InitializeResult]:
        # pygls takes the client's first supported encoding; ours is UTF-32 when offered,
        # as our columns count code points.
        general = params.capabilities.general
        if (
            general is not None
            and general.position_encodings
            and UTF32 in general.position_encodings
        ):
            general.position_encodings = [
                UTF32,
                *(e for e in general.position_encodings if e != UTF32),
            ]
        return (yield from super().lsp_initialize(params))


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
            protocol_cls=_Protocol,
        )
        self.debounce = _debounce_from_env() if debounce is None else debounce
        self._resolver = Resolver()
        self._settings: dict[Path, tuple[Settings, bool] | str] = {}
        self._open: dict[str, str] = {}  # uri -> language id
        self._linted: dict[str, Linted] = {}
        self._published: dict[str, tuple[object, ...]] = {}
        self._shown: dict[str, list[tuple[types.Diagnostic, Diagnostic]]] = {}
        self._timers: dict[str, asyncio.TimerHandle] = {}
        self._reported_errors: set[str] = set()

    @property
    def encoding(self) -> str:
        return self.workspace.position_encoding or UTF16

    # Documents

    def opened(self, document: types.TextDocumentItem) -> None:
        self._open[document.uri] = document.language_id
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
        self._cancel(uri)
        language = self._open.pop(uri, None)
        entry = self._linted.pop(uri, None)
        self._published.pop(uri, None)
        self._shown.pop(uri, None)
        if language is not None and self._is_markdown(uri, language):
            self._send(uri, [], None)
        if entry is not None:
            self._publish(entry.group, ())

    def flush(self, uri: str) -> None:
        """Lint now if a lint of this document is waiting for the pause in typing."""
        if uri in self._timers:
            self.refresh(uri)

    def cancel_all(self) -> None:
        for uri in list(self._timers):
            self._cancel(uri)

    def _cancel(self, uri: str) -> None:
        timer = self._timers.pop(uri, None)
        if timer is not None:
            timer.cancel()

    def _fire(self, uri: str) -> None:
        self._timers.pop(uri, None)
        try:
            self.refresh(uri)
        except Exception as exc:  # a timer's exception would be lost
            logger.exception("persona-lint: linting %s failed", uri)
            self.window_log_message(
                types.LogMessageParams(
                    type=types.MessageType.Error, message=f"linting {uri} failed: {exc!r}"
                )
            )

    def refresh(self, uri: str) -> None:
        """Lint the document's current text (if not cached) and publish its diagnostics,
        and those of the other open documents whose cross-file findings changed."""
        self._cancel(uri)
        entry = self._current(uri)
        if entry is not None:
            self._publish(entry.group, (uri,))

    def reload_configuration(self) -> None:
        """Rediscover configuration; relint the open documents whose settings changed."""
        self._resolver = Resolver()
        self._settings.clear()
        self._reported_errors.clear()
        groups = set()
        for uri, entry in list(self._linted.items()):
            if self._resolve(self._paths(uri)[0]) != entry.settings:
                del self._linted[uri]
                fresh = self._current(uri)
                groups.add(entry.group)
                if fresh is not None:
                    groups.add(fresh.group)
        for group in groups:
            self._publish(group, ())

    def reset_folders(self) -> None:
        """Workspace folders changed: corpora and relative paths change with them."""
        uris = list(self._linted)
        self._linted.clear()
        groups = {entry.group for uri in uris if (entry := self._current(uri)) is not None}
        for group in groups:
            self._publish(group, uris)

    # Linting

    def _is_markdown(self, uri: str, language: str) -> bool:
        return language == "markdown" or uri.lower().endswith(MARKDOWN_SUFFIXES)

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
        found = self._settings.get(path)
        if found is None:
            try:
                found = (self._resolver.settings_for(path), self._resolver.excluded(path))
            except ConfigError as exc:
                found = str(exc)
            self._settings[path] = found
        return found

    def _current(self, uri: str) -> Linted | None:
        """The lint of the document's current version (cached); None if not Markdown."""
        language = self._open.get(uri)
        if language is None or not self._is_markdown(uri, language):
            return None
        document = self.workspace.get_text_document(uri)
        cached = self._linted.get(uri)
        if cached is not None and cached.version == document.version:
            return cached
        entry = self._lint(uri, document.source, document.version)
        self._linted[uri] = entry
        return entry

    def _lint(self, uri: str, source: str, version: int | None) -> Linted:
        lines = Lines.of(source, self.encoding)
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
            error = None if probe.skipped else resolved
            return Linted(uri, version, lines, group, None, resolved, error)
        settings, excluded = resolved
        if excluded:
            return Linted(uri, version, lines, group, None, resolved)
        result = lint_source(shown, lines.text, settings, explicit=False, defer_suppressions=True)
        return Linted(uri, version, lines, group, result, resolved)

    # Publishing

    def _publish(self, group: str | None, force: Iterable[str]) -> None:
        forced = set(force)
        members = [e for e in self._linted.values() if e.group == group]
        personas = [e for e in members if e.result is not None and not e.result.skipped]
        finished = check_corpus([e.result for e in personas if e.result is not None])
        final = {e.uri: r.diagnostics for e, r in zip(personas, finished, strict=True)}
        for entry in members:
            found = final.get(entry.uri, ())
            key = (
                entry.version,
                entry.config_error,
                *(
                    (d.line, d.column, d.end_line, d.end_column, d.code, d.severity, d.message)
                    for d in found
                ),
            )
            if entry.uri not in forced and self._published.get(entry.uri) == key:
                continue
            self._published[entry.uri] = key
            if entry.config_error is not None:
                self._shown[entry.uri] = []
                self._send(entry.uri, [self._config_diagnostic(entry)], entry.version)
                continue
            shown = [(lsp_diagnostic(d, entry.lines), d) for d in found]
            self._shown[entry.uri] = shown
            self._send(entry.uri, [d for d, _ in shown], entry.version)

    def _config_diagnostic(self, entry: Linted) -> types.Diagnostic:
        message = f"invalid persona-lint configuration: {entry.config_error}"
        if message not in self._reported_errors:
            self._reported_errors.add(message)
            self.window_show_message(
                types.ShowMessageParams(type=types.MessageType.Error, message=message)
            )
        first = entry.lines.lines[0]
        return types.Diagnostic(
            range=types.Range(
                start=types.Position(line=0, character=0),
                end=entry.lines.position(0, len(first)),
            ),
            message=message,
            severity=types.DiagnosticSeverity.Error,
            source=SOURCE,
        )

    def _send(self, uri: str, diagnostics: list[types.Diagnostic], version: int | None) -> None:
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=version)
        )

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
        only = params.context.only
        if only and not any(k == QUICK_FIX or QUICK_FIX.startswith(f"{k}.") for k in only):
            return None
        uri = params.text_document.uri
        self.flush(uri)
        entry = self._linted.get(uri)
        if entry is None or entry.result is None or entry.result.document is None:
            return None
        document = entry.result.document
        actions = []
        for lsp, ours in self._shown.get(uri, []):
            if not _overlaps(lsp.range, params.range):
                continue
            fixes = [suppression_fix(document, ours.line, ours.code)]
            if ours.code == "PL005":
                removal = removal_fix(document, ours)
                if removal is not None:
                    fixes.insert(0, removal)
            for fix in fixes:
                actions.append(
                    types.CodeAction(
                        title=fix.title,
                        kind=QUICK_FIX,
                        diagnostics=[lsp],
                        edit=self._workspace_edit(entry, fix),
                        is_preferred=fix.preferred or None,
                    )
                )
        return actions

    def _workspace_edit(self, entry: Linted, fix: Fix) -> types.WorkspaceEdit:
        edits = [
            types.TextEdit(
                range=types.Range(
                    start=entry.lines.position(*change.start),
                    end=entry.lines.position(*change.end),
                ),
                new_text=change.text,
            )
            for change in fix.changes
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
        return types.WorkspaceEdit(changes={entry.uri: edits})

    def warm_up(self) -> None:
        """Build the schemas and the Markdown parser before the first document arrives."""
        from persona_lint.schema import behavior_schema, persona_schema

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
        types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(code_action_kinds=[QUICK_FIX])
    )
    def code_action(params: types.CodeActionParams) -> list[types.CodeAction] | None:
        return server.code_actions(params)

    return server


def start() -> None:
    """Run the language server on standard input and output until the client exits."""
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    create_server().start_io()
