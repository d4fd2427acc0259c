"""Rules in configuration (issue 19): each condition, and every place built-in rules go.

Runs that read a configuration with ``[[rules]]`` are real processes: reading one makes its
rules known to this process's registry, which other tests list. The conditions themselves
are checked in process through Settings, which carries the rules.
"""

from __future__ import annotations

import datetime
import json
import random
import re
from pathlib import Path

import pytest
from conftest import CANONICAL, cli, cli_process, edit, lint, triples

from persona_lint.diagnostics import Severity
from persona_lint.formats.bmad_scaffold import agent_skeleton
from persona_lint.rules.configured import ConfiguredRule
from persona_lint.rules.linear_regex import PatternRefused, compile_pattern, full_match
from persona_lint.rules.xpath import XPathRefused, compile_xpath

GATES = "quality_standards/mandatory_gates/gate"
# The canonical persona: persona_context at 10:1, gates at 40:7 ... 44:7, metrics at
# 47:7 ... 51:7, the behaviour block at 179:1.
RULES_TOML = """\
today = 2026-11-26

[[rules]]
code = "ACME101"
name = "gate-owner"
message = "gate '{value}' names no owner"
block = "persona"
given = "quality_standards/mandatory_gates/gate"
then = "pattern"
pattern = ".*(owner|Owner).*"

[[rules]]
code = "ACME102"
name = "few-metrics"
severity = "warning"
message = "at most 3 metrics ({value} found)"
block = "persona"
given = "//metric"
then = "count"
max = 3
"""
GATE_LINES = [40, 41, 42, 43, 44]


def team_rule(then: str, given: str = GATES, **fields: object) -> ConfiguredRule:
    return ConfiguredRule(
        code="ACME101",
        name="team-rule",
        severity=Severity.ERROR,
        message="found {value}",
        block=str(fields.pop("block", "persona")),
        given=given,
        then=then,
        **fields,  # type: ignore[arg-type]
    )


def team_findings(rule: ConfiguredRule, text: str = CANONICAL) -> list[tuple[str, int, int]]:
    found = lint(text, team_rules=(rule,)).diagnostics
    return [t for t in triples(found) if t[0] == "ACME101"]


def messages(rule: ConfiguredRule, text: str = CANONICAL) -> list[str]:
    return [d.message for d in lint(text, team_rules=(rule,)).diagnostics if d.code == "ACME101"]


