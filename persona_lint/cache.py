"""The result cache: unchanged files are not linted again.

An entry is keyed on everything that can change a file's diagnostics: its bytes, its path
(diagnostics name it, and PL407 reads it), whether it was named or found by a walk, the
settings in force for it, the persona-lint version, the schemas, and the package's own
files (their sizes and modification times, so a development checkout never serves results of
older code). Entries hold the diagnostics before inline suppressions and cross-file rules,
which every run applies afresh.

The cache is one JSON file (never pickle: a cache folder is a file an attacker may plant),
``.persona_lint_cache/v1/results.json`` by default, loaded once and written once,
atomically, at the end of a run that changed it. ``--no-cache`` turns it off,
``--cache-dir`` moves it, ``persona-lint clean`` deletes it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from persona_lint import __version__
from persona_lint.diagnostics import Diagnostic, Severity
from persona_lint.result import FileResult, PersonaFacts
from persona_lint.settings import Settings
from persona_lint.source import SourceProblem, decode

DEFAULT_DIR = Path(".persona_lint_cache")
FORMAT = "v1"
# Entries kept beyond those used by the current run (older ones are dropped).
MAX_ENTRIES = 50_000


@cache
def code_fingerprint() -> str:
    """Version, schemas and package files: a change to any of them invalidates the cache."""
    import hashlib  # here and below: a run with --no-cache imports neither

    from persona_lint.schema import schema_dir

    digest = hashlib.sha256(__version__.encode())
    for xsd in sorted(schema_dir().glob("*.xsd")):
        digest.update(xsd.read_bytes())
    package = Path(__file__).resolve().parent
    for source in sorted(package.rglob("*.py")):
        stat = source.stat()
        digest.update(f"{source.relative_to(package)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()


@cache
def settings_fingerprint(settings: Settings) -> str:
    """A stable text for the settings (frozensets sorted, dates as ISO text)."""
    data = settings._asdict()
    data["select"] = None if settings.select is None else sorted(settings.select)
    data["today"] = settings.today.isoformat() if settings.today else None
    data["severity"] = [(code, str(level)) for code, level in settings.severity]
    import json

    return json.dumps(data, sort_keys=True, default=str)


class ResultCache:
    """Lookup and storage of lint results by key, for one run."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.file = folder / FORMAT / "results.json"
        self._entries: dict[str, Any] = {}
        self._used: set[str] = set()
        self._dirty = False
        # A cache folder committed as a symbolic link could make persona-lint read or write
        # files anywhere the CI user may: such a cache is not used at all.
        self.usable = not _links_anywhere(folder)
        if not self.usable:
            return
        import json

        try:
            loaded = json.loads(self.file.read_text(encoding="utf-8"))
            if isinstance(loaded, dict) and loaded.get("code") == code_fingerprint():
                entries = loaded.get("entries")
                self._entries = entries if isinstance(entries, dict) else {}
        except (OSError, ValueError):
            self._entries = {}

    @staticmethod
    def key(path: str, data: bytes, settings: Settings, explicit: bool) -> str:
        """The entry's key; "" for a file larger than max-file-size (never cached: it is
        reported unread, and hashing it would read it all)."""
        if len(data) > settings.max_file_size:
            return ""
        import hashlib

        digest = hashlib.sha256(data)
        digest.update(
            f"\0{path}\0{explicit}\0{settings_fingerprint(settings)}".encode(
                "utf-8", "surrogatepass"
            )
        )
        return digest.hexdigest()

    def get(self, key: str, path: str, settings: Settings, data: bytes) -> FileResult | None:
        """The cached result for ``key``; ``data`` (the file's bytes) gives its lines, and
        is decoded only on a hit."""
        entry = self._entries.get(key)
        if entry is None:
            return None
        self._used.add(key)
        lines: tuple[str, ...] = ()
        if entry.get("lines", True):  # the lint kept them (see FileResult.lines)
            text = decode(data)
            lines = () if isinstance(text, SourceProblem) else tuple(text.split("\n"))
        try:
            return _load(entry, path, settings, lines)
        except (KeyError, TypeError, ValueError):
            return None

    def put(self, key: str, result: FileResult) -> None:
        self._entries[key] = _dump(result)
        self._used.add(key)
        self._dirty = True

    def save(self) -> None:
        """Write the cache if the run changed it (atomically; errors are not fatal)."""
        if not self._dirty or not self.usable:
            return
        keep = {k: v for k, v in self._entries.items() if k in self._used}
        for k, v in self._entries.items():
            if len(keep) >= MAX_ENTRIES:
                break
            keep.setdefault(k, v)
        import json

        from persona_lint.atomic import atomic_write

        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            _mark_folder(self.folder)
            with atomic_write(self.file) as out:
                json.dump({"code": code_fingerprint(), "entries": keep}, out)
        except OSError:
            pass  # a read-only tree still lints; it just is not cached


