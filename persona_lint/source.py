"""Turning the bytes of a file into source text, or into the reason it cannot be read.

Checks happen on the raw bytes, before any decoding: markdown-it silently replaces NUL with
U+FFFD, and a UTF-16 file decodes as garbage rather than failing. A UTF-8 byte order mark is
dropped and CRLF or CR line endings become LF; neither changes a line number or a column.
"""

from __future__ import annotations

from dataclasses import dataclass

# Signatures of common binary formats that end up renamed to .md.
_BINARY_SIGNATURES = {
    b"\x89PNG\r\n\x1a\n": "a PNG image",
    b"%PDF-": "a PDF document",
    b"PK\x03\x04": "a ZIP archive",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\x7fELF": "an executable",
}


@dataclass(frozen=True)
class SourceProblem:
    """Why bytes are not readable source text, and the 1-based place that shows it."""

    line: int
    column: int
    message: str


def decode(data: bytes) -> str | SourceProblem:
    """Decode a persona file's bytes as UTF-8 text with LF line endings."""
    for signature, what in _BINARY_SIGNATURES.items():
        if data.startswith(signature):
            return SourceProblem(1, 1, f"this is {what}, not a UTF-8 text file")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return SourceProblem(1, 1, "the file is UTF-16 encoded; save it as UTF-8")
    nul = data.find(b"\x00")
    if nul >= 0:
        line, column = _place(data, nul)
        return SourceProblem(line, column, "NUL byte in the file: is it binary?")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _place(data, exc.start)
        return SourceProblem(
            line, column, f"invalid UTF-8 byte 0x{data[exc.start]:02x}: save the file as UTF-8"
        )
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _place(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and character column of a byte offset (decoding what comes before)."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    line = data.count(b"\n", 0, offset) + 1
    prefix = data[line_start:offset].decode("utf-8", errors="replace")
    return line, len(prefix) + 1
