"""The persona XML dialect: rewriting, parsing, and validating against the XSD schemas."""
