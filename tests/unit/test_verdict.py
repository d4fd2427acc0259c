"""A verdict that is never wrong (issue 16): what a run reports and how it exits when a file
could not be checked, when persona-lint itself has a bug, and whatever the way a file
reaches the linter (a file, standard input, the language server, ``--fix``).

Exit codes and tracebacks are asserted on the real command line in a subprocess. A bug is
planted where the test needs one: :func:`planted` runs the real console entry point after
replacing one function of persona-lint by one that raises (the thing under test is what
persona-lint does with the bug, never the replaced function).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import CANONICAL, SETTINGS, cli, edit, triples
from lsp.client import start_client, stop_client
from lsprotocol import types

from persona_lint.document.model import parse_document
from persona_lint.engine.lint import lint_source
from persona_lint.engine.postprocess import check_corpus

NOT_A_PERSONA = (
    "not a persona document or a BMAD agent definition: no version table, no '# <Name> "
    "Persona' title and no <persona_context> block; no <agent> block"
)


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def planted(setup: str, *args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the real console entry point in a subprocess after ``setup`` (Python source that
    plants a bug) has run."""
    program = f"{setup}\nfrom persona_lint.cli import entry\nentry()\n"
    return subprocess.run(
        [sys.executable, "-c", program, *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


# A rule that raises: PL304 (version-semver), which a --select PL3 keeps running.
BROKEN_RULE = """
from persona_lint.rules.registry import RULES, load_families
load_families()
def broken(document, context):
    raise ValueError("planted in a rule")
RULES["PL304"] = RULES["PL304"]._replace(check=broken)
"""


# --- 1. A selection never hides a file that was not checked --------------------------------

UNCHECKED_FILES: dict[str, tuple[bytes, str]] = {
    "png": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "1:1: error: this is a PNG image"),
    "too-large": (
        b"a" * (2 * 1024 * 1024),
        "1:1: error: file is larger than max-file-size (1048576 bytes); not parsed [PL003]",
    ),
    "nul": (edit("# Backend", "# Back\x00end").encode(), "5:7: error: NUL byte in the file"),
    "not-a-persona": (b"# Notes\n\nplain text\n", f"1:1: error: {NOT_A_PERSONA} [PL100]"),
}


@pytest.mark.parametrize(
    "selection",
    [
        ["--select", "PL3"],
        ["--ignore", "PL0,PL1"],
        ["--config", "ignore.toml"],
        ["--config", "prefix-off.toml"],
        ["--config", "per-file.toml"],
    ],
    ids=["select-PL3", "ignore-PL0-PL1", "config-ignore", "severity-prefix-off", "per-file"],
)
@pytest.mark.parametrize("kind", list(UNCHECKED_FILES))
def test_selection_never_hides_a_file_that_was_not_checked(
    tmp_path: Path, kind: str, selection: list[str]
) -> None:
    data, expected = UNCHECKED_FILES[kind]
    write(tmp_path, "x.md", data)
    write(tmp_path, "ignore.toml", 'ignore = ["PL0", "PL1"]\n')
    write(tmp_path, "prefix-off.toml", 'severity = { PL0 = "off", PL = "warning" }\n')
    write(tmp_path, "per-file.toml", '[per-file-ignores]\n"*.md" = ["ALL"]\n')
    done = cli("--no-cache", *selection, "x.md", cwd=tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 2 and lines[0].startswith(f"x.md:{expected}"), lines
    assert lines[1] == "1 file checked: 1 error, 0 warnings"
    assert done.stderr == ""


def test_selection_never_hides_a_crashing_rule_nor_an_unreadable_file(tmp_path: Path) -> None:
    write(tmp_path, "backend-engineer.md", CANONICAL)
    os.mkfifo(tmp_path / "pipe.md")
    done = planted(
        BROKEN_RULE, "--no-cache", "--select", "PL304", "backend-engineer.md", "pipe.md",
        cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    assert done.stdout.splitlines() == [
        "backend-engineer.md:1:1: error: internal error in rule PL304 (version-semver): "
        "ValueError: planted in a rule [PL001]",
        "pipe.md:1:1: error: cannot read file: not a regular file (a named pipe) [PL004]",
        "2 files checked: 2 errors, 0 warnings",
    ]


def test_only_severity_naming_the_code_or_a_suppression_changes_it(tmp_path: Path) -> None:
    write(tmp_path, "x.md", b"\x89PNG\r\n\x1a\n")
    write(tmp_path, "warn.toml", 'severity = { PL002 = "warning" }\n')
    write(tmp_path, "off.toml", 'select = ["PL3"]\nseverity = { encoding = "off" }\n')
    png = "x.md:1:1: {}: this is a PNG image, not a UTF-8 text file [PL002]"

    warned = cli("--no-cache", "--config", "warn.toml", "--select", "PL3", "x.md", cwd=tmp_path)
    assert (warned.returncode, warned.stdout.splitlines()) == (
        0,
        [png.format("warning"), "1 file checked: 0 errors, 1 warning"],
    )
    off = cli("--no-cache", "--config", "off.toml", "x.md", cwd=tmp_path)
    assert (off.returncode, off.stdout) == (0, "1 file checked: 0 errors, 0 warnings\n")
    zero = cli("--no-cache", "--select", "PL3", "--exit-zero", "x.md", cwd=tmp_path)
    assert (zero.returncode, zero.stdout.splitlines()) == (
        0,
        [png.format("error"), "1 file checked: 1 error, 0 warnings"],
    )
    # An inline suppression still covers PL001 (a rule's bug in a file that was parsed).
    write(
        tmp_path, "backend-engineer.md", f"{CANONICAL}\n<!-- persona-lint: disable-file PL001 -->\n"
    )
    quiet = planted(
        BROKEN_RULE, "--no-cache", "--select", "PL3", "backend-engineer.md", cwd=tmp_path
    )
    assert (quiet.returncode, quiet.stdout) == (0, "1 file checked: 0 errors, 0 warnings\n")


# --- 2. Internal errors are one line and exit 2; one bug is one PL001 ------------------------


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (
            "import persona_lint.cli.report as report\n"
            "def broken(results):\n    raise KeyError('planted')\n"
            "report.summary = broken",
            "persona-lint: internal error while writing the report: KeyError: 'planted'",
        ),
        (
            "import persona_lint.engine.jobs as jobs\n"
            "def broken(path, limit):\n    raise RuntimeError('planted \\x1b[2J')\n"
            "jobs.read_limited = broken",
            "persona-lint: internal error while linting backend-engineer.md: "
            "RuntimeError: planted \\x1b[2J",
        ),
    ],
    ids=["report", "reading"],
)
def test_internal_error_is_one_line_and_exit_2(tmp_path: Path, setup: str, message: str) -> None:
    write(tmp_path, "backend-engineer.md", CANONICAL)
    done = planted(setup, "--no-cache", "backend-engineer.md", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (2, message + "\n")
    shown = planted(setup, "--no-cache", "--show-traceback", "backend-engineer.md", cwd=tmp_path)
    assert shown.returncode == 2
    lines = shown.stderr.splitlines()
    assert lines[0] == message
    assert lines[1] == "Traceback (most recent call last):"
    assert "planted" in lines[-1] and "InternalError" in lines[-1]
    assert any(line.startswith(("KeyError: 'planted'", "RuntimeError: planted")) for line in lines)


def test_a_bug_in_another_command_is_one_line_and_exit_2(tmp_path: Path) -> None:
    setup = (
        "import persona_lint.rules as rules\n"
        "def broken():\n    raise RuntimeError('planted')\n"
        "rules.all_rules = broken"
    )
    done = planted(setup, "rules", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (
        2,
        "persona-lint: internal error: RuntimeError: planted\n",
    )


def test_show_traceback_is_documented() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert "--show-traceback" in readme
    help_text = subprocess.run(
        [sys.executable, "-m", "persona_lint", "check", "--help"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "--show-traceback" in help_text


def test_a_shared_computation_that_fails_is_one_pl001(monkeypatch: pytest.MonkeyPatch) -> None:
    """A bug in the schema tail check, which every PL2xx rule asks for through the one
    shared XML computation, is one PL001 naming the computation and its first asker."""
    import persona_lint.rules.xml.shared as xml
    from persona_lint.errors import MAX_MESSAGE

    start = "tail \x1b]8;;http://x\x07 "  # an OSC 8 link: escaped, never obeyed

    def broken(root: Any) -> Any:
        raise ValueError(start + "long " * 60)

    monkeypatch.setattr(xml, "check_tail", broken)
    result = lint_source("backend-engineer.md", CANONICAL, SETTINGS)
    assert triples(result.diagnostics) == [("PL001", 1, 1)]
    kept = ("long " * 60)[: MAX_MESSAGE - len(start)]
    assert result.diagnostics[0].message == (
        "internal error in the computation 'xml' that rules share (first asked by PL201 "
        f"xml-syntax): ValueError: tail \\x1b]8;;http://x\\x07 {kept}\u2026"
    )


def test_document_once_remembers_a_failure() -> None:
    from persona_lint.document.model import ComputationFailed, Shared

    calls: list[int] = []

    def compute(document: object) -> int:
        calls.append(1)
        raise ValueError("once")

    question = Shared("key", compute)
    document = parse_document("x.md", "# X Persona\n")
    with pytest.raises(ComputationFailed) as first:
        document.once(question)
    with pytest.raises(ComputationFailed) as second:
        document.once(question)
    assert first.value is second.value
    assert isinstance(first.value.cause, ValueError) and first.value.key == "key"
    assert calls == [1]


# --- 3. One decode path: file, standard input, language server and --fix agree -----------

SAME_BYTES: dict[str, bytes] = {
    "bell": edit("<name>Backend", "<name>Back\x07end").encode(),
    "c1-control": edit("<name>Backend", "<name>Back\u0085end").encode(),
    "escape": edit("Persona\n", "Persona \x1b[31m\n").encode(),
    "lone-surrogate": edit("<name>Backend", "<name>Back\ud800end").encode("utf-8", "surrogatepass"),
    "bom-crlf": b"\xef\xbb\xbf" + CANONICAL.replace("\n", "\r\n").encode(),
    "clean": CANONICAL.encode(),
    "nul": edit("<name>Backend", "<name>Back\x00end").encode(),
    "defects": edit("| 1.0.0   |", "| 1.0     |").encode(),
}

Seen = list[tuple[str, int, int, str]]


def _from_json(output: str) -> Seen:
    report = json.loads(output)
    return sorted(
        (d["code"], d["range"]["start"]["line"], d["range"]["start"]["column"], d["message"])
        for f in report["files"]
        for d in f["diagnostics"]
    )


def _through_cli(folder: Path, name: str, data: bytes) -> dict[str, Seen]:
    write(folder, name, data)
    args = ("--no-cache", "--isolated", "--output-format", "json")
    on_file = cli(*args, name, cwd=folder)
    piped = subprocess.run(
        [sys.executable, "-m", "persona_lint", *args, "--stdin-filename", name, "-"],
        cwd=folder,
        input=data,
        capture_output=True,
        check=False,
    )
    fixed = cli(*args, "--fix", name, cwd=folder)
    return {
        "file": _from_json(on_file.stdout),
        "stdin": _from_json(piped.stdout.decode()),
        "fix": _from_json(fixed.stdout),
    }


@pytest.mark.slow
@pytest.mark.asyncio
async def test_every_entry_point_decodes_the_same_bytes_alike(tmp_path: Path) -> None:
    """Each case is ``<case>/backend-engineer.md``; the editor opens one at a time (closing
    it before the next: an open persona with the same slug would be a PL801), and counts
    columns in code points (UTF-32), as the command line does."""
    seen = {
        name: _through_cli(tmp_path / "cli" / name, "backend-engineer.md", data)
        for name, data in SAME_BYTES.items()
    }
    utf32 = types.PositionEncodingKind.Utf32
    editor = await start_client(tmp_path / "editor", [utf32])
    try:
        assert editor.encoding == utf32
        for name, data in SAME_BYTES.items():
            text = data.decode("utf-8", "surrogatepass")
            uri = editor.open(tmp_path / "editor" / name / "backend-engineer.md", text)
            published = await editor.next_diagnostics(uri)
            seen[name]["server"] = sorted(
                (str(d.code), d.range.start.line + 1, d.range.start.character + 1, d.message)
                for d in published.diagnostics
            )
            editor.close(uri)
            assert list((await editor.next_diagnostics(uri)).diagnostics) == []
    finally:
        await stop_client(editor)
    for name, by_entry in seen.items():
        assert len({json.dumps(v) for v in by_entry.values()}) == 1, (name, by_entry)
    assert [c for c, *_ in seen["bell"]["file"]] == ["PL002"]
    assert seen["lone-surrogate"]["file"] == [
        ("PL002", 13, 15, "lone surrogate U+D800: the text is not valid Unicode")
    ]
    assert seen["clean"]["file"] == seen["bom-crlf"]["file"] == []
    assert [c for c, *_ in seen["defects"]["file"]] == ["PL304"]


def test_text_takes_the_decode_path_of_bytes() -> None:
    """The language server and --fix verification hand the core text; a control character
    in it is PL002, as in the bytes of a file (it was an XML error, PL201)."""
    text = edit("<name>Backend", "<name>Back\x07end")
    from_text = lint_source("backend-engineer.md", text, SETTINGS)
    from_bytes = lint_source("backend-engineer.md", text.encode(), SETTINGS)
    assert from_text.diagnostics == from_bytes.diagnostics
    assert [(d.code, d.line, d.column, d.message) for d in from_text.diagnostics] == [
        ("PL002", 13, 15, "control character U+0007 in the file: is it binary?")
    ]


# --- 4. Diagnostics that vanish silently --------------------------------------------------

# The behaviour block fenced without ``xml`` (so there is none), and a third, unrelated
# ``xml`` block that is not well-formed.
NO_BEHAVIOR_AND_A_BROKEN_NOTE = (
    edit("```xml\n<backend_engineer_behavior>", "```\n<backend_engineer_behavior>")
    + "\n```xml\n<notes><a></notes>\n```\n"
)


def test_pl102_survives_an_unrelated_malformed_block() -> None:
    result = check_corpus(
        [lint_source("backend-engineer.md", NO_BEHAVIOR_AND_A_BROKEN_NOTE, SETTINGS)]
    )[0]
    context_fence = CANONICAL[: CANONICAL.index("<persona_context")].count("\n")
    found = [(c, line) for c, line, _ in triples(result.diagnostics) if c in ("PL102", "PL201")]
    notes_line = NO_BEHAVIOR_AND_A_BROKEN_NOTE.count("\n") - 1
    assert found == [("PL102", context_fence), ("PL201", notes_line)]


def test_pl102_waits_for_a_block_too_broken_to_name_its_root() -> None:
    text = edit("```xml\n<backend_engineer_behavior>", "```xml\n<<backend_engineer_behavior>")
    codes = [c for c, *_ in triples(lint_source("backend-engineer.md", text, SETTINGS).diagnostics)]
    assert "PL201" in codes and "PL102" not in codes


def test_the_walk_reports_an_entry_it_cannot_tell(tmp_path: Path) -> None:
    """A link loop named like a folder may hide personas: it is reported, not passed over."""
    write(tmp_path, "personas/backend-engineer.md", CANONICAL)
    os.symlink("loop-b", tmp_path / "personas" / "loop-a")
    os.symlink("loop-a", tmp_path / "personas" / "loop-b")
    os.symlink("dangling-target", tmp_path / "personas" / "dangling")  # nothing: no report
    done = cli("--no-cache", "personas", cwd=tmp_path)
    reason = "cannot tell whether this is a file or a folder: Too many levels of symbolic links"
    assert (done.returncode, done.stdout.splitlines()) == (
        1,
        [
            f"personas/loop-a:1:1: error: {reason} [PL004]",
            f"personas/loop-b:1:1: error: {reason} [PL004]",
            "3 files checked: 2 errors, 0 warnings",
        ],
    )


def test_one_definition_of_a_markdown_file(tmp_path: Path) -> None:
    from persona_lint.lsp import server
    from persona_lint.source import walk

    assert vars(server)["MARKDOWN_SUFFIXES"] is walk.MARKDOWN_SUFFIXES  # imported, not copied
    broken = edit("| 1.0.0   |", "| 1.0     |")
    for name in ("a.md", "b.markdown", "C.MD", "d.txt"):
        write(tmp_path, f"personas/{name}", broken)
    done = cli("--no-cache", "personas", cwd=tmp_path)
    found = sorted({line.split(":")[0] for line in done.stdout.splitlines()[:-1]})
    assert found == ["personas/C.MD", "personas/a.md", "personas/b.markdown"]
    assert done.stdout.splitlines()[-1].startswith("3 files checked:")
    assert [walk.is_markdown(n) for n in ("x.md", "x.MARKDOWN", "x.mdx", "md")] == [
        True,
        True,
        False,
        False,
    ]


# The file changes between the lint and the fix (another process writes it): the fix
# reads it again and must not skip it in silence.
CHANGED_BEFORE_THE_FIX = """
from pathlib import Path
import persona_lint.engine.edits as edits
original = edits.edit_files
def racing(results, **options):
    Path("backend-engineer.md").write_bytes(Path("replacement").read_bytes())
    return original(results, **options)
edits.edit_files = racing
"""


@pytest.mark.parametrize(
    ("replacement", "stderr", "report"),
    [
        (
            b"# Backend Engineer Persona\n\x00",
            "persona-lint: error: backend-engineer.md: not fixed: 2:1: NUL byte in the file: "
            "is it binary?",
            "backend-engineer.md:2:1: error: NUL byte in the file: is it binary? [PL002]",
        ),
        (
            b"x" * (1024 * 1024 + 1),
            "persona-lint: error: backend-engineer.md: not fixed: 1:1: file is larger than "
            "max-file-size (1048576 bytes); not parsed",
            "backend-engineer.md:1:1: error: file is larger than max-file-size (1048576 bytes); "
            "not parsed [PL003]",
        ),
    ],
    ids=["not-text", "too-large"],
)
def test_fix_reports_a_file_it_cannot_read_again(
    tmp_path: Path, replacement: bytes, stderr: str, report: str
) -> None:
    write(tmp_path, "backend-engineer.md", edit("| 1.0.0   |", "| 1.0.0 |"))  # PL308: fixable
    write(tmp_path, "replacement", replacement)
    done = planted(
        CHANGED_BEFORE_THE_FIX, "--no-cache", "--fix", "backend-engineer.md", cwd=tmp_path
    )
    assert (done.returncode, done.stderr) == (1, stderr + "\n")
    assert done.stdout.splitlines() == [
        report,
        "nothing to fix",
        "1 file checked: 1 error, 0 warnings",
    ]
