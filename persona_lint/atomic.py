"""Atomic file writes, shared by every writer (reports, baselines, fixes, the cache).

The content goes to a temporary file in the destination's folder, is flushed to disk, gets
the destination's permissions (or, for a new file, what ``open`` would give it: mkstemp
makes files readable by their owner only), then replaces the destination in one
``os.replace``. On any failure the temporary file is removed and the destination is left as
it was.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any


def file_mode(destination: Path) -> int:
    """An existing file's permissions, or the default for a new file under the umask."""
    try:
        return destination.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


@contextlib.contextmanager
def atomic_write(
    destination: Path,
    *,
    binary: bool = False,
    before_replace: Callable[[], None] | None = None,
) -> Iterator[IO[Any]]:
    """Yield a handle whose content replaces ``destination`` when the block ends cleanly.

    ``before_replace`` runs after the content is on disk and before the replacement; an
    exception from it (or from the block) leaves ``destination`` untouched.
    """
    import tempfile

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
            os.fsync(handle.fileno())
        os.chmod(temporary, file_mode(destination))
        if before_replace is not None:
            before_replace()
        os.replace(temporary, destination)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
