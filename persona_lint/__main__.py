"""``python -m persona_lint``: the same entry point as the console script."""

from persona_lint.cli import main

if __name__ == "__main__":
    main()
