"""The command line: parse options, build the run, execute it, return the exit code.

Exit codes: 0 no error (warnings allowed), 1 at least one error, 2 when persona-lint could
not do what it was asked (bad option, missing path, invalid configuration, a file it could
not write, an internal error).
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from persona_lint import __version__
from persona_lint.formatters import FORMAT_NAMES

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


class _DefaultToCheck(click.Group):
    """``persona-lint PATH...`` means ``persona-lint check PATH...``."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (
            args[0] not in self.commands and args[0] not in ("--help", "-h", "--version")
        ):
            _refuse_mistyped_command(ctx, args[0] if args else "", list(self.commands))
            args = ["check", *args]
        return super().parse_args(ctx, args)


def _refuse_mistyped_command(ctx: click.Context, word: str, commands: list[str]) -> None:
    """``persona-lint chek``: a word that is no path and close to a command's name is a
    mistyped command (exit 2 with a suggestion), not a missing file to lint."""
    import difflib

    if not word or word.startswith("-") or os.path.lexists(word):
        return
    close = difflib.get_close_matches(word, commands, n=1, cutoff=0.75)
    if close:
        ctx.fail(f"no such command {word!r}; did you mean {close[0]!r}?")


@click.group(
    cls=_DefaultToCheck, epilog=EXAMPLES, context_settings={"help_option_names": ["-h", "--help"]}
)
@click.version_option(__version__, prog_name="persona-lint")
def main() -> None:
    """persona-lint: check persona documents (Markdown + XML) for structure and meaning.

    With no command, persona-lint runs `check` on the paths given, or on `.` when none is:
    `persona-lint check --help` lists its options (the most used: --select, --ignore,
    --output-format, --fix, --changed-since, --config).
    """


