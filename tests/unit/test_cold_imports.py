"""What a one-persona cold run imports: only what it needs (issue 22, the one-file cold start).

A fresh interpreter runs the command line on one persona, with no configuration and no
cache, and lists the modules it imported. The modules below are needed by other kinds of
run (a BMAD file, a configuration, another command, a report format, an error); each one
imported here costs every one-file run its import time.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import click

from persona_lint.cli import OTHER_COMMANDS, main

ROOT = Path(__file__).resolve().parents[2]
PERSONA = ROOT / "personas" / "backend-engineer.md"

# Runs the command line as the console script does, then prints every imported module.
PROBE = """
import sys
from persona_lint.cli import main
try:
    main(sys.argv[1:], prog_name="persona-lint")
except SystemExit as exit_:
    code = exit_.code
print("MODULES", " ".join(sorted(sys.modules)), file=sys.stderr)
sys.exit(code)
"""

# Modules (and their submodules) a persona run must not import, and who needs them.
NOT_ON_THE_COLD_PATH = (
    "persona_lint.formats.bmad",  # a BMAD agent file
    "persona_lint.formats.bmad_scaffold",  # persona-lint new --format bmad-agent
    "persona_lint.rules.bmad",  # the BM rule family: a BMAD agent file
    "persona_lint.cli.commands",  # the commands other than check
    "persona_lint.rules.docs",  # explain, SARIF
    "persona_lint.config.team_rules",  # rules in configuration
    "persona_lint.config.team_formats",  # a team's own format
    "persona_lint.formats.team",
    "persona_lint.plugins",
    "persona_lint.engine.cache",  # --no-cache
    "persona_lint.baseline",
    "persona_lint.changes",  # --changed-since
    "persona_lint.fix",  # --fix, --add-noqa
    "persona_lint.lsp",  # the language server
    "persona_lint.formatters.json_report",  # the machine formats
    "persona_lint.formatters.sarif",
    "xmlschema",  # explains an invalid block only
    "markdown_it",  # the line scanner reads this persona
    "yaml",  # BMAD front matter
    "tomllib",  # a configuration file
    "json",  # configuration messages, the cache, machine formats
    "difflib",  # a did-you-mean
    "traceback",  # --show-traceback
    "multiprocessing",  # --jobs, from 200 files
    "concurrent",
    "importlib.metadata",  # plugins
)


def _cold_run_modules(tmp_path: Path) -> set[str]:
    """The modules ``persona-lint --no-cache one-persona.md`` imports, in a fresh process."""
    shutil.copy(PERSONA, tmp_path / "backend-engineer.md")
    done = subprocess.run(
        [sys.executable, "-c", PROBE, "--no-cache", "backend-engineer.md"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines()[-1] == "1 file checked: 0 errors, 0 warnings"
    line = next(item for item in done.stderr.splitlines() if item.startswith("MODULES "))
    return set(line.split()[1:])


def test_a_persona_run_imports_only_what_it_needs(tmp_path: Path) -> None:
    modules = _cold_run_modules(tmp_path)
    imported = sorted(
        name
        for name in modules
        if any(
            name == avoided or name.startswith(avoided + ".") for avoided in NOT_ON_THE_COLD_PATH
        )
    )
    assert imported == []
    # It did lint the persona: the parsers and the persona families were loaded.
    assert {"lxml.etree", "persona_lint.rules.version", "persona_lint.formats.persona"} <= modules


def test_every_other_command_is_found_by_its_name() -> None:
    context = click.Context(main)
    for name in OTHER_COMMANDS:
        command = main.get_command(context, name)
        assert command is not None and command.name == name
    assert main.list_commands(context) == sorted(["check", *OTHER_COMMANDS])
