"""Finding the files to lint, and reading them: the I/O edge of a run.

A directory means every ``*.md`` below it, skipping hidden folders, virtual environments
and vendor folders. Symbolic links are followed only when their target stays inside the
folder being linted (for a file named on the command line: inside the current directory);
a link that leads outside is reported, its target never opened. Each folder is visited once
and each file linted once, however many links lead to it, so a link loop ends.

Only regular files are opened: a named pipe would block the run forever, and opening a
device can have effects of its own, so the type is checked before opening, and again on
the opened file in case it was swapped in between.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple

# Decides whether a folder met in a walk is passed over (the configuration's exclude);
# hidden folders and virtual environments are always passed over.
Prune = Callable[[Path], bool]


def _keep_all(path: Path) -> bool:
    return False


_OUTSIDE_FILE = "symbolic link to a file outside the linted folder; not followed"
_OUTSIDE_FOLDER = "symbolic link to a folder outside the linted folder; not followed"
_OUTSIDE_CWD = "symbolic link to a file outside the current directory; not followed"


class Candidate(NamedTuple):
    """A file to lint: its display path, and whether the user named it explicitly."""

    path: Path
    explicit: bool
    # Set when the file must not be read, with the reason.
    refused: str | None = None


def discover(paths: list[Path], prune: Prune = _keep_all) -> Iterator[Candidate]:
    """Yield the files to lint for the given command-line paths, in a stable order;
    ``prune`` says which folders met in a walk to pass over."""
    seen: set[str] = set()  # real paths of the files and folders already yielded or walked
    for path in paths:
        if path.is_dir():
            yield from _walk(path, _real(path), seen, prune)
            continue
        real = _real(path)
        if real in seen or _location(path) in seen:
            continue
        seen.add(real)
        refused = None
        if path.is_symlink() and not _inside(real, _cwd()):
            seen.add(_location(path))
            refused = _OUTSIDE_CWD
        yield Candidate(path, explicit=True, refused=refused)


def _walk(top: Path, root: str, seen: set[str], prune: Prune) -> Iterator[Candidate]:
    """Depth first, entries sorted by name; iterative, so no folder depth is too deep."""
    if root in seen:
        return
    seen.add(root)
    # One frame per open folder: its entries still to look at, its path and its real path.
    stack: list[tuple[Iterator[os.DirEntry[str]], Path, str]] = []
    listing = _list(top)
    if isinstance(listing, Candidate):
        yield listing
        return
    stack.append((listing, top, root))
    while stack:
        entries, folder, folder_real = stack[-1]
        entry = next(entries, None)
        if entry is None:
            stack.pop()
            continue
        name = entry.name
        if not name.endswith(".md") and (name.startswith(".") or not _is_dir(entry)):
            continue  # neither a Markdown file nor a folder to enter (no Path built for it)
        path = folder / name
        found = _entry(entry, path, os.path.join(folder_real, name), root, seen, prune)
        if isinstance(found, Candidate):
            yield found
        elif found is not None:
            listing = _list(path)
            if isinstance(listing, Candidate):
                yield listing
            else:
                stack.append((listing, path, found))


def _entry(
    entry: os.DirEntry[str], path: Path, real: str, root: str, seen: set[str], prune: Prune
) -> Candidate | str | None:
    """What one folder entry means: a file to lint (or to refuse), the real path of a
    folder to enter, or None to pass over it."""
    try:
        is_link = entry.is_symlink()
    except OSError:
        return None
    is_dir = _is_dir(entry)
    if is_dir and (entry.name.startswith(".") or prune(path)):
        return None
    if not is_dir and not entry.name.endswith(".md"):
        return None
    if is_link:
        real = _real(path)
        if not _inside(real, root):
            seen.add(_location(path))
            reason = _OUTSIDE_FOLDER if is_dir else _OUTSIDE_FILE
            return Candidate(path, explicit=False, refused=reason)
    if real in seen:
        return None  # reached again through a link: linted or walked once already
    seen.add(real)
    if is_dir:
        return None if (path / "pyvenv.cfg").exists() else real
    return Candidate(path, explicit=False)


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()  # follows a link
    except OSError:  # a link loop, say: reading it will say why
        return False


def _list(folder: Path) -> Iterator[os.DirEntry[str]] | Candidate:
    try:
        with os.scandir(folder) as entries:
            return iter(sorted(entries, key=lambda e: e.name))
    except OSError as exc:
        return Candidate(folder, explicit=False, refused=f"cannot list folder: {exc.strerror}")


def _real(path: Path) -> str:
    """The absolute path with every symbolic link resolved; never raises on a link loop."""
    return os.path.realpath(path)


def _location(path: Path) -> str:
    """Where a link itself lives (its folder resolved, not the link)."""
    return os.path.join(os.path.realpath(path.parent), path.name)


def _cwd() -> str:
    try:
        return os.path.realpath(os.getcwd())
    except OSError:  # the current directory was removed: nothing is inside it
        return "\0"


def _inside(real: str, root: str) -> bool:
    return real == root or real.startswith(root.rstrip(os.sep) + os.sep)


_CHUNK = 1 << 16


def read_limited(path: Path, limit: int) -> bytes:
    """Read a regular file, reading at most ``limit + 1`` bytes (enough to know it is too
    large). Raises OSError for anything that is not a readable regular file, without
    opening it."""
    before = os.stat(path)
    if not stat.S_ISREG(before.st_mode):
        raise OSError(f"not a regular file ({_kind(before.st_mode)})")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
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
        while len(data) <= limit:  # it has grown since (or reported no size)
            more = handle.read(min(_CHUNK, limit + 1 - len(data)))
            if not more:
                break
            data += more
        return data


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a file"
