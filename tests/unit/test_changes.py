"""--changed-since REF (PL310, PL311): real git repositories with real commits.

Each test builds a repository in a temporary folder (author, committer and dates pinned,
HOME pointed away from the user's git configuration), commits the canonical persona, edits
the working tree and runs the command line in-process from the repository's top.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import CANONICAL, TODAY, edit, lint

from persona_lint.cli import main
from persona_lint.config.settings import PreviousVersion
from persona_lint.rules.version import SemVer, content_digest

PERSONA = "personas/backend-engineer.md"
NEW_GATE = (
    "<gate>Error handling and logging coverage</gate>",
    "<gate>Error handling and logging coverage</gate>\n      <gate>Accessibility review</gate>",
)
OLD_ROW = "| 1.0.0   | 2025-07-11   | stable |"


def git(repo: Path, *args: str) -> str:
    environment = {
        **os.environ,
        "HOME": str(repo.parent),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Persona Tester",
        "GIT_AUTHOR_EMAIL": "tester@example.com",
        "GIT_COMMITTER_NAME": "Persona Tester",
        "GIT_COMMITTER_EMAIL": "tester@example.com",
        "GIT_AUTHOR_DATE": "2026-11-01T12:00:00Z",
        "GIT_COMMITTER_DATE": "2026-11-01T12:00:00Z",
    }
    done = subprocess.run(
        ["git", *args], cwd=repo, env=environment, capture_output=True, text=True, check=True
    )
    return done.stdout


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository whose first commit holds the canonical persona; the working folder."""
    top = tmp_path / "repo"
    top.mkdir()
    git(top, "init", "-q", "-b", "main")
    (top / ".persona-lint.toml").write_text(f'today = "{TODAY.isoformat()}"\n')
    (top / "personas").mkdir()
    (top / PERSONA).write_text(CANONICAL, encoding="utf-8")
    git(top, "add", ".")
    git(top, "commit", "-q", "-m", "release 1.0.0")
    monkeypatch.chdir(top)
    return top


def write(path: str | Path, text: str) -> None:
    Path(path).write_text(text, encoding="utf-8")


def lint_cli(*args: str) -> Result:
    return CliRunner().invoke(main, ["--no-cache", *args], catch_exceptions=False)


def changed_content(text: str = CANONICAL) -> str:
    return edit(*NEW_GATE, text=text)


ERROR_VERSION = (
    f"{PERSONA}:3:3: error: the content changed since HEAD but version 1.0.0 was not raised; "
    "use 1.0.1 (patch) or 1.1.0 (minor) [PL310]"
)
ERROR_DATE = (
    f"{PERSONA}:3:13: error: the content changed since HEAD but last_updated 2025-07-11 was "
    "not moved forward; set it to 2026-11-26 [PL311]"
)


def test_content_changed_without_bump(repo: Path) -> None:
    write(PERSONA, changed_content())
    result = lint_cli("--changed-since", "HEAD", "personas/")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        ERROR_VERSION,
        ERROR_DATE,
        "1 file checked: 2 errors, 0 warnings",
    ]


def test_without_the_option_nothing_is_compared(repo: Path) -> None:
    write(PERSONA, changed_content())
    result = lint_cli("personas/")
    assert (result.exit_code, result.stdout) == (0, "1 file checked: 0 errors, 0 warnings\n")


def test_bumped_version_but_old_date(repo: Path) -> None:
    write(PERSONA, changed_content().replace(OLD_ROW, "| 1.0.1   | 2025-07-11   | stable |"))
    result = lint_cli("--changed-since", "HEAD", "personas/")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [ERROR_DATE, "1 file checked: 1 error, 0 warnings"]


def test_new_date_but_old_version(repo: Path) -> None:
    write(PERSONA, changed_content().replace(OLD_ROW, "| 1.0.0   | 2026-11-20   | stable |"))
    result = lint_cli("--changed-since", "HEAD", "personas/")
    assert result.stdout.splitlines() == [ERROR_VERSION, "1 file checked: 1 error, 0 warnings"]


