"""The lints of the open documents, indexed by the slug each holds, and their findings.

The cross-file rules (PL801, duplicate slugs) see the open personas of one workspace
folder; the slug index (:mod:`persona_lint.lsp.slugs`) says which documents share a slug,
so one document's cross-file findings are computed from those alone, and which documents'
findings a new lint may change. One parsed document is kept besides (the last linted or
asked for): code actions need it, and editors ask for them on every cursor move.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from pygls.uris import to_fs_path
from pygls.workspace import Workspace

from persona_lint.diagnostics import Diagnostic
from persona_lint.document.model import Document
from persona_lint.engine.postprocess import corpus_findings
from persona_lint.lsp.linting import Linted, finished, parse
from persona_lint.lsp.slugs import SlugIndex, SlugKey


class OpenLints:
    """The current lint of each open document (by URI) and the slug index over them."""

    def __init__(self) -> None:
        """Start with no document."""
        self._linted: dict[str, Linted] = {}
        self._slugs = SlugIndex()
        self._parsed: tuple[str, int | None, Document] | None = None

    def __len__(self) -> int:
        """Return how many documents have a lint."""
        return len(self._linted)

    def __iter__(self) -> Iterator[str]:
        """Iterate over the URIs of the documents with a lint (a copy: storing is safe)."""
        return iter(list(self._linted))

    def get(self, uri: str) -> Linted | None:
        """Return a document's lint, if it has one."""
        return self._linted.get(uri)

    def kept(self) -> dict[str, int]:
        """Return the size of each store (see :meth:`PersonaServer.kept`)."""
        return {
            "lints": len(self._linted),
            "slugs": len(self._slugs),
            "parsed documents": int(self._parsed is not None),
        }

    def store(self, uri: str, entry: Linted | None, document: Document | None = None) -> set[str]:
        """Keep (or, for None, drop) a document's lint and its parsed ``document``.

        Returns the documents whose cross-file findings this may change: those that held
        the slug it left or took, and the document itself with them.
        """
        old = self._linted.pop(uri, None) if entry is None else self._linted.get(uri)
        if entry is not None:
            self._linted[uri] = entry
        if document is not None and entry is not None:
            self._parsed = (uri, entry.version, document)
        elif entry is None and self._parsed is not None and self._parsed[0] == uri:
            self._parsed = None
        old_slug = old.slug if old is not None else None
        touched = self._slugs.move(uri, old_slug, entry.slug if entry else None)
        if touched and entry is not None:
            touched.add(uri)
        return touched

    def close(self, uri: str) -> set[str]:
        """Forget a closed document; return those whose cross-file findings change."""
        entry = self._linted.pop(uri, None)
        if self._parsed is not None and self._parsed[0] == uri:
            self._parsed = None
        return self._slugs.move(uri, entry.slug, None) if entry is not None else set()

    def document(self, entry: Linted) -> Document | None:
        """Return the parsed document of a lint (parsed again unless it is the one kept)."""
        kept = self._parsed
        if kept is not None and kept[:2] == (entry.uri, entry.version):
            return kept[2]
        document = parse(entry)
        if document is not None:
            self._parsed = (entry.uri, entry.version, document)
        return document

    def cross_file(self, key: SlugKey | None) -> dict[str, list[Diagnostic]]:
        """Return the cross-file findings among the holders of one slug, by path."""
        holders = [self._linted[uri].result for uri in self._slugs.holders(key)]
        results = [result for result in holders if result is not None]
        return corpus_findings(results) if len(results) > 1 else {}

    def cross_file_of(self, entry: Linted) -> list[Diagnostic]:
        """Return one document's cross-file findings (before selection and suppressions)."""
        if entry.result is None:
            return []
        return self.cross_file(entry.slug).get(entry.result.path, [])

    def findings(self, uris: Iterable[str]) -> Iterator[tuple[Linted, tuple[Diagnostic, ...]]]:
        """Yield the lint and the diagnostics a run reports of each of these documents.

        Documents without a lint are left out; the findings among a slug's holders are
        computed once.
        """
        by_slug: dict[SlugKey | None, dict[str, list[Diagnostic]]] = {}
        for uri in uris:
            entry = self._linted.get(uri)
            if entry is None:
                continue
            result = entry.result
            if result is None or result.skipped:
                yield entry, ()
                continue
            if entry.slug not in by_slug:
                by_slug[entry.slug] = self.cross_file(entry.slug)
            yield entry, finished(result, by_slug[entry.slug].get(result.path, []))


def document_place(uri: str, workspace: Workspace) -> tuple[Path, str, str | None]:
    """Return where an open document is.

    The file it stands for (for configuration), the path its diagnostics name, and its
    workspace folder (None: outside any). A document that is not a file (an untitled one)
    stands for ``untitled.md`` in the first folder and is named by its URI; otherwise the
    folder is the innermost workspace folder (or else the root) that holds it, and the path
    is relative to it.
    """
    folders = [
        Path(folder)
        for each in workspace.folders.values()
        if (folder := to_fs_path(each.uri)) is not None
    ]
    if not folders and workspace.root_path:
        folders.append(Path(workspace.root_path))
    fs_path = to_fs_path(uri)
    if fs_path is None:
        base = folders[0] if folders else Path.cwd()
        return base / "untitled.md", uri, None
    path = Path(fs_path)
    inside = [f for f in folders if path.is_relative_to(f)]
    if not inside:
        return path, str(path), None
    group = max(inside, key=lambda f: len(f.parts))
    return path, path.relative_to(group).as_posix(), str(group)
