"""Reading the files a pull request may control, never more than a limit.

Only regular files are opened: a named pipe would block the run forever, and opening a
device can have effects of its own, so the type is checked before opening, and again on
the opened file in case it was swapped in between. Personas, configuration, baselines and
the cache are read by :func:`read_limited` or :func:`read_capped`; standard input by
:func:`read_stream`.

A path the user named is opened only if no symbolic link on its way leads out of the
current directory (:func:`escape`): a pull request controls the tree, so a folder of it
can be a link to ``/``.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import BinaryIO

_OUTSIDE_CWD = "symbolic link to a file outside the current directory; not followed"
_OUTSIDE_CWD_FOLDER = "symbolic link to a folder outside the current directory; not followed"
_THROUGH_LINK = (
    "reached through a symbolic link to a folder outside the current directory; not followed"
)
_CHUNK = 1 << 16


def escape(path: Path, *, strict_last: bool = True) -> str | None:
    """Return why a path the user named must not be opened, or None.

    It must not when a symbolic link in a folder inside the current directory, on the way
    to it or at its end, leads out of the current directory. Links in folders outside the
    current directory are the user's choice (a path named outside the tree on purpose, or a
    system's ``/home -> /var/home``), except, with ``strict_last``, the last component: a
    named file that is a link must lead inside.
    """
    cwd = current_directory()
    text = os.fspath(path)
    parts = Path(text).parts
    absolute = os.path.isabs(text)
    steps = parts[1:] if absolute else parts
    current = parts[0] if absolute else os.curdir
    for index, part in enumerate(steps):
        parent, current = current, os.path.join(current, part)
        if not os.path.islink(current) or inside(os.path.realpath(current), cwd):
            continue
        last = index == len(steps) - 1
        if (last and strict_last) or inside(os.path.realpath(parent), cwd):
            if not last:
                return _THROUGH_LINK
            return _OUTSIDE_CWD_FOLDER if os.path.isdir(current) else _OUTSIDE_CWD
    return None


def current_directory() -> str:
    """Return the real path of the current directory (a NUL, inside nothing, if removed)."""
    try:
        return os.path.realpath(os.getcwd())
    except OSError:
        return "\0"


def inside(real: str, root: str) -> bool:
    """Return whether the real path ``real`` is ``root`` or lies below it."""
    return real == root or real.startswith(root.rstrip(os.sep) + os.sep)


def read_limited(path: Path, limit: int, *, follow_links: bool = True) -> bytes:
    """Read a regular file, reading at most ``limit + 1`` bytes (enough to know it is too large).

    Raises OSError for anything that is not a readable regular file, without opening it;
    with ``follow_links`` False, for a symbolic link too.
    """
    before = os.stat(path) if follow_links else os.lstat(path)
    if not stat.S_ISREG(before.st_mode):
        raise OSError(f"not a regular file ({_kind(before.st_mode)})")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    if not follow_links:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    descriptor = os.open(path, flags | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
    with open(descriptor, "rb", buffering=0, closefd=True) as handle:
        after = os.fstat(handle.fileno())
        if not stat.S_ISREG(after.st_mode) or (after.st_dev, after.st_ino) != (
            before.st_dev,
            before.st_ino,
        ):
            raise OSError("the file was replaced while being read")
        # Ask for the size the file has (plus one byte, to see it grew), not for the limit:
        # a read of ``limit + 1`` bytes allocates that much for every small file.
        wanted = min(after.st_size, limit) + 1
        data = handle.read(wanted)
        if len(data) < wanted:
            return data  # a short read of a regular file: its end
        # It has grown since (or reported no size, like the files of /proc).
        return _read_rest(handle, data, limit)


def _read_rest(handle: BinaryIO, data: bytes, limit: int) -> bytes:
    """Return ``data`` and what follows in ``handle``, up to ``limit + 1`` bytes in all.

    Read in chunks: one read of the limit would allocate it all, whatever the input's size.
    """
    parts = [data]
    size = len(data)
    while size <= limit:
        more = handle.read(min(_CHUNK, limit + 1 - size))
        if not more:
            break
        parts.append(more)
        size += len(more)
    return b"".join(parts)


def read_stream(stream: BinaryIO, limit: int) -> bytes:
    """Return at most ``limit + 1`` bytes of a stream (standard input).

    Enough to know it is too large, without holding what a pipe may still send.
    """
    return _read_rest(stream, b"", limit)


class TooLarge(OSError):
    """A file larger than the limit of its kind."""


def read_capped(path: Path, limit: int) -> bytes:
    """Return the whole of a regular file, which must not be larger than ``limit`` bytes.

    For configuration files and baselines. Raises OSError (:class:`TooLarge` for the size),
    whose ``strerror`` or text says why in a few words.
    """
    data = read_limited(path, limit)
    if len(data) > limit:
        raise TooLarge(errno.EFBIG, f"larger than {limit:,} bytes")
    return data


def _kind(mode: int) -> str:
    """Return what a file that is not a regular one is, in words."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a file"