def test_both_bumped_is_clean(repo: Path) -> None:
    write(PERSONA, changed_content().replace(OLD_ROW, "| 1.1.0   | 2026-11-20   | stable |"))
    result = lint_cli("--changed-since", "HEAD", "personas/")
    assert (result.exit_code, result.stdout) == (0, "1 file checked: 0 errors, 0 warnings\n")


def test_lower_version_and_earlier_date_say_so(repo: Path) -> None:
    write(PERSONA, changed_content().replace(OLD_ROW, "| 0.9.0   | 2025-07-01   | stable |"))
    result = lint_cli("--changed-since", "HEAD", "personas/")
    assert result.stdout.splitlines() == [
        f"{PERSONA}:3:3: error: the content changed since HEAD but version 0.9.0 is not above "
        "1.0.0 (the version at HEAD); use 1.0.1 (patch) or 1.1.0 (minor) [PL310]",
        f"{PERSONA}:3:13: error: the content changed since HEAD but last_updated 2025-07-01 is "
        "not after 2025-07-11 (the date at HEAD); set it to 2026-11-26 [PL311]",
        "1 file checked: 2 errors, 0 warnings",
    ]


def test_only_whitespace_changed_is_clean(repo: Path) -> None:
    spaced = CANONICAL.replace("    <name>", "        <name>").replace(
        "</persona_identity>", "</persona_identity>\n\n   "
    )
    write(PERSONA, spaced + "\n\n")
    result = lint_cli("--changed-since", "HEAD", "personas/")
    assert (result.exit_code, result.stdout) == (0, "1 file checked: 0 errors, 0 warnings\n")


def test_only_the_version_table_changed_is_clean(repo: Path) -> None:
    write(PERSONA, CANONICAL.replace(OLD_ROW, "| 1.0.0   | 2025-07-11   | review |"))
    result = lint_cli("--changed-since", "HEAD", "personas/")
    assert (result.exit_code, result.stdout) == (0, "1 file checked: 0 errors, 0 warnings\n")


def test_renamed_file_is_compared_with_its_old_path(repo: Path) -> None:
    (repo / "team").mkdir()
    git(repo, "mv", PERSONA, "team/backend-engineer.md")
    write("team/backend-engineer.md", changed_content())
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "move and change")
    result = lint_cli("--changed-since", "HEAD~1", "team/")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "team/backend-engineer.md:3:3: error: the content changed since HEAD~1 (as "
        f"{PERSONA}) but version 1.0.0 was not raised; use 1.0.1 (patch) or 1.1.0 (minor) [PL310]",
        "team/backend-engineer.md:3:13: error: the content changed since HEAD~1 (as "
        f"{PERSONA}) but last_updated 2025-07-11 was not moved forward; set it to 2026-11-26 "
        "[PL311]",
        "1 file checked: 2 errors, 0 warnings",
    ]


def test_renamed_file_without_change_is_clean(repo: Path) -> None:
    (repo / "team").mkdir()
    git(repo, "mv", PERSONA, "team/backend-engineer.md")  # staged, not committed
    result = lint_cli("--changed-since", "HEAD", "team/")
    assert (result.exit_code, result.stdout) == (0, "1 file checked: 0 errors, 0 warnings\n")


def test_new_files_are_fine(repo: Path) -> None:
    other = CANONICAL.replace("Backend Engineer", "Data Engineer").replace(
        "backend-engineer", "data-engineer"
    )
    other = other.replace("backend_engineer_behavior", "data_engineer_behavior")
    write("personas/data-engineer.md", other)  # untracked
    committed = other.replace("Data Engineer", "Ml Engineer").replace(
        "data-engineer", "ml-engineer"
    )
    committed = committed.replace("data_engineer_behavior", "ml_engineer_behavior")
    write("personas/ml-engineer.md", committed)
    git(repo, "add", "personas/ml-engineer.md")
    git(repo, "commit", "-q", "-m", "add ml")
    result = lint_cli("--changed-since", "HEAD~1", "personas/")
    assert (result.exit_code, result.stdout) == (0, "3 files checked: 0 errors, 0 warnings\n")


def test_staged_changes_count_too(repo: Path) -> None:
    write(PERSONA, changed_content())
    git(repo, "add", PERSONA)
    result = lint_cli("--changed-since", "HEAD", PERSONA)
    assert result.stdout.splitlines() == [
        ERROR_VERSION,
        ERROR_DATE,
        "1 file checked: 2 errors, 0 warnings",
    ]


