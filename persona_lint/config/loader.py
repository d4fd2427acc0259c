"""Finding and reading configuration files: bounded, strict, with errors at their line.

Settings come from ``[tool.persona-lint]`` in ``pyproject.toml`` or from
``.persona-lint.toml`` (the same keys at the top level). :func:`config_file_at` says
whether discovery finds a file in a folder, :func:`load_file` reads and checks one into a
:class:`Layer`, :func:`load_chain` follows its ``extend`` (the layers of the files it builds
on, base first), and :func:`command_line_layer` checks the command-line options the same
way. Which layer governs which file is :mod:`persona_lint.config.resolver`'s business.

A pull request writes these files, so they are read like a persona: a regular file inside
the tree, at most :data:`MAX_CONFIG_SIZE` bytes, UTF-8; TOML nested too deeply or holding
an integer too long for Python is an error like any other, never a traceback.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from persona_lint.config.errors import ConfigError
from persona_lint.config.keys import validate
from persona_lint.config.readers import ExtendTarget, Source, read_extend
from persona_lint.config.toml_lines import KeyPath, deepest_line
from persona_lint.source.read import escape, read_capped

CONFIG_NAME = ".persona-lint.toml"
PYPROJECT = "pyproject.toml"
SECTION = "tool.persona-lint"
# The largest configuration file read: a pyproject.toml of a large project is tens of KB.
MAX_CONFIG_SIZE = 1024 * 1024
# The most files one configuration extends in a row (a shared file's own base included).
MAX_EXTEND_DEPTH = 8


class Layer(NamedTuple):
    """The checked values of one source (a file, or the command line), with their origin.

    Attributes:
        origin: The file's path, or ``command line``: ``persona-lint config`` shows it.
        values: Key -> checked value, for the keys the source sets.
    """

    origin: str
    values: Mapping[str, Any]


def config_file_at(candidate: Path) -> bool:
    """Whether discovery finds a configuration file at ``candidate``.

    A folder reached through a link out of the current directory is not searched (its files
    are not linted either); anything else there but a folder is a configuration file, which
    :func:`load_file` then refuses unless it is a regular file inside the tree.
    """
    if escape(candidate.parent, strict_last=False) is not None:
        return False
    try:
        found = os.stat(candidate)
    except (FileNotFoundError, NotADirectoryError):
        return os.path.islink(candidate)  # a dangling link: load_file says so
    except OSError as exc:  # EACCES: a file there may or may not govern the run
        raise ConfigError(f"{candidate}: cannot look for configuration: {exc.strerror}") from None
    return not stat.S_ISDIR(found.st_mode)


def load_chain(path: Path, *, outside_ok: bool = False) -> tuple[Layer, ...] | None:
    """The layers of a configuration file and of the files it extends, base first.

    None for a pyproject.toml without the table. ``extend`` builds on another file (ruff's
    model): its layers come first, this file's on top, each file's paths and globs relative
    to its own folder. A missing file, a cycle, or a chain of more than
    :data:`MAX_EXTEND_DEPTH` files is an error at the ``extend`` that names it.
    ``outside_ok``: the file is one the user named outside the current directory.

    Every file of the chain is read first, then checked base first: the rules in
    configuration and the plugins a base defines are known when a file building on it
    names their codes (in ``select``, ``ignore``, ``severity``...).
    """
    head = _read_table(path, outside_ok=outside_ok)
    if head is None:
        return None
    chain = [head]
    seen = [os.path.realpath(path)]
    while (target := _extend_of(chain[0])) is not None:
        real = os.path.realpath(target.path)
        if real in seen:
            raise target.fail(f"'extend': {target.path} closes a cycle of configuration files")
        if len(chain) > MAX_EXTEND_DEPTH:
            raise target.fail(f"'extend': more than {MAX_EXTEND_DEPTH} files extended in a row")
        if not os.path.isfile(target.path):
            raise target.fail(f"'extend': no such configuration file {target.path}")
        base = _read_table(target.path, outside_ok=target.outside_ok)
        if base is None:
            raise target.fail(f"'extend': {target.path} has no [{SECTION}] table")
        chain.insert(0, base)
        seen.append(real)
    layers = []
    plugins_skipped = False
    for source, raw in chain:
        # A base's plugins not loaded (--no-plugins): the files on top may name their codes.
        source.plugins_skipped = plugins_skipped
        layers.append(Layer(str(source.file), validate(source, raw)))
        plugins_skipped = plugins_skipped or source.plugins_skipped
    return tuple(layers)


def load_file(path: Path, *, outside_ok: bool = False) -> Layer | None:
    """Read and check one configuration file; None for a pyproject.toml without the table.

    Its ``extend`` is checked, not followed (:func:`load_chain` follows it).
    """
    table = _read_table(path, outside_ok=outside_ok)
    return None if table is None else Layer(str(path), validate(*table))


def _read_table(path: Path, *, outside_ok: bool) -> tuple[Source, dict[str, Any]] | None:
    """persona-lint's table of one configuration file, unchecked, with its source.

    None for a pyproject.toml without the table. Read like a persona: a regular file only,
    at most :data:`MAX_CONFIG_SIZE` bytes, and not through a link leading out of the current
    directory (a link to /proc/self/environ, or to another user's files, would be parsed,
    and parts of it echoed in errors).
    """
    text = _read_text(path)
    data = _parse_toml(path, text)
    table: KeyPath = ()
    if path.name == PYPROJECT:
        tool = data.get("tool")
        if not isinstance(tool, dict) or "persona-lint" not in tool:
            return None
        raw, table, where = tool["persona-lint"], ("tool", "persona-lint"), f"{path} [{SECTION}]"
    else:
        raw, where = data, str(path)
    source = Source(where, path.parent.absolute(), str(path), text, table, outside_ok)
    if not isinstance(raw, dict):
        raise source.fail((), "must be a table")
    return source, raw


def _extend_of(table: tuple[Source, dict[str, Any]]) -> ExtendTarget | None:
    """The file that a table's ``extend`` names (checked), if it has one."""
    source, raw = table
    return None if "extend" not in raw else read_extend(source, ("extend",), raw["extend"])


