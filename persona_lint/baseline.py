"""Baselines: adopt persona-lint on an old tree by recording what it reports today.

``--write-baseline FILE`` records every diagnostic of the run; ``--baseline FILE`` hides
the diagnostics recorded there, so only new ones are reported (and fail the run). A
diagnostic is recorded by its file's path, its code and a fingerprint of where it is that
survives lines inserted or removed elsewhere: a hash of the code, the offending line's text
(stripped) and the occurrence index of that (code, text) pair in the file. Editing the
offending line, or renaming the file, makes it a new diagnostic.

Entries of the baseline that the run no longer produces, for files the run linted, are
*stale*: the problem was fixed. They are listed after the report (one line each) so the
baseline can be rewritten; they do not change the exit code. An entry whose check did not
run, because an earlier error stopped it (an XML block that is not well-formed is not
validated further), is not stale: it is listed as *not checked*, naming that error.

The file is JSON, versioned and stable (sorted, no dates), so it diffs well in review::

    {
      "version": 1,
      "tool": "persona-lint",
      "entries": [
        {"path": "personas/qa-engineer.md", "code": "PL304", "fingerprint": "1f0c..."}
      ]
    }

Paths are relative to the folder of the baseline file, with ``/`` separators, so the
baseline works from any working directory.

A diagnostic saying that a file could not be checked (PL001-PL004, PL100: see
``NOT_CHECKED`` in :mod:`persona_lint.rules.registry`) is never recorded and never hidden:
a baseline, which a pull request can rewrite, must not turn an unchecked file into a pass.
An entry of such a code in a baseline is ignored (neither hidden nor stale).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from persona_lint.diagnostics import Diagnostic
from persona_lint.engine.result import FileResult
from persona_lint.errors import RunError
from persona_lint.rules.registry import NOT_CHECKED
from persona_lint.source.read import escape, read_capped
from persona_lint.source.write import open_output

FORMAT_VERSION = 1
# The largest baseline read: about 100,000 entries (an entry takes about 110 bytes).
MAX_SIZE = 16 * 1024 * 1024


class BaselineError(RunError):
    """The baseline file cannot be read or written (exit code 2)."""


@dataclass(frozen=True, order=True)
class Entry:
    """One recorded diagnostic: its file, its code and where it is (:func:`fingerprint`)."""

    path: str
    code: str
    fingerprint: str


def fingerprint(code: str, line_text: str, occurrence: int) -> str:
    """Return the fingerprint of the ``occurrence``-th (code, stripped line text) of a file."""
    material = "\0".join((code, line_text, str(occurrence)))
    return hashlib.sha256(material.encode("utf-8", "surrogatepass")).hexdigest()[:20]


def _about_the_file(diagnostic: Diagnostic) -> bool:
    """A finding at 1:1 without a range is about the whole file (its name, encoding...)."""
    at_start = diagnostic.line == 1 and diagnostic.column == 1
    return at_start and diagnostic.end_line is None and diagnostic.end_column is None


def _relative(path: str, root: Path) -> str:
    if path in ("-", ""):
        return path
    try:
        return Path(os.path.relpath(os.path.abspath(path), root)).as_posix()
    except ValueError:  # another drive (Windows)
        return Path(path).as_posix()


def entries_of(result: FileResult, root: Path) -> Iterator[tuple[Diagnostic, Entry]]:
    """Each diagnostic of a file with its baseline entry."""
    path = _relative(result.path, root)
    seen: Counter[tuple[str, str]] = Counter()
    for diagnostic in sorted(result.diagnostics):
        text = ""
        if not _about_the_file(diagnostic) and 1 <= diagnostic.line <= len(result.lines):
            text = result.lines[diagnostic.line - 1].strip()
        key = (diagnostic.code, text)
        yield diagnostic, Entry(path, diagnostic.code, fingerprint(*key, seen[key]))
        seen[key] += 1


def load(file: Path) -> list[Entry]:
    """Return the entries of a baseline file.

    The file must be a regular file of at most :data:`MAX_SIZE` bytes, not reached through
    a link out of the current directory (a pull request may plant one, to ``/dev/zero``
    say); BaselineError otherwise.
    """
    refused = escape(file)
    if refused is not None:
        raise BaselineError(f"{file}: {refused}")
    try:
        data = json.loads(read_capped(file, MAX_SIZE).decode("utf-8"))
    except FileNotFoundError:
        raise BaselineError(f"{file}: no such baseline file") from None
    except OSError as exc:
        raise BaselineError(f"{file}: cannot read the baseline: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise BaselineError(
            f"{file}: cannot read the baseline: not UTF-8 (byte {exc.start + 1})"
        ) from None
    except RecursionError:  # JSON nested thousands deep: no baseline looks like that
        raise BaselineError(f"{file}: cannot read the baseline: nested too deeply") from None
    except ValueError as exc:
        raise BaselineError(f"{file}: cannot read the baseline: {exc}") from None
    if not isinstance(data, dict) or data.get("version") != FORMAT_VERSION:
        raise BaselineError(
            f"{file}: not a persona-lint baseline of version {FORMAT_VERSION} "
            "(rewrite it with --write-baseline)"
        )
    entries = data.get("entries")
    if not isinstance(entries, list):
        raise BaselineError(f"{file}: 'entries' must be a list")
    out = []
    for item in entries:
        if not isinstance(item, dict) or not all(
            isinstance(item.get(key), str) for key in ("path", "code", "fingerprint")
        ):
            raise BaselineError(f"{file}: each entry needs path, code and fingerprint strings")
        out.append(Entry(item["path"], item["code"], item["fingerprint"]))
    return out


def dump(entries: Iterable[Entry]) -> str:
    """Return the text of a baseline file holding ``entries`` (sorted, stable)."""
    rows = [dataclasses.asdict(entry) for entry in sorted(entries)]
    document = {"version": FORMAT_VERSION, "tool": "persona-lint", "entries": rows}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def write(file: Path, results: Sequence[FileResult], previous: Sequence[Entry] = ()) -> int:
    """Record every diagnostic of ``results`` in ``file`` (atomically); return the entry count.

    The entries of ``previous`` for files this run did not lint are kept.
    """
    root = file.absolute().parent
    linted = {_relative(r.path, root) for r in results}
    entries = [e for e in previous if e.path not in linted]
    entries += [
        entry
        for result in results
        for _, entry in entries_of(result, root)
        if entry.code not in NOT_CHECKED
    ]
    try:
        with open_output(file) as handle:  # never through a link, never replacing one
            handle.write(dump(entries))
    except OSError as exc:
        raise BaselineError(f"{file}: cannot write the baseline: {exc.strerror or exc}") from None
    return len(entries)


@dataclass(frozen=True)
class Filtered:
    """The results with the baseline's diagnostics hidden, and what the baseline says."""

    results: list[FileResult]
    hidden: int  # diagnostics hidden by the baseline
    stale: list[Entry]  # entries for linted files that matched nothing
    # Entries that matched nothing because an error stopped their check this run, with that
    # error's code: not fixed, so not stale.
    unchecked: list[tuple[Entry, str]] = dataclasses.field(default_factory=list)