def test_branch_names_work(repo: Path) -> None:
    git(repo, "branch", "release")
    write(PERSONA, changed_content())
    result = lint_cli("--changed-since", "release", PERSONA)
    assert result.exit_code == 1
    assert [line.rsplit(" ", 1)[-1] for line in result.stdout.splitlines()[:2]] == [
        "[PL310]",
        "[PL311]",
    ]


def test_unknown_ref_is_a_usage_error(repo: Path) -> None:
    result = lint_cli("--changed-since", "no-such-branch", "personas/")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"persona-lint: error: --changed-since: unknown git revision 'no-such-branch' in "
        f"{os.path.realpath(repo)}\n"
    )


@pytest.mark.parametrize("ref", ["-x", "--output=x", "--output-file=README.md", "-"])
def test_option_like_ref_is_refused(repo: Path, ref: str) -> None:
    result = lint_cli(f"--changed-since={ref}", "personas/")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"persona-lint: error: --changed-since: {ref!r} is not a git revision\n"
    assert sorted(p.name for p in repo.iterdir()) == [".git", ".persona-lint.toml", "personas"]


@pytest.mark.parametrize("ref", [f"HEAD:{PERSONA}", "HEAD^{tree}", "HEAD --output=x"])
def test_a_ref_that_names_no_commit_is_a_usage_error(repo: Path, ref: str) -> None:
    result = lint_cli("--changed-since", ref, "personas/")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"persona-lint: error: --changed-since: unknown git revision {ref!r} in "
        f"{os.path.realpath(repo)}\n"
    )


def plant_git_directory(repo: Path, folder: str, marker: Path) -> None:
    """Commit ``folder`` laid out as a git directory whose configuration runs a command
    that creates ``marker`` (core.fsmonitor runs when git reads that folder's index), with
    a changed persona in it: the attack of issue 15, finding 1.

    Its HEAD is the last commit (so HEAD~1 exists there too), its objects are the real
    repository's (``objects/info/alternates``), its work tree is itself, and its index
    is real, all as ordinary files of the tree."""
    git(repo, "commit", "-q", "--allow-empty", "-m", "second")
    planted = repo / folder
    (planted / "refs" / "heads").mkdir(parents=True)
    (planted / "objects" / "info").mkdir(parents=True)
    write(planted / "HEAD", "ref: refs/heads/main\n")
    write(planted / "refs" / "heads" / "main", git(repo, "rev-parse", "HEAD"))
    write(planted / "objects" / "info" / "alternates", "../../.git/objects\n")
    write(planted / "config", "[core]\n\trepositoryformatversion = 0\n\tbare = false\n")
    git(repo, "config", "-f", f"{folder}/config", "core.worktree", ".")
    git(repo, "config", "-f", f"{folder}/config", "core.fsmonitor", f"touch '{marker}'")
    git(repo, "--git-dir", folder, "-c", "core.fsmonitor=false", "read-tree", "HEAD")
    write(planted / "backend-engineer.md", changed_content())
    git(repo, "add", "-f", folder)
    git(repo, "commit", "-q", "-m", "a folder laid out as a git directory")
    assert not marker.exists()


def test_a_committed_git_directory_runs_nothing(repo: Path, tmp_path: Path) -> None:
    marker = tmp_path / "MARKER"
    plant_git_directory(repo, "evil", marker)
    result = lint_cli("--changed-since", "HEAD~1", "evil/")
    assert not marker.exists()
    # The persona is new since HEAD~1 of the real repository.
    assert (result.exit_code, result.stdout) == (0, "1 file checked: 0 errors, 0 warnings\n")
    result = lint_cli("--changed-since", "HEAD~2", "evil/backend-engineer.md")
    assert not marker.exists()
    assert (result.exit_code, result.stdout) == (0, "1 file checked: 0 errors, 0 warnings\n")


