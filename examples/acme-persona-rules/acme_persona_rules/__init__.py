"""ACME's persona-lint rules; :mod:`.rules` registers them when persona-lint loads it."""