# Errors after which later checks of a file do not run: a file that could not be read
# stops every rule; an XML block that is not well-formed stops its schema validation and
# the rules that read its tree (PL210 and up; the version table, PL3xx, is still checked).
_STOPS_EVERYTHING = frozenset({"PL001", "PL002", "PL003", "PL004", "PL100", "PL104"})
_STOPS_THE_TREE = frozenset({"PL201", "PL202", "PL203"})


def _stopped_by(code: str, codes: set[str]) -> str | None:
    """The code in ``codes`` that keeps a diagnostic ``code`` from being checked, if any."""
    for stop in sorted(codes & _STOPS_EVERYTHING):
        if code != stop:
            return stop
    tree_rule = code >= "PL210" and not code.startswith("PL3")
    for stop in sorted(codes & _STOPS_THE_TREE):
        if tree_rule:
            return stop
    return None


def apply(file: Path, entries: Sequence[Entry], results: Sequence[FileResult]) -> Filtered:
    """Hide the diagnostics recorded in the baseline (each entry hides one)."""
    root = file.absolute().parent
    remaining = Counter(entry for entry in entries if entry.code not in NOT_CHECKED)
    hidden = 0
    filtered = []
    for result in results:
        kept = []
        for diagnostic, entry in entries_of(result, root):
            if remaining[entry] > 0:  # never a NOT_CHECKED code: those are not counted
                remaining[entry] -= 1
                hidden += 1
            else:
                kept.append(diagnostic)
        if len(kept) != len(result.diagnostics):
            result = result._replace(diagnostics=tuple(kept))
        filtered.append(result)
    codes = {_relative(r.path, root): {d.code for d in r.diagnostics} for r in results}
    stale, unchecked = [], []
    for entry in sorted(e for e, count in remaining.items() for _ in range(count)):
        if entry.path not in codes:
            continue
        stop = _stopped_by(entry.code, codes[entry.path])
        if stop is None:
            stale.append(entry)
        else:
            unchecked.append((entry, stop))
    return Filtered(filtered, hidden, stale, unchecked)
