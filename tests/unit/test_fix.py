"""--fix, --diff and --add-noqa: every fix on fixtures, verification, idempotency, atomic
writes that keep permissions and never overwrite a file changed underneath."""

from __future__ import annotations

import dataclasses
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import CANONICAL, PERSONAS, SETTINGS, TODAY, codes, edit, examples, lint
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from persona_lint.cli import main
from persona_lint.config.selectors import resolve_selector
from persona_lint.config.settings import Settings
from persona_lint.diagnostics import Diagnostic, Fix, TextEdit
from persona_lint.document.model import Document
from persona_lint.fix import output
from persona_lint.fix.engine import fix_text
from persona_lint.fix.output import unified_diff
from persona_lint.rules import RULES, all_rules, get_rule
from persona_lint.rules.context import RuleContext
from persona_lint.rules.registry import fixable_codes

PATH = "backend-engineer.md"
STRICT = Settings(today=TODAY, select=frozenset(resolve_selector("ALL")))


def fixed(text: str, settings: Settings = SETTINGS) -> str:
    return fix_text(PATH, text, settings).text


def lint_cli(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(main, ["--no-cache", *args], input=input, catch_exceptions=False)


def command(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".persona-lint.toml").write_text(f'today = "{TODAY.isoformat()}"\n')
    monkeypatch.chdir(tmp_path)
    return tmp_path


# -- Each fix. ------------------------------------------------------------------------------


def test_the_fixable_rules_are_derived_from_their_declarations() -> None:
    assert {r.code for r in all_rules() if r.fixable} == fixable_codes()
    assert sorted(fixable_codes()) == ["PL220", "PL308", "PL310", "PL311", "PL701"]


def test_a_fixable_rule_attaches_its_fix_to_the_diagnostic() -> None:
    broken = edit("      3. Data consistency", "      4. Data consistency")
    [found] = lint(broken).diagnostics
    assert found.fix == Fix.safe(TextEdit(24, 7, 8, "3"))
    assert found.fix.applicability.value == "safe"
    assert all(d.fix is None for d in lint(edit("| stable |", "| final  |")).diagnostics)


def with_fix(
    monkeypatch: pytest.MonkeyPatch,
    code: str,
    make: Callable[[Document, Diagnostic], Fix | None],
) -> None:
    """Make rule ``code`` attach the fix ``make`` gives instead of its own."""
    rule = RULES[code]
    check = rule.check
    assert check is not None

    def replaced(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
        for diagnostic in check(document, context):
            yield dataclasses.replace(diagnostic, fix=make(document, diagnostic))

    monkeypatch.setitem(RULES, code, rule._replace(check=replaced))


def test_renumber_decision_priorities() -> None:
    broken = edit("      3. Data consistency", "      4. Data consistency")
    broken = edit("      5. System reliability", "      7. System reliability", broken)
    assert codes(broken) == [("PL701", 24, 7)]
    assert fixed(broken) == CANONICAL


def test_renumber_steps_with_repeats_and_gaps() -> None:
    broken = edit("<step>2. Design", "<step>1. Design")
    broken = edit("<step>5. Optimize", "<step>9. Optimize", broken)
    assert codes(broken) == [("PL701", 135, 13)]
    assert fixed(broken) == CANONICAL


def test_renumber_keeps_the_order_of_items() -> None:
    swapped = edit("<step>3. Implement core", "<step>4. Implement core")
    swapped = edit("<step>4. Build auth", "<step>3. Build auth", swapped)
    result = fixed(swapped)
    assert "<step>3. Implement core" in result and "<step>4. Build auth" in result
    assert result.index("Implement core") < result.index("Build auth")


@pytest.mark.parametrize(
    "table",
    [
        "| version | last_updated | status |\n|---|---|---|\n| 1.0.0 | 2025-07-11 | stable |",
        "|version|last_updated|status|\n|-|-|-|\n|1.0.0|2025-07-11|stable|",
        "version | last_updated | status\n--- | --- | ---\n1.0.0 | 2025-07-11 | stable",
        "|  version  | last_updated |  status  |\n|:--------|:------------:|-------:|\n"
        "|   1.0.0 | 2025-07-11   |   stable |",
        "  | version | last_updated | status |\n  |---------|--------------|--------|\n"
        "  | 1.0.0   | 2025-07-11   | stable |",
    ],
)
def test_version_table_layout(table: str) -> None:
    broken = CANONICAL.replace(
        "| version | last_updated | status |\n|---------|--------------|--------|\n"
        "| 1.0.0   | 2025-07-11   | stable |",
        table,
    )
    assert [code for code, _, _ in codes(broken)] == ["PL308"]
    assert fixed(broken) == CANONICAL


def test_version_table_layout_follows_the_widest_cell() -> None:
    wide = CANONICAL.replace(
        "| 1.0.0   | 2025-07-11   | stable |", "| 10.20.300-rc.1 | 2025-07-11 | deprecated |"
    )
    assert fixed(wide).splitlines()[:3] == [
        "| version        | last_updated | status     |",
        "|----------------|--------------|------------|",
        "| 10.20.300-rc.1 | 2025-07-11   | deprecated |",
    ]


def test_version_table_with_other_errors_is_left_alone() -> None:
    two_rows = edit(
        "| 1.0.0   | 2025-07-11   | stable |",
        "| 1.0.0 | 2025-07-11 | stable |\n| 0.9.0 | 2025-07-01 | draft |",
    )
    assert [code for code, _, _ in codes(two_rows)] == ["PL303"]
    assert fixed(two_rows) == two_rows


def test_strict_xml_is_off_by_default_and_escapes_when_selected() -> None:
    assert codes(CANONICAL) == []
    found = lint(CANONICAL, select=STRICT.select).diagnostics
    assert [(d.code, d.line, d.column) for d in found] == [
        ("PL220", 14, 47),
        ("PL220", 47, 33),
        ("PL220", 48, 42),
        ("PL220", 49, 26),
    ]
    assert found[0].message == "bare '&' is not strict XML; write &amp;"
    assert found[1].message == "bare '<' is not strict XML; write &lt;"
    result = fixed(CANONICAL, STRICT)
    assert "Server-Side Development &amp; API Architecture" in result
    assert "<metric>API response time &lt; 200ms for 95% of requests</metric>" in result
    assert lint(result, select=STRICT.select).diagnostics == ()


def test_strict_xml_leaves_references_comments_and_attributes_right() -> None:
    text = edit(
        "<perspective>API-first",
        '<perspective note="a & b < c">R&amp;D &lt; 5 <!-- a & b < c --> & more</perspective>\n'
        "    <perspective_extra>API-first",
    )
    found = [
        (d.line, d.column)
        for d in lint(text, select=STRICT.select).diagnostics
        if d.code == "PL220"
    ]
    after_comment = text.split("\n")[15].index(" & more") + 2
    assert found[:4] == [(14, 47), (16, 26), (16, 30), (16, after_comment)]
    repaired = fixed(text, STRICT).splitlines()[15]
    assert repaired == (
        '    <perspective note="a &amp; b &lt; c">R&amp;D &lt; 5 <!-- a & b < c --> &amp; more'
        "</perspective>"
    )


def test_strict_xml_in_the_configuration(folder: Path) -> None:
    (folder / ".persona-lint.toml").write_text(
        f'today = "{TODAY.isoformat()}"\nextend-select = ["strict-xml"]\n'
    )
    Path(PATH).write_text(CANONICAL)
    assert lint_cli(PATH).exit_code == 1
    result = lint_cli("--fix", PATH)
    assert result.stdout == "fixed 4 diagnostics in 1 file\n1 file checked: 0 errors, 0 warnings\n"


def test_version_and_date_under_changed_since() -> None:
    from test_changes import changed_content, previous

    settings = Settings(today=TODAY, previous=previous(CANONICAL, "HEAD"))
    result = fix_text(PATH, changed_content(), settings)
    assert [d.code for d in result.fixed] == ["PL310", "PL311"]
    assert result.text.splitlines()[2] == "| 1.0.1   | 2026-11-26   | stable |"
    assert lint(result.text, previous=settings.previous).diagnostics == ()


def test_version_cell_takes_its_padding() -> None:
    from test_changes import changed_content, previous

    nine = CANONICAL.replace("| 1.0.0   |", "| 1.0.9   |")
    settings = Settings(today=TODAY, previous=previous(nine))
    result = fix_text(PATH, changed_content(nine), settings).text
    assert result.splitlines()[2] == "| 1.0.10  | 2026-11-26   | stable |"


def test_fixes_and_remaining_diagnostics_together(folder: Path) -> None:
    broken = edit("      3. Data consistency", "      4. Data consistency")
    broken = edit("</perspective>", "</perspectiv>", broken)
    Path(PATH).write_text(broken)
    result = lint_cli("--fix", PATH)
    # PL701 cannot be seen once the block is not well-formed: nothing to fix there.
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-1] == "1 file checked: 1 error, 0 warnings"
    renumber_only = edit("      3. Data consistency", "      4. Data consistency")
    renumber_only = edit("| stable |", "| final  |", renumber_only)
    Path(PATH).write_text(renumber_only)
    result = lint_cli("--fix", PATH)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{PATH}:3:28: error: status 'final' is not one of draft, review, stable, deprecated "
        "[PL307]",
        "fixed 1 diagnostic in 1 file",
        "1 file checked: 1 error, 0 warnings",
    ]
    assert Path(PATH).read_text() == edit("| stable |", "| final  |")


