"""Safe autofix: ``--fix`` and ``--add-noqa``, verified by linting the result again.

A fix may only change how a persona is written, never what it says. Rules attach their
fixes to the diagnostics they report (:class:`persona_lint.diagnostics.Fix`); the engine
applies the fixes that do not overlap, lints the result and keeps a fix only when the
fixed text has no diagnostic the original did not have (the fixed ones aside), then lints
again until nothing is left to fix. ``--add-noqa`` then suppresses every remaining
diagnostic with an inline comment placed by :mod:`persona_lint.fix.noqa`, and checks that
too.

Everything here is pure (text in, text out); writing files and rendering ``--diff`` are in
:mod:`persona_lint.fix.output`.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from persona_lint.config.settings import Settings
from persona_lint.diagnostics import Applicability, Diagnostic
from persona_lint.engine.lint import lint_source
from persona_lint.engine.postprocess import finalize, suppress
from persona_lint.engine.result import FileResult
from persona_lint.fix import noqa
from persona_lint.fix.edits import Applied, Edit, apply_edits, conflict_free
from persona_lint.rules.registry import fixable_codes

# Passes of lint-fix-lint before giving up (each pass fixes what no other fix overlaps).
MAX_PASSES = 8


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


# -- Linting for verification. -------------------------------------------------------------


def _lint(
    path: str, text: str, settings: Settings, extra: Sequence[Diagnostic]
) -> tuple[FileResult, list[Diagnostic]]:
    """Lint like a run does.

    The file's rules, the cross-file findings it had in the run (``extra``), then its
    inline suppressions.
    """
    result = lint_source(path, text, settings, defer_suppressions=True)
    if extra:
        added = tuple(finalize(extra, settings))
        result = result._replace(diagnostics=(*result.diagnostics, *added))
    final = suppress(result)
    return result, list(final.diagnostics)


def _new_problems(
    before: Sequence[Diagnostic], after: Sequence[Diagnostic], applied: Applied
) -> list[Diagnostic]:
    """Diagnostics of the edited text that the original did not have.

    Compared by code and line of origin: diagnostics on edited lines are compared with
    those of the same edit.
    """
    old = Counter((d.code, applied.key_of_old(d.line)) for d in before)
    new: list[Diagnostic] = []
    for diagnostic in after:
        key = (diagnostic.code, applied.key_of_new(diagnostic.line))
        if old[key] > 0:
            old[key] -= 1
        else:
            new.append(diagnostic)
    return new


@dataclass
class _State:
    """One version of the file's text, linted."""

    path: str
    text: str
    settings: Settings
    extra: list[Diagnostic]
    result: FileResult
    diagnostics: list[Diagnostic]

    @classmethod
    def start(cls, path: str, text: str, settings: Settings, extra: Sequence[Diagnostic]) -> _State:
        """The file as it is."""
        result, diagnostics = _lint(path, text, settings, extra)
        return cls(path, text, settings, list(extra), result, diagnostics)

    def attempt(self, edits: Iterable[Edit]) -> tuple[_State, list[Diagnostic]] | None:
        """The state after ``edits`` and the diagnostics they would add.

        None when the edits overlap or do not apply.
        """
        applied = apply_edits(self.text, edits)
        if applied is None:
            return None
        extra = [dataclasses.replace(d, line=applied.new_line(d.line)) for d in self.extra]
        result, diagnostics = _lint(self.path, applied.text, self.settings, extra)
        state = _State(self.path, applied.text, self.settings, extra, result, diagnostics)
        return state, _new_problems(self.diagnostics, diagnostics, applied)

    def signature(self, diagnostic: Diagnostic) -> tuple[str, str]:
        """Identifies a diagnostic across passes (lines may move): its code and line text."""
        lines = self.text.split("\n")
        line = diagnostic.line
        return diagnostic.code, lines[line - 1].strip() if 1 <= line <= len(lines) else ""


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
    remaining = {state.signature(d) for d in state.diagnostics}
    unfixed = tuple(r for key, r in rejected.items() if key in remaining)
    suppressed: list[Diagnostic] = []
    if add_noqa and state.diagnostics:
        state, suppressed = _add_noqa(state)
    return FixOutcome(state.text, tuple(fixed), tuple(suppressed), unfixed)


def _safe(diagnostic: Diagnostic) -> bool:
    return diagnostic.fix is not None and diagnostic.fix.applicability is Applicability.SAFE


def _candidates(state: _State, rejected: dict[tuple[str, str], Rejected]) -> list[Diagnostic]:
    """The diagnostics of ``state`` with a safe fix not rejected before.

    A fixable rule's diagnostic without one is rejected.
    """
    fixable = fixable_codes()
    found: list[Diagnostic] = []
    for diagnostic in state.diagnostics:
        signature = state.signature(diagnostic)
        if diagnostic.code not in fixable or signature in rejected:
            continue
        if _safe(diagnostic):
            found.append(diagnostic)
        else:
            rejected[signature] = Rejected(diagnostic, "no safe fix for this occurrence")
    return found


def _why_not(single: tuple[_State, list[Diagnostic]] | None) -> str:
    """Why a fix tried alone was not kept."""
    if single is None:
        return "the fix does not apply"
    if single[1]:
        problem = single[1][0]
        return f"the fix would add {problem.code} at line {problem.line}"
    return "the fix changes nothing"


def _kept(state: _State, attempt: tuple[_State, list[Diagnostic]] | None) -> _State | None:
    """The state after an attempt that applied, changed the text and added nothing."""
    if attempt is None or attempt[1] or attempt[0].text == state.text:
        return None
    return attempt[0]


