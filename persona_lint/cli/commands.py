"""The commands other than ``check``: config, rules, explain, export, clean, new, server."""

from __future__ import annotations

import difflib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

import click

from persona_lint.cli.check import plugin_options, show_settings_for
from persona_lint.config.errors import ConfigError
from persona_lint.config.resolver import Resolver
from persona_lint.config.settings import DEFAULT_MAX_FILE_SIZE
from persona_lint.engine.run import DEFAULT_CACHE_DIR, RunOptions
from persona_lint.formats.names import FORMAT_NAMES
from persona_lint.rules import all_rules, get_rule
from persona_lint.rules.docs import render_rule
from persona_lint.source.decode import SourceProblem, decode
from persona_lint.source.read import escape, read_limited
from persona_lint.source.write import open_output


@click.command("config")
@click.argument("file", type=click.Path(path_type=Path), default=Path("."))
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Read this configuration file instead of discovering one.",
)
@click.option("--isolated", is_flag=True, help="Ignore every configuration file.")
@plugin_options
def config_command(file: Path, config_path: Path | None, isolated: bool) -> None:
    """Print the settings in force for FILE and where each came from."""
    sys.exit(show_settings_for(RunOptions((file,), config=config_path, isolated=isolated), file))


def _configuration_options(command: Callable[..., None]) -> Callable[..., None]:
    """``--config``, ``--isolated`` and the plugin options, for commands that show the rules."""
    command = plugin_options(command)
    command = click.option("--isolated", is_flag=True, help="Ignore every configuration file.")(
        command
    )
    return click.option(
        "--config",
        "config_path",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Read this configuration file instead of discovering one.",
    )(command)


def _read_configuration(config_path: Path | None, isolated: bool) -> None:
    """Read the configuration of the current folder: its rules (and plugins) become known.

    An invalid configuration is one line and exit 2, as for a lint run.
    """
    try:
        Resolver(config_path=config_path, isolated=isolated).settings_for(Path("persona.md"))
    except ConfigError as exc:
        _fail(str(exc))


@click.command()
@_configuration_options
def rules(config_path: Path | None, isolated: bool) -> None:
    """List every rule: code, name, default severity, fixable (F), off by default (O), summary.

    The rules of the current folder's configuration (rules in configuration, plugins) are
    listed with persona-lint's own.
    """
    _read_configuration(config_path, isolated)
    click.echo(f"{'code':<5}  {'name':<28} {'severity':<8} {'flags':<5}  summary")
    for rule in all_rules():
        flags = ("F" if rule.fixable else "-") + ("-" if rule.default_enabled else "O")
        click.echo(f"{rule.code}  {rule.name:<28} {rule.severity!s:<8} {flags:<5}  {rule.summary}")


@click.command("plugins")
@_configuration_options
def plugins_command(config_path: Path | None, isolated: bool) -> None:
    """List the plugins the current folder's configuration loads: name, source, codes.

    Then the installed plugins it does not name (entry points of the group
    persona_lint.rules), which it could enable in 'plugins'.
    """
    # The plugin loader and importlib.metadata: this command only.
    from persona_lint.plugins import available_entry_points, loaded_plugins, plugins_disabled
    from persona_lint.rules.registry import plugin_rules

    _read_configuration(config_path, isolated)
    if plugins_disabled():
        click.echo("plugins are disabled (--no-plugins or PERSONA_LINT_NO_PLUGINS=1)")
    loaded = loaded_plugins()
    for plugin in loaded:
        if plugin.local:
            source = f"{plugin.location} (sha256 {plugin.digest[:12]})"
        else:
            source = f"entry point {plugin.location} ({plugin.digest})"
        codes = ", ".join(rule.code for rule in plugin_rules(plugin.name)) or "(no rule)"
        click.echo(f"{plugin.name}  {source}  {codes}")
    if not loaded:
        click.echo("no plugin loaded")
    enabled = {plugin.name for plugin in loaded}
    for name, distribution in available_entry_points():
        if name not in enabled:
            click.echo(f"{name}  installed ({distribution}), not enabled")


@click.command()
@click.argument("code")
@_configuration_options
def explain(code: str, config_path: Path | None, isolated: bool) -> None:
    """Show the documentation of a rule, by code (PL304) or name (version-semver).

    The rules of the current folder's configuration can be explained too.
    """
    _read_configuration(config_path, isolated)
    rule = get_rule(code)
    if rule is None:
        words = [w for r in all_rules() for w in (r.code, r.name)]
        close = difflib.get_close_matches(code, words, n=1, cutoff=0.75)
        hint = f"did you mean {close[0]!r}?" if close else "see 'persona-lint rules'"
        raise click.UsageError(f"unknown rule {code!r}; {hint}")
    click.echo(render_rule(rule))


@click.command()
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
    # markdown-it and the XML parsers: a lint served from the cache imports neither.
    from persona_lint.document.model import parse_document
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


@click.command()
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="PERSONA_LINT_CACHE_DIR",
    help="The cache folder to delete (default: .persona_lint_cache).",
)
def clean(cache_dir: Path | None) -> None:
    """Delete the result cache (never through a symbolic link)."""
    from persona_lint.engine.cache import clean as clean_cache  # hashlib...: see engine.run

    folder = cache_dir or DEFAULT_CACHE_DIR
    try:
        removed = clean_cache(folder)
    except OSError as exc:
        _fail(f"{folder}: cannot remove the cache: {exc.strerror or exc}")
    click.echo(f"removed {folder}" if removed else f"no cache at {folder}")


@click.command("new")
@click.argument("name")
@click.option(
    "--dir",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="The folder to write <slug>.md in (created when missing).",
)
@click.option(
    "--format",
    "format_name",
    type=click.Choice(FORMAT_NAMES),
    default="persona",
    show_default=True,
    help="The kind of document to write (see Formats in the README).",
)
def new_command(name: str, folder: Path, format_name: str) -> None:
    """Write a new persona skeleton named NAME (such as "Site Reliability Engineer").

    The file, title, active slug, behaviour root and Usage line all follow from NAME;
    version 0.1.0, today's date (the 'today' setting pins it), status draft. Every
    {placeholder} is reported by PL901 until replaced. With --format bmad-agent, a BMAD
    agent file <slug>.md that lints clean. An existing file is never overwritten (exit 2).
    """
    from persona_lint.formats import get_format  # the parsers: see export
    from persona_lint.scaffold import ScaffoldError, write_new

    kind = get_format(format_name)
    assert kind is not None, format_name  # click.Choice allows only known names
    try:
        target = folder / kind.file_name(name)
        today = Resolver().settings_for(target).current_date()
        written = write_new(target, kind.scaffold(name, today))
    except (ScaffoldError, ConfigError) as exc:
        click.echo(f"persona-lint: error: {exc}", err=True)
        sys.exit(2)
    click.echo(f"created {written}")


@click.command("server")
def server_command() -> None:
    """Start the language server (LSP over stdio) for editors."""
    from persona_lint.lsp.server import start  # pygls: the language server alone

    start()