# -- Verification: a fix that adds a problem is not kept. ------------------------------------


def test_a_fix_that_adds_a_diagnostic_is_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    def breaks_the_xml(document: Document, diagnostic: Diagnostic) -> Fix:
        line = document.lines[diagnostic.line - 1]
        end = line.index("</step>") + 1
        return Fix.safe(TextEdit(diagnostic.line, end, end + 1, "/x"))  # </step> -> /x/step>

    with_fix(monkeypatch, "PL701", breaks_the_xml)
    broken = edit("<step>4. Build authentication", "<step>5. Build authentication")
    broken = edit("| 1.0.0   |", "|1.0.0|", broken)
    outcome = fix_text(PATH, broken, SETTINGS)
    assert [d.code for d in outcome.fixed] == ["PL308"]  # the good fix is kept
    assert [(r.diagnostic.code, r.reason) for r in outcome.rejected] == [
        ("PL701", "the fix would add PL201 at line 141")  # where expat notices
    ]
    assert outcome.text == edit("<step>4. Build authentication", "<step>5. Build authentication")


def test_rejected_fixes_are_reported(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with_fix(monkeypatch, "PL701", lambda document, diagnostic: None)
    Path(PATH).write_text(edit("<step>4. Build authentication", "<step>5. Build authentication"))
    result = lint_cli("--fix", PATH)
    assert result.exit_code == 1
    assert result.stderr == (
        f"persona-lint: note: {PATH}:137:13: PL701 not fixed: no safe fix for this occurrence\n"
    )
    assert result.stdout.splitlines()[-2] == "nothing to fix"


# -- Idempotency. -----------------------------------------------------------------------------

MESSY = edit("      3. Data consistency", "      4. Data consistency").replace(
    "| 1.0.0   | 2025-07-11   | stable |", "| 1.0.0 | 2025-07-11 | stable |"
)


def test_fixing_twice_changes_nothing_the_second_time(folder: Path) -> None:
    Path(PATH).write_text(MESSY)
    first = lint_cli("--fix", PATH)
    assert first.stdout == "fixed 2 diagnostics in 1 file\n1 file checked: 0 errors, 0 warnings\n"
    after_first = Path(PATH).read_bytes()
    second = lint_cli("--fix", PATH)
    assert second.stdout == "nothing to fix\n1 file checked: 0 errors, 0 warnings\n"
    assert Path(PATH).read_bytes() == after_first == CANONICAL.encode()
    assert (
        fix_text(PATH, CANONICAL, STRICT).text
        == fix_text(PATH, fix_text(PATH, CANONICAL, STRICT).text, STRICT).text
        == fixed(fixed(CANONICAL, STRICT), STRICT)
    )


# -- --diff. ------------------------------------------------------------------------------------


def test_diff_output_is_exact_and_writes_nothing(folder: Path) -> None:
    Path(PATH).write_text(MESSY)
    result = lint_cli("--diff", PATH)
    assert result.exit_code == 1
    assert result.stdout == (
        f"--- {PATH}\n"
        f"+++ {PATH}\n"
        "@@ -1,6 +1,6 @@\n"
        " | version | last_updated | status |\n"
        " |---------|--------------|--------|\n"
        "-| 1.0.0 | 2025-07-11 | stable |\n"
        "+| 1.0.0   | 2025-07-11   | stable |\n"
        " \n"
        " # Backend Engineer Persona\n"
        " \n"
        "@@ -21,7 +21,7 @@\n"
        "     <decision_priorities>\n"
        "       1. API design and system scalability\n"
        "       2. Performance optimization and caching\n"
        "-      4. Data consistency and transaction management\n"
        "+      3. Data consistency and transaction management\n"
        "       4. Security and authentication/authorization\n"
        "       5. System reliability and error handling\n"
        "     </decision_priorities>\n"
    )
    assert result.stderr == "would fix 2 diagnostics in 1 file\n"
    assert Path(PATH).read_text() == MESSY
    clean = lint_cli("--diff", "--fix", PATH.replace(PATH, PATH))
    assert clean.exit_code == 1  # --diff wins over --fix: still nothing written
    assert Path(PATH).read_text() == MESSY


def test_diff_with_nothing_to_fix_exits_zero(folder: Path) -> None:
    Path(PATH).write_text(CANONICAL)
    result = lint_cli("--diff", PATH)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "nothing to fix\n")


