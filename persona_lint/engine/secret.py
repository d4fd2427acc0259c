"""The secret that signs the result cache: a random key in the user cache folder.

A pull request can commit a cache folder, so a cache file is trusted only when it proves it
was written by this user: it is signed with a key that lives outside the linted tree,
``$XDG_CACHE_HOME/persona-lint/key`` or ``~/.cache/persona-lint/key``, made on first use,
readable by the user alone.
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
from pathlib import Path
from typing import Any

SECRET_BYTES = 32


def user_secret() -> bytes | None:
    """Return this user's cache secret, made on first use; None when there is none to trust.

    There is none without a user cache folder, with one inside the current directory (the
    tree a pull request controls), or a key that cannot be made or read, that is a link,
    not a regular file, not owned by this user, or readable or writable by others.
    """
    folder = user_cache_folder()
    if folder is None:
        return None
    try:
        cwd = os.path.realpath(os.getcwd())
        if os.path.commonpath([os.path.realpath(folder), cwd]) == cwd:
            return None
        _make_private_folder(folder)
        try:
            return _read_secret(folder / "key")
        except FileNotFoundError:
            return _make_secret(folder / "key")
    except OSError:
        return None


def user_cache_folder() -> Path | None:
    """Return ``$XDG_CACHE_HOME/persona-lint``, else ``~/.cache/persona-lint``.

    A relative ``XDG_CACHE_HOME`` is ignored, as the XDG specification says; None without
    a home.
    """
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        home = os.path.expanduser("~")
        if not os.path.isabs(home):
            return None
        base = os.path.join(home, ".cache")
    return Path(base) / "persona-lint"


def _make_private_folder(folder: Path) -> None:
    """Make ``folder`` (mode 0700) unless it exists.

    Raises OSError unless it is then a folder, not a link, owned by this user and writable
    by no one else.
    """
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)  # (its parents: the default mode)
    info = os.lstat(folder)
    if not stat.S_ISDIR(info.st_mode) or not _private(info, 0o022):
        raise OSError(errno.EPERM, "not a private folder")


def _read_secret(path: Path) -> bytes:
    """Return the key at ``path``.

    Raises FileNotFoundError when there is none, another OSError when it is not a private
    regular file of SECRET_BYTES bytes (never opened through a link).
    """
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    descriptor = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    with open(descriptor, "rb", buffering=0) as handle:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode) or not _private(info, 0o077):
            raise OSError(errno.EPERM, "not a private file")
        secret = handle.read(SECRET_BYTES + 1)
    if len(secret) != SECRET_BYTES:
        raise OSError(errno.EINVAL, "not a key")
    return secret


def _make_secret(path: Path) -> bytes:
    """Write a new random key at ``path`` and return it (mode 0600; never over a file or link)."""
    secret = secrets.token_bytes(SECRET_BYTES)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    descriptor = os.open(path, flags | getattr(os, "O_CLOEXEC", 0), 0o600)
    try:
        with open(descriptor, "wb") as handle:
            handle.write(secret)
    except BaseException:
        os.unlink(path)  # a short key would turn the cache off for good
        raise
    return secret


def _private(info: Any, others: int) -> bool:
    """Return whether a file's status shows this user as owner and no ``others`` permission bit."""
    getuid = getattr(os, "getuid", None)  # no owners to compare on Windows
    owner_ok = getuid is None or info.st_uid == getuid()
    return owner_ok and not info.st_mode & others