def _read_text(path: Path) -> str:
    """The file's text, or a ConfigError saying why it cannot be read."""
    refused = escape(path, strict_last=False)
    if refused is not None:
        raise ConfigError(f"{path}: {refused.replace('followed', 'read')}", str(path))
    try:
        return read_capped(path, MAX_CONFIG_SIZE).decode("utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: cannot read configuration: no such file", str(path)) from None
    except OSError as exc:
        raise ConfigError(
            f"{path}: cannot read configuration: {exc.strerror or exc}", str(path)
        ) from None
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"{path}: cannot read configuration: not UTF-8 (byte {exc.start + 1})", str(path)
        ) from None


def _parse_toml(path: Path, text: str) -> dict[str, Any]:
    """The TOML document, or a ConfigError naming the file and the line of the problem."""
    # Imported here: a tree without configuration never needs tomllib (~3 ms).
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    line: int | None
    try:
        data: dict[str, Any] = tomllib.loads(text)
        return data
    except tomllib.TOMLDecodeError as exc:
        problem, line = _decode_error(str(exc), text)
    except RecursionError:  # tomllib recurses once per nested array or inline table
        problem, line = "arrays or tables nested too deeply", deepest_line(text)
    except ValueError:  # int() refuses more digits than sys.get_int_max_str_digits()
        problem = "an integer has more digits than Python reads"
        found = _LONG_INTEGER.search(text)
        line = text.count("\n", 0, found.start()) + 1 if found else None
    place = f"{path}:{line}" if line else str(path)
    raise ConfigError(f"{place}: invalid TOML: {problem}", str(path), line)


# Python's default limit on the digits of an integer (sys.get_int_max_str_digits()): 4300.
_LONG_INTEGER = re.compile(r"\d(?:_?\d){4300}")


def _decode_error(message: str, text: str) -> tuple[str, int]:
    """The problem and the line of a tomllib error, whose message ends with where it is."""
    at = re.search(r" \(at line (\d+), column (\d+)\)$", message)
    if at is not None:
        return f"{message[: at.start()]} (column {at.group(2)})", int(at.group(1))
    problem = message.removesuffix(" (at end of document)")
    return problem, text.rstrip("\n").count("\n") + 1


def command_line_layer(
    select: Iterable[str] = (),
    extend_select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    strict: bool = False,
) -> Layer:
    """Options given on the command line, checked like a file's keys.

    Args:
        select: Selectors, each possibly a comma- or space-separated list.
        extend_select: Likewise, for ``extend-select``.
        ignore: Likewise, for ``ignore``.
        strict: ``--warnings-as-errors``.
    """
    raw: dict[str, Any] = {}
    for key, given in (("select", select), ("extend-select", extend_select), ("ignore", ignore)):
        items = [part for item in given for part in re.split(r"[,\s]+", item) if part]
        if items:
            raw[key] = items
    if strict:
        raw["strict"] = True
    return Layer("command line", validate(Source("command line", Path.cwd()), raw))
