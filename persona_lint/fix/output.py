"""The I/O edge of ``--fix``: bytes, atomic writes, diffs.

:func:`encode_like` restores the original line endings and byte order mark,
:func:`write_if_unchanged` replaces a file atomically unless it changed on disk since it was
read (never through a symbolic link, never splitting hard links), and :func:`unified_diff`
renders ``--diff``.
"""

from __future__ import annotations

import difflib
import os
import stat
from pathlib import Path

from persona_lint.source.read import read_limited
from persona_lint.source.write import OwnerNotKept, atomic_write

_BOM = b"\xef\xbb\xbf"


def encode_like(text: str, original: bytes) -> bytes:
    """``text`` (LF line endings) encoded like ``original``.

    With its byte order mark and its line endings (the most common one, when they were
    mixed).
    """
    crlf = original.count(b"\r\n")
    cr = original.count(b"\r") - crlf
    lf = original.count(b"\n") - crlf
    newline = "\r\n" if crlf > max(lf, cr) else "\r" if cr > max(lf, crlf) else "\n"
    data = text.replace("\n", newline).encode("utf-8", "surrogatepass")
    return _BOM + data if original.startswith(_BOM) else data


def _before_replace(path: Path) -> None:
    """Test seam: called just before the file is compared with what was read and replaced.

    The new content is on disk in the temporary file by then.
    """


def write_if_unchanged(path: Path, original: bytes, content: bytes) -> str | None:
    """Replace ``path`` with ``content`` atomically, unless it is no longer ``original``.

    Keeps the file's permissions and owner. None when written, else why not.

    The content goes to a temporary file in the same folder, which replaces the file in
    one ``os.replace``; on any failure the original file is left as it was and the
    temporary file removed. What a replacement cannot keep is refused instead: a symbolic
    link is never written through (it may lead anywhere), a file with several hard links
    is not written (a replacement would split them, and writing in place would change the
    other names, which may lie outside the tree), and a file whose owner this process may
    not give to the new file is not written.
    """
    try:
        before = os.lstat(path)
    except OSError as exc:
        return f"cannot write: {exc.strerror or exc}"
    if stat.S_ISLNK(before.st_mode):
        return "a symbolic link; not written through (fix the file it leads to)"
    if not stat.S_ISREG(before.st_mode):
        return "not a regular file; not written"
    if before.st_nlink > 1:
        return f"has {before.st_nlink} hard links; not written (a replacement would split them)"

    def unchanged() -> None:
        _before_replace(path)
        now = os.lstat(path)
        if (now.st_dev, now.st_ino) != (before.st_dev, before.st_ino):
            raise _ChangedOnDisk
        if read_limited(path, len(original), follow_links=False) != original:
            raise _ChangedOnDisk

    try:
        with atomic_write(
            path, binary=True, before_replace=unchanged, owner=(before.st_uid, before.st_gid)
        ) as handle:
            handle.write(content)
    except _ChangedOnDisk:
        return "changed on disk since it was read; not overwritten"
    except OwnerNotKept:
        owner = f"{before.st_uid}:{before.st_gid}"
        return f"owned by {owner}, which the new file cannot be given; not written"
    except OSError as exc:
        return f"cannot write: {exc.strerror or exc}"
    return None


class _ChangedOnDisk(Exception):
    """The file is no longer what was read: someone saved it meanwhile."""


def unified_diff(path: str, before: str, after: str) -> str:
    """The change as a unified diff (``--- path`` / ``+++ path``, three lines of context).

    A last line without a newline is marked as ``diff`` marks it.
    """
    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=path,
        tofile=path,
    )
    out = []
    for line in lines:
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)