def _fix_passes(
    state: _State, fixed: list[Diagnostic], rejected: dict[tuple[str, str], Rejected]
) -> _State:
    """Lint, fix what does not overlap, verify, repeat.

    A batch that adds a problem is retried one fix at a time: the first fix that adds
    nothing is kept (the others are recomputed on the new text in the next pass), each
    that adds something is rejected.
    """
    for _ in range(MAX_PASSES):
        candidates = _candidates(state, rejected)
        if not candidates:
            break
        groups = [d.fix.edits for d in candidates if d.fix is not None]
        chosen = [candidates[i] for i in conflict_free(state.text.split("\n"), groups)]
        batch = _kept(state, state.attempt(e for d in chosen if d.fix for e in d.fix.edits))
        if batch is not None:
            fixed.extend(chosen)
            state = batch
            continue
        for diagnostic in chosen:
            assert diagnostic.fix is not None
            single = state.attempt(diagnostic.fix.edits)
            after = _kept(state, single)
            if after is not None:
                fixed.append(diagnostic)
                state = after
                break
            rejected[state.signature(diagnostic)] = Rejected(diagnostic, _why_not(single))
    return state


def fix_one(
    path: str,
    text: str,
    settings: Settings,
    diagnostic: Diagnostic,
    *,
    extra: Sequence[Diagnostic] = (),
) -> str | None:
    """``text`` with the fix of ``diagnostic`` alone applied, for the language server.

    Verified as ``--fix`` verifies a fix (``text`` is linted again; the fixed text has no
    diagnostic the original did not have, the fixed one aside). None when ``text`` no
    longer reports it (same code, line and column) or reports it without a safe fix, or
    when the fix would add a problem. ``extra``: the file's cross-file diagnostics
    (before suppressions), as for :func:`fix_text`.
    """
    if diagnostic.code not in fixable_codes():
        return None
    state = _State.start(path, text, settings, extra)
    where = (diagnostic.code, diagnostic.line, diagnostic.column)
    found = next((d for d in state.diagnostics if (d.code, d.line, d.column) == where), None)
    if found is None or found.fix is None or not _safe(found):
        return None
    after = _kept(state, state.attempt(found.fix.edits))
    return None if after is None else after.text


# -- --add-noqa ------------------------------------------------------------------------------


def _is_whole_file(diagnostic: Diagnostic) -> bool:
    """A finding about the whole file: a suppression problem, or a point at 1:1."""
    point_at_start = diagnostic.line == 1 and diagnostic.column == 1
    return diagnostic.code in ("PL005", "PL006") or (
        point_at_start and diagnostic.end_column is None
    )


def _noqa_edits(lines: Sequence[str], places: dict[noqa.Where, set[str]]) -> list[Edit]:
    """The edits for every suppression; the file-wide ones join at the end of the file."""
    edits: list[Edit] = []
    whole_file: set[str] = set()
    for where, codes in sorted(places.items()):
        if where.placement is noqa.Placement.FILE or not 1 <= where.first <= len(lines):
            whole_file |= codes
        else:
            edits.extend(noqa.suppression(lines, where, codes))
    if whole_file:
        edits.append(noqa.at_end_of_file(lines, whole_file))
    return edits


def _places(
    wheres: dict[int, noqa.Where], codes: dict[int, set[str]]
) -> dict[noqa.Where, set[str]]:
    """The codes to suppress at each place (lines of one tag share one place)."""
    places: dict[noqa.Where, set[str]] = {}
    for line, where in wheres.items():
        places.setdefault(where, set()).update(codes[line])
    return places


def _add_noqa(state: _State) -> tuple[_State, list[Diagnostic]]:
    """Suppress every diagnostic of ``state``.

    Tries each line's least sweeping place, and moves a line's suppression to a wider
    place when the result still reports something there (or reports something new); as a
    last resort everything goes file-wide.
    """
    document = state.result.document
    assert document is not None
    targets = list(state.diagnostics)
    wheres: dict[int, noqa.Where] = {}
    codes: dict[int, set[str]] = {}
    for diagnostic in targets:
        where = noqa.placement(document, diagnostic.line, whole_file=_is_whole_file(diagnostic))
        wheres[diagnostic.line] = max(wheres.get(diagnostic.line, where), where)
        codes.setdefault(diagnostic.line, set()).add(diagnostic.code)
    lines = state.text.split("\n")
    for _ in range(len(noqa.Placement)):
        edits = _noqa_edits(lines, _places(wheres, codes))
        attempt, applied = state.attempt(edits), apply_edits(state.text, edits)
        if attempt is None or applied is None:
            break
        if not attempt[0].diagnostics:
            return attempt[0], targets
        failing = {applied.key_of_new(d.line)[1] for d in attempt[0].diagnostics}
        if not _widen(wheres, failing):
            break
    everywhere = {line: noqa.Where(noqa.Placement.FILE, line, line) for line in wheres}
    attempt = state.attempt(_noqa_edits(lines, _places(everywhere, codes)))
    if attempt is not None and not attempt[0].diagnostics:
        return attempt[0], targets
    return state, []


def _widen(wheres: dict[int, noqa.Where], failing: set[int]) -> bool:
    """Move the suppressions of the ``failing`` lines to a wider place.

    False when a failing line is not one suppressed, or all of them are file-wide already.
    """
    covered = {line for where in wheres.values() for line in range(where.first, where.last + 1)}
    if not failing <= covered | set(wheres):
        return False
    widened = False
    for line, where in wheres.items():
        hit = line in failing or any(where.first <= f <= where.last for f in failing)
        if hit and where.placement is not noqa.Placement.FILE:
            wheres[line] = noqa.Where(where.placement.wider(), line, line)
            widened = True
    return widened