def test_diff_marks_a_last_line_without_newline() -> None:
    assert unified_diff("f.md", "a\nb", "a\nc") == (
        "--- f.md\n+++ f.md\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n"
        "+c\n\\ No newline at end of file\n"
    )


def test_diff_of_standard_input(folder: Path) -> None:
    result = lint_cli("--diff", "--stdin-filename", PATH, "-", input=MESSY)
    assert result.exit_code == 1
    assert result.stdout.startswith(f"--- {PATH}\n+++ {PATH}\n@@ -1,6 +1,6 @@\n")
    refused = lint_cli("--fix", "-", input=MESSY)
    assert refused.exit_code == 2
    assert refused.stderr == (
        "persona-lint: error: --fix and --add-noqa cannot write to standard input; use --diff\n"
    )


# -- Writing: atomic, permissions and line endings kept, no overwrite of a changed file. ----


def test_permissions_line_endings_and_bom_are_kept(folder: Path) -> None:
    data = b"\xef\xbb\xbf" + MESSY.replace("\n", "\r\n").encode()
    Path(PATH).write_bytes(data)
    os.chmod(PATH, 0o640)
    result = lint_cli("--fix", PATH)
    assert result.exit_code == 0
    assert Path(PATH).read_bytes() == b"\xef\xbb\xbf" + CANONICAL.replace("\n", "\r\n").encode()
    assert stat.S_IMODE(os.stat(PATH).st_mode) == 0o640


