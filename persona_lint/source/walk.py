"""Finding the files to lint: the command line's paths and the folder walk.

A directory means every Markdown file below it (:func:`is_markdown`, the one definition the
language server uses too), hidden folders included (real personas live under ``.claude/``),
skipping the folders the configuration excludes and virtual environments. Symbolic links
are followed only when their target stays inside the folder being linted (for a path named
on the command line: inside the current directory, see :func:`~persona_lint.source.read.escape`);
a link that leads outside is reported, its target never opened. Each folder is visited once
and each file linted once, however many links lead to it, so a link loop ends. A folder
that cannot be listed or searched, or an entry whose type cannot be told (a link loop), is
reported, never passed over in silence nor a traceback.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from persona_lint.source.read import current_directory, escape, inside

# What a Markdown file is, for the folder walk and the language server alike: a name ending
# in one of these, in any case (as pre-commit's ``types: [markdown]`` sees it).
MARKDOWN_SUFFIXES = (".md", ".markdown")

# Decides whether a folder met in a walk is passed over (the configuration's exclude);
# virtual environments (a folder holding pyvenv.cfg) are always passed over.
Prune = Callable[[Path], bool]

_OUTSIDE_FILE = "symbolic link to a file outside the linted folder; not followed"
_OUTSIDE_FOLDER = "symbolic link to a folder outside the linted folder; not followed"


def _keep_all(path: Path) -> bool:
    """Prune no folder."""
    return False


def is_markdown(name: str) -> bool:
    """Return whether a file name (or URI) is a Markdown file's: see :data:`MARKDOWN_SUFFIXES`."""
    return name.lower().endswith(MARKDOWN_SUFFIXES)


class Candidate(NamedTuple):
    """A file to lint: its display path, and whether the user named it explicitly.

    ``place`` is its path inside the project, the one whose words may say what the file is
    (a BMAD agent under ``backups/`` is a copy): below the folder the user named for a
    walked file; for a named file, see :func:`project_place`. The folders above never
    count: a checkout in ``/work/bmad-templates/`` is linted as one anywhere else.
    """

    path: Path
    explicit: bool
    # Set when the file must not be read, with the reason.
    refused: str | None = None
    place: str = ""


def discover(paths: list[Path], prune: Prune = _keep_all) -> Iterator[Candidate]:
    """Yield the files to lint for the given command-line paths, in a stable order.

    ``prune`` says which folders met in a walk to pass over.
    """
    seen: set[str] = set()  # real paths of the files and folders already yielded or walked
    for path in paths:
        refused = escape(path)
        if refused is not None:
            if _location(path) not in seen:
                seen.add(_location(path))
                yield Candidate(path, explicit=True, refused=refused)
            continue
        if os.path.isdir(path):  # never raises (Path.is_dir does on EACCES)
            yield from _walk(path, os.path.realpath(path), seen, prune)
            continue
        real = os.path.realpath(path)
        if real in seen or _location(path) in seen:
            continue
        seen.add(real)
        yield Candidate(path, explicit=True, place=project_place(path))


# What marks the root folder of a project: the files a named file's place is measured from.
PROJECT_MARKERS = (".git", ".persona-lint.toml", "pyproject.toml")


def project_place(path: Path | str) -> str:
    """The path of a named file inside its project (see :class:`Candidate`).

    Below the nearest folder above it that holds :data:`PROJECT_MARKERS` (a repository, a
    configuration), else below the working directory, else its name alone: wherever the
    command runs from, and wherever the checkout lives, the same file has the same place.
    """
    absolute = os.path.abspath(path)
    root = _project_root(os.path.dirname(absolute))
    if root is None and inside(absolute, current_directory()):
        root = current_directory()
    if root is None:
        return os.path.basename(absolute)
    return Path(os.path.relpath(absolute, root)).as_posix()


@lru_cache(maxsize=1024)
def _project_root(folder: str) -> str | None:
    """The nearest folder at or above ``folder`` that holds a project marker, if any."""
    if any(os.path.lexists(os.path.join(folder, name)) for name in PROJECT_MARKERS):
        return folder
    parent = os.path.dirname(folder)
    return None if parent == folder else _project_root(parent)


