"""The result cache: unchanged files are not linted again.

An entry is keyed on everything that can change a file's diagnostics: its bytes, its path
(diagnostics name it, and PL407 reads it), whether it was named or found by a walk, the
settings in force for it (selection, severity overrides, strictness, the ``--changed-since``
version, ...), the effective date (the real one when ``today`` is not set: PL306 depends on
it), the persona-lint version, the schemas, the package's own files (their sizes and
modification times, so a development checkout never serves results of older code), the
parsers it depends on and the Python version. Entries hold the diagnostics before inline
suppressions and cross-file rules, which every run applies afresh.

The cache is one JSON file (never pickle: a cache folder is a file an attacker may plant),
``.persona_lint_cache/v1/results.json`` by default, loaded once and written once,
atomically, at the end of a run that changed it. ``--no-cache`` turns it off,
``--cache-dir`` moves it, ``persona-lint clean`` deletes it.

A pull request can commit a cache folder, so the file is trusted only when it proves it was
written by this user: its first line is the HMAC-SHA256 (hex) of the rest, keyed with a
random secret that lives in the user cache folder (``$XDG_CACHE_HOME/persona-lint/key`` or
``~/.cache/persona-lint/key``, made on first use, readable by the user alone), never in the
linted tree. The file is read only if it is a regular file (not a link) of at most
:data:`MAX_BYTES`; anything else (a bad signature, JSON that does not parse or is too deep,
values of the wrong types) is no cache, or a miss for that entry: the file is linted, and
the run's verdict is the same as without a cache. Without a usable secret the run simply
has no cache.
"""

from __future__ import annotations

import errno
import hashlib
import hmac
import importlib.util
import json
import os
import shutil
import sys
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from persona_lint import __version__
from persona_lint.config.settings import Settings
from persona_lint.diagnostics import Diagnostic, Severity
from persona_lint.engine.result import FileResult, PersonaFacts
from persona_lint.engine.secret import user_secret
from persona_lint.formats.names import FORMAT_NAMES
from persona_lint.source.decode import SourceProblem, decode
from persona_lint.source.read import escape, read_limited
from persona_lint.source.write import atomic_write
from persona_lint.xml.shape import schema_dir

T = TypeVar("T")

FORMAT = "v1"
# Entries kept beyond those used by the current run (older ones are dropped).
MAX_ENTRIES = 50_000
# The largest cache file read, in bytes (README, "Result cache"); a run whose entries would
# make a larger file keeps only its own, or writes none. 1,000 clean files take 0.2 MB.
MAX_BYTES = 16 * 1024 * 1024
_SIGNATURE_LINE = 65  # before the JSON: 64 hexadecimal digits and a line break
# Packages whose versions can change a diagnostic (validity, messages, structure).
PARSERS = ("lxml", "xmlschema", "elementpath", "markdown_it")


@cache
def code_fingerprint() -> str:
    """Return a digest of the version, schemas, package files, parsers and Python.

    A change to any of them invalidates the cache.
    """
    digest = hashlib.sha256(f"{__version__}\0{sys.version}".encode())
    for xsd in sorted(schema_dir().glob("*.xsd")):
        digest.update(xsd.read_bytes())
    for name in PARSERS:  # their __init__.py holds their version; found, not imported
        spec = importlib.util.find_spec(name)
        origin = spec.origin if spec is not None and spec.has_location else None
        digest.update(Path(origin).read_bytes() if origin else b"absent")
    package = Path(__file__).resolve().parents[1]  # all of persona_lint
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
    return json.dumps(data, sort_keys=True, default=str)


class ResultCache:
    """Lookup and storage of lint results by key, for one run."""

    def __init__(self, folder: Path) -> None:
        """Load the cache of ``folder``, if it can be trusted (see the module's docstring)."""
        self.folder = folder
        self.file = folder / FORMAT / "results.json"
        self._entries: dict[str, Any] = {}
        self._used: set[str] = set()
        self._dirty = False
        # A cache folder committed as a symbolic link could make persona-lint read or write
        # files anywhere the CI user may: such a cache is not used at all. Without a secret,
        # no file could be trusted, nor written for a later run to trust: no cache either.
        self._secret = None if _links_anywhere(folder) else user_secret()
        if self._secret is not None:
            self._entries = _read_entries(self.file, self._secret)

    @staticmethod
    def key(
        path: str, data: bytes, settings: Settings, explicit: bool, place: str | None = None
    ) -> str:
        """Return the entry's key; "" for a file larger than max-file-size.

        ``place`` (the path inside the project, see :class:`~persona_lint.engine.jobs.Job`)
        is part of it: one path walked from two folders may be judged differently.

        Such a file is never cached: it is reported unread, and hashing it would read it
        all. The effective date is part of the key, the real one when the settings pin none.
        """
        if len(data) > settings.max_file_size:
            return ""
        digest = hashlib.sha256(data)
        inputs = (path, str(explicit), str(place), settings.current_date().isoformat())
        digest.update(
            "\0".join(("", *inputs, settings_fingerprint(settings))).encode(
                "utf-8", "surrogatepass"
            )
        )
        return digest.hexdigest()

    def get(self, key: str, path: str, settings: Settings, data: bytes) -> FileResult | None:
        """Return the cached result for ``key``, or None.

        ``data`` (the file's bytes) gives its lines, and is decoded only on a hit. An entry
        that is not what :func:`_dump` writes is a miss.
        """
        entry = self._entries.get(key)
        if not isinstance(entry, dict):
            return None
        lines: tuple[str, ...] = ()
        if entry.get("lines", True):  # the lint kept them (see FileResult.lines)
            text = decode(data)
            lines = () if isinstance(text, SourceProblem) else tuple(text.split("\n"))
        try:
            result = _load(entry, path, settings, lines)
        except (KeyError, TypeError, ValueError):
            return None
        self._used.add(key)
        return result

    def put(self, key: str, result: FileResult) -> None:
        """Store ``result`` under ``key``, for :meth:`save`."""
        self._entries[key] = _dump(result)
        self._used.add(key)
        self._dirty = True

    def save(self) -> None:
        """Write the cache if the run changed it (signed, atomically; errors are not fatal)."""
        if not self._dirty or self._secret is None:
            return
        body = self._body()
        if body is None:
            return
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            _mark_folder(self.folder)
            with atomic_write(self.file, binary=True) as out:
                out.write(_signed(body, self._secret))
        except OSError:
            pass  # a read-only tree still lints; it just is not cached

    def _body(self) -> bytes | None:
        """Return the JSON to write, or None when even the run's own entries are too large.

        The entries this run used, then older ones up to MAX_ENTRIES; only the run's own if
        that is too large for MAX_BYTES.
        """
        used = {k: v for k, v in self._entries.items() if k in self._used}
        keep = dict(used)
        for k, v in self._entries.items():
            if len(keep) >= MAX_ENTRIES:
                break
            keep.setdefault(k, v)
        for entries in (keep, used):
            body = json.dumps({"code": code_fingerprint(), "entries": entries}).encode()
            if len(body) + _SIGNATURE_LINE <= MAX_BYTES:
                return body
        return None


