"""File writes, shared by every writer (reports, baselines, fixes, exports, the cache).

:func:`atomic_write`: the content goes to a temporary file in the destination's folder, is
flushed to disk, gets the destination's permissions (or, for a new file, what ``open``
would give it: mkstemp makes files readable by their owner only), and optionally its owner,
then replaces the destination in one ``os.replace``. On any failure the temporary file is
removed and the destination is left as it was.

:func:`open_output`: where a report or an export goes, which the command line names but a
pull request may have planted something at. A regular file (or a new one) is written
atomically; a device or a named pipe is written directly, never replaced; a symbolic link
is neither replaced nor written through.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any, TextIO, cast

from persona_lint.source.read import escape


def file_mode(destination: Path) -> int:
    """An existing file's permissions, or the default for a new file under the umask."""
    try:
        return destination.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


class OwnerNotKept(PermissionError):
    """The new file cannot be given the destination's owner."""


@contextlib.contextmanager
def atomic_write(
    destination: Path,
    *,
    binary: bool = False,
    before_replace: Callable[[], None] | None = None,
    owner: tuple[int, int] | None = None,
) -> Iterator[IO[Any]]:
    """Yield a handle whose content replaces ``destination`` when the block ends cleanly.

    ``before_replace`` runs after the content is on disk and before the replacement; an
    exception from it (or from the block) leaves ``destination`` untouched. ``owner``
    (user and group ids) is given to the new file when it differs from ours; an OSError
    (:class:`OwnerNotKept`) when that is not allowed, and the destination is left as it was.
    """
    import tempfile  # with random and shutil: a run that writes no file needs none of them

    descriptor, temporary = tempfile.mkstemp(
        prefix=f".{destination.name}.", suffix=".tmp", dir=destination.parent
    )
    try:
        mode = "wb" if binary else "w"
        encoding = None if binary else "utf-8"
        newline = None if binary else "\n"
        with os.fdopen(descriptor, mode, encoding=encoding, newline=newline) as handle:
            yield handle
            handle.flush()
            if owner is not None:
                made = os.fstat(handle.fileno())
                if (made.st_uid, made.st_gid) != owner:
                    try:
                        os.fchown(handle.fileno(), *owner)
                    except PermissionError as exc:
                        raise OwnerNotKept(exc.errno, exc.strerror) from None
            os.fsync(handle.fileno())
        os.chmod(temporary, file_mode(destination))  # after fchown, which clears set-id bits
        if before_replace is not None:
            before_replace()
        os.replace(temporary, destination)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


LINK_REFUSED = "a symbolic link; neither replaced nor written through"


@contextlib.contextmanager
def open_output(destination: Path, streams: Sequence[TextIO] = ()) -> Iterator[TextIO]:
    """A text handle (UTF-8, LF line ends) whose content goes to ``destination``.

    - missing or a regular file: written atomically (:func:`atomic_write`);
    - a device or a named pipe: written directly (replacing ``/dev/null`` would, as root,
      turn it into a regular file for every program on the machine);
    - a symbolic link: refused, since a pull request can plant one where a report is
      expected, unless it leads to one of ``streams`` (``/dev/stdout`` and ``/dev/stderr``
      are links to the process's own descriptors), which is then written to;
    - in a folder reached through a link leading out of the current directory: refused.

    Raises OSError, whose ``strerror`` says why in a few words.
    """
    # The folder's way is checked here, the destination itself below (a link there may be
    # /dev/stdout, which leads out of the tree to this process's own output).
    refused = escape(destination.parent, strict_last=False)
    if refused is not None:
        raise OSError(errno.ELOOP, refused)
    try:
        before: os.stat_result | None = os.lstat(destination)
    except FileNotFoundError:
        before = None
    if before is None or stat.S_ISREG(before.st_mode):
        with atomic_write(destination) as handle:
            yield cast(TextIO, handle)  # a text handle: atomic_write's binary=False
        return
    if stat.S_ISLNK(before.st_mode):
        stream = _stream_at(destination, streams)
        if stream is None:
            raise OSError(errno.ELOOP, LINK_REFUSED)
        yield stream
        stream.flush()
        return
    if stat.S_ISDIR(before.st_mode):
        raise OSError(errno.EISDIR, "a folder")
    flags = os.O_WRONLY | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_NOFOLLOW", 0)
    descriptor = os.open(destination, flags | getattr(os, "O_CLOEXEC", 0))
    with open(descriptor, "w", encoding="utf-8", newline="\n", closefd=True) as handle:
        if stat.S_ISREG(os.fstat(descriptor).st_mode):  # swapped in since the check
            raise OSError(errno.EEXIST, "replaced while being written")
        yield handle


def _stream_at(destination: Path, streams: Sequence[TextIO]) -> TextIO | None:
    """The stream among ``streams`` that the link ``destination`` leads to, if any."""
    try:
        target = os.stat(destination)
    except OSError:
        return None
    for stream in streams:
        try:
            if os.path.samestat(target, os.fstat(stream.fileno())):
                return stream
        except (OSError, ValueError, AttributeError):  # io.UnsupportedOperation is both
            continue
    return None