def _walk(top: Path, root: str, seen: set[str], prune: Prune) -> Iterator[Candidate]:
    """Walk depth first, entries sorted by name; iterative, so no folder depth is too deep."""
    if root in seen:
        return
    seen.add(root)
    # One frame per open folder: its entries still to look at, its path, its real path and
    # its place (below ``top``, "" for ``top`` itself).
    stack: list[tuple[Iterator[os.DirEntry[str]], Path, str, str]] = []
    listing = _list(top)
    if isinstance(listing, Candidate):
        yield listing
        return
    stack.append((listing, top, root, ""))
    while stack:
        entries, folder, folder_real, folder_place = stack[-1]
        entry = next(entries, None)
        if entry is None:
            stack.pop()
            continue
        path = folder / entry.name
        place = f"{folder_place}/{entry.name}" if folder_place else entry.name
        found = _entry(entry, path, os.path.join(folder_real, entry.name), root, seen, prune)
        if isinstance(found, Candidate):
            yield found._replace(place=place)
        elif found is not None:
            listing = _list(path)
            if isinstance(listing, Candidate):
                yield listing
            else:
                stack.append((listing, path, found, place))


def _entry(
    entry: os.DirEntry[str], path: Path, real: str, root: str, seen: set[str], prune: Prune
) -> Candidate | str | None:
    """Return what one folder entry means.

    A file to lint (or to refuse), the real path of a folder to enter, or None to pass
    over it.
    """
    try:
        is_link = entry.is_symlink()
        found = _is_dir(entry)
        if isinstance(found, OSError) and not is_markdown(entry.name):
            raise found  # a folder, maybe: never passed over in silence
    except OSError as exc:
        return Candidate(path, explicit=False, refused=_cannot_tell(exc))
    is_dir = found is True  # a Markdown file whose type cannot be told: reading says why
    if (is_dir and prune(path)) or (not is_dir and not is_markdown(entry.name)):
        return None
    if is_link:
        real = os.path.realpath(path)
        if not inside(real, root):
            seen.add(_location(path))
            reason = _OUTSIDE_FOLDER if is_dir else _OUTSIDE_FILE
            return Candidate(path, explicit=False, refused=reason)
    if real in seen:
        return None  # reached again through a link: linted or walked once already
    seen.add(real)
    return _folder(path, real) if is_dir else Candidate(path, explicit=False)


def _folder(path: Path, real: str) -> Candidate | str | None:
    """Return the real path of a folder to enter; None for a virtual environment."""
    try:
        os.stat(os.path.join(path, "pyvenv.cfg"))
    except (FileNotFoundError, NotADirectoryError):
        return real
    except OSError as exc:  # a folder that can be listed but not searched, say
        return Candidate(path, explicit=False, refused=_cannot_list(exc))
    return None


def _is_dir(entry: os.DirEntry[str]) -> bool | OSError:
    """Return whether the entry is a folder (following a link), or why that cannot be told.

    It cannot for a link loop, or a folder on the way that cannot be searched.
    """
    try:
        return entry.is_dir()
    except OSError as exc:
        return exc


def _list(folder: Path) -> Iterator[os.DirEntry[str]] | Candidate:
    """Return the entries of a folder sorted by name, or why it cannot be listed."""
    try:
        # Searching too: a folder that can be listed but not searched would fail later, on
        # each of its entries.
        os.stat(os.path.join(folder, os.curdir))
        with os.scandir(folder) as entries:
            return iter(sorted(entries, key=lambda e: e.name))
    except OSError as exc:
        return Candidate(folder, explicit=False, refused=_cannot_list(exc))


def _cannot_list(exc: OSError) -> str:
    """Return the refusal of a folder that cannot be listed."""
    return f"cannot list folder: {exc.strerror or exc}"


def _cannot_tell(exc: OSError) -> str:
    """Return the refusal of an entry whose kind cannot be told."""
    return f"cannot tell whether this is a file or a folder: {exc.strerror or exc}"


def _location(path: Path) -> str:
    """Return where a link itself lives (its folder resolved, not the link)."""
    return os.path.join(os.path.realpath(path.parent), path.name)
