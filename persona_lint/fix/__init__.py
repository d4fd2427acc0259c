"""Safe autofix: ``--fix``, ``--diff`` and ``--add-noqa`` (see :mod:`persona_lint.fix.engine`)."""
