"""The project as a user installs it: the wheel's contents, and `make`'s set-up output.

Marked slow (each builds with pip in a temporary folder); .ci/run runs them.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT

pytestmark = pytest.mark.slow


def test_wheel_ships_the_licence_and_the_schemas(tmp_path: Path) -> None:
    # Built from the files git tracks: a checkout's build/ folder would lend setuptools
    # modules that the package list leaves out.
    source = tmp_path / "source"
    tracked = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.split(b"\0")
    for name in filter(None, tracked):
        target = source / name.decode()
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / name.decode(), target)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", tmp_path, source],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("persona_lint-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    licences = [n for n in names if n.endswith(".dist-info/licenses/LICENSE")]
    assert len(licences) == 1, names
    licence = zipfile.ZipFile(wheel).read(licences[0]).decode()
    assert licence == (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert licence.startswith("MIT License\n")
    assert "persona_lint/schemas/persona.xsd" in names
    modules = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "persona_lint").rglob("*.py"))
    assert [m for m in modules if m not in names] == []  # every package listed in pyproject


def test_make_sets_up_without_a_setuptools_notice(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    result = subprocess.run(
        ["make", "--no-print-directory", f"VENV={venv}", f"{venv}/.installed"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    output = result.stdout + result.stderr
    assert "BuildBackendWarning" not in output
    assert "*****" not in output
