"""Safe autofix: ``--fix``, ``--diff`` and ``--add-noqa``.

A fix may only change how a persona is written, never what it says: renumbering a numbered
sequence (PL701), the version table's layout (PL308), escaping a bare ``&`` or ``<`` as
``&amp;``/``&lt;`` (PL220, off by default), and under ``--changed-since`` the next patch
version and today's date (PL310, PL311). Each fixer turns one diagnostic of a parsed
document into edits; the engine applies the edits that do not overlap, lints the result
and keeps a fix only when the fixed text has no diagnostic the original did not have (the
fixed ones aside), then lints again until nothing is left to fix. ``--add-noqa`` then
suppresses every remaining diagnostic with an inline comment where the comment cannot
change the document's structure, and checks that too.

Everything up to :func:`fix_text` is pure (text in, text out). The I/O edge is at the end:
:func:`encode_like` restores the original line endings and byte order mark,
:func:`write_if_unchanged` replaces a file atomically unless it changed on disk since it was
read (never through a symbolic link, never splitting hard links), and :func:`unified_diff`
renders ``--diff``.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import stat
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from persona_lint.config.settings import Settings
from persona_lint.diagnostics import Diagnostic
from persona_lint.document.model import Document
from persona_lint.engine.result import FileResult
from persona_lint.rules.context import RuleContext
from persona_lint.source.write import OwnerNotKept, atomic_write

# Passes of lint-fix-lint before giving up (each pass fixes what no other fix overlaps).
MAX_PASSES = 8


@dataclass(frozen=True)
class TextEdit:
    """Replace the characters from ``column`` up to ``end_column`` (1-based, exclusive)
    of one 1-based ``line``."""

    line: int
    column: int
    end_column: int
    text: str


@dataclass(frozen=True)
class LineEdit:
    """Replace lines ``first``..``last`` (1-based, inclusive) with ``lines``;
    ``last == first - 1`` inserts the lines before line ``first``."""

    first: int
    last: int
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Fix:
    """The edits that repair one diagnostic."""

    diagnostic: Diagnostic
    edits: tuple[TextEdit | LineEdit, ...]


@dataclass(frozen=True)
class Rejected:
    """A fix that was not applied, and why."""

    diagnostic: Diagnostic
    reason: str


@dataclass(frozen=True)
class FixOutcome:
    """What :func:`fix_text` did to one file's text."""

    text: str
    fixed: tuple[Diagnostic, ...] = ()  # as reported before the fix
    suppressed: tuple[Diagnostic, ...] = ()  # by --add-noqa
    rejected: tuple[Rejected, ...] = ()


Fixer = Callable[[Document, Diagnostic, RuleContext], "tuple[TextEdit | LineEdit, ...] | None"]


# -- The fixers: one per fixable rule. ----------------------------------------------------


def _fix_numbering(
    document: Document, diagnostic: Diagnostic, context: RuleContext
) -> tuple[TextEdit | LineEdit, ...] | None:
    from persona_lint.rules.sequences import numbered_sequences

    for sequence in numbered_sequences(document):
        if not any(
            (line, column) == (diagnostic.line, diagnostic.column) for line, column, _ in sequence
        ):
            continue
        edits: list[TextEdit | LineEdit] = []
        for index, (line, column, digits) in enumerate(sequence, start=1):
            source = document.lines[line - 1] if line <= len(document.lines) else ""
            if source[column - 1 : column - 1 + len(digits)] != digits:
                return None  # the source map disagrees with the text: do not guess
            if int(digits) != index or digits != str(index):
                edits.append(TextEdit(line, column, column + len(digits), str(index)))
        return tuple(edits)
    return None


def _fix_table_layout(
    document: Document, diagnostic: Diagnostic, context: RuleContext
) -> tuple[TextEdit | LineEdit, ...] | None:
    from persona_lint.rules.version import table_layout

    found = table_layout(document)
    if found is None:
        return None
    first, lines = found
    return (LineEdit(first, first + len(lines) - 1, lines),)


