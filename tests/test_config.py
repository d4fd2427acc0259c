"""Configuration discovery, precedence, every key, inline suppressions and config errors."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CANONICAL, ROOT, cli, edit, lint, triples

from persona_lint.config import KEYS, ConfigError, Resolver, command_line_layer, load_file

BAD_VERSION = edit("| 1.0.0   |", "| 1.0     |")  # PL304 at 3:3


def tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def codes_of(result: subprocess.CompletedProcess[str]) -> list[str]:
    return re.findall(r"\[(PL\d{3})\]$", result.stdout, re.MULTILINE)


class TestDiscovery:
    def test_nearest_file_wins_and_dot_file_beats_pyproject(self, tmp_path: Path) -> None:
        tree(
            tmp_path,
            {
                "pyproject.toml": '[tool.persona-lint]\nignore = ["PL304"]\n',
                "a/backend-engineer.md": BAD_VERSION,
                "b/pyproject.toml": '[tool.persona-lint]\nselect = ["PL3"]\n',
                "b/.persona-lint.toml": 'ignore = ["PL3"]\n',
                "b/backend-engineer.md": BAD_VERSION,
                "c/pyproject.toml": "[tool.black]\nline-length = 80\n",  # no table: not a config
                "c/backend-engineer.md": BAD_VERSION,
            },
        )
        result = cli(".", "--ignore", "PL801", cwd=tmp_path)
        assert result.returncode == 0, result.stdout
        assert codes_of(result) == []
        resolver = Resolver()
        origins = [resolver.layer_for(tmp_path / folder / "x.md") for folder in "abc"]
        assert [layer.origin if layer else None for layer in origins] == [
            str((tmp_path / "pyproject.toml").absolute()),
            str((tmp_path / "b" / ".persona-lint.toml").absolute()),
            str((tmp_path / "pyproject.toml").absolute()),
        ]

    def test_precedence_cli_over_file_over_defaults(self, tmp_path: Path) -> None:
        tree(
            tmp_path,
            {
                ".persona-lint.toml": 'ignore = ["PL304"]\n',
                "backend-engineer.md": BAD_VERSION,
            },
        )
        assert cli("backend-engineer.md", cwd=tmp_path).returncode == 0
        extended = cli("backend-engineer.md", "--select", "PL304", cwd=tmp_path)
        assert codes_of(extended) == ["PL304"]
        assert codes_of(cli("--isolated", "backend-engineer.md", cwd=tmp_path)) == ["PL304"]

    def test_explicit_config_file(self, tmp_path: Path) -> None:
        tree(
            tmp_path,
            {
                "cfg/strict.toml": 'severity = { PL407 = "error" }\n',
                "x/backend.md": CANONICAL,
            },
        )
        result = cli("--config", "cfg/strict.toml", "x/backend.md", cwd=tmp_path)
        assert result.returncode == 1
        assert ": error: file name 'backend.md'" in result.stdout

    def test_show_settings_names_origins(self, tmp_path: Path) -> None:
        tree(tmp_path, {".persona-lint.toml": 'statuses = ["draft", "live"]\n'})
        result = cli("config", "x.md", cwd=tmp_path)
        assert result.returncode == 0
        lines = {line.split()[0]: line for line in result.stdout.splitlines()[1:]}
        assert lines["statuses"].split() == [
            "statuses",
            "draft,",
            "live",
            f"[{tmp_path / '.persona-lint.toml'}]",
        ]
        assert lines["today"].endswith("[default]")
        shown = cli("--show-settings", "x.md", "--select", "PL304", cwd=tmp_path)
        # The codes saying a file was not checked are always selected (issue 16).
        selected = "PL001, PL002, PL003, PL004, PL100, PL304"
        assert f"select            {selected}    [command line]" in shown.stdout


def settings_with(tmp_path: Path, toml: str, name: str = "backend-engineer.md") -> object:
    (tmp_path / ".persona-lint.toml").write_text(toml, encoding="utf-8")
    return Resolver().settings_for(tmp_path / name)


class TestKeys:
    def test_select_extend_select_ignore(self, tmp_path: Path) -> None:
        from persona_lint.settings import Settings

        s = settings_with(
            tmp_path, 'select = ["PL3"]\nextend-select = ["title-format"]\nignore = ["PL304"]\n'
        )
        assert isinstance(s, Settings) and s.select is not None
        assert sorted(s.select) == [
            *("PL001", "PL002", "PL003", "PL004", "PL100"),  # always (issue 16)
            *("PL301", "PL302", "PL303", "PL305", "PL306", "PL307", "PL308", "PL310", "PL311"),
            "PL401",
        ]

    def test_severity_override_and_off(self, tmp_path: Path) -> None:
        from persona_lint.linter import lint_source
        from persona_lint.settings import Settings

        s = settings_with(tmp_path, 'severity = { PL304 = "warning", "file-name-slug" = "off" }\n')
        assert isinstance(s, Settings)
        result = lint_source("x.md", BAD_VERSION, s)
        assert [(d.code, d.severity.value) for d in result.diagnostics] == [("PL304", "warning")]

    def test_per_file_ignores(self, tmp_path: Path) -> None:
        tree(
            tmp_path,
            {
                ".persona-lint.toml": '[per-file-ignores]\n"legacy/*.md" = ["PL304", "PL407"]\n',
                "legacy/old.md": BAD_VERSION,
                "new/backend-engineer.md": BAD_VERSION,
            },
        )
        result = cli(".", "--ignore", "PL801", cwd=tmp_path)
        assert codes_of(result) == ["PL304"]
        assert "new/backend-engineer.md:3:3" in result.stdout

    def test_exclude_and_extend_exclude_and_force_exclude(self, tmp_path: Path) -> None:
        tree(
            tmp_path,
            {
                ".persona-lint.toml": 'extend-exclude = ["drafts", "**/wip-*.md"]\n',
                "drafts/backend-engineer.md": BAD_VERSION,
                "team/wip-backend.md": BAD_VERSION,
                "team/backend-engineer.md": CANONICAL,
            },
        )
        assert (
            cli(".", cwd=tmp_path).stdout.splitlines()[-1] == "1 file checked: 0 errors, 0 warnings"
        )
        assert cli("drafts/backend-engineer.md", cwd=tmp_path).returncode == 1
        forced = cli("--force-exclude", "drafts/backend-engineer.md", cwd=tmp_path)
        assert forced.returncode == 0
        assert forced.stdout == "0 files checked: 0 errors, 0 warnings\n"

    def test_exclude_replaces_the_default_folder_excludes(self, tmp_path: Path) -> None:
        tree(
            tmp_path,
            {
                "node_modules/pkg/backend-engineer.md": BAD_VERSION,
                "drafts/backend-engineer.md": BAD_VERSION,
            },
        )
        # By default node_modules is never walked; drafts is.
        assert "node_modules" not in cli(".", cwd=tmp_path).stdout
        (tmp_path / ".persona-lint.toml").write_text('exclude = ["drafts"]\n')
        result = cli(".", cwd=tmp_path)
        assert result.stdout.splitlines()[0].startswith("node_modules/pkg/backend-engineer.md:")
        assert "drafts" not in result.stdout

    def test_required_gates_policy_per_file(self, tmp_path: Path) -> None:
        tree(
            tmp_path,
            {
                ".persona-lint.toml": (
                    "[required-gates]\n"
                    'topics = { docs = ["documentation"], privacy = ["privacy", "gdpr"] }\n'
                    'default = ["security", "docs"]\n'
                    '[required-gates.per-file]\n"strict/*.md" = ["privacy"]\n'
                ),
                "strict/backend-engineer.md": CANONICAL,
                "backend-engineer.md": CANONICAL,
            },
        )
        result = cli(".", "--ignore", "PL801", cwd=tmp_path)
        assert codes_of(result) == ["PL502"]
        assert (
            "strict/backend-engineer.md:39:5: error: no gate covers the required topic 'privacy'"
            in result.stdout
        )

    def test_statuses_max_file_size_today_strict(self, tmp_path: Path) -> None:
        future = edit("| 2025-07-11   |", "| 2026-01-02   |").replace("| stable |", "| live   |")
        tree(
            tmp_path,
            {
                ".persona-lint.toml": (
                    'statuses = ["live"]\ntoday = 2026-01-01\nmax-file-size = 20000\nstrict = true\n'
                ),
                "backend-engineer.md": future,
                "huge/backend-engineer.md": CANONICAL + "x" * 20000,
                "named/backend.md": CANONICAL.replace("| stable |", "| live   |"),
            },
        )
        result = cli("backend-engineer.md", "huge/backend-engineer.md", cwd=tmp_path)
        assert codes_of(result) == ["PL306", "PL003"]
        assert (
            "huge/backend-engineer.md:1:1: error: file is larger than max-file-size (20000 bytes)"
            in result.stdout
        )
        warning_only = cli("named/backend.md", cwd=tmp_path)
        assert codes_of(warning_only) == ["PL407"]
        assert warning_only.returncode == 1  # strict: warnings fail


class TestInlineSuppression:
    def test_disable_next_line(self) -> None:
        text = edit("| 1.0.0   |", "| 1.0     |").replace(
            "| version |", "<!-- persona-lint: disable-next-line PL302 -->\n| version |"
        )
        # the comment shifts the table: it is no longer the first block
        found = triples(lint(text).diagnostics)
        assert ("PL304", 4, 3) in found and ("PL005", 1, 1) in found

    def test_disable_line_inside_xml_block(self) -> None:
        text = edit("</perspective>", "</perspective> <!-- persona-lint: disable-line PL704 -->")
        assert triples(lint(text).diagnostics) == [("PL005", 16, 105)]
        dup = edit(
            "<tool>Redis for caching and session management</tool>",
            "<tool>Redis for caching and session management</tool>\n"
            "      <tool>Redis for caching and session management</tool> "
            "<!-- persona-lint: disable-line duplicate-item -->",
        )
        assert lint(dup).diagnostics == ()

    def test_disable_file_and_ranges(self) -> None:
        text = BAD_VERSION + "\n<!-- persona-lint: disable-file PL304 -->"
        assert lint(text).diagnostics == ()
        ranged = BAD_VERSION.replace(
            "| version |", "<!-- persona-lint: disable -->\n\n| version |"
        ).replace(
            "# Backend Engineer Persona",
            "<!-- persona-lint: enable -->\n\n# Backend Engineer",
        )
        # PL301 and PL304 fall inside the range; the broken title (line 9) does not.
        assert triples(lint(ranged).diagnostics) == [("PL401", 9, 3)]

    def test_unknown_code_in_suppression(self) -> None:
        text = CANONICAL + "\n<!-- persona-lint: disable-file PL999 -->"
        result = lint(text)
        assert triples(result.diagnostics) == [("PL006", 216, 1)]
        assert result.diagnostics[0].message == "unknown rule 'PL999' in a persona-lint suppression"

    def test_unused_suppression_can_itself_be_disabled(self) -> None:
        text = (
            CANONICAL
            + "\n<!-- persona-lint: disable-file PL005 -->\n<!-- persona-lint: disable-next-line -->\n"
        )
        assert lint(text).diagnostics == ()


class TestErrors:
    @pytest.mark.parametrize(
        ("toml", "message"),
        [
            (
                'selct = ["PL3"]\n',
                ".persona-lint.toml:1: unknown key 'selct'; did you mean 'select'?",
            ),
            (
                'ignore = ["PL99"]\n',
                ".persona-lint.toml:1: 'ignore': unknown rule code or name 'PL99'",
            ),
            (
                'ignore = ["versoin-semver"]\n',
                ".persona-lint.toml:1: 'ignore': unknown rule code or name 'versoin-semver'; did you mean 'version-semver'?",
            ),
            ('statuses = "stable"\n', ".persona-lint.toml:1: 'statuses' must be a list of strings"),
            (
                "max-file-size = -1\n",
                ".persona-lint.toml:1: 'max-file-size' must be a positive whole number of bytes",
            ),
            (
                'today = "yesterday"\n',
                ".persona-lint.toml:1: 'today' must be a date such as 2025-07-11",
            ),
            (
                'exclude = ["[abc"]\n',
                ".persona-lint.toml:1: 'exclude': bad glob '[abc': unclosed '[' in glob",
            ),
            (
                'severity = { PL304 = "fatal" }\n',
                '.persona-lint.toml:1: \'severity\': PL304 = \'fatal\'; expected "error", "warning" or "off"',
            ),
            ("\n\nselect = [\n", ".persona-lint.toml: invalid TOML: "),
            (
                '[required-gates]\ndefault = ["securty"]\n',
                ".persona-lint.toml:2: required-gates.default: unknown topic 'securty'; did you mean 'security'?",
            ),
        ],
    )
    def test_config_errors_exit_2_with_one_clear_message(
        self, tmp_path: Path, toml: str, message: str
    ) -> None:
        tree(tmp_path, {".persona-lint.toml": toml, "backend-engineer.md": CANONICAL})
        result = cli("backend-engineer.md", cwd=tmp_path)
        assert result.returncode == 2
        assert result.stdout == ""
        (line,) = result.stderr.splitlines()
        assert line.startswith(
            "persona-lint: error: "
            + str(tmp_path / ".persona-lint.toml").removesuffix(".persona-lint.toml")
        )
        assert message in line

    def test_pyproject_error_names_the_table(self, tmp_path: Path) -> None:
        tree(
            tmp_path,
            {"pyproject.toml": '[project]\nname = "x"\n\n[tool.persona-lint]\nignor = []\n'},
        )
        with pytest.raises(ConfigError) as error:
            load_file(tmp_path / "pyproject.toml")
        assert str(error.value) == (
            f"{tmp_path / 'pyproject.toml'} [tool.persona-lint]:5: unknown key 'ignor'; "
            "did you mean 'ignore'?"
        )

    def test_cli_option_errors(self, tmp_path: Path) -> None:
        result = cli("--ignore", "PL99", "x.md", cwd=tmp_path)
        assert result.returncode == 2
        assert result.stderr.strip() == (
            "persona-lint: error: command line: 'ignore': unknown rule code or name 'PL99'; "
            "did you mean 'PL901'?"
        )
        with pytest.raises(ConfigError):
            command_line_layer(select=["nope"])


class TestRunFlags:
    def test_exit_zero_and_statistics(self, tmp_path: Path) -> None:
        tree(tmp_path, {"backend-engineer.md": BAD_VERSION, "backend.md": BAD_VERSION})
        result = cli("--exit-zero", "--statistics", ".", cwd=tmp_path)
        assert result.returncode == 0
        assert "    2  PL304  version-semver" in result.stdout.splitlines()
        assert "    1  PL407  file-name-slug" in result.stdout.splitlines()

    def test_warnings_as_errors(self, tmp_path: Path) -> None:
        tree(tmp_path, {"backend.md": CANONICAL})
        assert cli("backend.md", cwd=tmp_path).returncode == 0
        assert cli("--warnings-as-errors", "backend.md", cwd=tmp_path).returncode == 1

    def test_stdin_with_filename(self, tmp_path: Path) -> None:
        result = subprocess.run(
            [sys.executable, "-m", "persona_lint", "-", "--stdin-filename", "personas/backend.md"],
            input=BAD_VERSION,
            capture_output=True,
            text=True,
            check=False,
            cwd=tmp_path,
        )
        assert result.returncode == 1
        assert result.stdout.splitlines()[:2] == [
            "personas/backend.md:1:1: warning: file name 'backend.md' does not match the persona's slug 'backend-engineer'; expected 'backend-engineer.md' [PL407]",
            "personas/backend.md:3:3: error: version '1.0' is not SemVer (MAJOR.MINOR.PATCH) [PL304]",
        ]


def test_readme_documents_every_key() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"^\| `([a-z-]+)` \|", section, re.MULTILINE))
    assert documented == set(KEYS)


def test_readme_example_configuration_is_valid(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = readme.split("Example (`pyproject.toml`):\n\n```toml\n", 1)[1].split("```", 1)[0]
    (tmp_path / "pyproject.toml").write_text(example, encoding="utf-8")
    layer = load_file(tmp_path / "pyproject.toml")
    assert layer is not None
    assert set(layer.values) == {
        "extend-select",
        "ignore",
        "severity",
        "statuses",
        "extend-exclude",
        "today",
        "per-file-ignores",
        "required-gates",
    }
