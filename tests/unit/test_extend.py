"""Shared configuration (issue 19): ``extend``, through the real command line.

The extended file's settings apply first and the extending file's on top; paths and globs
are relative to the file that writes them; cycles, missing files, long chains and files
outside the tree are configuration errors at the line of the ``extend`` that names them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import CANONICAL, cli, edit

from persona_lint.config.errors import quoted
from persona_lint.config.loader import MAX_EXTEND_DEPTH

BAD_VERSION = edit("| 1.0.0   |", "| 1.0     |")  # PL304 at 3:3
DRAFT = edit("| stable |", "| draft  |")


def tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def found(stdout: str) -> list[str]:
    """``path:line:col CODE`` of each diagnostic of a concise report."""
    return [f"{m[1]} {m[2]}" for m in re.finditer(r"^(\S+:\d+:\d+): .*\[(\w+)\]$", stdout, re.M)]


def lint(cwd: Path, *args: str) -> tuple[int, list[str], str]:
    result = cli("--no-cache", "--output-format", "concise", *args, cwd=cwd)
    return result.returncode, found(result.stdout), result.stderr


def test_the_base_applies_first_and_the_file_on_top(tmp_path: Path) -> None:
    assert "| stable |" in CANONICAL
    tree(
        tmp_path,
        {
            "base.toml": 'statuses = ["stable"]\nignore = ["PL304"]\n',
            "team/.persona-lint.toml": 'extend = "../base.toml"\nstatuses = ["draft"]\n',
            "team/backend-engineer.md": edit("| 1.0.0   |", "| 1.0     |", DRAFT),
        },
    )
    # statuses from the file (draft passes), PL304 ignored by the base.
    assert lint(tmp_path, "team") == (0, [], "")
    (tmp_path / "team/.persona-lint.toml").write_text('extend = "../base.toml"\n')
    status = lint(tmp_path, "team")
    assert status[0] == 1 and [d.split()[1] for d in status[1]] == ["PL307"]


def test_a_later_select_starts_over(tmp_path: Path) -> None:
    tree(
        tmp_path,
        {
            "base.toml": 'select = ["PL307"]\n',
            "team/.persona-lint.toml": 'extend = "../base.toml"\nselect = ["PL304"]\n',
            "team/backend-engineer.md": edit(
                "| 1.0.0   |", "| 1.0     |", DRAFT.replace("draft ", "bogus ")
            ),
        },
    )
    assert lint(tmp_path, "team")[1] == ["team/backend-engineer.md:3:3 PL304"]


def test_paths_and_globs_are_relative_to_the_file_that_writes_them(tmp_path: Path) -> None:
    tree(
        tmp_path,
        {
            "shared/base.toml": (
                'schemas = ["release.xsd"]\n[per-file-ignores]\n"legacy/*.md" = ["PL304"]\n'
            ),
            "shared/release.xsd": (
                '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">\n'
                '  <xs:element name="backend_engineering_framework" type="xs:string"/>\n'
                "</xs:schema>\n"
            ),
            "team/.persona-lint.toml": 'extend = "../shared/base.toml"\n',
            "team/legacy/backend-engineer.md": BAD_VERSION,
            "shared/legacy/backend-engineer.md": BAD_VERSION,
        },
    )
    code, diagnostics, _ = lint(tmp_path, "team")
    # The glob is anchored at shared/, so team/legacy keeps its PL304; the schema is found
    # beside base.toml and applies: the section holds elements where text is expected.
    assert (code, [d.split()[1] for d in diagnostics]) == (1, ["PL304", "PL217"])
    shown = cli("config", "team/legacy/backend-engineer.md", cwd=tmp_path).stdout
    assert re.search(r"^  schemas +shared/release.xsd +\[.*shared/base.toml\]$", shown, re.M)


def test_config_shows_each_origin_through_the_chain(tmp_path: Path) -> None:
    tree(
        tmp_path,
        {
            "base.toml": 'ignore = ["PL3"]\nstatuses = ["stable"]\n',
            "team/.persona-lint.toml": 'extend = "../base.toml"\nignore = ["PL4"]\n',
            "team/backend-engineer.md": CANONICAL,
        },
    )
    shown = cli("config", "team/backend-engineer.md", cwd=tmp_path).stdout
    team, base = tmp_path / "team/.persona-lint.toml", tmp_path / "base.toml"
    rows = {line.split()[0]: line for line in shown.splitlines()[1:]}
    assert rows["ignore"].endswith(f"[{team}; also set in {base}]")
    assert rows["statuses"].endswith(f"stable    [{base}]")
    assert rows["extend"].endswith(f"{base}    [{team}]")


def test_a_cycle_is_an_error_at_the_extend_that_closes_it(tmp_path: Path) -> None:
    tree(
        tmp_path,
        {
            ".persona-lint.toml": 'extend = "a.toml"\n',
            "a.toml": '# shared\nextend = "b.toml"\n',
            "b.toml": '\n\nextend = "a.toml"\n',
            "backend-engineer.md": CANONICAL,
        },
    )
    assert lint(tmp_path, ".") == (
        2,
        [],
        f"persona-lint: error: {tmp_path / 'b.toml'}:3: 'extend': {tmp_path / 'a.toml'} "
        "closes a cycle of configuration files\n",
    )


def test_a_missing_file_is_an_error_at_its_line(tmp_path: Path) -> None:
    tree(tmp_path, {".persona-lint.toml": 'ignore = []\nextend = "nope.toml"\n'})
    (tmp_path / "backend-engineer.md").write_text(CANONICAL)
    assert lint(tmp_path, ".") == (
        2,
        [],
        f"persona-lint: error: {tmp_path / '.persona-lint.toml'}:2: 'extend': no such "
        f"configuration file {tmp_path / 'nope.toml'}\n",
    )


def test_a_chain_longer_than_the_cap_is_an_error(tmp_path: Path) -> None:
    files = {f"c{i}.toml": f'extend = "c{i + 1}.toml"\n' for i in range(MAX_EXTEND_DEPTH + 1)}
    files[f"c{MAX_EXTEND_DEPTH + 1}.toml"] = "ignore = []\n"
    files[".persona-lint.toml"] = 'extend = "c0.toml"\n'
    files["backend-engineer.md"] = CANONICAL
    tree(tmp_path, files)
    code, _, stderr = lint(tmp_path, ".")
    assert code == 2
    assert stderr.endswith(f"more than {MAX_EXTEND_DEPTH} files extended in a row\n")
    del files[".persona-lint.toml"]
    (tmp_path / ".persona-lint.toml").write_text('extend = "c2.toml"\n')
    assert lint(tmp_path, ".") == (0, [], "")


@pytest.mark.parametrize("target", ["../outside.toml", "{outside}"])
def test_a_file_of_the_tree_may_not_extend_outside_it(tmp_path: Path, target: str) -> None:
    outside = tmp_path / "outside.toml"
    outside.write_text('ignore = ["PL3"]\n')
    repo = tree(tmp_path / "repo", {"backend-engineer.md": CANONICAL})
    value = target.format(outside=outside)
    (repo / ".persona-lint.toml").write_text(f'extend = "{value}"\n')
    code, _, stderr = lint(repo, ".")
    assert (code, stderr) == (
        2,
        f"persona-lint: error: {repo / '.persona-lint.toml'}:1: 'extend': {quoted(value)} is "
        "outside the current directory; not read (a file of the tree may extend only files "
        "of the tree: name a shared file with --config)\n",
    )


def test_a_shared_file_named_on_the_command_line_may_extend_outside(tmp_path: Path) -> None:
    tree(
        tmp_path,
        {
            "org/base.toml": 'ignore = ["PL304"]\nschemas = ["release.xsd"]\n',
            "org/release.xsd": (
                '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">\n'
                '  <xs:element name="backend_engineering_framework" type="xs:string"/>\n'
                "</xs:schema>\n"
            ),
            "org/persona-lint.toml": 'extend = "base.toml"\n',
            "repo/backend-engineer.md": BAD_VERSION,
        },
    )
    repo = tmp_path / "repo"
    # PL304 ignored by the shared base; its schema, beside it, applies (PL217).
    code, diagnostics, stderr = lint(repo, "--config", "../org/persona-lint.toml", ".")
    assert (code, diagnostics, stderr) == (1, ["backend-engineer.md:132:3 PL217"], "")
    # The same file inside the tree, naming a file outside, is refused.
    (repo / "team.toml").write_text('extend = "../org/base.toml"\n')
    assert lint(repo, "--config", "team.toml", ".")[0] == 2


def test_a_files_own_exclude_replaces_the_bases(tmp_path: Path) -> None:
    tree(
        tmp_path,
        {
            "base.toml": 'exclude = ["drafts"]\n',
            ".persona-lint.toml": 'extend = "base.toml"\nexclude = ["old"]\n',
            "drafts/backend-engineer.md": BAD_VERSION,
            "old/backend-engineer.md": BAD_VERSION,
        },
    )
    assert lint(tmp_path, ".")[1] == ["drafts/backend-engineer.md:3:3 PL304"]


@pytest.mark.parametrize("value", ["3", '""', '["a.toml"]'])
def test_extend_must_be_a_path(tmp_path: Path, value: str) -> None:
    tree(tmp_path, {".persona-lint.toml": f"extend = {value}\n", "backend-engineer.md": CANONICAL})
    assert lint(tmp_path, ".") == (
        2,
        [],
        f"persona-lint: error: {tmp_path / '.persona-lint.toml'}:1: 'extend' must be the "
        "path of a configuration file\n",
    )
