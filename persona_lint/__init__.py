"""persona-lint: a schema validator and linter for persona documents."""

__version__ = "0.1.0"
