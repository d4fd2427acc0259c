"""Rule options in configuration (``rule-options``), through the real command line.

A rule's options (BM301's runtime variables and install placeholders, PL801's named
holders, a plugin rule's) are set per rule by code or name, checked against the defaults'
kinds, merged option by option through ``extend``, part of the cache key, seen by worker
processes, shown by ``persona-lint config`` and ``explain``.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CANONICAL, ROOT, cli, cli_process

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

_CASE = tomllib.loads((ROOT / "tests/rules/BM202.toml").read_text("utf-8"))["case"][0]
GREETING = "greet {user_name}</step>"
# A BMAD agent whose step 2 (line 12) also names {docs_folder} and {HELP_STEP}.
AGENT = (
    _CASE["document"]
    .lstrip("\n")
    .replace("<!DOCTYPE agent>\n", "")
    .replace(GREETING, "greet {user_name}; save to {docs_folder}, then {HELP_STEP}</step>")
)
STEP = AGENT.split("\n")[11]
DOCS_FOLDER = f"pm.md:12:{STEP.index('{docs_folder}') + 1} BM301"
HELP_STEP = f"pm.md:12:{STEP.index('{HELP_STEP}') + 1} BM301"
RUNTIME = '"project-root", "user_name", "communication_language", "HELP_STEP"'
INSTALLED = '"bmad_folder", "agent-filename", "docs_folder"'


def lint(cwd: Path, *args: str, process: bool = False) -> tuple[int, list[str], str]:
    """Exit code, ``path:line:col CODE`` of each diagnostic, standard error (in a process
    of its own with ``process``: worker processes, plugins)."""
    run = cli_process if process else cli
    result = run("--output-format", "concise", *args, cwd=cwd)
    found = re.findall(r"^(\S+:\d+:\d+): .*\[(\w+)\]$", result.stdout, re.M)
    return result.returncode, [f"{place} {code}" for place, code in found], result.stderr


def messages(cwd: Path, *args: str) -> list[str]:
    result = cli("--no-cache", "--output-format", "concise", *args, cwd=cwd)
    return [line for line in result.stdout.splitlines() if "[" in line]


@pytest.fixture
def agent(tmp_path: Path) -> Path:
    (tmp_path / "pm.md").write_text(AGENT, encoding="utf-8")
    return tmp_path


def test_without_options_the_defaults_apply(agent: Path) -> None:
    assert lint(agent, "--no-cache", "pm.md") == (1, [HELP_STEP], "")


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("rule", ["BM301", "unresolved-placeholder"])
def test_a_table_per_rule_sets_its_options(agent: Path, rule: str, jobs: str) -> None:
    (agent / "pyproject.toml").write_text(
        f"[tool.persona-lint.rule-options.{rule}]\n"
        f"runtime-variables = [{RUNTIME}]\ninstall-placeholders = [{INSTALLED}]\n",
        encoding="utf-8",
    )
    (agent / "team").mkdir()
    (agent / "team/pm.md").write_text(AGENT, encoding="utf-8")
    other = DOCS_FOLDER.replace("pm.md", "team/pm.md")
    assert lint(
        agent, "--no-cache", "--jobs", jobs, "pm.md", "team/pm.md", process=jobs != "1"
    ) == (
        1,
        [DOCS_FOLDER, other],
        "",
    )


@pytest.mark.parametrize(
    ("table", "line", "error"),
    [
        (
            "[rule-options.BM3011]\nx = 1\n",
            1,
            "'rule-options': unknown rule code or name 'BM3011'; did you mean 'BM301'?",
        ),
        (
            "[rule-options.stringified-object]\nx = 1\n",
            1,
            "'rule-options': rule BM302 (stringified-object) has no options",
        ),
        (
            "[rule-options.BM301]\n\nruntime-variable = []\n",
            3,
            "'rule-options.BM301': unknown option 'runtime-variable'; "
            "did you mean 'runtime-variables'?",
        ),
        (
            '[rule-options.BM301]\nruntime-variables = "HELP_STEP"\n',
            2,
            "'rule-options.BM301.runtime-variables' must be a list of strings, like its default",
        ),
        (
            "[rule-options.BM301]\ninstall-placeholders = [1]\n",
            2,
            "'rule-options.BM301.install-placeholders' must be a list of strings, like its default",
        ),
        (
            "[rule-options.duplicate-slug]\nnamed-holders = true\n",
            2,
            "'rule-options.duplicate-slug.named-holders' must be a whole number from 0, like "
            "its default",
        ),
        (
            "[rule-options.PL801]\nnamed-holders = -1\n",
            2,
            "'rule-options.PL801.named-holders' must be a whole number from 0, like its default",
        ),
        (
            "[rule-options.PL801]\nnamed-holders = 1\n[rule-options.duplicate-slug]\n"
            "named-holders = 2\n",
            3,
            "'rule-options': rule PL801 (duplicate-slug) is set twice",
        ),
        (
            "[rule-options]\nBM301 = 3\n",
            2,
            "'rule-options.BM301' must be a table of option = value",
        ),
        ("rule-options = 3\n", 1, "'rule-options' must be a table of rule = { option = value }"),
    ],
)
def test_a_wrong_table_is_a_configuration_error_at_its_line(
    agent: Path, table: str, line: int, error: str
) -> None:
    config = agent / ".persona-lint.toml"
    config.write_text(table, encoding="utf-8")
    assert lint(agent, "--no-cache", "pm.md") == (
        2,
        [],
        f"persona-lint: error: {config}:{line}: {error}\n",
    )


def test_extend_merges_the_tables_option_by_option(agent: Path) -> None:
    (agent / "base.toml").write_text(
        f"[rule-options.BM301]\ninstall-placeholders = [{INSTALLED}]\nruntime-variables = []\n",
        encoding="utf-8",
    )
    (agent / ".persona-lint.toml").write_text(
        f'extend = "base.toml"\n[rule-options.BM301]\nruntime-variables = [{RUNTIME}]\n',
        encoding="utf-8",
    )
    # install-placeholders from the base, runtime-variables from the file on top.
    assert lint(agent, "--no-cache", "pm.md") == (1, [DOCS_FOLDER], "")
    shown = cli("config", "pm.md", cwd=agent).stdout
    row = next(line for line in shown.splitlines() if line.lstrip().startswith("rule-options"))
    assert f"BM301.runtime-variables = [{RUNTIME}]" in row
    assert f"BM301.install-placeholders = [{INSTALLED}]" in row
    assert "PL801.named-holders = 3" in row
    assert row.endswith(f"[{agent / '.persona-lint.toml'}; also set in {agent / 'base.toml'}]")


def test_changing_an_option_changes_a_cached_result(agent: Path) -> None:
    config = agent / ".persona-lint.toml"
    assert lint(agent, "pm.md") == (1, [HELP_STEP], "")
    config.write_text(f"[rule-options.BM301]\nruntime-variables = [{RUNTIME}]\n")
    assert lint(agent, "pm.md") == (0, [], "")
    config.write_text(f"[rule-options.BM301]\ninstall-placeholders = [{INSTALLED}]\n")
    assert lint(agent, "pm.md") == (1, [DOCS_FOLDER, HELP_STEP], "")
    assert (agent / ".persona_lint_cache").is_dir()


def test_a_cross_file_rule_takes_each_files_options(tmp_path: Path) -> None:
    for folder in ("a", "b"):
        for name in ("one", "two", "three"):
            (tmp_path / folder).mkdir(exist_ok=True)
            (tmp_path / folder / f"{name}.md").write_text(CANONICAL, encoding="utf-8")
    (tmp_path / "a/.persona-lint.toml").write_text("[rule-options.PL801]\nnamed-holders = 1\n")
    found = [
        m for m in messages(tmp_path, "--select", "PL801", "a", "b") if m.startswith("a/one.md")
    ]
    assert found == [
        "a/one.md:10:26: error: active='backend-engineer' is also used by a/three.md and 4 more "
        "[PL801]"
    ]
    found = [
        m for m in messages(tmp_path, "--select", "PL801", "a", "b") if m.startswith("b/one.md")
    ]
    assert found == [
        "b/one.md:10:26: error: active='backend-engineer' is also used by a/one.md, a/three.md, "
        "a/two.md and 2 more [PL801]"
    ]


PLUGIN = '''"""A plugin rule with an option."""

from persona_lint.api import Severity, finding, rule


@rule("ACME501", "banned-words", Severity.WARNING, "a banned word", options={"words": ["Go"]})
def banned_words(document, context):
    """A banned word is used."""
    for number, line in enumerate(document.lines, start=1):
        for word in context.options["words"]:
            if word in line:
                yield finding("ACME501", document, number, line.index(word) + 1, word)
'''


def test_a_plugin_rule_declares_options_the_same_way(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PERSONA_LINT_LOCAL_PLUGINS", "1")  # a trusted repository's plugin
    (tmp_path / "banned.py").write_text(PLUGIN, encoding="utf-8")
    (tmp_path / "backend-engineer.md").write_text(CANONICAL, encoding="utf-8")
    config = tmp_path / ".persona-lint.toml"
    config.write_text(
        'plugins = ["banned.py"]\n[rule-options.ACME501]\nwords = ["Backend Engineer"]\n'
    )
    assert lint(tmp_path, "--no-cache", "backend-engineer.md", process=True) == (
        0,
        ["backend-engineer.md:5:3 ACME501", "backend-engineer.md:13:11 ACME501"],
        "",
    )
    explained = cli_process("explain", "ACME501", cwd=tmp_path).stdout.strip().splitlines()
    assert explained[-2:] == [
        "Options (defaults shown), set in [tool.persona-lint.rule-options.ACME501] of "
        "pyproject.toml or [rule-options.ACME501] of .persona-lint.toml:",
        '    words = ["Go"]  (a list of strings)',
    ]
    config.write_text('plugins = ["banned.py"]\n[rule-options.ACME501]\nword = ["x"]\n')
    assert lint(tmp_path, "--no-cache", "backend-engineer.md", process=True)[2] == (
        f"persona-lint: error: {config}:3: 'rule-options.ACME501': unknown option 'word'; "
        "did you mean 'words'?\n"
    )
    # Under --no-plugins the plugin's code may stay in the table, unread.
    assert lint(tmp_path, "--no-cache", "--no-plugins", "backend-engineer.md", process=True) == (
        0,
        [],
        "",
    )


def test_explain_shows_each_option_with_its_default_and_where_to_set_it(tmp_path: Path) -> None:
    explained = cli("explain", "BM301", cwd=tmp_path).stdout.strip().splitlines()
    assert explained[-3:] == [
        "Options (defaults shown), set in [tool.persona-lint.rule-options.BM301] of "
        "pyproject.toml or [rule-options.BM301] of .persona-lint.toml:",
        '    runtime-variables = ["project-root", "user_name", "communication_language", '
        '"document_output_language", "output_folder", "project_name", "user_skill_level"]  '
        "(a list of strings)",
        '    install-placeholders = ["bmad_folder", "bmad-folder", "agent-filename"]  '
        "(a list of strings)",
    ]


def test_spawned_workers_take_the_options_from_the_settings(agent: Path) -> None:
    # Workers spawned afresh (as on macOS and Windows) know only what the settings carry.
    (agent / ".persona-lint.toml").write_text(
        f"[rule-options.BM301]\nruntime-variables = [{RUNTIME}]\n"
        f"install-placeholders = [{INSTALLED}]\n",
        encoding="utf-8",
    )
    (agent / "team").mkdir()
    (agent / "team/pm.md").write_text(AGENT, encoding="utf-8")
    script = (
        "import sys\n"
        "sys.platform = 'darwin'\n"
        "sys.argv = ['persona-lint', '--no-cache', '--output-format', 'concise', '--jobs', '2',"
        " 'pm.md', 'team/pm.md']\n"
        "from persona_lint.cli import main\n"
        "main()\n"
    )
    spawned = subprocess.run(
        [sys.executable, "-c", script], cwd=agent, capture_output=True, text=True, check=False
    )
    found = re.findall(r"^(\S+:\d+:\d+): .*\[(\w+)\]$", spawned.stdout, re.M)
    assert [f"{place} {code}" for place, code in found] == [
        DOCS_FOLDER,
        DOCS_FOLDER.replace("pm.md", "team/pm.md"),
    ], spawned.stderr