def _replace_cell(document: Document, column_name: str, text: str) -> TextEdit | None:
    """Replace a version-table cell's text, taking or giving back padding so that the
    pipes after it stay where they were when there is room."""
    from persona_lint.rules.version import version_cell

    cell = version_cell(document, column_name)
    if cell is None:
        return None
    source = document.lines[cell.line - 1]
    end = cell.end_column - 1  # 0-based index after the cell's text
    padding = len(source[end:]) - len(source[end:].lstrip(" "))
    grow = len(text) - len(cell.text)
    kept = max(padding - grow, 1) if padding else 0
    return TextEdit(cell.line, cell.column, cell.end_column + padding, text + " " * kept)


def _fix_version(
    document: Document, diagnostic: Diagnostic, context: RuleContext
) -> tuple[TextEdit | LineEdit, ...] | None:
    from persona_lint.rules.version import bumped_version

    wanted = bumped_version(document, context)
    edit = _replace_cell(document, "version", wanted) if wanted else None
    return (edit,) if edit else None


def _fix_date(
    document: Document, diagnostic: Diagnostic, context: RuleContext
) -> tuple[TextEdit | LineEdit, ...] | None:
    from persona_lint.rules.version import moved_date

    wanted = moved_date(document, context)
    edit = _replace_cell(document, "last_updated", wanted) if wanted else None
    return (edit,) if edit else None


def _fix_bare_character(
    document: Document, diagnostic: Diagnostic, context: RuleContext
) -> tuple[TextEdit | LineEdit, ...] | None:
    line, column = diagnostic.line, diagnostic.column
    source = document.lines[line - 1] if line <= len(document.lines) else ""
    char = source[column - 1 : column]
    if char not in ("&", "<"):
        return None
    escape = "&amp;" if char == "&" else "&lt;"
    return (TextEdit(line, column, column + 1, escape),)


# Code -> fixer. Every rule registered with fixable=True has one (a test checks it).
FIXERS: dict[str, Fixer] = {
    "PL220": _fix_bare_character,
    "PL308": _fix_table_layout,
    "PL310": _fix_version,
    "PL311": _fix_date,
    "PL701": _fix_numbering,
}


# -- Applying edits, and knowing where each line came from. -------------------------------


@dataclass(frozen=True)
class _Applied:
    """Text after edits, with a map from its lines to the original ones.

    A line's key is ``("line", n)`` for an untouched original line ``n`` or ``("edit", n)``
    for a line produced by the edit that starts at original line ``n``; diagnostics are
    compared by (code, key), so that a fix that moves lines is not mistaken for one that
    adds a problem.
    """

    text: str
    new_keys: tuple[tuple[str, int], ...]  # per new line
    old_to_new: tuple[int, ...]  # per original line (1-based values)
    edits: tuple[LineEdit, ...]

    def key_of_new(self, line: int) -> tuple[str, int]:
        if 1 <= line <= len(self.new_keys):
            return self.new_keys[line - 1]
        return ("line", line - len(self.new_keys) + len(self.old_to_new))

    def key_of_old(self, line: int) -> tuple[str, int]:
        for edit in self.edits:
            if edit.first <= line <= edit.last:
                return ("edit", edit.first)
        return ("line", line)

    def new_line(self, line: int) -> int:
        if 1 <= line <= len(self.old_to_new):
            return self.old_to_new[line - 1]
        return line - len(self.old_to_new) + len(self.new_keys)


def _line_edits(
    lines: Sequence[str], edits: Iterable[TextEdit | LineEdit]
) -> list[LineEdit] | None:
    """Turn edits into whole-line edits, merging the text edits of each line; None when
    two edits overlap or one lies outside the text."""
    by_line: dict[int, list[TextEdit]] = {}
    merged: list[LineEdit] = []
    for edit in edits:
        if isinstance(edit, TextEdit):
            by_line.setdefault(edit.line, []).append(edit)
        elif 1 <= edit.first <= edit.last + 1 <= len(lines) + 1:
            merged.append(edit)
        else:
            return None
    for number, text_edits in by_line.items():
        if not 1 <= number <= len(lines):
            return None
        text = lines[number - 1]
        limit = len(text) + 1  # edits are applied right to left, each left of the last
        for edit in sorted(text_edits, key=lambda e: (e.column, e.end_column), reverse=True):
            if not 1 <= edit.column <= edit.end_column <= limit:
                return None
            text = text[: edit.column - 1] + edit.text + text[edit.end_column - 1 :]
            limit = edit.column
        merged.append(LineEdit(number, number, (text,)))
    merged.sort(key=lambda e: (e.first, e.last))
    replaced_to = 0  # the last line replaced so far
    inserted: set[int] = set()
    for edit in merged:
        if edit.first <= replaced_to:
            return None
        if edit.last < edit.first:
            if edit.first in inserted:
                return None
            inserted.add(edit.first)
        else:
            replaced_to = edit.last
    return merged


