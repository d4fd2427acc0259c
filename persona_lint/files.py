"""Finding the files to lint, and reading them: the I/O edge of a run.

A directory means every ``*.md`` below it, skipping hidden folders, virtual environments
and vendor folders. Symbolic links are followed only when their target stays inside the
folder being linted; a link that leads outside is reported, its target never opened.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SKIPPED_FOLDERS = frozenset(
    {
        "node_modules",
        "venv",
        "env",
        "site-packages",
        "__pycache__",
        "vendor",
        "third_party",
        "build",
        "dist",
    }
)


@dataclass(frozen=True)
class Candidate:
    """A file to lint: its display path, and whether the user named it explicitly."""

    path: Path
    explicit: bool
    # Set when the file must not be read, with the reason.
    refused: str | None = None


def discover(paths: list[Path]) -> Iterator[Candidate]:
    """Yield the files to lint for the given command-line paths, in a stable order."""
    seen: set[Path] = set()
    for path in paths:
        if path.is_dir():
            root = path.resolve()
            for candidate in _walk(path, root):
                key = candidate.path.absolute()
                if key not in seen:
                    seen.add(key)
                    yield candidate
        else:
            key = path.absolute()
            if key not in seen:
                seen.add(key)
                yield Candidate(path, explicit=True)


def _walk(folder: Path, root: Path) -> Iterator[Candidate]:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        yield Candidate(folder, explicit=False, refused=f"cannot list folder: {exc.strerror}")
        return
    for entry in entries:
        path = folder / entry.name
        if entry.is_symlink():
            target = path.resolve()
            if not target.is_relative_to(root):
                if entry.name.endswith(".md"):
                    yield Candidate(
                        path,
                        explicit=False,
                        refused="symbolic link to a file outside the linted folder; not followed",
                    )
                continue
        try:
            is_dir = entry.is_dir()
        except OSError:
            continue
        if is_dir:
            if entry.name.startswith(".") or entry.name in SKIPPED_FOLDERS:
                continue
            if (path / "pyvenv.cfg").exists():
                continue
            yield from _walk(path, root)
        elif entry.name.endswith(".md"):
            yield Candidate(path, explicit=False)


def read_limited(path: Path, limit: int) -> bytes:
    """Read a regular file, reading at most ``limit + 1`` bytes (enough to know it is too
    large). Raises OSError for anything that is not a readable regular file."""
    with open(path, "rb") as handle:
        mode = os.fstat(handle.fileno()).st_mode
        if not stat.S_ISREG(mode):
            raise IsADirectoryError(21, "not a regular file")
        return handle.read(limit + 1)
