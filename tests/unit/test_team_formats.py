"""A team's own format declared in configuration (issue 21), through the real command line.

``[team-formats.acme-runbook]`` declares runbooks: Markdown files whose first ```xml block
is a ``<runbook>``, validated against a team schema, with front matter and a rule of their
own. Each test writes a scratch project and runs ``python -m persona_lint`` in it.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CANONICAL, cli

CONFIG = """[team-formats.acme-runbook]
root = "runbook"
code-prefix = "ACME"
schemas = ["schemas/runbook.xsd"]
front-matter = ["title", "owner"]

[[rules]]
code = "ACME301"
name = "runbook-has-rollback"
message = "a runbook says how to roll back"
block = "runbook"
given = "rollback"
then = "exists"
"""
XSD = """<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:element name="runbook">
    <xs:complexType>
      <xs:sequence>
        <xs:element name="service" type="xs:string"/>
        <xs:element name="step" type="xs:string" maxOccurs="unbounded"/>
        <xs:element name="rollback" type="xs:string" minOccurs="0"/>
      </xs:sequence>
      <xs:attribute name="id" type="xs:string" use="required"/>
    </xs:complexType>
  </xs:element>
</xs:schema>
"""
CLEAN = """---
title: Deploy the API
owner: Platform team
---

# Deploy the API

