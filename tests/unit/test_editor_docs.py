"""The editor set-ups that the README and docs/editors.md print, run in the real editor.

Vim (when installed) reads real concise output through each documented ``errorformat``.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, edit

DOCUMENTED = {
    "README.md": re.search(
        r"`errorformat` `([^`]+)`", (ROOT / "README.md").read_text(encoding="utf-8")
    ),
    "docs/editors.md": re.search(
        r"let &l:errorformat = '([^']+)'", (ROOT / "docs/editors.md").read_text(encoding="utf-8")
    ),
}


@pytest.mark.skipif(shutil.which("vim") is None, reason="vim is not installed")
@pytest.mark.parametrize("page", sorted(DOCUMENTED))
def test_vim_errorformat_reads_errors_and_warnings_and_skips_the_summary(
    tmp_path: Path, page: str
) -> None:
    found = DOCUMENTED[page]
    assert found is not None, f"no errorformat in {page}"
    persona = tmp_path / "backend-engineer.md"
    # An error (PL304 at 3:3) and a warning (PL901, a placeholder left in the text).
    persona.write_text(
        edit("| 1.0.0   |", "| 1.0     |").replace("Backend Engineer</name>", "TODO</name>")
    )
    output = subprocess.run(
        [sys.executable, "-m", "persona_lint", "--output-format", "concise", "--no-cache"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    lines = output.splitlines()
    kinds = {line.split(": ")[1] for line in lines if ": " in line}
    assert {"error", "warning"} <= kinds, output
    (tmp_path / "output.txt").write_text(output)
    script = tmp_path / "read.vim"
    script.write_text(
        f"let &errorformat = {json.dumps(found.group(1))}\n"
        "cgetfile output.txt\n"
        "let entries = map(getqflist(), {_, e -> [e.valid, e.type, e.lnum, e.col, e.text]})\n"
        "call writefile([json_encode(entries)], 'qf.json')\n"
        "qall!\n"
    )
    subprocess.run(
        ["vim", "-Nu", "NONE", "-i", "NONE", "-es", "-S", str(script)],
        cwd=tmp_path,
        check=False,
        timeout=60,
        capture_output=True,
    )
    entries = json.loads((tmp_path / "qf.json").read_text())
    expected = []
    for line in lines[:-1]:  # the last line is the summary
        _, line_number, column, kind, text = re.match(
            r"(.*?):(\d+):(\d+): (error|warning): (.*)", line
        ).groups()  # type: ignore[union-attr]
        expected.append([1, kind[0], int(line_number), int(column), text])  # Vim: e, w
    assert lines[-1].endswith("warnings")
    assert entries == expected
