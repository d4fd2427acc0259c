"""``extend`` and a team's codes: a file selects what only the file it extends defines.

The rules in configuration and the plugins of an ``extend`` chain are read base first, so
a file's ``select``, ``ignore``, ``severity`` and ``per-file-ignores`` may name the codes of
its base's rules and plugins (they were unknown while the file was checked before its base).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import CANONICAL, cli_process

# A rule in configuration that finds the canonical persona's perspective (16:5) too long.
BASE_RULE = """
[[rules]]
code = "ACME103"
name = "short-perspective"
severity = "warning"
message = "the perspective is longer than 60 characters"
block = "persona"
given = "persona_identity/perspective"
then = "length"
max = 60
"""
PLUGIN = '''"""A plugin whose rule reports every persona at 1:1."""

from persona_lint.api import finding, rule, Severity


@rule("ACME901", "always", Severity.WARNING, "always reports")
def always(document, context):
    """Always reports."""
    yield finding("ACME901", document, 1, 1, "always")
'''


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")


def lint(cwd: Path, *args: str) -> tuple[int, list[str], str]:
    """Exit code, ``path:line:col CODE`` of each diagnostic, standard error."""
    result = cli_process("--no-cache", "--output-format", "concise", *args, cwd=cwd)
    found = re.findall(r"^(\S+:\d+:\d+): .*\[(\w+)\]$", result.stdout, re.M)
    return result.returncode, [f"{place} {code}" for place, code in found], result.stderr


def test_a_file_ignores_a_rule_in_configuration_that_only_its_base_defines(
    tmp_path: Path,
) -> None:
    write(
        tmp_path,
        {
            "base.toml": BASE_RULE,
            "team/.persona-lint.toml": 'extend = "../base.toml"\n',
            "team/backend-engineer.md": CANONICAL,
        },
    )
    assert lint(tmp_path, "team") == (0, ["team/backend-engineer.md:16:5 ACME103"], "")
    (tmp_path / "team/.persona-lint.toml").write_text(
        'extend = "../base.toml"\nignore = ["ACME103"]\n'
    )
    assert lint(tmp_path, "team") == (0, [], "")
    (tmp_path / "team/.persona-lint.toml").write_text(
        'extend = "../base.toml"\n[severity]\nshort-perspective = "error"\n'
    )
    assert lint(tmp_path, "team") == (1, ["team/backend-engineer.md:16:5 ACME103"], "")


def test_a_file_selects_a_plugin_code_that_only_its_base_loads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PERSONA_LINT_LOCAL_PLUGINS", "1")  # a trusted repository's plugin
    write(
        tmp_path,
        {
            "shared/base.toml": 'plugins = ["always.py"]\n',
            "shared/always.py": PLUGIN,
            ".persona-lint.toml": 'extend = "shared/base.toml"\nselect = ["ACME9"]\n',
            "backend-engineer.md": CANONICAL,
        },
    )
    assert lint(tmp_path, "backend-engineer.md") == (0, ["backend-engineer.md:1:1 ACME901"], "")
    # Under --no-plugins the base's plugin is not loaded: its codes stay nameable.
    assert lint(tmp_path, "--no-plugins", "backend-engineer.md") == (0, [], "")


def test_an_unknown_code_is_still_an_error_at_the_line_of_the_file_naming_it(
    tmp_path: Path,
) -> None:
    write(
        tmp_path,
        {
            "base.toml": BASE_RULE,
            ".persona-lint.toml": 'extend = "base.toml"\n\nignore = ["ACME104"]\n',
            "backend-engineer.md": CANONICAL,
        },
    )
    code, found, stderr = lint(tmp_path, "backend-engineer.md")
    assert (code, found) == (2, [])
    assert stderr == (
        f"persona-lint: error: {tmp_path / '.persona-lint.toml'}:3: 'ignore': unknown rule code "
        "or name 'ACME104'; did you mean 'ACME103'?\n"
    )