def _apply(text: str, edits: Iterable[TextEdit | LineEdit]) -> _Applied | None:
    lines = text.split("\n")
    merged = _line_edits(lines, edits)
    if merged is None:
        return None
    new_lines: list[str] = []
    new_keys: list[tuple[str, int]] = []
    old_to_new: list[int] = []
    position = 1  # next original line to copy
    for edit in merged:
        while position < edit.first:
            old_to_new.append(len(new_lines) + 1)
            new_lines.append(lines[position - 1])
            new_keys.append(("line", position))
            position += 1
        start = len(new_lines) + 1
        new_lines.extend(edit.lines)
        new_keys.extend([("edit", edit.first)] * len(edit.lines))
        for _ in range(edit.first, edit.last + 1):
            old_to_new.append(start)
            position += 1
    while position <= len(lines):
        old_to_new.append(len(new_lines) + 1)
        new_lines.append(lines[position - 1])
        new_keys.append(("line", position))
        position += 1
    return _Applied("\n".join(new_lines), tuple(new_keys), tuple(old_to_new), tuple(merged))


# -- Linting for verification. -------------------------------------------------------------


def _lint(
    path: str, text: str, settings: Settings, extra: Sequence[Diagnostic]
) -> tuple[FileResult, list[Diagnostic]]:
    """Lint like a run does: the file's rules, the cross-file findings it had in the run
    (``extra``), then its inline suppressions."""
    from persona_lint.engine.lint import lint_source
    from persona_lint.engine.postprocess import finalize, suppress

    result = lint_source(path, text, settings, defer_suppressions=True)
    if extra:
        added = tuple(finalize(extra, settings))
        result = result._replace(diagnostics=(*result.diagnostics, *added))
    final = suppress(result)
    return result, list(final.diagnostics)


def _new_problems(
    before: Sequence[Diagnostic], after: Sequence[Diagnostic], applied: _Applied
) -> list[Diagnostic]:
    """Diagnostics of the edited text that the original did not have (by code and line
    of origin; diagnostics on edited lines are compared with those of the same edit)."""
    old = Counter((d.code, applied.key_of_old(d.line)) for d in before)
    new: list[Diagnostic] = []
    for diagnostic in after:
        key = (diagnostic.code, applied.key_of_new(diagnostic.line))
        if old[key] > 0:
            old[key] -= 1
        else:
            new.append(diagnostic)
    return new


def _moved(extra: Sequence[Diagnostic], applied: _Applied) -> list[Diagnostic]:
    return [dataclasses.replace(d, line=applied.new_line(d.line)) for d in extra]


@dataclass
class _State:
    path: str
    text: str
    settings: Settings
    extra: list[Diagnostic]
    result: FileResult
    diagnostics: list[Diagnostic]

    @classmethod
    def start(cls, path: str, text: str, settings: Settings, extra: Sequence[Diagnostic]) -> _State:
        result, diagnostics = _lint(path, text, settings, extra)
        return cls(path, text, settings, list(extra), result, diagnostics)

    def attempt(
        self, edits: Iterable[TextEdit | LineEdit]
    ) -> tuple[_State, list[Diagnostic]] | None:
        """The state after ``edits`` and the diagnostics they would add; None when the
        edits overlap or do not apply."""
        applied = _apply(self.text, edits)
        if applied is None:
            return None
        extra = _moved(self.extra, applied)
        result, diagnostics = _lint(self.path, applied.text, self.settings, extra)
        state = _State(self.path, applied.text, self.settings, extra, result, diagnostics)
        return state, _new_problems(self.diagnostics, diagnostics, applied)


