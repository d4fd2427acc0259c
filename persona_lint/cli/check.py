"""``persona-lint check``: the lint run's options, parsed into :class:`RunOptions`, then run.

Parse, then execute, then print: :func:`execute` calls :func:`~persona_lint.engine.run.run`,
which prints nothing, and :func:`~persona_lint.cli.report.say`, which says what it gave.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO, TextIO, TypeVar

import click

from persona_lint.cli.report import say
from persona_lint.config.errors import ConfigError
from persona_lint.engine.run import DEFAULT_CACHE_DIR, RunOptions, build_resolver, run
from persona_lint.formatters import FORMAT_NAMES
from persona_lint.source.read import read_limited
from persona_lint.source.walk import project_place

EXAMPLES = """
\b
Examples:
  persona-lint personas/                 lint every persona below personas/
  persona-lint personas/qa-engineer.md   lint one file
  persona-lint rules                     list every rule
  persona-lint explain PL304             show a rule's documentation
  persona-lint export personas/x.md      print the XML blocks as strict XML
  persona-lint --fix personas/           apply the safe fixes, then report what is left
  persona-lint --changed-since origin/main personas/
                                         changed personas must raise version and date
  persona-lint new "iOS Engineer" --dir personas/
                                         write a new persona skeleton
"""


F = TypeVar("F", bound=Callable[..., Any])


def _codes_option(name: str, help_text: str) -> Callable[[F], F]:
    """Return an option taking codes, prefixes or names, which may be given several times."""
    return click.option(name, multiple=True, metavar="CODES", help=help_text)


def _no_plugins(context: click.Context, parameter: click.Parameter, value: bool) -> None:
    if value:
        from persona_lint.plugins import disable_plugins  # the loader: only when asked

        disable_plugins()


def _local_plugins(context: click.Context, parameter: click.Parameter, value: bool) -> None:
    if value:
        from persona_lint.plugins import allow_local_plugins  # the loader: only when asked

        allow_local_plugins()


def plugin_options(command: F) -> F:
    """``--no-plugins`` and ``--local-plugins``: which plugin code this process may run.

    Each holds for the whole process (plugins register rules process-wide), so each takes
    effect as it is parsed, before any configuration is read.
    """
    command = click.option(
        "--local-plugins",
        is_flag=True,
        expose_value=False,
        callback=_local_plugins,
        help="Run the plugin modules of the repository the configuration names (code a pull "
        "request may bring: never on one you do not trust); also PERSONA_LINT_LOCAL_PLUGINS=1.",
    )(command)
    return click.option(
        "--no-plugins",
        is_flag=True,
        expose_value=False,
        callback=_no_plugins,
        help="Load no plugin the configuration names (CI on untrusted pull requests); "
        "also PERSONA_LINT_NO_PLUGINS=1.",
    )(command)


@click.command(epilog=EXAMPLES)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--output-format",
    "--format",
    "output_format",
    type=click.Choice(FORMAT_NAMES),
    default=None,
    help="Report format (default: full on a terminal, concise otherwise).",
)
@click.option(
    "--output-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report to this file (atomically); the summary still goes to the terminal.",
)
@click.option(
    "--config",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Use this configuration file for every linted file.",
)
@click.option("--isolated", is_flag=True, help="Ignore every configuration file.")
@plugin_options
@_codes_option("--select", "Enable only these codes, prefixes or names (comma-separated).")
@_codes_option("--extend-select", "Enable these on top of the selection.")
@_codes_option("--ignore", "Disable these codes, prefixes or names.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are errors.")
@click.option("--warnings-as-errors", is_flag=True, help="Warnings fail the run too (exit 1).")
@click.option("--statistics", is_flag=True, help="Print the number of diagnostics per code.")
@click.option(
    "--force-exclude",
    is_flag=True,
    help="Apply exclude settings to files named on the command line too.",
)
@click.option(
    "--skip-non-personas",
    is_flag=True,
    help="Skip named files of no format checked silently, as a folder walk does.",
)
@click.option(
    "--stdin-filename",
    metavar="PATH",
    help="With '-': lint standard input as if it were the file at PATH.",
)
@click.option(
    "--show-settings",
    type=click.Path(path_type=Path),
    help="Print the settings in force for this file, and where each came from.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Worker processes for files not in the cache; 0: one per usable core from 200 files.",
)
@click.option(
    "--no-cache", is_flag=True, help="Lint every file again; do not read or write the cache."
)
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="PERSONA_LINT_CACHE_DIR",
    help="Where the result cache lives (default: .persona_lint_cache).",
)
@click.option(
    "--color/--no-color",
    default=None,
    help="Colour the output (default: on a terminal, unless NO_COLOR is set or TERM=dumb).",
)
@click.option(
    "--changed-since",
    metavar="REF",
    help="Personas changed since this git revision must raise version and last_updated.",
)
@click.option("--fix", is_flag=True, help="Apply the fixes that cannot change meaning.")
@click.option(
    "--diff",
    is_flag=True,
    help="Print what --fix (or --add-noqa) would change as a diff; write nothing.",
)
@click.option(
    "--add-noqa", is_flag=True, help="Add an inline suppression for every diagnostic left."
)
@click.option(
    "--baseline",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Hide the diagnostics recorded in this baseline file; report stale entries.",
)
@click.option(
    "--write-baseline",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Record every diagnostic of this run in this baseline file.",
)
@click.option(
    "--show-traceback",
    is_flag=True,
    help="On an internal error (exit 2), print the traceback after its one-line message.",
)
def check(
    paths: tuple[Path, ...],
    output_format: str | None,
    output_file: Path | None,
    config: Path | None,
    isolated: bool,
    select: tuple[str, ...],
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    exit_zero: bool,
    warnings_as_errors: bool,
    statistics: bool,
    force_exclude: bool,
    skip_non_personas: bool,
    stdin_filename: str | None,
    show_settings: Path | None,
    jobs: int,
    no_cache: bool,
    cache_dir: Path | None,
    color: bool | None,
    changed_since: str | None,
    fix: bool,
    diff: bool,
    add_noqa: bool,
    baseline: Path | None,
    write_baseline: Path | None,
    show_traceback: bool,
) -> None:
    """Lint persona documents and BMAD agents (the default command). PATH '-' reads stdin."""
    interactive = sys.stdout.isatty()
    if color is None:
        color = interactive and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"
    options = RunOptions(
        paths=paths or (Path("."),),
        output_format=output_format or ("full" if interactive else "concise"),
        output_file=output_file,
        color=color,
        config=config,
        isolated=isolated,
        select=select,
        extend_select=extend_select,
        ignore=ignore,
        exit_zero=exit_zero,
        warnings_as_errors=warnings_as_errors,
        statistics=statistics,
        force_exclude=force_exclude,
        skip_non_personas=skip_non_personas,
        stdin_filename=stdin_filename,
        cache_dir=None if no_cache else (cache_dir or DEFAULT_CACHE_DIR),
        jobs=jobs,
        changed_since=changed_since,
        fix=fix,
        diff=diff,
        add_noqa=add_noqa,
        baseline=baseline,
        write_baseline=write_baseline,
        show_traceback=show_traceback,
    )
    if show_settings is not None:
        sys.exit(show_settings_for(options, show_settings))
    # The stream, read by the run once it knows max-file-size (never more than that + 1).
    stdin = sys.stdin.buffer if options.reads_stdin else None
    sys.exit(execute(options, sys.stdout, sys.stderr, stdin))


def execute(
    options: RunOptions,
    stdout: TextIO,
    stderr: TextIO,
    stdin: bytes | BinaryIO | None = None,
) -> int:
    """Run the lint, print what it gave, and return the exit code."""
    return say(run(options, stdin), options, stdout, stderr)


def show_settings_for(options: RunOptions, path: Path) -> int:
    """Print the settings in force for ``path`` and where each came from; the exit code."""
    try:
        rows = build_resolver(options).describe(path)
    except ConfigError as exc:
        click.echo(f"persona-lint: error: {exc}", err=True)
        return 2
    click.echo(f"Settings for {path}:")
    width = max(len(key) for key, _, _ in rows)
    for key, value, origin in rows:
        click.echo(f"  {key:<{width}}  {value}    [{origin}]")
    click.echo(f"The file is checked as: {_checked_as(options, path)}")
    return 0


def _checked_as(options: RunOptions, path: Path) -> str:
    """The format ``path`` is checked as (read as a lint would), or why it is none."""
    from persona_lint.engine.lint import lint_source  # the parsers: off the CLI's cold path

    settings = build_resolver(options).settings_for(path)
    try:
        data = read_limited(path, settings.max_file_size)
    except OSError as exc:
        return f"nothing: it cannot be read ({exc.strerror or exc})"
    result = lint_source(str(path), data, settings, explicit=False, place=project_place(path))
    return result.format or "nothing: no format recognises it (skipped when walked)"
