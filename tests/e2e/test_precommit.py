"""The pre-commit hook, end to end: a real `pre-commit` in a temporary git repository.

Everything pre-commit installs goes to a temporary PRE_COMMIT_HOME; the repository is a
temporary folder. Marked slow (it builds a virtual environment); .ci/run runs it. The tests
share that repository and environment (a module fixture built once), so under pytest-xdist
they run on one worker, in this order (``xdist_group``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CANONICAL, PERSONAS, ROOT, edit

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("precommit")]

PRE_COMMIT = Path(sys.executable).parent / "pre-commit"


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    if not PRE_COMMIT.exists() or shutil.which("git") is None:
        pytest.skip("pre-commit or git is not installed")
    base = tmp_path_factory.mktemp("precommit")
    repo = base / "repo"
    (repo / "personas").mkdir(parents=True)
    (repo / "personas" / "backend-engineer.md").write_text(CANONICAL, encoding="utf-8")
    qa = (PERSONAS / "qa-engineer.md").read_text(encoding="utf-8")
    (repo / "personas" / "qa-engineer.md").write_text(
        edit("| 1.3.0   |", "| 1.3     |", qa), encoding="utf-8"
    )
    (repo / "README.md").write_text("# Project\n\nNot a persona.\n", encoding="utf-8")
    # Persona-looking content in a file that is not Markdown: never passed to the hook.
    (repo / "notes.txt").write_text(edit("| 1.0.0   |", "| 1.0     |"), encoding="utf-8")
    git(repo, "init", "-q")
    git(repo, "add", ".")
    return {"base": base, "repo": repo, "home": base / "home"}


def run_pre_commit(
    workspace: dict[str, Path], *args: str, repo: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """``pre-commit ARGS`` in ``repo`` (default: the workspace's repository)."""
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(workspace["home"]),
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
        "NO_COLOR": "1",
    }
    return subprocess.run(
        [str(PRE_COMMIT), *args, "--color", "never"],
        cwd=repo or workspace["repo"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def test_try_repo_fails_on_the_bad_persona_only(workspace: dict[str, Path]) -> None:
    result = run_pre_commit(
        workspace,
        "try-repo",
        str(ROOT),
        "persona-lint",
        "--verbose",
        "--files",
        "personas/backend-engineer.md",
        "personas/qa-engineer.md",
        "README.md",
        "notes.txt",
    )
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    lines = output.splitlines()
    assert (
        "personas/qa-engineer.md:3:3: error: version '1.3' is not SemVer (MAJOR.MINOR.PATCH) [PL304]"
        in lines
    )
    # README.md was passed (it is Markdown) and skipped silently; notes.txt was not passed.
    assert "2 files checked, 1 skipped (of no format checked): 1 error, 0 warnings" in lines
    assert "backend-engineer.md:" not in output
    assert "notes.txt" not in output.replace("--files", "")


def test_try_repo_passes_on_the_good_persona(workspace: dict[str, Path]) -> None:
    result = run_pre_commit(
        workspace,
        "try-repo",
        str(ROOT),
        "persona-lint",
        "--verbose",
        "--files",
        "personas/backend-engineer.md",
        "README.md",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 file checked, 1 skipped (of no format checked): 0 errors, 0 warnings" in result.stdout


def test_pre_commit_run_with_a_config_pointing_at_the_checkout(workspace: dict[str, Path]) -> None:
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()
    config = workspace["repo"] / ".pre-commit-config.yaml"
    config.write_text(
        f"repos:\n  - repo: {ROOT}\n    rev: {head}\n    hooks:\n      - id: persona-lint-strict\n",
        encoding="utf-8",
    )
    git(workspace["repo"], "add", ".pre-commit-config.yaml")
    result = run_pre_commit(workspace, "run", "--all-files", "--verbose")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "persona-lint (strict)" in output
    assert "personas/qa-engineer.md:3:3: error:" in output
    config.unlink()


def hook_repository(workspace: dict[str, Path], name: str, hook: str) -> Path:
    """A new repository (in the workspace's folder, so pre-commit's environment is reused)
    whose .pre-commit-config.yaml uses this checkout's committed hooks, ``hook`` being the
    YAML of one hook (indented for ``hooks:``)."""
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()
    repo = workspace["base"] / name
    repo.mkdir()
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {ROOT}\n    rev: {head}\n    hooks:\n{hook}", encoding="utf-8"
    )
    git(repo, "init", "-q")
    return repo


OPTION_NAMES = ("--output-file=README.md", "--changed-since=x.md", "-x.md")


@pytest.mark.parametrize(
    ("names", "summary"),
    [
        # Three copies of one persona: PL801 (duplicate slug) on each, besides PL304.
        (OPTION_NAMES, "3 files checked, 1 skipped (of no format checked): 6 errors, 3 warnings"),
        # Alone, as main's hook would obey it (overwriting README.md).
        (OPTION_NAMES[:1], "1 file checked, 1 skipped (of no format checked): 1 error, 1 warning"),
    ],
    ids=["all", "output-file"],
)
def test_file_names_that_look_like_options_are_linted_as_files(
    workspace: dict[str, Path], names: tuple[str, ...], summary: str
) -> None:
    """pre-commit appends file names to the hook's entry: a file named like an option is
    linted (its diagnostics name it), never obeyed (README.md is not overwritten)."""
    repo = hook_repository(workspace, f"option-names-{len(names)}", "      - id: persona-lint\n")
    readme = "# Project\n\nNot a persona.\n"
    (repo / "README.md").write_text(readme, encoding="utf-8")
    qa = (PERSONAS / "qa-engineer.md").read_text(encoding="utf-8")
    for name in names:
        (repo / name).write_text(edit("| 1.3.0   |", "| 1.3     |", qa), encoding="utf-8")
    git(repo, "add", ".")
    result = run_pre_commit(workspace, "run", "--all-files", "--verbose", repo=repo)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert (repo / "README.md").read_text(encoding="utf-8") == readme
    lines = output.splitlines()
    for name in names:
        assert (
            f"{name}:3:3: error: version '1.3' is not SemVer (MAJOR.MINOR.PATCH) [PL304]" in lines
        )
        assert (
            f"{name}:1:1: warning: file name '{name}' does not match the persona's slug "
            "'qa-engineer'; expected 'qa-engineer.md' [PL407]"
        ) in lines
    assert summary in lines


@pytest.mark.parametrize(
    "hook",
    [
        # Options in an entry that ends with `--`, as the README says.
        "      - id: persona-lint\n        entry: persona-lint check --skip-non-personas"
        " --force-exclude --changed-since=HEAD~1 --\n",
        # Options in args, as before: now a path, which does not exist.
        "      - id: persona-lint\n        args: [--changed-since=HEAD~1]\n",
    ],
    ids=["entry", "args"],
)
def test_changed_since_in_the_hook_runs_nothing_a_committed_git_directory_chose(
    workspace: dict[str, Path], tmp_path: Path, hook: str
) -> None:
    """The attack of issue 15, finding 1, through a real hook: the marker command of the
    planted folder's git configuration never runs."""
    from test_changes import git as pinned_git
    from test_changes import plant_git_directory

    repo = hook_repository(workspace, f"planted-{tmp_path.name}", hook)
    (repo / "README.md").write_text("# Project\n", encoding="utf-8")
    pinned_git(repo, "add", ".")
    pinned_git(repo, "commit", "-q", "-m", "first")
    marker = tmp_path / "MARKER"
    plant_git_directory(repo, "evil", marker)
    result = run_pre_commit(workspace, "run", "--all-files", "--verbose", repo=repo)
    output = result.stdout + result.stderr
    assert not marker.exists(), output
    if "args" in hook:
        assert result.returncode == 1, output  # pre-commit's code for a failed hook
        assert (
            "persona-lint: error: no such file or folder: --changed-since=HEAD~1 (an option "
            "after '--' is a path)"
        ) in output.splitlines()
    else:
        assert result.returncode == 0, output
        assert "1 file checked, 1 skipped (of no format checked): 0 errors, 0 warnings" in output