class TestConditions:
    def test_exists_is_at_the_blocks_root_when_nothing_matches(self) -> None:
        assert team_findings(team_rule("exists", "mandatory_gates")) == [("ACME101", 10, 1)]
        assert team_findings(team_rule("exists")) == []

    def test_absent_is_at_each_match(self) -> None:
        assert team_findings(team_rule("absent")) == [("ACME101", n, 7) for n in GATE_LINES]
        assert team_findings(team_rule("absent", "nothing_here")) == []

    def test_count_too_few_at_the_root_too_many_at_the_first_beyond(self) -> None:
        assert team_findings(team_rule("count", minimum=6)) == [("ACME101", 10, 1)]
        assert team_findings(team_rule("count", maximum=3)) == [("ACME101", 43, 7)]
        assert team_findings(team_rule("count", minimum=5, maximum=5)) == []
        assert messages(team_rule("count", maximum=3)) == ["found 5"]

    def test_pattern_checks_each_value_whole(self) -> None:
        rule = team_rule("pattern", pattern="[A-Z][a-z]+ .*")
        assert team_findings(rule) == [("ACME101", 40, 7)]  # "API design ..."
        assert messages(rule) == ["found API design and documentation compliance"]

    def test_unique_reports_each_repeat(self) -> None:
        text = edit(
            "<gate>Database schema and transaction integrity</gate>",
            "<gate>API design and documentation compliance</gate>",
        )
        assert team_findings(team_rule("unique"), text) == [("ACME101", 41, 7)]
        assert team_findings(team_rule("unique")) == []

    def test_enum_and_attribute(self) -> None:
        rule = team_rule(
            "enum", "/persona_context", values=("frontend-engineer",), attribute="active"
        )
        assert team_findings(rule) == [("ACME101", 10, 1)]
        assert messages(rule) == ["found backend-engineer"]
        allowed = rule._replace(values=("backend-engineer",))
        assert team_findings(allowed) == []

    def test_an_element_with_too_many_attributes_stops_the_rule_with_a_finding(self) -> None:
        """elementpath reads lxml's attributes one by name: 8 s for 50,000 of them."""
        many = " ".join(f"a{i}='v'" for i in range(300))
        text = CANONICAL.replace("<tool>", f"<tool {many}>", 1)
        rule = team_rule("exists", "//tool[@zz]")
        assert team_findings(rule, text) == [("ACME101", 10, 1)]
        assert messages(rule, text) == [
            "an element of the block has more than 256 attributes: rule ACME101 (in "
            "configuration) is not evaluated"
        ]
        assert team_findings(rule) == [("ACME101", 10, 1)]  # evaluated: no tool has zz
        assert messages(rule) == ["found "]

    def test_a_rule_on_the_agent_block_runs_on_bmad_agents(self) -> None:
        """``block = "agent"`` was accepted and never run: a BMAD team's rule passed in silence."""
        agent = agent_skeleton("Release Manager", datetime.date(2026, 1, 1))  # items 32-34
        rule = team_rule("count", "menu/item", block="agent", maximum=2)
        assert team_findings(rule, agent) == [("ACME101", 34, 3)]
        assert team_findings(rule._replace(maximum=3), agent) == []
        assert team_findings(rule) == []  # a persona has no agent block

    def test_length_bounds(self) -> None:
        assert team_findings(team_rule("length", maximum=38)) == [
            ("ACME101", 40, 7),
            ("ACME101", 41, 7),
            ("ACME101", 42, 7),
            ("ACME101", 43, 7),
        ]
        assert team_findings(team_rule("length", minimum=1, maximum=60)) == []

    def test_behavior_block_and_a_root_name(self) -> None:
        rule = team_rule("exists", "development_approach", block="behavior")
        assert team_findings(rule) == []
        assert team_findings(rule._replace(given="no_such_section")) == [("ACME101", 179, 1)]
        named = rule._replace(block="backend_engineer_behavior", given="no_such_section")
        assert team_findings(named) == [("ACME101", 179, 1)]

    def test_a_value_rather_than_elements_is_at_the_root(self) -> None:
        rule = team_rule("enum", "count(//gate)", values=("4",))
        assert team_findings(rule) == [("ACME101", 10, 1)]
        assert messages(rule) == ["found 5"]

    def test_a_block_beyond_the_cap_is_one_finding_not_a_pass(self) -> None:
        many = "<team_notes>" + "<n/>" * 5000 + "</team_notes>\n  <error_handling_philosophy>"
        text = edit("  <error_handling_philosophy>", "  " + many)
        assert team_findings(team_rule("exists"), text) == [("ACME101", 10, 1)]
        assert messages(team_rule("exists"), text) == [
            "the block has more than 5,000 elements: rule ACME101 (in configuration) is not "
            "evaluated"
        ]
        assert (
            team_findings(team_rule("exists", "development_approach", block="behavior"), text) == []
        )

    def test_not_selected_does_not_run(self) -> None:
        rule = team_rule("absent")
        found = lint(CANONICAL, team_rules=(rule,), select=frozenset({"PL304"})).diagnostics
        assert found == ()


