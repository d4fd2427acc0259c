"""The one base of the errors that end a run with exit code 2 (bad configuration, options,
baseline, git revision...): the run catches it alone, so it need not import the modules
that raise them."""


class RunError(Exception):
    """Why persona-lint cannot do what it was asked; the message says where and what."""