def _links_anywhere(folder: Path) -> bool:
    """Whether the cache folder, or its format folder or file, is a symbolic link."""
    return any(
        path.is_symlink() for path in (folder, folder / FORMAT, folder / FORMAT / "results.json")
    )


def _mark_folder(folder: Path) -> None:
    for name, text in (
        (
            "CACHEDIR.TAG",
            "Signature: 8a477f597d28d172789f06886806bc55\n"
            "# This file is a cache directory tag created by persona-lint.\n",
        ),
        (".gitignore", "# Created by persona-lint\n*\n"),
    ):
        try:
            with open(folder / name, "x", encoding="utf-8") as handle:  # never overwrite
                handle.write(text)
        except FileExistsError:
            pass


def clean(folder: Path) -> bool:
    """Delete the cache folder; whether there was one. Raises OSError when it cannot be
    deleted, or is a symbolic link (or lies in one): what it leads to is not ours to
    delete, and the link itself may be a file of the checkout."""
    import errno
    import os
    import shutil

    from persona_lint.files import escape

    if any(os.path.islink(path) for path in (folder, folder / FORMAT)):
        raise OSError(errno.ELOOP, "a symbolic link; not followed")
    refused = escape(folder)
    if refused is not None:
        raise OSError(errno.ELOOP, refused)
    if not os.path.lexists(folder / "CACHEDIR.TAG") and not os.path.lexists(folder / FORMAT):
        return False
    shutil.rmtree(folder)  # which never follows a link inside the folder
    return True


def _dump(result: FileResult) -> dict[str, Any]:
    return {
        "skipped": result.skipped,
        "lines": bool(result.lines),
        "suppressed": result.suppressed,
        "facts": None
        if result.facts is None
        else [result.facts.slug, result.facts.line, result.facts.column],
        "diagnostics": [
            [
                d.line,
                d.column,
                d.code,
                d.message,
                d.severity.value,
                d.end_line,
                d.end_column,
                None if d.data is None else [list(pair) for pair in d.data],
            ]
            for d in result.diagnostics
        ],
    }


def _load(
    entry: dict[str, Any], path: str, settings: Settings, lines: tuple[str, ...]
) -> FileResult:
    diagnostics = []
    for line, column, code, message, severity, end_line, end_column, data in entry["diagnostics"]:
        diagnostics.append(
            Diagnostic(
                path,
                line,
                column,
                code,
                message,
                Severity(severity),
                end_line,
                end_column,
                None if data is None else tuple((k, v) for k, v in data),
            )
        )
    facts = entry["facts"]
    return FileResult(
        path,
        tuple(diagnostics),
        skipped=bool(entry["skipped"]),
        settings=settings,
        suppressed=bool(entry["suppressed"]),
        lines=lines,
        facts=None if facts is None else PersonaFacts(path, facts[0], facts[1], facts[2]),
    )