def fix_text(
    path: str,
    text: str,
    settings: Settings,
    *,
    extra: Sequence[Diagnostic] = (),
    fix: bool = True,
    add_noqa: bool = False,
) -> FixOutcome:
    """Fix ``text`` (the file at ``path``, LF line endings) and/or suppress what remains.

    ``extra``: the file's cross-file diagnostics from the run (before suppressions), so
    that suppressions of those count as used.
    """
    state = _State.start(path, text, settings, extra)
    if state.result.document is None:
        return FixOutcome(text)  # not parsed (encoding, size): nothing to fix
    fixed: list[Diagnostic] = []
    rejected: dict[tuple[str, str], Rejected] = {}
    if fix:
        state = _fix_passes(state, fixed, rejected)
    remaining = {_signature(state, d) for d in state.diagnostics}
    unfixed = tuple(r for key, r in rejected.items() if key in remaining)
    suppressed: list[Diagnostic] = []
    if add_noqa and state.diagnostics:
        state, suppressed = _add_noqa(state)
    return FixOutcome(state.text, tuple(fixed), tuple(suppressed), unfixed)


def _signature(state: _State, diagnostic: Diagnostic) -> tuple[str, str]:
    """Identifies a diagnostic across passes (lines may move): its code and line text."""
    lines = state.text.split("\n")
    text = lines[diagnostic.line - 1].strip() if 1 <= diagnostic.line <= len(lines) else ""
    return diagnostic.code, text


def _fix_passes(
    state: _State, fixed: list[Diagnostic], rejected: dict[tuple[str, str], Rejected]
) -> _State:
    """Lint, fix what does not overlap, verify, repeat. A batch that adds a problem is
    retried one fix at a time: the first fix that adds nothing is kept (the others are
    recomputed on the new text in the next pass), each that adds something is rejected."""
    context = RuleContext(state.settings)
    for _ in range(MAX_PASSES):
        document = state.result.document
        assert document is not None
        fixes: list[Fix] = []
        for diagnostic in state.diagnostics:
            fixer = FIXERS.get(diagnostic.code)
            signature = _signature(state, diagnostic)
            if fixer is None or signature in rejected:
                continue
            edits = fixer(document, diagnostic, context)
            if edits:
                fixes.append(Fix(diagnostic, edits))
            else:
                rejected[signature] = Rejected(diagnostic, "no safe fix for this occurrence")
        if not fixes:
            break
        chosen = _compatible(state, fixes)
        attempt = state.attempt(e for f in chosen for e in f.edits)
        if attempt is not None and not attempt[1] and attempt[0].text != state.text:
            fixed.extend(f.diagnostic for f in chosen)
            state = attempt[0]
            continue
        for one in chosen:
            single = state.attempt(one.edits)
            if single is not None and not single[1] and single[0].text != state.text:
                fixed.append(one.diagnostic)
                state = single[0]
                break
            reason = "the fix does not apply"
            if single is not None and single[1]:
                problem = single[1][0]
                reason = f"the fix would add {problem.code} at line {problem.line}"
            elif single is not None:
                reason = "the fix changes nothing"
            rejected[_signature(state, one.diagnostic)] = Rejected(one.diagnostic, reason)
    return state


def _compatible(state: _State, fixes: list[Fix]) -> list[Fix]:
    """The fixes, in order, whose edits overlap none of the fixes chosen before them."""
    lines = state.text.split("\n")
    chosen: list[Fix] = []
    edits: list[TextEdit | LineEdit] = []
    for candidate in fixes:
        if _line_edits(lines, [*edits, *candidate.edits]) is not None:
            chosen.append(candidate)
            edits.extend(candidate.edits)
    return chosen


# -- One diagnostic's fix, for the language server's quick fixes. ---------------------------


