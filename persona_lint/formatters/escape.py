r"""What a hostile file name or message must not smuggle into a report.

A pull request chooses its file names, and git stores any bytes in them: ESC, newlines,
bytes that are not UTF-8 (Python keeps them as lone surrogates, ``os.fsdecode``), names
such as ``::stop-commands::x.md``. Every format writes them escaped:

- machine formats (``json``, ``json-lines``, ``gitlab``, ``sarif`` messages) write each
  byte that is not UTF-8 as the four characters ``\xNN``: a lone surrogate is not valid
  JSON for strict parsers, nor encodable in UTF-8;
- human formats (``full``, ``concise``, ``github``, ``junit``) also write control
  characters (C0, DEL, C1) and the bidirectional overrides as ``\xNN`` / ``\uNNNN``, so
  nothing moves the cursor, opens an OSC-8 link or starts a workflow command;
- in a path (where the name must stay lossless) a backslash is doubled too on systems where
  it is an ordinary character of names, so no two names are written alike.
"""

from __future__ import annotations

import os
import re

# The bidirectional marks and overrides, which reorder what a terminal shows ("Trojan
# source"); _BIDI is the same set as a regular expression class.
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
_BIDI = "".join(sorted(BIDI_CONTROLS))
_UNENCODABLE = re.compile("[\ud800-\udfff]")
_UNENCODABLE_PATH = re.compile(r"[\\\ud800-\udfff]" if os.sep == "/" else "[\ud800-\udfff]")
_UNSAFE = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}\ud800-\udfff]")
_UNSAFE_PATH = re.compile(
    f"[\\\\\x00-\x1f\x7f-\x9f{_BIDI}\ud800-\udfff]"
    if os.sep == "/"
    else f"[\x00-\x1f\x7f-\x9f{_BIDI}\ud800-\udfff]"
)


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if char == "\\":
        return "\\\\"
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, as os.fsdecode kept it
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def json_text(text: str) -> str:
    r"""Return ``text`` with every byte that was not UTF-8 (a lone surrogate) as ``\xNN``."""
    return _UNENCODABLE.sub(_escape, text)


def json_path(path: str) -> str:
    """Return a path as the machine formats write it.

    As :func:`json_text`, and on POSIX a backslash doubled, so the escape is lossless.
    """
    return _UNENCODABLE_PATH.sub(_escape, path)


def human_text(text: str) -> str:
    """Return ``text`` safe for a terminal or a CI log.

    No control character, no bidirectional override, no lone surrogate.
    """
    return _UNSAFE.sub(_escape, text)


def human_path(path: str, *, starts_line: bool = True) -> str:
    """Return a path as the human formats write it.

    As :func:`human_text`, losslessly (backslashes doubled on POSIX), and when it
    ``starts_line``, ``./`` before a name starting with ``::``, which at the start of a
    line of a GitHub Actions log is a workflow command.
    """
    path = _UNSAFE_PATH.sub(_escape, path)
    return "./" + path if starts_line and path.startswith("::") else path