def test_a_committed_git_directory_as_working_directory_runs_nothing(
    repo: Path, tmp_path: Path
) -> None:
    marker = tmp_path / "MARKER"
    plant_git_directory(repo, "evil", marker)
    os.chdir(repo / "evil")
    result = lint_cli("--changed-since", "HEAD~1", "backend-engineer.md")
    assert not marker.exists()
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"persona-lint: error: --changed-since: {repo / 'evil'} is not inside a git repository "
        f"(fatal: cannot use bare repository '{os.path.realpath(repo / 'evil')}' "
        "(safe.bareRepository is 'explicit'))\n"
    )


def test_a_file_outside_the_repository_is_a_usage_error(repo: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    write(outside / "backend-engineer.md", CANONICAL)
    result = lint_cli("--changed-since", "HEAD", "personas/", str(outside))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"persona-lint: error: --changed-since: {outside} is outside the repository "
        f"{os.path.realpath(repo)}\n"
    )


def test_not_a_repository_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "plain"
    folder.mkdir()
    write(folder / "backend-engineer.md", CANONICAL)
    monkeypatch.chdir(folder)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    result = lint_cli("--changed-since", "HEAD", "backend-engineer.md")
    assert result.exit_code == 2
    assert result.stderr == (
        f"persona-lint: error: --changed-since: {folder} is not inside a git repository\n"
    )


def test_shallow_clone_where_ref_is_present(repo: Path, tmp_path: Path) -> None:
    write(PERSONA, changed_content().replace(OLD_ROW, "| 1.0.1   | 2026-11-20   | stable |"))
    git(repo, "commit", "-q", "-am", "release 1.0.1")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "2", f"file://{repo}", str(clone))
    assert git(clone, "rev-parse", "--is-shallow-repository").strip() == "true"
    os.chdir(clone)
    result = lint_cli("--changed-since", "HEAD~1", "personas/")
    assert (result.exit_code, result.stdout) == (0, "1 file checked: 0 errors, 0 warnings\n")
    write(
        PERSONA,
        edit(
            "Accessibility review", "Accessibility and usability review", Path(PERSONA).read_text()
        ),
    )
    result = lint_cli("--changed-since", "HEAD", "personas/")
    assert result.stdout.splitlines() == [
        f"{PERSONA}:3:3: error: the content changed since HEAD but version 1.0.1 was not "
        "raised; use 1.0.2 (patch) or 1.1.0 (minor) [PL310]",
        f"{PERSONA}:3:13: error: the content changed since HEAD but last_updated 2026-11-20 was "
        "not moved forward; set it to 2026-11-26 [PL311]",
        "1 file checked: 2 errors, 0 warnings",
    ]


def test_shallow_clone_without_ref_says_how_to_fetch(repo: Path, tmp_path: Path) -> None:
    git(repo, "commit", "-q", "--allow-empty", "-m", "second")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(clone))
    os.chdir(clone)
    result = lint_cli("--changed-since", "HEAD~1", "personas/")
    assert result.exit_code == 2
    assert result.stderr == (
        f"persona-lint: error: --changed-since: unknown git revision 'HEAD~1' in "
        f"{os.path.realpath(clone)} (this is a shallow clone: fetch that revision first, or "
        "clone with more history)\n"
    )