def entry() -> None:
    """The console script (and ``python -m persona_lint``): :func:`main`, then, once the
    output is flushed, an immediate exit.

    Tearing the interpreter down (freeing every module and object one by one) costs about
    20 ms, a tenth of a one-file run, and nothing needs it: reports, caches and fixed files
    are written and closed before ``main`` returns, and worker pools are shut down. A bug
    that escapes a command is one line and exit code 2, never a traceback.
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
        from persona_lint.failures import describe

        print(f"persona-lint: internal error: {describe(exc)}", file=sys.stderr)
        code = 2
    for stream in (sys.stdout, sys.stderr):
        # A closed pipe (``| head``): nothing left to say.
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)


def _codes_option(name: str, help_text: str) -> Callable[[F], F]:
    return click.option(name, multiple=True, metavar="CODES", help=help_text)


F = TypeVar("F", bound=Callable[..., Any])


@main.command(epilog=EXAMPLES)
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
    help="Skip named files without persona markers silently, as a folder walk does.",
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
    help="Worker processes for files not in the cache; 0: one per usable core from 50 files.",
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
    """Lint persona documents (the default command). PATH '-' reads standard input."""
    from persona_lint.engine.cache import DEFAULT_DIR
    from persona_lint.engine.run import RunOptions, run

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
        cache_dir=None if no_cache else (cache_dir or DEFAULT_DIR),
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
        sys.exit(_show_settings(options, show_settings))
    # The stream, read by the run once it knows max-file-size (never more than that + 1).
    stdin = sys.stdin.buffer if options.paths == (Path("-"),) else None
    sys.exit(run(options, sys.stdout, sys.stderr, stdin))


def _show_settings(options: Any, path: Path) -> int:
    from persona_lint.config.errors import ConfigError
    from persona_lint.engine.run import build_resolver

    try:
        rows = build_resolver(options).describe(path)
    except ConfigError as exc:
        click.echo(f"persona-lint: error: {exc}", err=True)
        return 2
    click.echo(f"Settings for {path}:")
    width = max(len(key) for key, _, _ in rows)
    for key, value, origin in rows:
        click.echo(f"  {key:<{width}}  {value}    [{origin}]")
    return 0


@main.command("config")
@click.argument("file", type=click.Path(path_type=Path), default=Path("."))
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Read this configuration file instead of discovering one.",
)
@click.option("--isolated", is_flag=True, help="Ignore every configuration file.")
def config_command(file: Path, config_path: Path | None, isolated: bool) -> None:
    """Print the settings in force for FILE and where each came from."""
    from persona_lint.engine.run import RunOptions

    sys.exit(_show_settings(RunOptions((file,), config=config_path, isolated=isolated), file))


@main.command()
def rules() -> None:
    """List every rule: code, name, default severity, fixable (F), off by default (O), summary."""
    from persona_lint.rules import all_rules

    click.echo(f"{'code':<5}  {'name':<28} {'severity':<8} {'flags':<5}  summary")
    for rule in all_rules():
        flags = ("F" if rule.fixable else "-") + ("-" if rule.default_enabled else "O")
        click.echo(f"{rule.code}  {rule.name:<28} {rule.severity!s:<8} {flags:<5}  {rule.summary}")


@main.command()
@click.argument("code")
def explain(code: str) -> None:
    """Show the documentation of a rule, by code (PL304) or name (version-semver)."""
    from persona_lint.rules import get_rule
    from persona_lint.rules.docs import render_rule

    rule = get_rule(code)
    if rule is None:
        import difflib

        from persona_lint.rules import all_rules

        words = [w for r in all_rules() for w in (r.code, r.name)]
        close = difflib.get_close_matches(code, words, n=1, cutoff=0.75)
        hint = f"did you mean {close[0]!r}?" if close else "see 'persona-lint rules'"
        raise click.UsageError(f"unknown rule {code!r}; {hint}")
    click.echo(render_rule(rule))


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--output-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write each block to DIR/<file>.<n>.<root>.xml instead of standard output.",
)
def export(file: Path, output_dir: Path | None) -> None:
    """Print each ```xml block of FILE as strictly well-formed XML.

    Bare & and < of the persona dialect become &amp; and &lt;. On standard output each block
    is preceded by a comment naming its line. Exit 1 when a block is not well-formed even
    in the dialect (that block is left out); exit 2 when FILE cannot be read or a block
    cannot be written (a symbolic link where a block goes is neither replaced nor written
    through).
    """
    from persona_lint.config.settings import DEFAULT_MAX_FILE_SIZE
    from persona_lint.document.model import parse_document
    from persona_lint.source.decode import SourceProblem, decode
    from persona_lint.source.files import escape, read_limited
    from persona_lint.source.write import open_output
    from persona_lint.xml.dialect import to_strict_xml

    refused = escape(file)
    if refused is not None:
        _fail(f"{file}: {refused}")
    try:
        data = read_limited(file, DEFAULT_MAX_FILE_SIZE)
    except OSError as exc:
        _fail(f"{file}: cannot read: {exc.strerror or exc}")
    if len(data) > DEFAULT_MAX_FILE_SIZE:
        _fail(f"{file}: larger than {DEFAULT_MAX_FILE_SIZE} bytes")
    text = decode(data)
    if isinstance(text, SourceProblem):
        _fail(f"{file}:{text.line}:{text.column}: {text.message}")
    document = parse_document(str(file), text)
    failed = False
    if output_dir is not None:
        refused = escape(output_dir)
        if refused is not None:
            _fail(f"{output_dir}: {refused}")
        try:
            output_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            _fail(f"{output_dir}: cannot create the folder: {exc.strerror or exc}")
    for index, block in enumerate(document.xml_blocks, start=1):
        if block.parsed.error is not None or block.root_tag is None:
            failed = True
            click.echo(f"{file}:{block.code.fence_line}: block is not well-formed", err=True)
            continue
        strict = to_strict_xml(block.code.content).text
        if output_dir is None:
            click.echo(f"<!-- {file}:{block.code.content_line} -->")
            click.echo(strict, nl=not strict.endswith("\n"))
            continue
        target = output_dir / f"{file.stem}.{index}.{block.root_tag}.xml"
        try:
            with open_output(target) as handle:
                handle.write(strict)
        except OSError as exc:
            _fail(f"{target}: cannot write: {exc.strerror or exc}")
    sys.exit(1 if failed else 0)


def _fail(message: str) -> NoReturn:
    """One line on standard error and exit 2: what every I/O failure of a command gives."""
    click.echo(f"persona-lint: error: {message}", err=True)
    sys.exit(2)


@main.command()
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="PERSONA_LINT_CACHE_DIR",
    help="The cache folder to delete (default: .persona_lint_cache).",
)
def clean(cache_dir: Path | None) -> None:
    """Delete the result cache (never through a symbolic link)."""
    from persona_lint.engine.cache import DEFAULT_DIR
    from persona_lint.engine.cache import clean as remove

    folder = cache_dir or DEFAULT_DIR
    try:
        removed = remove(folder)
    except OSError as exc:
        _fail(f"{folder}: cannot remove the cache: {exc.strerror or exc}")
    click.echo(f"removed {folder}" if removed else f"no cache at {folder}")


@main.command("new")
@click.argument("name")
@click.option(
    "--dir",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="The folder to write <slug>.md in (created when missing).",
)
def new_command(name: str, folder: Path) -> None:
    """Write a new persona skeleton named NAME (such as "Site Reliability Engineer").

    The file, title, active slug, behaviour root and Usage line all follow from NAME;
    version 0.1.0, today's date (the 'today' setting pins it), status draft. Every
    {placeholder} is reported by PL901 until replaced. An existing file is never
    overwritten (exit 2).
    """
    from persona_lint.config.errors import ConfigError
    from persona_lint.config.resolver import Resolver
    from persona_lint.scaffold import ScaffoldError, create, slug_for

    try:
        target = folder / f"{slug_for(name)}.md"
        today = Resolver().settings_for(target).current_date()
        written = create(name, folder, today)
    except (ScaffoldError, ConfigError) as exc:
        click.echo(f"persona-lint: error: {exc}", err=True)
        sys.exit(2)
    click.echo(f"created {written}")


@main.command("server")
def server_command() -> None:
    """Start the language server (LSP over stdio) for editors."""
    from persona_lint.lsp.server import start

    start()


def _entry() -> Any:  # pragma: no cover - console script shim
    return main()