def fix_one(
    path: str,
    text: str,
    settings: Settings,
    diagnostic: Diagnostic,
    *,
    extra: Sequence[Diagnostic] = (),
) -> str | None:
    """``text`` with the fix of ``diagnostic`` alone applied, verified as ``--fix`` verifies
    a fix (``text`` is linted again; the fixed text has no diagnostic the original did not
    have, the fixed one aside); None when its rule has no fix, when ``text`` no longer
    reports it (same code, line and column), or when the fix would add a problem.

    ``extra``: the file's cross-file diagnostics (before suppressions), as for
    :func:`fix_text`.
    """
    fixer = FIXERS.get(diagnostic.code)
    if fixer is None:
        return None
    state = _State.start(path, text, settings, extra)
    document = state.result.document
    where = (diagnostic.code, diagnostic.line, diagnostic.column)
    found = next((d for d in state.diagnostics if (d.code, d.line, d.column) == where), None)
    if document is None or found is None:
        return None
    edits = fixer(document, found, RuleContext(settings))
    attempt = state.attempt(edits) if edits else None
    if attempt is None or attempt[1] or attempt[0].text == text:
        return None
    return attempt[0].text


# -- --add-noqa ------------------------------------------------------------------------------

DIRECTIVE = "<!-- persona-lint: {kind} {codes} -->"
# Where a line's suppression goes, from the least to the most sweeping.
_END, _ABOVE, _FILE = 0, 1, 2


def _placement(document: Document, line: int, diagnostic: Diagnostic) -> int:
    """Where a suppression for ``line`` can go without changing the document's structure:
    at the end of the line; on its own line above it, for headings and fences (text after
    them changes the heading or the fence); file-wide for table rows (an extra cell, and a
    comment line inside a table ends it) and for findings about the whole file."""
    if diagnostic.code in ("PL005", "PL006") or (
        diagnostic.line == 1 and diagnostic.column == 1 and diagnostic.end_column is None
    ):
        return _FILE
    for table in document.tables:
        last = table.rows[-1][0].line if table.rows else table.line + 1
        if table.line <= line <= last:
            return _FILE
    if any(heading.line == line for heading in document.headings):
        return _ABOVE
    for block in document.code_blocks:
        closing = block.content_line + len(block.line_offsets)
        if line == block.fence_line or (block.fenced and line == closing):
            return _ABOVE
    return _END


def _noqa_edits(
    lines: Sequence[str], levels: dict[int, int], codes: dict[int, set[str]]
) -> list[TextEdit | LineEdit]:
    edits: list[TextEdit | LineEdit] = []
    whole_file: set[str] = set()
    for line in sorted(levels):
        level = levels[line]
        listed = " ".join(sorted(codes[line]))
        if level == _FILE or not 1 <= line <= len(lines):
            whole_file |= codes[line]
            continue
        source = lines[line - 1]
        if level == _END:
            comment = DIRECTIVE.format(kind="disable-line", codes=listed)
            separator = " " if source.strip() else ""
            edits.append(TextEdit(line, len(source) + 1, len(source) + 1, separator + comment))
        else:
            indent = source[: len(source) - len(source.lstrip())]
            comment = indent + DIRECTIVE.format(kind="disable-next-line", codes=listed)
            edits.append(LineEdit(line, line - 1, (comment,)))
    if whole_file:
        comment = DIRECTIVE.format(kind="disable-file", codes=" ".join(sorted(whole_file)))
        # At the end of the file, after a blank line, before its final newline if any.
        last = len(lines) - 1 if len(lines) > 1 and lines[-1] == "" else len(lines)
        added = ("", comment) if lines[last - 1].strip() else (comment,)
        edits.append(LineEdit(last + 1, last, added))
    return edits


