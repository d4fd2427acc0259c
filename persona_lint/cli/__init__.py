"""The command line: ``persona-lint [COMMAND] ...``, the default command being ``check``.

Each command parses its options, calls the core, prints what it gave and exits with its
code: 0 no error (warnings allowed), 1 at least one error, 2 when persona-lint could not do
what it was asked (bad option, missing path, invalid configuration, a file it could not
write, an internal error). :mod:`.check` holds the lint run's command, :mod:`.report` says
what a run gave, :mod:`.commands` holds the others, imported only when one of them runs or
``--help`` lists them (a lint run never does).
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sys

import click

from persona_lint import __version__
from persona_lint.cli.check import EXAMPLES, check
from persona_lint.errors import describe

# The commands other than ``check``: name -> the click command in persona_lint.cli.commands.
OTHER_COMMANDS = {
    "config": "config_command",
    "rules": "rules",
    "explain": "explain",
    "plugins": "plugins_command",
    "export": "export",
    "clean": "clean",
    "new": "new_command",
    "server": "server_command",
}


class _DefaultToCheck(click.Group):
    """``persona-lint PATH...`` means ``persona-lint check PATH...``.

    The commands of :data:`OTHER_COMMANDS` are imported when one of them is asked for.
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every command's name, sorted (as ``--help`` lists them)."""
        return sorted([*self.commands, *OTHER_COMMANDS])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The command called ``cmd_name``, importing :mod:`.commands` for one of its own."""
        if cmd_name in OTHER_COMMANDS:
            commands = importlib.import_module("persona_lint.cli.commands")
            command: click.Command = getattr(commands, OTHER_COMMANDS[cmd_name])
            return command
        return super().get_command(ctx, cmd_name)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Insert ``check`` before arguments that name no command."""
        names = self.list_commands(ctx)
        if not args or (args[0] not in names and args[0] not in ("--help", "-h", "--version")):
            _refuse_mistyped_command(ctx, args[0] if args else "", names)
            args = ["check", *args]
        return super().parse_args(ctx, args)


def _refuse_mistyped_command(ctx: click.Context, word: str, commands: list[str]) -> None:
    """Fail on a word that is no path and close to a command's name (``persona-lint chek``).

    That is a mistyped command (exit 2 with a suggestion), not a missing file to lint.
    """
    if not word or word.startswith("-") or os.path.lexists(word):
        return
    import difflib  # a word that is no path: the rare case, keeps difflib off a lint's start

    close = difflib.get_close_matches(word, commands, n=1, cutoff=0.75)
    if close:
        ctx.fail(f"no such command {word!r}; did you mean {close[0]!r}?")


@click.group(
    cls=_DefaultToCheck, epilog=EXAMPLES, context_settings={"help_option_names": ["-h", "--help"]}
)
@click.version_option(__version__, prog_name="persona-lint")
def main() -> None:
    """persona-lint: check persona documents and BMAD agents (Markdown + XML) for errors.

    With no command, persona-lint runs `check` on the paths given, or on `.` when none is:
    `persona-lint check --help` lists its options (the most used: --select, --ignore,
    --output-format, --fix, --changed-since, --config).
    """


main.add_command(check)


def entry() -> None:
    """Run :func:`main` as the console script (and ``python -m persona_lint``) does.

    Once the output is flushed, the process exits at once (``os._exit``): tearing the
    interpreter down (freeing every module and object one by one) is needless, since
    reports, caches and fixed files are written and closed before ``main`` returns and
    worker pools are shut down. Measured on the one-file cold run (21 alternated runs each,
    2 cores), it saves 15 ms of 153 ms wall time (10 %).
    A bug that escapes a command is one line and exit code 2, never a traceback.
    """
    try:
        main()
        code = 0
    except SystemExit as exit_:
        if exit_.code is None or isinstance(exit_.code, int):
            code = exit_.code or 0
        else:
            print(exit_.code, file=sys.stderr)
            code = 1
    except Exception as exc:  # a bug outside a lint run (a run says it itself): one line
        print(f"persona-lint: internal error: {describe(exc)}", file=sys.stderr)
        code = 2
    for stream in (sys.stdout, sys.stderr):
        # A closed pipe (``| head``): nothing left to say.
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)
