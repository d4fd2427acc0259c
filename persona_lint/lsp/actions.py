"""Code actions: the rules' own fixes, every safe fix at once, and suppressions.

For each diagnostic in the requested range: its rule's own fix (``quickfix``, preferred),
computed by the engine of ``--fix`` (:mod:`persona_lint.fix.engine`, which lints the fixed
text again before a fix is offered), or for an unused suppression (PL005) its removal; then
the suppression of that diagnostic (:func:`~persona_lint.lsp.edits.suppression_fix`).
``source.fixAll.persona-lint`` applies every safe fix, as ``--fix`` does. Each edit is the
one change between the text and its fixed version (:func:`text_change`), so editors keep
the cursor and folds outside it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from lsprotocol import types

from persona_lint.diagnostics import Diagnostic
from persona_lint.document.model import Document
from persona_lint.fix.engine import fix_one, fix_text
from persona_lint.lsp.edits import Change, Fix, removal_fix, suppression_fix, text_change
from persona_lint.lsp.linting import Linted
from persona_lint.lsp.publishing import Shown
from persona_lint.rules import get_rule
from persona_lint.rules.registry import fixable_codes

QUICK_FIX = types.CodeActionKind.QuickFix
FIX_ALL = f"{types.CodeActionKind.SourceFixAll.value}.persona-lint"
CODE_ACTION_KINDS = [QUICK_FIX, FIX_ALL]


def wanted(kind: str, only: Sequence[str] | None) -> bool:
    """Whether the client asks for code actions of ``kind``.

    ``only`` lists kinds and their parents: ``source`` asks for
    ``source.fixAll.persona-lint`` too; no list asks for every kind.
    """
    return not only or any(kind == k or kind.startswith(f"{k}.") for k in only)


def quick_fixes(
    entry: Linted,
    hits: Iterable[Shown],
    document: Document,
    cross_file: Sequence[Diagnostic],
    versioned: bool,
) -> list[types.CodeAction]:
    """Return the quick fixes of these diagnostics of a document.

    Each diagnostic's own fix (if any) comes before its suppression. ``cross_file`` are the
    document's cross-file findings (a fix is checked against them); ``versioned``: the client takes
    edits naming the document's version.
    """
    actions = []
    for lsp, ours in hits:
        for fix in _fixes_of(entry, ours, document, cross_file):
            actions.append(
                types.CodeAction(
                    title=fix.title,
                    kind=QUICK_FIX,
                    diagnostics=[lsp],
                    edit=workspace_edit(entry, fix.changes, versioned),
                    is_preferred=fix.preferred or None,
                )
            )
    return actions


def _fixes_of(
    entry: Linted, diagnostic: Diagnostic, document: Document, cross_file: Sequence[Diagnostic]
) -> list[Fix]:
    """The fixes offered for one diagnostic: the rule's own (if any), then its suppression."""
    fixes = [suppression_fix(document, diagnostic.line, diagnostic.code)]
    if diagnostic.code == "PL005":
        removal = removal_fix(document, diagnostic)
        if removal is not None:
            fixes.insert(0, removal)
    elif diagnostic.code in fixable_codes() and entry.result is not None:
        text = entry.lines.text
        fixed = fix_one(entry.shown, text, entry.result.settings, diagnostic, extra=cross_file)
        change = text_change(text, fixed) if fixed is not None else None
        if change is not None:
            rule = get_rule(diagnostic.code)
            name = f" ({rule.name})" if rule is not None else ""
            fixes.insert(0, Fix(f"Fix {diagnostic.code}{name}", (change,), preferred=True))
    return fixes


class LastFixAll:
    """The fixed text of the last document asked for every safe fix.

    With every safe fix applied, as ``--fix`` writes it; kept because editors ask again on
    every cursor move.
    """

    def __init__(self) -> None:
        """Keep nothing yet."""
        self._kept: tuple[str, int | None, str] | None = None

    def __len__(self) -> int:
        """Return how many fixed texts are kept (at most one)."""
        return int(self._kept is not None)

    def forget(self, uri: str) -> None:
        """Forget a closed document's fixed text."""
        if self._kept is not None and self._kept[0] == uri:
            self._kept = None

    def fixed(
        self, entry: Linted, shown: Iterable[Shown], cross_file: Callable[[], Sequence[Diagnostic]]
    ) -> str | None:
        """Return the document's fixed text (None when none of ``shown`` has a fix).

        ``cross_file`` returns the document's cross-file findings, asked only when the text
        is fixed anew.
        """
        kept = self._kept
        if kept is not None and kept[:2] == (entry.uri, entry.version):
            return kept[2]
        if entry.result is None or not any(ours.code in fixable_codes() for _, ours in shown):
            return None
        settings = entry.result.settings
        fixed = fix_text(entry.shown, entry.lines.text, settings, extra=cross_file()).text
        self._kept = (entry.uri, entry.version, fixed)
        return fixed


def fix_all(entry: Linted, fixed: str, versioned: bool) -> types.CodeAction | None:
    """Return the action that turns a document into its ``fixed`` text (None: no change)."""
    change = text_change(entry.lines.text, fixed)
    if change is None:
        return None
    return types.CodeAction(
        title="Fix all auto-fixable persona-lint problems",
        kind=FIX_ALL,
        edit=workspace_edit(entry, (change,), versioned),
    )


def versioned_edits(capabilities: types.ClientCapabilities) -> bool:
    """Whether the client takes workspace edits as versioned document changes."""
    workspace = capabilities.workspace
    edit_capability = workspace.workspace_edit if workspace else None
    return bool(edit_capability is not None and edit_capability.document_changes)


def workspace_edit(
    entry: Linted, changes: Iterable[Change], versioned: bool
) -> types.WorkspaceEdit:
    """Return changes of a document as a workspace edit (naming its version if ``versioned``)."""
    edits: list[types.TextEdit | types.AnnotatedTextEdit | types.SnippetTextEdit] = [
        entry.lines.edit(change) for change in changes
    ]
    if versioned:
        identifier = types.OptionalVersionedTextDocumentIdentifier(
            uri=entry.uri, version=entry.version
        )
        return types.WorkspaceEdit(
            document_changes=[types.TextDocumentEdit(text_document=identifier, edits=edits)]
        )
    return types.WorkspaceEdit(
        changes={entry.uri: [e for e in edits if isinstance(e, types.TextEdit)]}
    )