def _add_noqa(state: _State) -> tuple[_State, list[Diagnostic]]:
    """Suppress every diagnostic of ``state``: try each line's least sweeping place, and
    move a line's suppression to the next place when the result still reports something
    there (or reports something new); as a last resort everything goes file-wide."""
    document = state.result.document
    assert document is not None
    targets = list(state.diagnostics)
    levels: dict[int, int] = {}
    codes: dict[int, set[str]] = {}
    for diagnostic in targets:
        level = _placement(document, diagnostic.line, diagnostic)
        levels[diagnostic.line] = max(levels.get(diagnostic.line, _END), level)
        codes.setdefault(diagnostic.line, set()).add(diagnostic.code)
    lines = state.text.split("\n")
    for _ in range(_FILE + 1):
        edits = _noqa_edits(lines, levels, codes)
        attempt = state.attempt(edits)
        applied = _apply(state.text, edits)
        if attempt is None or applied is None:
            break
        if not attempt[0].diagnostics:
            return attempt[0], targets
        failing = {applied.key_of_new(d.line)[1] for d in attempt[0].diagnostics}
        if not failing <= set(levels) or all(levels[line] == _FILE for line in failing):
            break
        for line in failing:
            levels[line] = min(levels[line] + 1, _FILE)
    everything = dict.fromkeys(levels, _FILE)
    attempt = state.attempt(_noqa_edits(lines, everything, codes))
    if attempt is not None and not attempt[0].diagnostics:
        return attempt[0], targets
    return state, []


# -- The I/O edge: bytes, atomic writes, diffs. ---------------------------------------------

_BOM = b"\xef\xbb\xbf"


def encode_like(text: str, original: bytes) -> bytes:
    """``text`` (LF line endings) encoded like ``original``: its byte order mark and its
    line endings (the most common one, when they were mixed)."""
    crlf = original.count(b"\r\n")
    cr = original.count(b"\r") - crlf
    lf = original.count(b"\n") - crlf
    newline = "\r\n" if crlf > max(lf, cr) else "\r" if cr > max(lf, crlf) else "\n"
    data = text.replace("\n", newline).encode("utf-8", "surrogatepass")
    return _BOM + data if original.startswith(_BOM) else data


def _before_replace(path: Path) -> None:
    """Test seam: called after the new content is on disk in the temporary file and just
    before the file is compared with what was read and replaced."""


def write_if_unchanged(path: Path, original: bytes, content: bytes) -> str | None:
    """Replace ``path`` with ``content`` atomically, keeping its permissions and owner,
    unless its bytes are no longer ``original``. None when written, else why not.

    The content goes to a temporary file in the same folder, which replaces the file in
    one ``os.replace``; on any failure the original file is left as it was and the
    temporary file removed. What a replacement cannot keep is refused instead: a symbolic
    link is never written through (it may lead anywhere), a file with several hard links
    is not written (a replacement would split them, and writing in place would change the
    other names, which may lie outside the tree), and a file whose owner this process may
    not give to the new file is not written.
    """
    from persona_lint.source.read import read_limited

    try:
        before = os.lstat(path)
    except OSError as exc:
        return f"cannot write: {exc.strerror or exc}"
    if stat.S_ISLNK(before.st_mode):
        return "a symbolic link; not written through (fix the file it leads to)"
    if not stat.S_ISREG(before.st_mode):
        return "not a regular file; not written"
    if before.st_nlink > 1:
        return f"has {before.st_nlink} hard links; not written (a replacement would split them)"

    def unchanged() -> None:
        _before_replace(path)
        now = os.lstat(path)
        if (now.st_dev, now.st_ino) != (before.st_dev, before.st_ino):
            raise _ChangedOnDisk
        if read_limited(path, len(original), follow_links=False) != original:
            raise _ChangedOnDisk

    try:
        with atomic_write(
            path, binary=True, before_replace=unchanged, owner=(before.st_uid, before.st_gid)
        ) as handle:
            handle.write(content)
    except _ChangedOnDisk:
        return "changed on disk since it was read; not overwritten"
    except OwnerNotKept:
        owner = f"{before.st_uid}:{before.st_gid}"
        return f"owned by {owner}, which the new file cannot be given; not written"
    except OSError as exc:
        return f"cannot write: {exc.strerror or exc}"
    return None


class _ChangedOnDisk(Exception):
    """The file is no longer what was read: someone saved it meanwhile."""


def unified_diff(path: str, before: str, after: str) -> str:
    """The change as a unified diff (``--- path`` / ``+++ path``, three lines of context),
    marking a last line without a newline as ``diff`` does."""
    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=path,
        tofile=path,
    )
    out = []
    for line in lines:
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)
