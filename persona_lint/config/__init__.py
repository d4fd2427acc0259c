"""Configuration: from ``pyproject.toml`` or ``.persona-lint.toml`` to one Settings per file.

The data flow, one module per step::

    loader (find and read a file, TOML errors at their line)
      -> keys (check every key against the one table of keys; readers, gates) -> Layer
      -> resolver (the nearest file's layer + the command line's, per-file patterns)
      -> settings (the immutable Settings a lint reads)

``globs`` matches the configuration's globs in linear time, ``toml_lines`` finds the line of
a key for error messages, ``errors`` words them, ``selectors`` says which codes a selector
means, and ``readme`` generates the README's table of keys from ``keys``.
"""