class TestBounds:
    @pytest.mark.parametrize(
        ("expression", "reason"),
        [
            ("//a[../b]", "'..' inside a predicate"),
            ("//a[//b]", "'//' inside a predicate"),
            ("//a[/x]", "an absolute path inside a predicate"),
            ("//a/following::b", "'following' is not evaluated"),
            ("//a/following-sibling::b", "the axis 'following-sibling'"),
            ("id('x')", "'id' is not evaluated"),
            ("//a//b", "more than 1 step over any number of levels"),
            ("a/descendant::b//c", "more than 1 step over any number of levels"),
            ("//*" + "/ancestor-or-self::*" * 11, "more than 1 step over any number of levels"),
            ("a/ancestor::b/ancestor::c", "more than 1 step over any number of levels"),
            ("a" + "[b]" * 9, "more than 8 predicates"),
            ("for $i in 1 to 9 return $i", "unexpected unparsed variable reference"),
            ("a" * 257, "longer than 256"),
            ("a[", "unexpected end of source"),
        ],
    )
    def test_unbounded_xpath_is_refused(self, expression: str, reason: str) -> None:
        with pytest.raises(XPathRefused, match=re.escape(reason)):
            compile_xpath(expression)

    @pytest.mark.parametrize(
        ("pattern", "reason"),
        [
            (r"(a)\1", "groupref"),
            ("(?=a)a", "assert"),
            ("a++", "possessive"),
            (r"\bx", "at cannot"),
            ("(?i)a", "inline flags"),
            ("a{300}", "more than 256 states"),
            ("(", "not a regular expression"),
        ],
    )
    def test_patterns_an_automaton_cannot_match_are_refused(
        self, pattern: str, reason: str
    ) -> None:
        with pytest.raises(PatternRefused, match=re.escape(reason)):
            compile_pattern(pattern)

    def test_the_automaton_agrees_with_re(self) -> None:
        patterns = [
            "a*b", "(a|b)*c", "x{2,4}", "[a-z]+-[0-9]+", "^ab$", "(ab)?c", r"\d{3}",
            "[^a]*", "a.b", "(a*)*", r"\w+ \s?x", "(a|)+", "ab{0,2}c", "", r"\D\S\W",
        ]  # fmt: skip
        draw = random.Random(19)
        for pattern in patterns:
            for _ in range(200):
                text = "".join(draw.choice("abcx-1 2\n_") for _ in range(draw.randint(0, 7)))
                assert full_match(pattern, text) == bool(re.fullmatch(pattern, text)), (
                    pattern,
                    text,
                )

    def test_catastrophic_patterns_answer_on_long_text(self) -> None:
        # re.fullmatch would backtrack exponentially (the first) or cubically (the second).
        assert full_match("(a|a)*b", "a" * 100_000) is False
        assert full_match(r"\s*\s*\s*x", " " * 100_000) is False
        assert full_match(r"\s*\s*\s*x", " " * 100_000 + "x") is True


def write(folder: Path, config: str = RULES_TOML, persona: str = CANONICAL) -> Path:
    (folder / ".persona-lint.toml").write_text(config, encoding="utf-8")
    (folder / "backend-engineer.md").write_text(persona, encoding="utf-8")
    return folder


def concise(folder: Path, *args: str) -> tuple[int, list[str]]:
    result = cli(
        "--no-cache", "--output-format", "concise", *args, "backend-engineer.md", cwd=folder
    )
    return result.returncode, result.stdout.splitlines() + result.stderr.splitlines()


EXPECTED = [
    *(f"backend-engineer.md:{n}:7: error: gate '{gate}' names no owner [ACME101]"
      for n, gate in zip(GATE_LINES, [
          "API design and documentation compliance",
          "Database schema and transaction integrity",
          "Security and authentication implementation",
          "Performance benchmarks and optimization",
          "Error handling and logging coverage",
      ], strict=True)),
    "backend-engineer.md:50:7: warning: at most 3 metrics (5 found) [ACME102]",
    "1 file checked: 5 errors, 1 warning",
]  # fmt: skip