def _signed(body: bytes, secret: bytes) -> bytes:
    """Return a cache file: the HMAC-SHA256 (hex) of ``body`` under ``secret``, then ``body``."""
    return hmac.new(secret, body, "sha256").hexdigest().encode() + b"\n" + body


def _verified(data: bytes, secret: bytes) -> bytes | None:
    """The body of a cache file signed with ``secret``; None for any other bytes."""
    signature, _, body = data.partition(b"\n")
    expected = hmac.new(secret, body, "sha256").hexdigest().encode()
    return body if hmac.compare_digest(signature, expected) else None


def _read_entries(file: Path, secret: bytes) -> dict[str, Any]:
    """Return the entries of a cache file that this user wrote for this code.

    {} for anything else: missing, a link or not a regular file, larger than MAX_BYTES,
    not signed with ``secret``, not JSON, nested too deep, of another shape.
    """
    try:
        data = read_limited(file, MAX_BYTES, follow_links=False)
    except OSError:
        return {}
    body = _verified(data, secret) if len(data) <= MAX_BYTES else None
    if body is None:
        return {}
    try:
        loaded = json.loads(body)
    except (ValueError, RecursionError):
        return {}
    if not isinstance(loaded, dict) or loaded.get("code") != code_fingerprint():
        return {}
    entries = loaded.get("entries")
    return entries if isinstance(entries, dict) else {}


def _links_anywhere(folder: Path) -> bool:
    """Whether the cache folder, or its format folder or file, is a symbolic link."""
    return any(
        os.path.islink(path)  # False, never an exception, when it cannot be looked at
        for path in (folder, folder / FORMAT, folder / FORMAT / "results.json")
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
    """Delete the cache folder; return whether there was one.

    Raises OSError when it cannot be deleted, or is a symbolic link (or lies in one): what
    it leads to is not ours to delete, and the link itself may be a file of the checkout.
    """
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
        "format": result.format,
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
    """Return the result an entry of :func:`_dump` holds.

    Raises KeyError, TypeError or ValueError when it is not such an entry.
    """
    facts = entry["facts"]
    if facts is not None:
        slug, line, column = facts
        _expect(str, slug)
        _expect(int, line, column)
    return FileResult(
        path,
        tuple(_diagnostic(path, row) for row in entry["diagnostics"]),
        skipped=_expect(bool, entry["skipped"]),
        settings=settings,
        suppressed=_expect(bool, entry["suppressed"]),
        lines=lines,
        facts=None if facts is None else PersonaFacts(path, *facts),
        format=_expect_format(entry.get("format"), settings),
    )


def _expect_format(value: Any, settings: Settings) -> str | None:
    """The entry's format name: None, a built-in or a team format's (else malformed)."""
    teams = (team.name for team in settings.team_formats)
    if value is not None and value not in FORMAT_NAMES and value not in teams:
        raise ValueError(f"unknown format {value!r}")
    return value if value is None else str(value)


def _diagnostic(path: str, row: Any) -> Diagnostic:
    line, column, code, message, severity, end_line, end_column, data = row
    _expect(int, line, column)
    _expect(str, code, message)
    for end in (end_line, end_column):
        if end is not None:
            _expect(int, end)
    pairs = None
    if data is not None:
        pairs = tuple((_expect(str, key), value) for key, value in data)
    return Diagnostic(
        path, line, column, code, message, Severity(severity), end_line, end_column, pairs
    )


def _expect(kind: type[T], *values: Any) -> T:
    """The first of ``values``; TypeError unless every one is a ``kind``."""
    for value in values:
        if not isinstance(value, kind):
            raise TypeError(f"{value!r} is not a {kind.__name__}")
    return values[0]  # type: ignore[no-any-return]
