"""Finding the files to lint, and reading them: the I/O edge of a run.

A directory means every Markdown file below it (:func:`is_markdown`, the one definition the
language server uses too), hidden folders included (real personas live under ``.claude/``),
skipping the folders the configuration excludes and virtual environments. Symbolic links
are followed only when their target stays inside the
folder being linted (for a path named on the command line: inside the current directory,
and this holds for every link on the way to it, not only its last component); a link that
leads outside is reported, its target never opened. Each folder is visited once and each
file linted once, however many links lead to it, so a link loop ends. A folder that cannot
be listed or searched, or an entry whose type cannot be told (a link loop), is reported,
never passed over in silence nor a traceback.

Only regular files are opened: a named pipe would block the run forever, and opening a
device can have effects of its own, so the type is checked before opening, and again on
the opened file in case it was swapped in between. Every file a pull request may control
(personas, configuration, baselines) is read by :func:`read_limited` or :func:`read_capped`,
never more than a limit; standard input by :func:`read_stream`.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO, NamedTuple

# What a Markdown file is, for the folder walk and the language server alike: a name ending
# in one of these, in any case (as pre-commit's ``types: [markdown]`` sees it).
MARKDOWN_SUFFIXES = (".md", ".markdown")

# Decides whether a folder met in a walk is passed over (the configuration's exclude);
# virtual environments (a folder holding pyvenv.cfg) are always passed over.
Prune = Callable[[Path], bool]


def _keep_all(path: Path) -> bool:
    return False


def is_markdown(name: str) -> bool:
    """Whether a file name (or URI) is a Markdown file's: see :data:`MARKDOWN_SUFFIXES`."""
    return name.lower().endswith(MARKDOWN_SUFFIXES)


_OUTSIDE_FILE = "symbolic link to a file outside the linted folder; not followed"
_OUTSIDE_FOLDER = "symbolic link to a folder outside the linted folder; not followed"
_OUTSIDE_CWD = "symbolic link to a file outside the current directory; not followed"
_OUTSIDE_CWD_FOLDER = "symbolic link to a folder outside the current directory; not followed"
_THROUGH_LINK = (
    "reached through a symbolic link to a folder outside the current directory; not followed"
)


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
        refused = escape(path)
        if refused is not None:
            if _location(path) not in seen:
                seen.add(_location(path))
                yield Candidate(path, explicit=True, refused=refused)
            continue
        if os.path.isdir(path):  # never raises (Path.is_dir does on EACCES)
            yield from _walk(path, _real(path), seen, prune)
            continue
        real = _real(path)
        if real in seen or _location(path) in seen:
            continue
        seen.add(real)
        yield Candidate(path, explicit=True)


def escape(path: Path, *, strict_last: bool = True) -> str | None:
    """Why a path the user named must not be opened, or None: a symbolic link in a folder
    inside the current directory, on the way to it or at its end, leads out of the current
    directory. A pull request controls the tree, so a folder of it can be a link to ``/``.

    Links in folders outside the current directory are the user's choice (a path named
    outside the tree on purpose, or a system's ``/home -> /var/home``), except, with
    ``strict_last``, the last component: a named file that is a link must lead inside.
    """
    cwd = _cwd()
    text = os.fspath(path)
    parts = Path(text).parts
    absolute = os.path.isabs(text)
    steps = parts[1:] if absolute else parts
    current = parts[0] if absolute else os.curdir
    for index, part in enumerate(steps):
        parent, current = current, os.path.join(current, part)
        if not os.path.islink(current) or _inside(_real(current), cwd):
            continue
        last = index == len(steps) - 1
        if (last and strict_last) or _inside(_real(parent), cwd):
            if not last:
                return _THROUGH_LINK
            return _OUTSIDE_CWD_FOLDER if os.path.isdir(current) else _OUTSIDE_CWD
    return None


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
        if not is_markdown(name) and _is_dir(entry) is False:
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
        found = _is_dir(entry)
        if isinstance(found, OSError) and not is_markdown(entry.name):
            raise found  # a folder, maybe: never passed over in silence
    except OSError as exc:
        return Candidate(path, explicit=False, refused=_cannot_tell(exc))
    is_dir = found is True  # a Markdown file whose type cannot be told: reading says why
    if is_dir and prune(path):
        return None
    if not is_dir and not is_markdown(entry.name):
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
        try:
            os.stat(os.path.join(path, "pyvenv.cfg"))
        except (FileNotFoundError, NotADirectoryError):
            return real
        except OSError as exc:  # a folder that can be listed but not searched, say
            return Candidate(path, explicit=False, refused=_cannot_list(exc))
        return None  # a virtual environment
    return Candidate(path, explicit=False)


def _is_dir(entry: os.DirEntry[str]) -> bool | OSError:
    """Whether the entry is a folder (following a link), or why that cannot be told (a
    link loop, a folder on the way that cannot be searched)."""
    try:
        return entry.is_dir()
    except OSError as exc:
        return exc


def _list(folder: Path) -> Iterator[os.DirEntry[str]] | Candidate:
    try:
        # Searching too: a folder that can be listed but not searched would fail later, on
        # each of its entries.
        os.stat(os.path.join(folder, os.curdir))
        with os.scandir(folder) as entries:
            return iter(sorted(entries, key=lambda e: e.name))
    except OSError as exc:
        return Candidate(folder, explicit=False, refused=_cannot_list(exc))


def _cannot_list(exc: OSError) -> str:
    return f"cannot list folder: {exc.strerror or exc}"


def _cannot_tell(exc: OSError) -> str:
    return f"cannot tell whether this is a file or a folder: {exc.strerror or exc}"


def _real(path: str | Path) -> str:
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


def read_limited(path: Path, limit: int, *, follow_links: bool = True) -> bytes:
    """Read a regular file, reading at most ``limit + 1`` bytes (enough to know it is too
    large). Raises OSError for anything that is not a readable regular file, without
    opening it; with ``follow_links`` False, for a symbolic link too."""
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
    """``data`` and what follows in ``handle``, up to ``limit + 1`` bytes in all, read in
    chunks (one read of the limit would allocate it all, whatever the input's size)."""
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
    """At most ``limit + 1`` bytes of a stream (standard input): enough to know it is too
    large, without holding what a pipe may still send."""
    return _read_rest(stream, b"", limit)


class TooLarge(OSError):
    """A file larger than the limit of its kind."""


def read_capped(path: Path, limit: int) -> bytes:
    """The whole of a regular file, which must not be larger than ``limit`` bytes
    (configuration files, baselines). Raises OSError (:class:`TooLarge` for the size),
    whose ``strerror`` or text says why in a few words."""
    data = read_limited(path, limit)
    if len(data) > limit:
        raise TooLarge(errno.EFBIG, f"larger than {limit:,} bytes")
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
