"""``python -m persona_lint``: the same entry point as the console script."""

from persona_lint.cli import entry

if __name__ == "__main__":
    entry()
