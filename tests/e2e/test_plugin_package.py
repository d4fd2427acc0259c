"""The example plugin package, installed with pip into a fresh virtual environment and run.

Offline: the fresh environment reaches persona-lint and its dependencies through a ``.pth``
file adding this environment's site-packages. Building a wheel with setuptools before 70.1
needs the ``wheel`` package, which an offline machine may lack, so the test packs the
example's wheel itself from its ``pyproject.toml`` (name, version, entry points: the
metadata pip reads) and pip installs that wheel with ``--no-index``. Marked slow.
"""

from __future__ import annotations

import base64
import hashlib
import site
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import CANONICAL, ROOT

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

pytestmark = pytest.mark.slow

EXAMPLE = ROOT / "examples" / "acme-persona-rules"
FOUND = (
    "backend-engineer.md:50:7: warning: metric 'Security vulnerability score: zero "
    "high-severity' has no number [ACME301]"
)


def fresh_environment(folder: Path) -> Path:
    """A new virtual environment that sees persona-lint's (and nothing installed in it)."""
    subprocess.run([sys.executable, "-m", "venv", folder], check=True, capture_output=True)
    python = folder / "bin" / "python"
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    # An "import" line of a .pth file runs: addsitedir also reads the .pth files there
    # (an editable install of persona-lint is one).
    lines = [f"import site; site.addsitedir({folder!r})" for folder in site.getsitepackages()]
    (Path(purelib) / "host.pth").write_text("\n".join(lines) + "\n")
    return python


def pack_wheel(source: Path, folder: Path) -> Path:
    """The example's wheel: its package and the metadata its pyproject.toml declares."""
    project = tomllib.loads((source / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    name, version = project["name"], project["version"]
    info = f"{name.replace('-', '_')}-{version}.dist-info"
    points = "".join(
        f"[{group}]\n" + "".join(f"{key} = {value}\n" for key, value in entries.items())
        for group, entries in project["entry-points"].items()
    )
    files = {
        path.relative_to(source).as_posix(): path.read_bytes()
        for path in sorted(source.glob("acme_persona_rules/*.py"))
    }
    files[f"{info}/METADATA"] = (
        f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n".encode()
    )
    files[f"{info}/WHEEL"] = (
        b"Wheel-Version: 1.0\nGenerator: tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    )
    files[f"{info}/entry_points.txt"] = points.encode()
    record = [f"{path},sha256={_digest(data)},{len(data)}" for path, data in files.items()] + [
        f"{info}/RECORD,,"
    ]
    files[f"{info}/RECORD"] = ("\n".join(record) + "\n").encode()
    wheel = folder / f"{name.replace('-', '_')}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        for path, data in files.items():
            archive.writestr(path, data)
    return wheel


def _digest(data: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def test_the_example_package_installs_and_runs(tmp_path: Path) -> None:
    python = fresh_environment(tmp_path / "venv")
    wheel = pack_wheel(EXAMPLE, tmp_path)
    install = subprocess.run(
        [python, "-m", "pip", "install", "--quiet", "--no-index", wheel],
        capture_output=True,
        text=True,
        check=False,
    )
    assert install.returncode == 0, install.stderr
    project = tmp_path / "project"
    project.mkdir()
    (project / "backend-engineer.md").write_text(CANONICAL, encoding="utf-8")
    (project / ".persona-lint.toml").write_text('plugins = ["acme"]\n', encoding="utf-8")

    def persona_lint(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [python, "-m", "persona_lint", *args],
            cwd=project,
            capture_output=True,
            text=True,
            check=False,
        )

    linted = persona_lint("--no-cache", "backend-engineer.md")
    assert (linted.returncode, linted.stdout.splitlines()) == (
        0,
        [FOUND, "1 file checked: 0 errors, 1 warning"],
    )
    listed = persona_lint("plugins").stdout.splitlines()
    assert listed == [
        "acme  entry point acme_persona_rules.rules (acme-persona-rules 0.1.0)  ACME301"
    ]
    explained = persona_lint("explain", "metric-has-number").stdout
    assert explained.startswith("ACME301 (metric-has-number)\n\nDefault severity: warning")
    # The same environment without the configuration naming it: never imported.
    (project / ".persona-lint.toml").write_text("strict = false\n", encoding="utf-8")
    assert persona_lint("--no-cache", "backend-engineer.md").stdout.splitlines() == [
        "1 file checked: 0 errors, 0 warnings"
    ]
    assert persona_lint("plugins").stdout.splitlines() == [
        "no plugin loaded",
        "acme  installed (acme-persona-rules), not enabled",
    ]