class TestThroughTheCommandLine:
    def test_findings_exit_code_and_summary(self, tmp_path: Path) -> None:
        assert concise(write(tmp_path)) == (1, EXPECTED)

    def test_select_ignore_severity_per_file_ignores(self, tmp_path: Path) -> None:
        write(tmp_path, RULES_TOML.replace("today", 'ignore = ["gate-owner"]\ntoday'))
        assert concise(tmp_path) == (0, [EXPECTED[-2], "1 file checked: 0 errors, 1 warning"])
        write(tmp_path, RULES_TOML.replace("today", 'severity = { ACME1 = "warning" }\ntoday'))
        code, lines = concise(tmp_path)
        assert code == 0 and lines[-1] == "1 file checked: 0 errors, 6 warnings"
        write(tmp_path, RULES_TOML.replace("today", 'select = ["ACME102"]\ntoday'))
        assert concise(tmp_path) == (0, [EXPECTED[-2], "1 file checked: 0 errors, 1 warning"])
        per_file = RULES_TOML + '\n[per-file-ignores]\n"backend-*.md" = ["ACME"]\n'
        write(tmp_path, per_file)
        assert concise(tmp_path) == (0, ["1 file checked: 0 errors, 0 warnings"])

    def test_command_line_selectors_name_the_configurations_rules(self, tmp_path: Path) -> None:
        write(tmp_path)
        assert concise(tmp_path, "--select", "few-metrics") == (
            0,
            [EXPECTED[-2], "1 file checked: 0 errors, 1 warning"],
        )
        result = cli("--no-cache", "--ignore", "ACME1", ".", cwd=tmp_path)
        assert result.stdout.splitlines() == ["1 file checked: 0 errors, 0 warnings"]

    def test_two_folders_may_define_the_same_rule(self, tmp_path: Path) -> None:
        """A monorepo's folders, each with its copy of the team's rules, lint in one run."""
        for folder in ("a", "b"):
            (tmp_path / folder).mkdir()
            write(tmp_path / folder)
        result = cli("--no-cache", "--output-format", "concise", "a", "b", cwd=tmp_path)
        assert result.returncode == 1, result.stderr
        lines = result.stdout.splitlines()
        assert lines[-1] == "2 files checked: 12 errors, 2 warnings"  # and two PL801: one slug
        assert sum("[ACME101]" in line for line in lines) == 10

    def test_inline_suppression_and_unknown_team_code(self, tmp_path: Path) -> None:
        persona = edit(
            "<gate>API design and documentation compliance</gate>",
            "<gate>API design and documentation compliance</gate> "
            "<!-- persona-lint: disable-line ACME101 ACME999 -->",
        )
        code, lines = concise(write(tmp_path, persona=persona))
        assert code == 1
        assert lines[0] == (
            "backend-engineer.md:40:60: warning: unknown rule 'ACME999' in a persona-lint "
            "suppression [PL006]"
        )
        assert [line for line in lines if ":40:" in line and "ACME101" in line] == []
        assert sum("[ACME101]" in line for line in lines) == 4

    def test_baseline_records_and_hides_team_findings(self, tmp_path: Path) -> None:
        write(tmp_path)
        written = cli(
            "--no-cache", "--write-baseline", "b.json", "backend-engineer.md", cwd=tmp_path
        )
        assert written.returncode == 0, written.stderr
        entries = json.loads((tmp_path / "b.json").read_text())
        assert "ACME101" in json.dumps(entries)
        assert concise(tmp_path, "--baseline", "b.json")[0] == 0

    def test_sarif_and_json_carry_the_rules_metadata(self, tmp_path: Path) -> None:
        result = cli(
            "--no-cache", "--output-format", "sarif", "backend-engineer.md", cwd=write(tmp_path)
        )
        run = json.loads(result.stdout)["runs"][0]
        rules = {rule["id"]: rule for rule in run["tool"]["driver"]["rules"]}
        assert rules["ACME102"]["name"] == "few-metrics"
        assert rules["ACME102"]["defaultConfiguration"] == {"level": "warning"}
        assert rules["ACME102"]["properties"] == {"tags": ["ACME1xx"]}
        assert (
            "`//metric` selects between any number and 3 elements"
            in (rules["ACME102"]["help"]["markdown"])
        )
        index = [r["ruleIndex"] for r in run["results"] if r["ruleId"] == "ACME102"]
        assert run["tool"]["driver"]["rules"][index[0]]["id"] == "ACME102"
        report = cli("--no-cache", "--output-format", "json", "backend-engineer.md", cwd=tmp_path)
        found = json.loads(report.stdout)["files"][0]["diagnostics"]
        assert {d["code"] for d in found} == {"ACME101", "ACME102"}

    def test_rules_and_explain_show_the_configurations_rules(self, tmp_path: Path) -> None:
        write(tmp_path)
        listed = cli("rules", cwd=tmp_path).stdout.splitlines()
        assert listed[1].split()[:3] == ["ACME101", "gate-owner", "error"]
        explained = cli("explain", "few-metrics", cwd=tmp_path)
        assert explained.returncode == 0
        assert explained.stdout.startswith("ACME102 (few-metrics)\n\nDefault severity: warning")
        assert cli("explain", "ACME102", "--isolated", cwd=tmp_path).returncode == 2

    def test_a_changed_rule_is_not_served_from_the_cache(self, tmp_path: Path) -> None:
        write(tmp_path)
        args = ("--cache-dir", str(tmp_path / "cache"), "backend-engineer.md")
        assert cli(*args, cwd=tmp_path).returncode == 1
        write(tmp_path, RULES_TOML.replace(".*(owner|Owner).*", ".*"))
        again = cli(*args, cwd=tmp_path)
        assert again.stdout.splitlines()[-1] == "1 file checked: 0 errors, 1 warning"

    def test_workers_run_the_same_rules(self, tmp_path: Path) -> None:
        write(tmp_path)
        for number in range(60):
            folder = tmp_path / f"p{number}"
            folder.mkdir()
            (folder / "backend-engineer.md").write_text(
                CANONICAL.replace("backend-engineer", f"p{number}"), encoding="utf-8"
            )
        one = cli("--no-cache", "--jobs", "1", ".", cwd=tmp_path)
        two = cli_process("--no-cache", "--jobs", "2", ".", cwd=tmp_path)
        assert one.stdout == two.stdout
        assert one.stdout.count("[ACME101]") == 61 * 5


