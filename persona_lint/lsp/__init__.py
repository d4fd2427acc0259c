"""Parts of the language server (:mod:`persona_lint.lsp.server`) that stand on their own: the
transport that guards pygls against hostile input, the index of slugs that keeps the
cross-file check incremental, and the edits behind code actions."""
