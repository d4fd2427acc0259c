"""``--fix``, ``--diff`` and ``--add-noqa`` over the files of a run.

The fix engine (:mod:`persona_lint.fix.engine`) turns one file's text into its fixed text;
this module decides which files to edit, reads them again, writes each atomically (or,
with ``--diff``, renders the change) and records what it did, which the command line says
(:mod:`persona_lint.cli.report`). Nothing here prints.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from persona_lint.engine.jobs import read
from persona_lint.engine.postprocess import corpus_findings
from persona_lint.engine.result import FileResult
from persona_lint.errors import doing
from persona_lint.fix.engine import Rejected, fix_text
from persona_lint.fix.output import encode_like, unified_diff, write_if_unchanged
from persona_lint.rules.registry import fixable_codes
from persona_lint.source.decode import SourceProblem, source_text


class FileEdit(NamedTuple):
    """What editing one file gave, in the order it happened."""

    path: str
    rejected: tuple[Rejected, ...] = ()  # fixes not applied, and why
    unreadable: str | None = None  # why the file could no longer be read: not edited
    not_written: str | None = None  # why the edited file could not be written
    diff: str = ""  # with --diff: the change


@dataclass
class Edits:
    """What --fix, --diff or --add-noqa did (or would do)."""

    fixed: int = 0
    suppressed: int = 0
    files: int = 0
    failed: bool = False  # a file could not be written
    unchecked: int = 0  # files that could no longer be read or decoded to be fixed
    changes: list[FileEdit] = field(default_factory=list)  # in the order of the run


def edit_files(
    results: list[FileResult],
    *,
    fix: bool,
    add_noqa: bool,
    diff: bool,
    stdin: bytes | None = None,
) -> Edits:
    """Fix, or add suppressions to, every file with something to do.

    Each file is written atomically, or, with ``diff``, its change is rendered. ``stdin``:
    the bytes of standard input, when that is the one file.

    Only files the lint read and parsed are edited: a file it refused (a link out of the
    tree, a device, too large, not text) has no lines and no facts, and is passed over
    without being opened again. Files are read again by the same bounded reader; one that
    can no longer be read or decoded (changed since the lint) is ``unreadable`` and counted
    in ``unchecked``: the run lints again to report what it is now.
    """
    extras = corpus_findings(results)
    done = Edits()
    for result in results:
        if not _to_edit(result, add_noqa=add_noqa):
            continue
        read_again = _text_to_fix(result, stdin)
        if isinstance(read_again, str):
            done.changes.append(FileEdit(result.path, unreadable=read_again))
            done.unchecked += 1
            continue
        data, text = read_again
        with doing("fixing", result.path):
            outcome = fix_text(
                result.path,
                text,
                result.settings,
                extra=extras.get(result.path, ()),
                fix=fix,
                add_noqa=add_noqa,
            )
        edit = FileEdit(result.path, outcome.rejected)
        if outcome.text == text:
            if edit.rejected:
                done.changes.append(edit)
            continue
        if diff:
            edit = edit._replace(diff=unified_diff(result.path, text, outcome.text))
        else:
            reason = write_if_unchanged(Path(result.path), data, encode_like(outcome.text, data))
            if reason is not None:
                done.changes.append(edit._replace(not_written=reason))
                done.failed = True
                continue
        done.changes.append(edit)
        done.fixed += len(outcome.fixed)
        done.suppressed += len(outcome.suppressed)
        done.files += 1
    return done


def _to_edit(result: FileResult, *, add_noqa: bool) -> bool:
    """Return whether a file has something to fix (or to suppress) and was parsed."""
    if result.skipped or not result.diagnostics:
        return False
    if not result.lines and result.facts is None:
        return False  # no document: refused or unreadable, reported by the lint already
    return add_noqa or any(d.code in fixable_codes() for d in result.diagnostics)


def _text_to_fix(result: FileResult, stdin: bytes | None) -> tuple[bytes, str] | str:
    """Return the bytes and the text of a file to fix, or why they can no longer be read.

    ``stdin``: the bytes of standard input, when that is the file. The file is read and
    decoded as the lint read it.
    """
    data = stdin if stdin is not None else read(result.path, result.settings)
    if isinstance(data, FileResult):
        return data.diagnostics[0].message
    text = source_text(data, result.settings.max_file_size)
    if isinstance(text, SourceProblem):
        return f"{text.line}:{text.column}: {text.message}"
    return data, text