def test_a_symbolic_link_is_never_written_through(folder: Path) -> None:
    """Even inside the tree: a link may lead anywhere, and its target is fixed by name."""
    Path("real.md").write_text(MESSY)
    Path(PATH).symlink_to("real.md")
    result = lint_cli("--fix", PATH)
    assert result.exit_code == 2
    assert result.stderr == (
        f"persona-lint: error: {PATH}: a symbolic link; not written through "
        "(fix the file it leads to)\n"
    )
    assert Path(PATH).is_symlink()
    assert Path("real.md").read_text() == MESSY
    assert lint_cli("--fix", "real.md").exit_code == 0
    assert Path("real.md").read_text() == CANONICAL


def test_failure_during_the_write_keeps_the_original(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Path(PATH).write_text(MESSY)

    def fail(source: object, destination: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    result = lint_cli("--fix", PATH)
    assert result.exit_code == 2  # an I/O error, not a verdict
    assert result.stderr == f"persona-lint: error: {PATH}: cannot write: No space left on device\n"
    assert Path(PATH).read_text() == MESSY
    assert sorted(p.name for p in folder.iterdir()) == [".persona-lint.toml", PATH]


def test_a_file_changed_underneath_is_not_overwritten(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Path(PATH).write_text(MESSY)
    theirs = MESSY.replace("Senior", "Expert")

    def someone_saves(path: Path) -> None:
        Path(path).write_text(theirs)

    monkeypatch.setattr(output, "_before_replace", someone_saves)
    result = lint_cli("--fix", PATH)
    assert result.exit_code == 2
    assert result.stderr == (
        f"persona-lint: error: {PATH}: changed on disk since it was read; not overwritten\n"
    )
    assert Path(PATH).read_text() == theirs
    assert sorted(p.name for p in folder.iterdir()) == [".persona-lint.toml", PATH]
    # The report is of the file as it is now.
    assert "[PL701]" in result.stdout and "[PL308]" in result.stdout


# -- --add-noqa. ----------------------------------------------------------------------------


def test_add_noqa_places_each_suppression_where_it_is_harmless(folder: Path) -> None:
    old = edit("| 1.0.0   |", "| 1.0     |")  # a table row: file-wide
    old = edit("# Backend Engineer Persona", "# Backend Developer Persona", old)  # heading
    old = edit("Requirements analysis → API design", "Requirements analysis → → API design", old)
    old = edit("Error rate < 0.1% for production traffic", "Error rate kept low", old)
    Path(PATH).write_text(old)
    result = lint_cli("--add-noqa", PATH)
    assert result.exit_code == 0
    assert (
        result.stdout
        == "suppressed 4 diagnostics in 1 file\n1 file checked: 0 errors, 0 warnings\n"
    )
    lines = Path(PATH).read_text().split("\n")
    assert lines[4] == "<!-- persona-lint: disable-next-line PL402 -->"
    assert lines[5] == "# Backend Developer Persona"
    assert lines[29].endswith("Performance optimization <!-- persona-lint: disable-line PL702 -->")
    assert lines[49] == (
        "      <metric>Error rate kept low</metric> <!-- persona-lint: disable-line PL601 -->"
    )
    assert lines[-2:] == ["", "<!-- persona-lint: disable-file PL304 -->"]
    again = lint_cli("--add-noqa", PATH)
    assert again.stdout == "nothing to fix\n1 file checked: 0 errors, 0 warnings\n"


def test_add_noqa_above_a_fence(folder: Path) -> None:
    unclosed = CANONICAL + "\n\n```xml\n<notes/>\n"
    Path(PATH).write_text(unclosed)
    assert [c for c, _, _ in codes(unclosed)] == ["PL106"]
    result = lint_cli("--add-noqa", PATH)
    assert result.exit_code == 0
    assert (
        Path(PATH)
        .read_text()
        .endswith("\n<!-- persona-lint: disable-next-line PL106 -->\n```xml\n<notes/>\n")
    )


def test_add_noqa_covers_cross_file_diagnostics(folder: Path) -> None:
    Path("a").mkdir()
    Path("b").mkdir()
    Path("a", PATH).write_text(CANONICAL)
    Path("b", PATH).write_text(CANONICAL)
    assert lint_cli("a", "b").exit_code == 1
    result = lint_cli("--add-noqa", "a", "b")
    assert (
        result.stdout
        == "suppressed 2 diagnostics in 2 files\n2 files checked: 0 errors, 0 warnings\n"
    )
    assert Path("a", PATH).read_text().split("\n")[9] == (
        '<persona_context active="backend-engineer"> <!-- persona-lint: disable-line PL801 -->'
    )


def test_add_noqa_after_fix(folder: Path) -> None:
    Path(PATH).write_text(edit("| stable |", "| final  |", MESSY))
    result = lint_cli("--fix", "--add-noqa", PATH)
    assert result.stdout == (
        "fixed 2 diagnostics and suppressed 1 diagnostic in 1 file\n"
        "1 file checked: 0 errors, 0 warnings\n"
    )
    assert Path(PATH).read_text() == edit("| stable |", "| final  |") + (
        "\n\n<!-- persona-lint: disable-file PL307 -->"
    )


# -- The rule listing shows what is fixable and what is off. -----------------------------------


def test_rules_listing_and_explain_show_fix_and_default() -> None:
    listing = {line.split()[0]: line for line in command("rules").stdout.splitlines()}
    assert listing["PL701"].split()[3] == "F-"
    assert listing["PL220"].split()[3] == "FO"
    assert listing["PL304"].split()[3] == "--"
    explained = command("explain", "strict-xml").stdout
    assert "Fixable: yes (--fix)\nEnabled: no, off by default" in explained
    rule = get_rule("PL220")
    assert rule is not None and not rule.default_enabled


def test_default_off_rules_follow_the_selection(folder: Path) -> None:
    Path(PATH).write_text(CANONICAL)
    assert lint_cli(PATH).exit_code == 0
    for selection in (["--extend-select", "PL220"], ["--select", "ALL"], ["--select", "PL2"]):
        assert lint_cli(*selection, PATH).exit_code == 1, selection
    assert lint_cli("--select", "PL3", PATH).exit_code == 0
    shown = command("config", PATH).stdout
    assert "ALL except the rules off by default (PL220)" in shown


# -- Properties over many inputs. -----------------------------------------------------------


@pytest.mark.parametrize("persona", sorted(PERSONAS.glob("*.md")), ids=lambda p: p.name)
def test_strict_fix_of_every_showcase_persona(persona: Path) -> None:
    text = persona.read_text(encoding="utf-8")
    once = fix_text(persona.name, text, STRICT)
    assert lint(once.text, persona.name, select=STRICT.select).diagnostics == ()
    assert fix_text(persona.name, once.text, STRICT).text == once.text
    # Escaping changes no element's text: the XML blocks read the same in the dialect.
    from persona_lint.document.model import parse_document

    def texts(source: str) -> list[list[str]]:
        return [
            [" ".join((e.text or "").split()) for e in block.root.iter()]
            for block in parse_document("x.md", source).xml_blocks
            if block.root is not None
        ]

    assert texts(once.text) == texts(text)


@hypothesis_settings(max_examples=examples(60), deadline=None)
@given(
    priorities=st.lists(st.integers(min_value=0, max_value=12), min_size=5, max_size=5),
    steps=st.lists(st.integers(min_value=0, max_value=12), min_size=7, max_size=7),
    pads=st.lists(st.integers(min_value=0, max_value=3), min_size=3, max_size=3),
)
def test_fix_renumbers_and_lays_out_anything(
    priorities: list[int], steps: list[int], pads: list[int]
) -> None:
    text = CANONICAL
    for index, number in enumerate(priorities, start=1):
        text = text.replace(f"      {index}. ", f"      {number}. ", 1)
    for index, number in enumerate(steps, start=1):
        text = text.replace(f"<step>{index}. ", f"<step>{number}. ", 1)
    cells = ("1.0.0", "2025-07-11", "stable")
    row = (
        "|"
        + "|".join(" " * pad + cell + " " * pad for pad, cell in zip(pads, cells, strict=True))
        + "|"
    )
    text = text.replace("| 1.0.0   | 2025-07-11   | stable |", row)
    outcome = fix_text(PATH, text, SETTINGS)
    assert outcome.text == CANONICAL
    assert fix_text(PATH, outcome.text, SETTINGS).text == CANONICAL


# -- One placement engine for --add-noqa and the language server. ------------------------------

INSIDE_A_TAG = edit(
    '<persona_context active="backend-engineer">',
    '<persona_context\n    active="backend-engineers"\n  >',
)


def test_add_noqa_inside_a_tag_spanning_lines_suppresses_around_the_tag(folder: Path) -> None:
    assert [c for c, _, _ in codes(INSIDE_A_TAG)] == ["PL404"]
    Path(PATH).write_text(INSIDE_A_TAG)
    result = lint_cli("--add-noqa", PATH)
    assert result.stdout.splitlines()[0] == "suppressed 1 diagnostic in 1 file"
    lines = Path(PATH).read_text().split("\n")
    assert lines[9:13] == [
        "<!-- persona-lint: disable PL404 -->",
        "<persona_context",
        '    active="backend-engineers"',
        "  > <!-- persona-lint: enable PL404 -->",
    ]
    assert lint_cli(PATH).exit_code == 0


def test_add_noqa_and_the_quick_fix_place_a_suppression_alike(folder: Path) -> None:
    from persona_lint.engine.lint import lint_source
    from persona_lint.lsp.edits import suppression_fix

    heading = edit("# Backend Engineer Persona", "# Backend Developer Persona")
    for text in (heading, INSIDE_A_TAG):
        Path(PATH).write_text(text)
        lint_cli("--add-noqa", PATH)
        by_cli = Path(PATH).read_text()
        document = lint_source(PATH, text, SETTINGS).document
        assert document is not None
        (found,) = lint(text).diagnostics
        quick = suppression_fix(document, found.line, found.code)
        lines = text.split("\n")
        for change in sorted(quick.changes, key=lambda c: c.start, reverse=True):
            (line, column), (end_line, end_column) = change.start, change.end
            assert line == end_line
            lines[line] = lines[line][:column] + change.text + lines[line][end_column:]
        assert "\n".join(lines) == by_cli


# -- Fixes are computed when the rules report; cached results carry none. --------------------


def test_fix_after_a_cached_run_lints_afresh(folder: Path) -> None:
    Path(PATH).write_text(MESSY)
    cache = ["--cache-dir", str(folder / "cache")]
    assert command(*cache, PATH).exit_code == 1  # fills the cache
    assert command(*cache, PATH).exit_code == 1  # served from it: no fixes in there
    result = command(*cache, "--fix", PATH)
    assert result.stdout.splitlines()[0] == "fixed 2 diagnostics in 1 file"
    assert Path(PATH).read_text() == CANONICAL