```xml
<runbook id="deploy-api">
  <service>api</service>
  <step>Tag the release & push it</step>
  <step>Watch the error rate < 1% for 10 minutes</step>
  <rollback>Redeploy the previous tag</rollback>
</runbook>
```
"""


def project(tmp_path: Path, config: str = CONFIG, **files: str) -> Path:
    """A scratch project: the configuration, the schema, and ``files`` (name = text)."""
    (tmp_path / ".persona-lint.toml").write_text(config, encoding="utf-8")
    (tmp_path / "schemas").mkdir(exist_ok=True)
    (tmp_path / "schemas" / "runbook.xsd").write_text(XSD, encoding="utf-8")
    for name, text in files.items():
        (tmp_path / name.replace("__", "/")).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name.replace("__", "/")).write_text(text, encoding="utf-8")
    return tmp_path


def concise(tmp_path: Path, *args: str) -> tuple[int, list[str]]:
    """Exit code and the diagnostic lines of a concise, uncached run."""
    result = cli("--no-cache", "--output-format", "concise", *args, cwd=tmp_path)
    lines = [line for line in result.stdout.splitlines() if re.search(r"\[[A-Z]+\d+\]$", line)]
    return result.returncode, lines


def broken(find: str, replace: str) -> str:
    assert find in CLEAN
    return CLEAN.replace(find, replace)


class TestChecks:
    def test_a_clean_runbook_is_clean_and_reported_as_its_format(self, tmp_path: Path) -> None:
        project(tmp_path, **{"deploy.md": CLEAN})
        result = cli("--no-cache", "deploy.md", cwd=tmp_path)
        assert (result.returncode, result.stdout) == (
            0,
            "1 file checked (1 acme-runbook): 0 errors, 0 warnings\n",
        ), result.stderr

    def test_well_formedness_in_the_persona_dialect_at_the_markdown_place(
        self, tmp_path: Path
    ) -> None:
        project(tmp_path, **{"deploy.md": broken("  <service>api</service>", "  <service>api")})
        assert concise(tmp_path, "deploy.md") == (
            1,
            [
                "deploy.md:14:1: error: closing tag </runbook> does not match <service> opened "
                "at line 10, column 3 [ACME201]"
            ],
        )

    def test_schema_violations_at_their_elements(self, tmp_path: Path) -> None:
        text = broken('<runbook id="deploy-api">', "<runbook>")
        text = text.replace("  <service>api</service>\n", "")
        project(
            tmp_path,
            **{"deploy.md": text.replace("  <rollback>", "  <note>x</note>\n  <rollback>")},
        )
        assert concise(tmp_path, "deploy.md") == (
            1,
            [
                "deploy.md:9:1: error: <runbook> is missing <service> (before <step>) [ACME210]",
                "deploy.md:9:1: error: <runbook> is missing the attribute id= [ACME214]",
                "deploy.md:12:3: error: unknown element <note> in <runbook>; expected one of "
                "<service>, <step>, <rollback> [ACME211]",
            ],
        )

    def test_front_matter_missing_key_invalid_yaml_and_none(self, tmp_path: Path) -> None:
        project(
            tmp_path,
            **{
                "a.md": broken("owner: Platform team\n", ""),
                "b.md": broken("owner: Platform team", "owner: [unclosed"),
                "c.md": CLEAN.split("---\n", 2)[2],
            },
        )
        assert concise(tmp_path, ".") == (
            1,
            [
                "a.md:2:1: error: the front matter lacks 'owner' [ACME102]",
                "b.md:3:17: error: invalid YAML: expected ',' or ']', but got '<stream end>' "
                "[ACME101]",
                "c.md:1:1: error: no YAML front matter ('---' on the first line); required "
                "keys: title, owner [ACME102]",
            ],
        )

    def test_its_rules_in_configuration_run_and_persona_rules_do_not(self, tmp_path: Path) -> None:
        config = CONFIG + (
            '\n[[rules]]\ncode = "ACME302"\nname = "gate-exists"\nmessage = "no gate"\n'
            'block = "persona"\ngiven = "//gate"\nthen = "absent"\n'
        )
        text = broken("  <rollback>Redeploy the previous tag</rollback>\n", "")
        project(tmp_path, config, **{"deploy.md": text})
        assert concise(tmp_path, "deploy.md") == (
            1,
            ["deploy.md:9:1: error: a runbook says how to roll back [ACME301]"],
        )


class TestLikeBuiltInRules:
    def test_selection_severity_and_suppression(self, tmp_path: Path) -> None:
        text = broken('<runbook id="deploy-api">', "<runbook>")
        text = text.replace("  <rollback>Redeploy the previous tag</rollback>\n", "")
        project(tmp_path, **{"deploy.md": text})
        assert concise(tmp_path, "--select", "ACME2", "deploy.md")[1] == [
            "deploy.md:9:1: error: <runbook> is missing the attribute id= [ACME214]"
        ]
        warned = CONFIG + '\n[severity]\nacme-runbook-invalid-attribute = "warning"\n'
        warned = warned.replace("[team-formats", 'ignore = ["ACME301"]\n\n[team-formats', 1)
        project(tmp_path, warned)
        assert concise(tmp_path, "deploy.md") == (
            0,
            ["deploy.md:9:1: warning: <runbook> is missing the attribute id= [ACME214]"],
        )
        inside = text.replace(
            "<runbook>", "<!-- persona-lint: disable-next-line ACME214 -->\n<runbook>"
        )
        project(tmp_path, CONFIG, **{"deploy.md": inside})
        assert concise(tmp_path, "--ignore", "ACME301", "deploy.md") == (0, [])

    def test_baseline_records_and_hides_its_findings(self, tmp_path: Path) -> None:
        text = broken('<runbook id="deploy-api">', "<runbook>")
        project(tmp_path, **{"deploy.md": text})
        written = cli("--no-cache", "--write-baseline", "base.json", "deploy.md", cwd=tmp_path)
        assert written.returncode == 0, written.stderr
        entries = json.loads((tmp_path / "base.json").read_text())
        assert "ACME214" in json.dumps(entries)
        assert concise(tmp_path, "--baseline", "base.json", "deploy.md") == (0, [])

    def test_json_sarif_explain_rules_and_config_know_it(self, tmp_path: Path) -> None:
        project(tmp_path, **{"deploy.md": broken('<runbook id="deploy-api">', "<runbook>")})
        report = json.loads(
            cli("--no-cache", "--output-format", "json", "deploy.md", cwd=tmp_path).stdout
        )
        assert [(f["path"], f["format"]) for f in report["files"]] == [
            ("deploy.md", "acme-runbook")
        ]
        sarif = json.loads(
            cli("--no-cache", "--output-format", "sarif", "deploy.md", cwd=tmp_path).stdout
        )
        rules = {r["id"]: r for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
        assert rules["ACME214"]["name"] == "acme-runbook-invalid-attribute"
        assert sarif["runs"][0]["results"][0]["ruleId"] == "ACME214"
        explained = cli("explain", "acme-runbook-missing-element", cwd=tmp_path)
        assert explained.returncode == 0
        assert explained.stdout.splitlines()[0] == "ACME210 (acme-runbook-missing-element)"
        assert "team format acme-runbook" in explained.stdout
        listed = [line.split()[0] for line in cli("rules", cwd=tmp_path).stdout.splitlines()]
        assert [code for code in listed if code.startswith("ACME")] == [
            "ACME101", "ACME102", "ACME201", "ACME202", "ACME203", "ACME210", "ACME211",
            "ACME212", "ACME213", "ACME214", "ACME216", "ACME301",
        ]  # fmt: skip
        shown = cli("config", "deploy.md", cwd=tmp_path).stdout
        assert "The file is checked as: acme-runbook" in shown
        assert re.search(r"team-formats +acme-runbook \(<runbook>, ACME\)", shown), shown


class TestDetection:
    def test_built_in_formats_first_and_the_formats_key_restricts(self, tmp_path: Path) -> None:
        persona_with_runbook = CANONICAL.replace(
            "```xml", "```xml\n<runbook id='x'/>\n```\n\n```xml", 1
        )
        project(tmp_path, **{"deploy.md": CLEAN, "backend-engineer.md": persona_with_runbook})
        shown = cli("config", "backend-engineer.md", cwd=tmp_path).stdout
        assert "The file is checked as: persona" in shown
        only = CONFIG.replace("[team-formats", 'formats = ["acme-runbook"]\n\n[team-formats', 1)
        project(tmp_path, only, **{"backend-engineer.md": CANONICAL})
        result = cli("--no-cache", ".", cwd=tmp_path)
        assert result.stdout.splitlines()[-1] == (
            "1 file checked (1 acme-runbook), 1 skipped (of no format checked): 0 errors, "
            "0 warnings"
        ), result.stdout
        persona_only = CONFIG.replace("[team-formats", 'formats = ["persona"]\n\n[team-formats', 1)
        project(tmp_path, persona_only)
        assert concise(tmp_path, "deploy.md") == (
            1,
            [
                "deploy.md:1:1: error: not a persona document: no version table, no '# <Name> "
                "Persona' title and no <persona_context> block [PL100]"
            ],
        )

    def test_two_folders_may_declare_the_same_format(self, tmp_path: Path) -> None:
        for folder in ("team-a", "team-b"):
            (tmp_path / folder).mkdir()
            text = broken("  <service>api</service>\n", "")
            project(tmp_path / folder, CONFIG.split("[[rules]]")[0], **{"deploy.md": text})
        assert concise(tmp_path, "team-a", "team-b") == (
            1,
            [
                f"{folder}/deploy.md:9:1: error: <runbook> is missing <service> (before "
                "<step>) [ACME210]"
                for folder in ("team-a", "team-b")
            ],
        )


class TestConfigurationErrors:
    @pytest.mark.parametrize(
        ("find", "replace", "error"),
        [
            (
                'root = "runbook"',
                'root = "agent"',
                ".persona-lint.toml:2: root = 'agent' is the root of a built-in format",
            ),
            (
                'code-prefix = "ACME"',
                'code-prefix = "BM"',
                ".persona-lint.toml:3: code-prefix = 'BM': expected 2 to 10 capital letters, "
                "not PL or BM",
            ),
            (
                'root = "runbook"',
                'root = "runbok"',
                ".persona-lint.toml:4: no schema of the team format 'acme-runbook' declares its "
                'root <runbok> (a global <xs:element name="runbok">)',
            ),
            (
                'front-matter = ["title", "owner"]',
                'frontmatter = ["title"]',
                ".persona-lint.toml:5: unknown key 'frontmatter'; did you mean 'front-matter'?",
            ),
            (
                'code = "ACME301"',
                'code = "ACME201"',
                ".persona-lint.toml:3: the team format 'acme-runbook': rule ACME201 "
                "(acme-runbook-xml-syntax) collides with ACME201 runbook-has-rollback of "
                "{config}",
            ),
        ],
    )
    def test_each_is_one_line_at_its_key_and_exit_2(
        self, tmp_path: Path, find: str, replace: str, error: str
    ) -> None:
        project(tmp_path, CONFIG.replace(find, replace), **{"deploy.md": CLEAN})
        result = cli("--no-cache", "deploy.md", cwd=tmp_path)
        config = tmp_path / ".persona-lint.toml"
        assert (result.returncode, result.stdout) == (2, "")
        assert (
            result.stderr
            == f"persona-lint: error: {config}:"
            + error.format(config=config).split(":", 1)[1]
            + "\n"
        )

    def test_a_reused_root_or_prefix_is_an_error_at_the_second_format(self, tmp_path: Path) -> None:
        second = '\n[team-formats.acme-playbook]\nroot = "playbook"\ncode-prefix = "ACME"\n'
        project(tmp_path, CONFIG + second, **{"deploy.md": CLEAN})
        result = cli("--no-cache", "deploy.md", cwd=tmp_path)
        config = tmp_path / ".persona-lint.toml"
        assert (result.returncode, result.stderr) == (
            2,
            f"persona-lint: error: {config}:17: code-prefix = 'ACME' is already the prefix of "
            "the team format 'acme-runbook'\n",
        )
        project(
            tmp_path, CONFIG + second.replace('"playbook"', '"runbook"').replace('"ACME"', '"OPS"')
        )
        result = cli("--no-cache", "deploy.md", cwd=tmp_path)
        assert (result.returncode, result.stderr) == (
            2,
            f"persona-lint: error: {config}:16: root = 'runbook' is already the root of the "
            "team format 'acme-runbook'\n",
        )

    def test_a_broken_schema_is_refused_as_a_team_schema_is(self, tmp_path: Path) -> None:
        project(tmp_path, **{"deploy.md": CLEAN})
        importing = XSD.replace(
            "  <xs:element",
            '  <xs:import namespace="x" schemaLocation="https://e.com/x.xsd"/>\n  <xs:element',
            1,
        )
        (tmp_path / "schemas" / "runbook.xsd").write_text(importing, encoding="utf-8")
        result = cli("--no-cache", "deploy.md", cwd=tmp_path)
        assert (result.returncode, result.stderr) == (
            2,
            "persona-lint: error: schemas/runbook.xsd:3: team schema: xs:import of a URL is not "
            "allowed (list every team schema in 'schemas')\n",
        )


class TestCacheAndWorkers:
    def test_the_schema_bytes_are_part_of_the_cache_key(self, tmp_path: Path) -> None:
        (tmp_path / "p").mkdir()
        project(tmp_path / "p", **{"deploy.md": broken("  <service>api</service>\n", "")})
        env = {
            **os.environ,
            "XDG_CACHE_HOME": str(tmp_path / "home"),
            "PERSONA_LINT_CACHE_DIR": str(tmp_path / "c"),
        }

        def run(linting: bool = True) -> str:
            # linting=False: the linter raises, so only a result served from the cache passes.
            script = (
                "import sys\n"
                "import persona_lint.engine.lint as lint\n"
                f"if not {linting}:\n"
                "    lint.lint_source = None\n"
                "sys.argv = ['persona-lint', '--output-format', 'concise', 'deploy.md']\n"
                "from persona_lint.cli import main\n"
                "main()\n"
            )
            return subprocess.run(
                [sys.executable, "-c", script],
                cwd=tmp_path / "p", env=env, capture_output=True, text=True, check=False,
            ).stdout  # fmt: skip

        first = run()
        assert "[ACME210]" in first and run(linting=False) == first
        relaxed = XSD.replace(
            'name="service" type="xs:string"', 'name="service" type="xs:string" minOccurs="0"'
        )
        (tmp_path / "p" / "schemas" / "runbook.xsd").write_text(relaxed, encoding="utf-8")
        assert run() == "1 file checked (1 acme-runbook): 0 errors, 0 warnings\n"
        (tmp_path / "p" / "schemas" / "runbook.xsd").write_text(XSD, encoding="utf-8")
        assert run(linting=False) == first  # the first definition's entry again
        renamed = CONFIG.replace('"ACME"', '"OPS"').replace('"ACME301"', '"OPS301"')
        (tmp_path / "p" / ".persona-lint.toml").write_text(renamed, encoding="utf-8")
        assert run() == first.replace("[ACME210]", "[OPS210]")

    def test_spawned_workers_check_team_formats_as_one_process_does(self, tmp_path: Path) -> None:
        text = broken('<runbook id="deploy-api">', "<runbook>")
        project(tmp_path, **{f"r{n}.md": text for n in range(55)})
        script = (
            "import sys, urllib.request\n"  # imported as on Linux: it reads the platform
            "sys.platform = 'darwin'\n"
            "sys.argv = ['persona-lint', '--no-cache', '--jobs', '2', '.']\n"
            "from persona_lint.cli import main\n"
            "main()\n"
        )
        spawned = subprocess.run(
            [sys.executable, "-c", script],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=False,
        )
        assert spawned.stdout.count("[ACME214]") == 55, spawned.stdout[-500:] + spawned.stderr
        assert spawned.stdout == cli("--no-cache", "--jobs", "1", ".", cwd=tmp_path).stdout
