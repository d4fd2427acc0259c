"""The pre-commit hook, end to end: a real `pre-commit` in a temporary git repository.

Everything pre-commit installs goes to a temporary PRE_COMMIT_HOME; the repository is a
temporary folder. Marked slow (it builds a virtual environment); .ci/run runs it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CANONICAL, PERSONAS, ROOT, edit

pytestmark = pytest.mark.slow

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


def run_pre_commit(workspace: dict[str, Path], *args: str) -> subprocess.CompletedProcess[str]:
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
        cwd=workspace["repo"],
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
    assert "2 files checked, 1 skipped (not persona documents): 1 error, 0 warnings" in lines
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
    assert (
        "1 file checked, 1 skipped (not persona documents): 0 errors, 0 warnings" in result.stdout
    )


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