def test_standard_input_is_compared_with_its_path_at_ref(repo: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(
        main,
        ["--no-cache", "--changed-since", "HEAD", "--stdin-filename", PERSONA, "-"],
        input=changed_content(),
    )
    assert result.exit_code == 1
    assert result.stdout.splitlines()[:2] == [ERROR_VERSION, ERROR_DATE]
    without_name = runner.invoke(main, ["--changed-since", "HEAD", "-"], input=CANONICAL)
    assert without_name.exit_code == 2
    assert without_name.stderr == (
        "persona-lint: error: --changed-since with '-' needs --stdin-filename (the file's path)\n"
    )


def test_fix_raises_the_patch_version_and_sets_today(repo: Path) -> None:
    write(PERSONA, changed_content())
    result = lint_cli("--changed-since", "HEAD", "--fix", "personas/")
    assert (result.exit_code, result.stdout) == (
        0,
        "fixed 2 diagnostics in 1 file\n1 file checked: 0 errors, 0 warnings\n",
    )
    assert Path(PERSONA).read_text().splitlines()[2] == "| 1.0.1   | 2026-11-26   | stable |"
    again = lint_cli("--changed-since", "HEAD", "--fix", "personas/")
    assert again.stdout == "nothing to fix\n1 file checked: 0 errors, 0 warnings\n"
    assert Path(PERSONA).read_text() == changed_content().replace(
        OLD_ROW, "| 1.0.1   | 2026-11-26   | stable |"
    )


# -- The rules themselves, with the previous version given directly (no git). --------------


def previous(text: str = CANONICAL, ref: str = "origin/main") -> PreviousVersion:
    from persona_lint.document.model import parse_document
    from persona_lint.rules.version import version_cell

    document = parse_document("x.md", text)
    version, date = version_cell(document, "version"), version_cell(document, "last_updated")
    assert version is not None and date is not None
    return PreviousVersion(ref, version.text, date.text, content_digest(document))


def change_codes(text: str, before: PreviousVersion) -> list[tuple[str, int, int]]:
    found = lint(text, previous=before).diagnostics
    return [(d.code, d.line, d.column) for d in found]


def test_date_of_today_passes_even_when_equal_to_ref() -> None:
    released_today = CANONICAL.replace(OLD_ROW, "| 1.0.0   | 2026-11-26   | stable |")
    changed = changed_content(released_today).replace(
        "| 1.0.0   | 2026-11-26", "| 1.0.1   | 2026-11-26"
    )
    assert change_codes(changed, previous(released_today)) == []


@pytest.mark.parametrize(
    ("old", "new", "flagged"),
    [
        ("1.0.0", "1.0.1", False),
        ("1.0.0", "1.0.0", True),
        ("1.0.0", "1.0.0-rc.1", True),  # a pre-release comes before its release
        ("1.0.0", "1.0.1-rc.1", False),
        ("1.0.0-rc.1", "1.0.0", False),
        ("1.0.0-rc.2", "1.0.0-rc.10", False),  # numeric identifiers compare as numbers
        ("1.0.0-rc.10", "1.0.0-rc.2", True),
        ("1.0.0-alpha", "1.0.0-alpha.1", False),  # a longer pre-release comes later
        ("1.0.0-alpha.1", "1.0.0-alpha.beta", False),  # numbers before words
        ("1.0.0+build.1", "1.0.0+build.2", True),  # build metadata has no precedence
        ("1.9.0", "1.10.0", False),
        ("2.0.0", "1.99.99", True),
    ],
)
def test_semver_precedence(old: str, new: str, flagged: bool) -> None:
    before = CANONICAL.replace(OLD_ROW, f"| {old} | 2025-07-11 | stable |")
    after = changed_content(before).replace(f"| {old} | 2025-07-11 |", f"| {new} | 2026-11-26 |")
    found = [code for code, _, _ in change_codes(after, previous(before))]
    assert ("PL310" in found) is flagged


def test_semver_order_of_the_specification() -> None:
    ordered = [
        "1.0.0-alpha",
        "1.0.0-alpha.1",
        "1.0.0-alpha.beta",
        "1.0.0-beta",
        "1.0.0-beta.2",
        "1.0.0-beta.11",
        "1.0.0-rc.1",
        "1.0.0",
        "1.0.1",
        "1.1.0",
        "2.0.0",
    ]
    parsed = [SemVer.parse(text) for text in ordered]
    assert all(parsed)
    keys = [p.key() for p in parsed if p is not None]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)


@pytest.mark.parametrize(
    ("version", "patch", "minor"),
    [("1.0.0", "1.0.1", "1.1.0"), ("1.1.0-rc.1", "1.1.0", "1.1.0"), ("2.3.4-b", "2.3.4", "2.4.0")],
)
def test_suggested_versions(version: str, patch: str, minor: str) -> None:
    parsed = SemVer.parse(version)
    assert parsed is not None
    assert (parsed.next_patch(), parsed.next_minor()) == (patch, minor)


def test_not_semver_is_left_to_pl304() -> None:
    before = CANONICAL.replace(OLD_ROW, "| 1.0     | 2025-07-11   | stable |")
    assert change_codes(changed_content(before), previous(before)) == [
        ("PL304", 3, 3),
        ("PL311", 3, 13),
    ]
