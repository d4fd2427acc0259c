"""Python plugins (issue 19): loaded only when configured, contained when they fail.

Every test runs the real command line in a scratch folder: a loaded plugin registers its
rules in the process that loads it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CANONICAL, cli_process

PLUGIN = '''\
"""Our team's persona rules."""

from persona_lint.api import Document, RuleContext, Severity, finding, rule


@rule("ACME201", "security-gate", Severity.ERROR, "a gate about security")
def security_gate(document: Document, context: RuleContext):
    """A gate about security.

    ## What it does
    Reports each gate that names security.
    """
    block = document.persona_context
    if block is None or block.root is None:
        return
    for gate in block.root.iter("gate"):
        if "Security" in (gate.text or ""):
            line, column = block.locate(gate)
            yield finding("ACME201", document, line, column, "a gate about security")
'''
RAISES = '''

@rule("ACME202", "always-fails", Severity.WARNING, "a rule with a bug")
def always_fails(document, context):
    """A rule with a bug."""
    raise RuntimeError("kaboom")
'''
CONFIG = 'plugins = ["tools/our_rules.py"]\ntoday = 2026-11-26\n'
FOUND = "backend-engineer.md:42:7: error: a gate about security [ACME201]"


def project(folder: Path, plugin: str = PLUGIN, config: str = CONFIG) -> Path:
    (folder / "tools").mkdir(exist_ok=True)
    (folder / "tools" / "our_rules.py").write_text(plugin, encoding="utf-8")
    (folder / ".persona-lint.toml").write_text(config, encoding="utf-8")
    (folder / "backend-engineer.md").write_text(CANONICAL, encoding="utf-8")
    return folder


def lines(folder: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, list[str]]:
    result = subprocess.run(
        [sys.executable, "-m", "persona_lint", "--no-cache", "--output-format", "concise",
         *args, "backend-engineer.md"],
        cwd=folder, capture_output=True, text=True, check=False,
        env={**os.environ, **(env or {})},
    )  # fmt: skip
    return result.returncode, result.stdout.splitlines() + result.stderr.splitlines()


@pytest.fixture(autouse=True)
def _local_plugins_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests run a trusted repository's plugins: the runs allow local ones."""
    monkeypatch.setenv("PERSONA_LINT_LOCAL_PLUGINS", "1")


def test_a_local_plugins_rules_run(tmp_path: Path) -> None:
    assert lines(project(tmp_path)) == (1, [FOUND, "1 file checked: 1 error, 0 warnings"])


RAN = 'open("ran.txt", "w").write("the pull request\'s code ran")\n'
REFUSED = (
    "persona-lint: error: {config}:1: plugin 'tools/our_rules.py' is a module of the "
    "repository, which a pull request may bring: it runs only with --local-plugins (or "
    "PERSONA_LINT_LOCAL_PLUGINS=1); --no-plugins lints without it"
)


def test_a_module_of_the_repository_runs_only_when_the_run_allows_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pull request that brings a module and a configuration naming it runs nothing."""
    monkeypatch.delenv("PERSONA_LINT_LOCAL_PLUGINS")
    folder = project(tmp_path, RAN + PLUGIN)
    refused = REFUSED.format(config=folder / ".persona-lint.toml")
    assert lines(folder) == (2, [refused])
    for command in ("rules", "explain ACME201", "plugins", "config backend-engineer.md"):
        result = cli_process(*command.split(), cwd=folder)
        assert (result.returncode, result.stderr.splitlines()) == (2, [refused]), command
    assert not (folder / "ran.txt").exists()
    # The run says so: the option, or the variable (the language server reads it too).
    assert lines(folder, "--local-plugins") == (1, [FOUND, "1 file checked: 1 error, 0 warnings"])
    assert (folder / "ran.txt").exists()
    (folder / "ran.txt").unlink()
    assert lines(folder, env={"PERSONA_LINT_LOCAL_PLUGINS": "1"})[0] == 1
    assert (folder / "ran.txt").exists()
    (folder / "ran.txt").unlink()
    # --no-plugins lints without it, in every command that reads the configuration.
    assert lines(folder, "--no-plugins") == (0, ["1 file checked: 0 errors, 0 warnings"])
    listed = cli_process("rules", "--no-plugins", cwd=folder)
    assert listed.returncode == 0 and "ACME201" not in listed.stdout
    assert cli_process("plugins", "--local-plugins", cwd=folder).stdout.startswith(
        "tools/our_rules.py"
    )
    assert (folder / "ran.txt").exists()


def test_a_rule_that_raises_is_pl001_naming_the_plugin(tmp_path: Path) -> None:
    assert lines(project(tmp_path, PLUGIN + RAISES)) == (
        1,
        [
            "backend-engineer.md:1:1: error: internal error in rule ACME202 (always-fails) "
            "of plugin tools/our_rules.py: RuntimeError: kaboom [PL001]",
            FOUND,
            "1 file checked: 2 errors, 0 warnings",
        ],
    )


@pytest.mark.parametrize("how", ["option", "variable"])
def test_no_plugins_loads_none_and_tolerates_their_codes(tmp_path: Path, how: str) -> None:
    marker = "open('imported', 'w').close()\n"
    project(tmp_path, marker + PLUGIN, CONFIG + 'severity = { ACME201 = "warning" }\n')
    args, env = (
        (["--no-plugins"], None) if how == "option" else ([], {"PERSONA_LINT_NO_PLUGINS": "1"})
    )
    assert lines(tmp_path, *args, env=env) == (0, ["1 file checked: 0 errors, 0 warnings"])
    assert not (tmp_path / "imported").exists()
    assert lines(tmp_path)[1][0] == FOUND.replace("error", "warning")
    assert (tmp_path / "imported").exists()


def test_one_plugin_name_for_two_modules_in_one_run_is_an_error(tmp_path: Path) -> None:
    """Two folders' tools/our_rules.py would run each other's rules: refused, not mixed."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    project(tmp_path / "a")
    project(tmp_path / "b", PLUGIN.replace("ACME201", "BETA201"))
    result = subprocess.run(
        [sys.executable, "-m", "persona_lint", "--no-cache", "a", "b"],
        cwd=tmp_path, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 2, result.stdout
    assert "plugin 'tools/our_rules.py' names two modules in one run" in result.stderr
    assert lines(tmp_path / "a")[0] == 1  # each folder alone still runs its plugin


def test_no_plugins_still_refuses_a_typo_in_persona_lints_own_codes(tmp_path: Path) -> None:
    """Only a team's letters are tolerated: PLX9 is a typo that would empty the selection."""
    project(tmp_path, PLUGIN, CONFIG + 'select = ["ACME", "PLX9"]\n')
    code, found = lines(tmp_path, "--no-plugins")
    assert code == 2
    assert len(found) == 1 and "unknown rule code or name 'PLX9'" in found[0], found


@pytest.mark.parametrize(
    ("plugin", "config", "message"),
    [
        ("raise ValueError('at import')\n", CONFIG,
         "plugin 'tools/our_rules.py' failed to load: ValueError: at import"),
        ("def broken(:\n", CONFIG, "plugin 'tools/our_rules.py' failed to load: SyntaxError"),
        (PLUGIN.replace("ACME201", "PL304"), CONFIG,
         "plugin 'tools/our_rules.py' failed to load: ValueError: rule code 'PL304': a plugin's codes"),
        (PLUGIN.replace("ACME201", "BM990"), CONFIG,
         "plugin 'tools/our_rules.py' failed to load: ValueError: rule code 'BM990': a plugin's codes"),
        (PLUGIN, CONFIG + '[[rules]]\ncode = "ACME201"\nname = "x"\nmessage = "m"\n'
         'block = "persona"\ngiven = "gate"\nthen = "absent"\n',
         "rules[0]: rule ACME201 (x) collides with ACME201 security-gate of plugin 'tools/our_rules.py'"),
        (PLUGIN, 'plugins = ["../our_rules.py"]\n',
         "plugin '../our_rules.py': a path relative to the configuration's folder"),
        (PLUGIN, 'plugins = ["tools/missing.py"]\n',
         "plugin 'tools/missing.py': cannot read: No such file or directory"),
        (PLUGIN, 'plugins = ["not-installed"]\n',
         "plugin 'not-installed': no installed package declares it"),
        ("import sys\nsys.exit(3)\n", CONFIG, "plugin 'tools/our_rules.py' failed to load: SystemExit: 3"),
    ],
)  # fmt: skip
def test_a_plugin_that_cannot_load_is_one_configuration_error(
    tmp_path: Path, plugin: str, config: str, message: str
) -> None:
    code, found = lines(project(tmp_path, plugin, config))
    assert code == 2
    assert len(found) == 1
    assert found[0].startswith("persona-lint: error: "), found
    assert message in found[0], found
    assert "Traceback" not in found[0]


def test_a_link_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "rules.py").write_text(PLUGIN, encoding="utf-8")
    inner = tmp_path / "repo"
    inner.mkdir()
    project(inner)
    (inner / "tools" / "our_rules.py").unlink()
    (inner / "tools" / "our_rules.py").symlink_to(outside / "rules.py")
    code, found = lines(inner)
    assert (code, found) == (
        2,
        [
            f"persona-lint: error: {inner}/.persona-lint.toml:1: plugin 'tools/our_rules.py' "
            "leads out of the configuration's folder"
        ],
    )


def test_only_the_files_of_the_configuration_naming_it_run_it(tmp_path: Path) -> None:
    project(tmp_path)
    other = tmp_path / "other"
    other.mkdir()
    (other / ".persona-lint.toml").write_text('ignore = ["PL4"]\n', encoding="utf-8")
    (other / "x.md").write_text(CANONICAL.replace("backend-engineer", "x"), encoding="utf-8")
    result = cli_process("--no-cache", "backend-engineer.md", "other/x.md", cwd=tmp_path)
    assert result.stdout.splitlines() == [FOUND, "2 files checked: 1 error, 0 warnings"]


def test_workers_and_cache_see_the_same_plugin(tmp_path: Path) -> None:
    project(tmp_path)
    for number in range(55):
        (tmp_path / f"p{number}.md").write_text(
            CANONICAL.replace("backend-engineer", f"p{number}"), encoding="utf-8"
        )
    one = cli_process("--no-cache", "--jobs", "1", ".", cwd=tmp_path)
    two = cli_process("--no-cache", "--jobs", "2", ".", cwd=tmp_path)
    assert one.stdout == two.stdout
    assert one.stdout.count("[ACME201]") == 56
    cached = ("--cache-dir", str(tmp_path / "cache"), "backend-engineer.md")
    assert cli_process(*cached, cwd=tmp_path).stdout.splitlines()[0] == FOUND
    (tmp_path / "tools" / "our_rules.py").write_text(
        PLUGIN.replace("a gate about security", "changed"), encoding="utf-8"
    )
    assert cli_process(*cached, cwd=tmp_path).stdout.splitlines()[0] == FOUND.replace(
        "a gate about security", "changed"
    )


def test_spawned_workers_load_the_plugin_before_their_first_file(tmp_path: Path) -> None:
    # On Linux workers are forked with the plugin loaded; elsewhere they are spawned afresh
    # and load it from the settings. Pretending to be another system spawns them here.
    project(tmp_path, config=CONFIG + 'ignore = ["PL4", "PL8"]\n')
    for number in range(55):
        (tmp_path / f"p{number}.md").write_text(CANONICAL, encoding="utf-8")
    script = (
        "import sys\n"
        "sys.platform = 'darwin'\n"
        "sys.argv = ['persona-lint', '--no-cache', '--jobs', '2', '.']\n"
        "from persona_lint.cli import main\n"
        "main()\n"
    )
    spawned = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert spawned.stdout.count("[ACME201]") == 56, spawned.stdout[-500:]
    assert spawned.stdout == cli_process("--no-cache", "--jobs", "1", ".", cwd=tmp_path).stdout


def test_the_plugins_command_lists_what_is_loaded(tmp_path: Path) -> None:
    project(tmp_path, PLUGIN + RAISES)
    result = cli_process("plugins", cwd=tmp_path)
    assert result.returncode == 0
    name, location, codes = result.stdout.splitlines()[0].split("  ")
    assert (name, codes) == ("tools/our_rules.py", "ACME201, ACME202")
    assert re.fullmatch(
        re.escape(f"{os.path.realpath(tmp_path)}/tools/our_rules.py (sha256 ") + "[0-9a-f]{12}\\)",
        location,
    ), location
    assert cli_process("rules", cwd=tmp_path).stdout.splitlines()[1].split()[:3] == [
        "ACME201",
        "security-gate",
        "error",
    ]
    explained = cli_process("explain", "ACME201", cwd=tmp_path).stdout
    assert "Reports each gate that names security." in explained


def test_without_plugins_no_entry_point_is_looked_up(tmp_path: Path) -> None:
    (tmp_path / "backend-engineer.md").write_text(CANONICAL, encoding="utf-8")
    script = (
        "import sys\n"
        "sys.argv = ['persona-lint', '--no-cache', 'backend-engineer.md']\n"
        "from persona_lint.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('importlib.metadata' in sys.modules, 'persona_lint.plugins' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert result.stdout.splitlines()[-1] == "False False"
