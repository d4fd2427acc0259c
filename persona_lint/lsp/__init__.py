"""The language server (:mod:`persona_lint.lsp.server`) and the parts it is made of.

Positions (:mod:`~persona_lint.lsp.lines`), settings (:mod:`~persona_lint.lsp.configuration`),
one document's lint (:mod:`~persona_lint.lsp.linting`), the open documents and their slugs
(:mod:`~persona_lint.lsp.documents`, :mod:`~persona_lint.lsp.slugs`), publishing
(:mod:`~persona_lint.lsp.publishing`), hover (:mod:`~persona_lint.lsp.hover`), code actions
(:mod:`~persona_lint.lsp.actions`, :mod:`~persona_lint.lsp.edits`) and the transport that
guards pygls against hostile input (:mod:`~persona_lint.lsp.transport`).
"""