class TestConfigurationErrors:
    @pytest.mark.parametrize(
        ("change", "line", "message"),
        [
            (("//metric", "//metric[..//x]"), 18,
             "rules[1]: given = '//metric[..//x]': '//' inside a predicate ('[...]') is not evaluated"),
            (("//metric", "//metric["), 18, "rules[1]: given = '//metric[': '(end)' end at line 1, column 9"),
            (('"ACME102"', '"PL999"'), 13, "rules[1]: code = 'PL999'; expected a team's capital letters"),
            (('"ACME102"', '"BM999"'), 13, "rules[1]: code = 'BM999'; expected a team's capital letters"),
            (('"ACME102"', '"ACME101"'), 13, "rules[1]: code ACME101 is defined twice"),
            (("max = 3", "maxi = 3"), 20, "rules[1]: unknown key 'maxi'; did you mean 'max'?"),
            (("max = 3", "pattern = 'x'"), 20, "rules[1]: 'pattern' is only for then = 'pattern'"),
            ((".*(owner|Owner).*", "(a)\\\\1"), 10, "rules[0]: pattern = '(a)\\\\1': groupref"),
            (('name = "few-metrics"', 'name = "version-semver"'), 13,
             "rules[1]: rule ACME102 (version-semver) collides with PL304 version-semver of persona-lint"),
        ],
    )  # fmt: skip
    def test_one_line_exit_2_at_the_entrys_key(
        self, tmp_path: Path, change: tuple[str, str], line: int, message: str
    ) -> None:
        write(tmp_path, RULES_TOML.replace(*change))
        code, lines = concise(tmp_path)
        assert code == 2
        assert len(lines) == 1
        assert lines[0].startswith(
            f"persona-lint: error: {tmp_path}/.persona-lint.toml:{line}: {message}"
        ), lines

    def test_selecting_a_code_no_rule_has_is_an_error(self, tmp_path: Path) -> None:
        write(tmp_path, RULES_TOML.replace("today", 'select = ["ACME103"]\ntoday'))
        code, lines = concise(tmp_path)
        assert code == 2 and "unknown rule code or name 'ACME103'" in lines[0]
