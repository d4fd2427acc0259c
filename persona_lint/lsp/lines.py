"""An open document's lines and the conversion of the linter's places to LSP positions.

The linter counts 1-based lines and code point columns in the text with LF line endings and
no byte order mark; LSP counts 0-based lines and columns in the position encoding negotiated
with the client (UTF-16 unless the client asks for another). The conversion is pygls' own
:class:`PositionCodec`; this module only clamps places to the document and picks the range a
diagnostic underlines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lsprotocol import types
from pygls.workspace.position_codec import PositionCodec

from persona_lint.diagnostics import Diagnostic, Severity
from persona_lint.lsp.edits import Change
from persona_lint.rules import get_rule

SOURCE = "persona-lint"
SEVERITIES = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
}
# The word or markup token at a diagnostic's start, underlined when the rule gave no end.
_TOKEN = re.compile(r"</?[\w.:-]+>?|<[!?][^\s>]*>?|[\w.:-]+|([^\w\s])\1*")


@dataclass(frozen=True)
class Lines:
    """A document's lines as the linter counts them, and how to place them for the client.

    ``lines`` are LF-split without a byte order mark; ``codec`` converts 0-based code point
    places to the client's units; ``bom`` says whether the text the client holds starts
    with a byte order mark (it shifts the first line); ``newline`` is the line ending that
    edits write.
    """

    lines: tuple[str, ...]
    codec: PositionCodec
    bom: bool = False
    newline: str = "\n"

    @classmethod
    def of(cls, source: str, codec: PositionCodec) -> Lines:
        """Split the client's text of a document as the linter reads it."""
        newline = "\r\n" if "\r\n" in source else "\n"
        text = source.replace("\r\n", "\n").replace("\r", "\n")
        bom = text.startswith("\ufeff")
        return cls(tuple(text.removeprefix("\ufeff").split("\n")), codec, bom, newline)

    @property
    def text(self) -> str:
        """The text the linter reads (LF line endings, no byte order mark)."""
        return "\n".join(self.lines)

    def position(self, line: int, column: int) -> types.Position:
        """Return a 0-based place in the client's units (past the last line: the end)."""
        place = types.Position(line=line, character=column)
        position = self.codec.position_to_client_units(self.lines, place)
        if self.bom and line == 0:
            position.character += self.codec.client_num_units("\ufeff")
        return position

    def whole_line(self, line: int) -> types.Range:
        """Return the range of a whole 1-based line (clamped to the document)."""
        index = min(max(line - 1, 0), len(self.lines) - 1)
        return types.Range(
            start=self.position(index, 0), end=self.position(index, len(self.lines[index]))
        )

    def range_of(self, diagnostic: Diagnostic) -> types.Range:
        """Return a diagnostic's 0-based range; without an end, the word or token at the start."""
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
        """Return a change as an LSP text edit, in the document's line ending."""
        return types.TextEdit(
            range=types.Range(start=self.position(*change.start), end=self.position(*change.end)),
            new_text=change.text.replace("\n", self.newline),
        )


def lsp_diagnostic(diagnostic: Diagnostic, lines: Lines) -> types.Diagnostic:
    """Return one of our diagnostics as the client sees it, linked to its rule's docs."""
    rule = get_rule(diagnostic.code)
    return types.Diagnostic(
        range=lines.range_of(diagnostic),
        message=diagnostic.message,
        severity=SEVERITIES[diagnostic.severity],
        code=diagnostic.code,
        code_description=types.CodeDescription(href=rule.help_uri) if rule else None,
        source=SOURCE,
    )


def error_over_line(message: str, lines: Lines, line: int) -> types.Diagnostic:
    """Return an error without a rule over a whole 1-based line (a configuration error)."""
    return types.Diagnostic(
        range=lines.whole_line(line),
        message=message,
        severity=types.DiagnosticSeverity.Error,
        source=SOURCE,
    )


def overlaps(a: types.Range, b: types.Range) -> bool:
    """Whether two ranges share a place (touching ends count: a cursor at a range's end)."""
    return _before(a.start, b.end) and _before(b.start, a.end)


def _before(a: types.Position, b: types.Position) -> bool:
    return (a.line, a.character) <= (b.line, b.character)
