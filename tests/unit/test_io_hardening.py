"""Hostile pull requests, round 2 (issue 15), the file side: what persona-lint reads and
writes besides the personas it lints, when the pull request controls every file in the
tree (names, links, configuration, baselines, the cache folder).

Each test replays an attack on the real command line in a subprocess, under a memory cap
(a run that would read ``/dev/zero`` to the end fails instead of exhausting the machine)
and a timeout (a run that would block on a named pipe fails instead of hanging). Where the
kernel's permission checks matter, the run is made as an unprivileged user (``nobody``
through ``setpriv`` when the tests run as root), never simulated. Each starts a real
process, so the module is marked slow: ``make fast-test`` leaves it out, ``make test`` and
CI run it.
"""

from __future__ import annotations

import io
import os
import resource
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import CANONICAL, edit
from hostile.audit import run_audited

pytestmark = pytest.mark.slow

EXE = [sys.executable, "-m", "persona_lint"]
MEMORY_CAP = 2 << 30  # bytes of address space a run may take
PATH = "backend-engineer.md"
# The canonical persona with one PL304 (version not SemVer) on line 3.
BROKEN = edit("| 1.0.0   |", "| 1.0     |")
NOBODY = 65534
AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def run_cli(
    *args: str | Path,
    cwd: Path,
    stdin: int | None = subprocess.DEVNULL,
    unprivileged: bool = False,
    timeout: float = 60,
) -> subprocess.CompletedProcess[str]:
    """``persona-lint ARGS`` in ``cwd`` as a real process, memory capped; with
    ``unprivileged``, as a user without special rights (``nobody`` when we are root)."""
    command = [*EXE, *map(str, args)]
    if unprivileged and AS_ROOT:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: no unprivileged user to run as")
        command = [setpriv, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", *command]
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "PERSONA_LINT_CACHE_DIR")}
    return subprocess.run(
        command,
        cwd=cwd,
        stdin=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=_cap_memory,
        env=env,
        check=False,
    )


def lint(*args: str | Path, cwd: Path, **kwargs: object) -> subprocess.CompletedProcess[str]:
    """Concise, no cache, no configuration (unless the test gives one)."""
    return run_cli("--output-format", "concise", "--no-cache", *args, cwd=cwd, **kwargs)  # type: ignore[arg-type]


def assert_one_error_line(result: subprocess.CompletedProcess[str], expected: str) -> None:
    """Exit 2, nothing on standard output, and exactly one line on standard error."""
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr == f"persona-lint: error: {expected}\n"


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


@pytest.fixture
def shared_tmp() -> Iterator[Path]:
    """A folder an unprivileged user can enter (pytest's tmp_path is private to us)."""
    folder = Path(tempfile.mkdtemp(prefix="persona-lint-io-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        for dirpath, dirnames, _ in os.walk(folder):
            for name in dirnames:  # give back the rights a test took away
                os.chmod(os.path.join(dirpath, name), 0o755)
        shutil.rmtree(folder)


# --- Finding 3: edits never touch what the lint refused; export never writes through links -


@pytest.fixture
def tree_with_a_foreign_link(tmp_path: Path) -> tuple[Path, Path]:
    """tree/backend-engineer.md -> ../outside/victim.md, a broken persona outside."""
    victim = write(tmp_path / "outside" / "victim.md", BROKEN)
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / PATH).symlink_to(victim)
    return tree, victim


@pytest.mark.parametrize("edit_options", [("--add-noqa",), ("--diff", "--add-noqa"), ("--fix",)])
def test_edits_never_open_a_link_the_lint_refused(
    tree_with_a_foreign_link: tuple[Path, Path], edit_options: tuple[str, ...]
) -> None:
    tree, victim = tree_with_a_foreign_link
    for cwd, target in ((tree, PATH), (tree.parent, "tree")):  # named, and found by a walk
        audit = run_audited(
            ["--output-format", "concise", "--no-cache", "--isolated", *edit_options, target],
            cwd,
        )
        assert "Traceback" not in audit.stderr, audit.stderr
        assert victim.read_text() == BROKEN
        assert str(victim) not in [os.path.realpath(p) for p in audit.opened]
        if "--diff" in edit_options:  # the diff alone, and there is none
            assert (audit.stdout, audit.stderr, audit.returncode) == ("", "nothing to fix\n", 0)
        else:
            assert audit.stdout.splitlines()[-2:] == [
                "nothing to fix",
                "1 file checked: 1 error, 0 warnings",
            ]
            assert "PL004" in audit.stdout
            assert audit.returncode == 1


def test_edits_never_open_a_named_pipe_or_a_device(tmp_path: Path) -> None:
    """The lint refuses them (PL004); the edit pass used to read them whole (a pipe without
    a writer blocks forever, /dev/zero never ends)."""
    tree = tmp_path / "tree"
    tree.mkdir()
    os.mkfifo(tree / "pipe.md")
    (tree / "zero.md").symlink_to("/dev/zero")
    outside = tmp_path / "outside.fifo"
    os.mkfifo(outside)
    (tree / "linked-pipe.md").symlink_to(outside)
    result = lint("--isolated", "--add-noqa", "tree", cwd=tmp_path, timeout=60)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert [line.split(":")[0] for line in lines[:3]] == [
        "tree/linked-pipe.md",
        "tree/pipe.md",
        "tree/zero.md",
    ]
    assert all(line.endswith("[PL004]") for line in lines[:3])
    assert lines[3:] == ["nothing to fix", "3 files checked: 3 errors, 0 warnings"]
    result = lint("--isolated", "--diff", "--add-noqa", "tree", cwd=tmp_path, timeout=60)
    assert (result.stdout, result.stderr, result.returncode) == ("", "nothing to fix\n", 0)


def test_edits_pass_over_a_file_too_large_to_lint(tmp_path: Path) -> None:
    """PL003: the lint did not read it, so --add-noqa must not add a suppression to it."""
    write(tmp_path / ".persona-lint.toml", "max-file-size = 2000\n")
    big = write(tmp_path / PATH, BROKEN)
    result = lint("--add-noqa", PATH, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"{PATH}:1:1: error: file is larger than max-file-size (2000 bytes); not parsed [PL003]",
        "nothing to fix",
        "1 file checked: 1 error, 0 warnings",
    ]
    assert big.read_text() == BROKEN


def test_export_never_writes_through_a_planted_link(tmp_path: Path) -> None:
    write(tmp_path / PATH, CANONICAL)
    victim = write(tmp_path / "victim", "precious\n")
    out = tmp_path / "out"
    out.mkdir()
    planted = out / "backend-engineer.1.persona_context.xml"
    planted.symlink_to("../victim")
    result = run_cli("export", PATH, "--output-dir", "out", cwd=tmp_path)
    assert_one_error_line(
        result,
        "out/backend-engineer.1.persona_context.xml: cannot write: "
        "a symbolic link; neither replaced nor written through",
    )
    assert victim.read_text() == "precious\n"
    assert planted.is_symlink()


def test_export_never_writes_into_a_folder_link_out_of_the_tree(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    write(tree / PATH, CANONICAL)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tree / "out").symlink_to(elsewhere, target_is_directory=True)
    result = run_cli("export", PATH, "--output-dir", "out", cwd=tree)
    assert_one_error_line(
        result, "out: symbolic link to a folder outside the current directory; not followed"
    )
    assert list(elsewhere.iterdir()) == []


def test_export_of_a_link_out_of_the_tree_is_refused(
    tree_with_a_foreign_link: tuple[Path, Path],
) -> None:
    tree, _ = tree_with_a_foreign_link
    result = run_cli("export", PATH, cwd=tree)
    assert_one_error_line(
        result, f"{PATH}: symbolic link to a file outside the current directory; not followed"
    )
    assert result.stdout == ""


def test_export_to_a_folder_that_cannot_be_made(tmp_path: Path) -> None:
    write(tmp_path / PATH, CANONICAL)
    write(tmp_path / "taken", "a file, not a folder\n")
    result = run_cli("export", PATH, "--output-dir", "taken/out", cwd=tmp_path)
    assert_one_error_line(result, "taken/out: cannot create the folder: Not a directory")


def test_export_into_an_unwritable_folder(shared_tmp: Path) -> None:
    write(shared_tmp / PATH, CANONICAL)
    out = shared_tmp / "out"
    out.mkdir(mode=0o555)
    out.chmod(0o555)
    result = run_cli("export", PATH, "--output-dir", "out", cwd=shared_tmp, unprivileged=True)
    assert_one_error_line(
        result, "out/backend-engineer.1.persona_context.xml: cannot write: Permission denied"
    )
    assert list(out.iterdir()) == []


# --- Finding 8: baselines -------------------------------------------------------------------


def test_deeply_nested_baseline_is_one_error(tmp_path: Path) -> None:
    write(tmp_path / PATH, CANONICAL)
    write(tmp_path / "baseline.json", "[" * 100_000)
    result = lint("--isolated", "--baseline", "baseline.json", PATH, cwd=tmp_path)
    assert_one_error_line(result, "baseline.json: cannot read the baseline: nested too deeply")


@pytest.mark.parametrize(
    ("target", "reason"),
    [
        ("/dev/zero", "symbolic link to a file outside the current directory; not followed"),
        ("fifo", "cannot read the baseline: not a regular file (a named pipe)"),
    ],
)
def test_baseline_that_is_not_a_regular_file_is_never_opened(
    tmp_path: Path, target: str, reason: str
) -> None:
    write(tmp_path / PATH, CANONICAL)
    if target == "fifo":
        os.mkfifo(tmp_path / "fifo")  # a pipe inside the tree, without a writer
    (tmp_path / "baseline.json").symlink_to(target)
    for option in ("--baseline", "--write-baseline"):
        result = lint("--isolated", option, "baseline.json", PATH, cwd=tmp_path, timeout=60)
        assert_one_error_line(result, f"baseline.json: {reason}")
    assert (tmp_path / "baseline.json").is_symlink()


def test_baseline_over_the_size_cap_is_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from persona_lint import baseline
    from persona_lint.cli.check import execute
    from persona_lint.engine.run import RunOptions

    write(tmp_path / PATH, BROKEN)
    entries = [{"path": PATH, "code": "PL304", "fingerprint": f"{n:020d}"} for n in range(30)]
    write(tmp_path / "baseline.json", baseline.dump(baseline.Entry(**e) for e in entries))
    monkeypatch.setattr(baseline, "MAX_SIZE", 1000)
    monkeypatch.chdir(tmp_path)
    out, err = io.StringIO(), io.StringIO()
    options = RunOptions(
        paths=(Path(PATH),), cache_dir=None, isolated=True, baseline=Path("baseline.json")
    )
    assert execute(options, out, err) == 2
    assert err.getvalue() == (
        "persona-lint: error: baseline.json: cannot read the baseline: larger than 1,000 bytes\n"
    )


def test_baseline_link_out_of_the_tree_is_refused(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    write(tree / PATH, BROKEN)
    foreign = write(tmp_path / "foreign.json", '{"version": 1, "entries": []}\n')
    (tree / "baseline.json").symlink_to(foreign)
    for option in ("--baseline", "--write-baseline"):
        result = lint("--isolated", option, "baseline.json", PATH, cwd=tree)
        assert_one_error_line(
            result,
            "baseline.json: symbolic link to a file outside the current directory; not followed",
        )
    assert foreign.read_text() == '{"version": 1, "entries": []}\n'


def test_written_baseline_never_replaces_a_link(tmp_path: Path) -> None:
    """A link inside the tree may be read, but a baseline is written only as a file."""
    write(tmp_path / PATH, BROKEN)
    real = write(tmp_path / "real.json", '{"version": 1, "entries": []}\n')
    (tmp_path / "baseline.json").symlink_to("real.json")
    result = lint("--isolated", "--write-baseline", "baseline.json", PATH, cwd=tmp_path)
    assert_one_error_line(
        result,
        "baseline.json: cannot write the baseline: "
        "a symbolic link; neither replaced nor written through",
    )
    assert (tmp_path / "baseline.json").is_symlink()
    assert real.read_text() == '{"version": 1, "entries": []}\n'


# --- Finding 11: --output-file --------------------------------------------------------------


@pytest.mark.skipif(not AS_ROOT, reason="making a device node needs root")
def test_output_file_on_a_device_writes_to_it_and_keeps_it(tmp_path: Path) -> None:
    """A twin of /dev/null (replacing the real one, as root, breaks the whole machine)."""
    write(tmp_path / PATH, CANONICAL)
    null = tmp_path / "null"
    os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    result = lint("--isolated", "--output-file", "null", PATH, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert stat.S_ISCHR(os.lstat(null).st_mode)
    assert os.lstat(null).st_rdev == os.makedev(1, 3)
    assert sorted(p.name for p in tmp_path.iterdir()) == [PATH, "null"]


def test_output_file_on_a_named_pipe_writes_to_it(tmp_path: Path) -> None:
    write(tmp_path / PATH, BROKEN)
    os.mkfifo(tmp_path / "pipe")
    # Held open for reading and writing: the run's open does not wait for a reader, and the
    # report (well under a pipe's buffer) waits in the pipe until read below.
    held = os.open(tmp_path / "pipe", os.O_RDWR | os.O_NONBLOCK)
    try:
        result = lint("--isolated", "--output-file", "pipe", PATH, cwd=tmp_path)
        try:
            report = os.read(held, 1 << 16).decode()
        except BlockingIOError:  # nothing was written into the pipe
            report = ""
    finally:
        os.close(held)
    assert result.returncode == 1, result.stdout + result.stderr
    assert report == f"{PATH}:3:3: error: version '1.0' is not SemVer (MAJOR.MINOR.PATCH) [PL304]\n"
    assert stat.S_ISFIFO(os.lstat(tmp_path / "pipe").st_mode)


def test_output_file_link_to_standard_output_is_written_to_it(tmp_path: Path) -> None:
    """/dev/stdout is a link to /proc/self/fd/1: the report goes to the run's own output,
    and the link stays (the same link made in tmp_path, to keep the real /dev safe)."""
    write(tmp_path / PATH, BROKEN)
    (tmp_path / "stdout").symlink_to("/proc/self/fd/1")
    result = lint("--isolated", "--output-file", "stdout", PATH, cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines() == [
        f"{PATH}:3:3: error: version '1.0' is not SemVer (MAJOR.MINOR.PATCH) [PL304]",
        "1 file checked: 1 error, 0 warnings",
    ]
    assert (tmp_path / "stdout").is_symlink()


def test_output_file_link_is_neither_replaced_nor_written_through(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    write(tree / PATH, BROKEN)
    victim = write(tmp_path / "victim.txt", "precious\n")
    (tree / "report.txt").symlink_to(victim)
    result = lint("--isolated", "--output-file", "report.txt", PATH, cwd=tree)
    assert_one_error_line(
        result,
        "report.txt: cannot write the report: a symbolic link; neither replaced nor written "
        "through",
    )
    assert (tree / "report.txt").is_symlink()
    assert victim.read_text() == "precious\n"


def test_output_file_in_a_folder_link_out_of_the_tree(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    write(tree / PATH, BROKEN)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tree / "reports").symlink_to(elsewhere, target_is_directory=True)
    result = lint("--isolated", "--output-file", "reports/lint.txt", PATH, cwd=tree)
    assert_one_error_line(
        result,
        "reports/lint.txt: cannot write the report: symbolic link to a folder outside the "
        "current directory; not followed",
    )
    assert list(elsewhere.iterdir()) == []


def test_output_file_in_a_missing_folder_is_one_error(tmp_path: Path) -> None:
    write(tmp_path / PATH, BROKEN)
    result = lint("--isolated", "--output-file", "missing/report.txt", PATH, cwd=tmp_path)
    assert_one_error_line(
        result, "missing/report.txt: cannot write the report: No such file or directory"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == [PATH]


def test_output_file_in_an_unwritable_folder_is_one_error(shared_tmp: Path) -> None:
    write(shared_tmp / PATH, BROKEN)
    (shared_tmp / "locked").mkdir()
    (shared_tmp / "locked").chmod(0o555)
    result = lint(
        "--isolated", "--output-file", "locked/r.txt", PATH, cwd=shared_tmp, unprivileged=True
    )
    assert_one_error_line(result, "locked/r.txt: cannot write the report: Permission denied")


# --- Finding 12: configuration files ----------------------------------------------------------


def test_configuration_link_to_proc_environ_is_never_read(tmp_path: Path) -> None:
    write(tmp_path / PATH, CANONICAL)
    (tmp_path / ".persona-lint.toml").symlink_to("/proc/self/environ")
    audit = run_audited(["--output-format", "concise", "--no-cache", PATH], tmp_path)
    assert audit.returncode == 2, audit.stdout + audit.stderr
    assert audit.stderr == (
        "persona-lint: error: "
        f"{tmp_path}/.persona-lint.toml: symbolic link to a file outside the current "
        "directory; not read\n"
    )
    assert not [p for p in audit.opened if p.startswith("/proc/")]


def test_configuration_link_out_of_the_tree_does_not_change_the_verdict(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    write(tree / PATH, BROKEN)
    foreign = write(tmp_path / "foreign.toml", 'ignore = ["PL304"]\n')
    (tree / ".persona-lint.toml").symlink_to(foreign)
    result = lint(PATH, cwd=tree)
    assert_one_error_line(
        result,
        f"{tree}/.persona-lint.toml: symbolic link to a file outside the current directory; "
        "not read",
    )
    # Named with --config, the same link is refused too.
    result = lint("--config", ".persona-lint.toml", PATH, cwd=tree)
    assert_one_error_line(
        result,
        ".persona-lint.toml: symbolic link to a file outside the current directory; not read",
    )


def test_configuration_link_inside_the_tree_is_followed(tmp_path: Path) -> None:
    write(tmp_path / "sub" / PATH, BROKEN)
    write(tmp_path / "shared.toml", 'ignore = ["PL304"]\n')
    (tmp_path / "sub" / ".persona-lint.toml").symlink_to("../shared.toml")
    result = lint("sub", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == "1 file checked: 0 errors, 0 warnings\n"


@pytest.mark.parametrize("target", ["/dev/zero", "fifo"])
def test_configuration_that_is_not_a_regular_file_is_one_error(tmp_path: Path, target: str) -> None:
    """A pipe in the tree was ignored (is_file); a link to a device was ignored too. Both
    now stop the run: a configuration that cannot be read may be the one in force."""
    write(tmp_path / PATH, CANONICAL)
    if target == "fifo":
        os.mkfifo(tmp_path / ".persona-lint.toml")
        reason = "cannot read configuration: not a regular file (a named pipe)"
    else:
        (tmp_path / ".persona-lint.toml").symlink_to(target)
        reason = "symbolic link to a file outside the current directory; not read"
    result = lint(PATH, cwd=tmp_path, timeout=60)
    assert_one_error_line(result, f"{tmp_path}/.persona-lint.toml: {reason}")


def test_configuration_over_the_size_cap_is_not_parsed(tmp_path: Path) -> None:
    write(tmp_path / PATH, CANONICAL)
    write(tmp_path / ".persona-lint.toml", "#" + "x" * (1 << 20) + "\n")
    result = lint(PATH, cwd=tmp_path)
    assert_one_error_line(
        result,
        f"{tmp_path}/.persona-lint.toml: cannot read configuration: larger than 1,048,576 bytes",
    )


# --- Finding 13: links and permissions on the way to a named path -----------------------------


def test_named_folder_link_out_of_the_tree_is_not_walked(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    write(tree / PATH, CANONICAL)
    outside = tmp_path / "outside"
    write(outside / "secret.md", BROKEN)
    (tree / "personas").symlink_to(outside, target_is_directory=True)
    for named in ("personas", "personas/", "personas/secret.md", f"{tree}/personas/secret.md"):
        audit = run_audited(["--output-format", "concise", "--no-cache", "--isolated", named], tree)
        assert "Traceback" not in audit.stderr, audit.stderr
        assert not [p for p in audit.opened + audit.listed if p.startswith(str(outside))]
        assert audit.returncode == 1
        message = (
            "symbolic link to a folder outside the current directory; not followed"
            if not named.endswith("secret.md")
            else "reached through a symbolic link to a folder outside the current directory; "
            "not followed"
        )
        assert audit.stdout.splitlines() == [
            f"{Path(named)}:1:1: error: {message} [PL004]",
            "1 file checked: 1 error, 0 warnings",
        ]


def test_links_inside_the_tree_on_the_way_are_followed(tmp_path: Path) -> None:
    write(tmp_path / "real" / PATH, BROKEN)
    (tmp_path / "alias").symlink_to("real", target_is_directory=True)
    result = lint("--isolated", "alias", f"{tmp_path}/alias/{PATH}", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"alias/{PATH}:3:3: error: version '1.0' is not SemVer (MAJOR.MINOR.PATCH) [PL304]",
        "1 file checked: 1 error, 0 warnings",  # the second name is the same file
    ]


def test_folder_that_can_be_listed_but_not_searched(shared_tmp: Path) -> None:
    """Read permission without search permission: the walk saw the folder's entries, and
    looking for pyvenv.cfg in it was a PermissionError traceback."""
    write(shared_tmp / "tree" / PATH, CANONICAL)
    write(shared_tmp / "tree" / "half" / "x.md", CANONICAL)
    write(shared_tmp / "tree" / "half" / "sub" / "y.md", CANONICAL)
    (shared_tmp / "tree" / "half" / "sub").chmod(0o644)
    (shared_tmp / "tree" / "half").chmod(0o644)
    result = lint("--isolated", "tree", cwd=shared_tmp, unprivileged=True)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines() == [
        "tree/half:1:1: error: cannot list folder: Permission denied [PL004]",
        "2 files checked: 1 error, 0 warnings",
    ]


def test_unsearchable_folder_during_configuration_discovery(shared_tmp: Path) -> None:
    write(shared_tmp / "locked" / PATH, CANONICAL)
    (shared_tmp / "locked").chmod(0o644)
    result = lint(f"locked/{PATH}", cwd=shared_tmp, unprivileged=True)
    assert_one_error_line(
        result,
        f"{shared_tmp}/locked/.persona-lint.toml: cannot look for configuration: Permission denied",
    )


def test_file_in_an_unsearchable_folder_named_with_isolated(shared_tmp: Path) -> None:
    write(shared_tmp / "locked" / PATH, CANONICAL)
    (shared_tmp / "locked").chmod(0o644)
    result = lint("--isolated", f"locked/{PATH}", cwd=shared_tmp, unprivileged=True)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"locked/{PATH}:1:1: error: cannot read file: Permission denied [PL004]",
        "1 file checked: 1 error, 0 warnings",
    ]


# --- Finding 17: standard input, clean, hard links and owners ---------------------------------


def test_standard_input_is_read_no_further_than_max_file_size(tmp_path: Path) -> None:
    """An endless standard input: the run reads max-file-size + 1 bytes, says PL003, and
    ends (it used to read everything before looking at the size)."""
    with open("/dev/zero", "rb") as endless:
        result = lint("--isolated", "-", cwd=tmp_path, stdin=endless.fileno(), timeout=60)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "-:1:1: error: file is larger than max-file-size (1048576 bytes); not parsed [PL003]",
        "1 file checked: 1 error, 0 warnings",
    ]


def test_standard_input_within_the_limit_is_read_whole(tmp_path: Path) -> None:
    source = tmp_path / "in.md"
    write(source, BROKEN)
    with open(source, "rb") as handle:
        result = lint(
            "--isolated", "--stdin-filename", PATH, "-", cwd=tmp_path, stdin=handle.fileno()
        )
    assert result.stdout.splitlines() == [
        f"{PATH}:3:3: error: version '1.0' is not SemVer (MAJOR.MINOR.PATCH) [PL304]",
        "1 file checked: 1 error, 0 warnings",
    ]


def test_clean_never_follows_a_linked_cache_folder(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    tree.mkdir()
    victim = tmp_path / "victim"
    write(victim / "CACHEDIR.TAG", "Signature: 8a477f597d28d172789f06886806bc55\n")
    write(victim / "v1" / "precious", "data\n")
    (tree / ".persona_lint_cache").symlink_to(victim, target_is_directory=True)
    result = run_cli("clean", cwd=tree)
    assert_one_error_line(
        result, ".persona_lint_cache: cannot remove the cache: a symbolic link; not followed"
    )
    assert (victim / "v1" / "precious").read_text() == "data\n"
    assert (tree / ".persona_lint_cache").is_symlink()


def test_clean_removes_a_real_cache(tmp_path: Path) -> None:
    write(tmp_path / PATH, CANONICAL)
    assert run_cli("--isolated", PATH, cwd=tmp_path).returncode == 0  # with the cache
    assert (tmp_path / ".persona_lint_cache" / "CACHEDIR.TAG").exists()
    result = run_cli("clean", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, "removed .persona_lint_cache\n")
    assert not (tmp_path / ".persona_lint_cache").exists()


MESSY = edit("      3. Data consistency", "      4. Data consistency")  # PL701, fixable


def test_fix_never_splits_hard_links(tmp_path: Path) -> None:
    write(tmp_path / ".persona-lint.toml", 'today = "2026-11-26"\n')
    persona = write(tmp_path / PATH, MESSY)
    other = tmp_path / "elsewhere.md"
    os.link(persona, other)
    result = lint("--fix", PATH, cwd=tmp_path)
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr == (
        f"persona-lint: error: {PATH}: has 2 hard links; not written "
        "(a replacement would split them)\n"
    )
    assert os.path.samefile(persona, other)
    assert persona.read_text() == MESSY


@pytest.mark.skipif(not AS_ROOT, reason="giving a file to another user needs root")
def test_fix_keeps_the_owner(tmp_path: Path) -> None:
    write(tmp_path / ".persona-lint.toml", 'today = "2026-11-26"\n')
    persona = write(tmp_path / PATH, MESSY)
    os.chown(persona, NOBODY, NOBODY)
    result = lint("--fix", PATH, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert persona.read_text() == CANONICAL
    assert (persona.stat().st_uid, persona.stat().st_gid) == (NOBODY, NOBODY)


def test_fix_refuses_what_would_change_the_owner(shared_tmp: Path) -> None:
    """An unprivileged run may replace another user's file in a folder it can write to,
    but not give the new file that user: it reports the file instead of taking it over."""
    if not AS_ROOT:
        pytest.skip("needs a file owned by another user than the one running")
    write(shared_tmp / ".persona-lint.toml", 'today = "2026-11-26"\n')
    persona = write(shared_tmp / PATH, MESSY)
    persona.chmod(0o666)
    shared_tmp.chmod(0o777)
    result = lint("--fix", PATH, cwd=shared_tmp, unprivileged=True)
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr == (
        f"persona-lint: error: {PATH}: owned by 0:0, which the new file cannot be given; "
        "not written\n"
    )
    assert persona.read_text() == MESSY
    assert persona.stat().st_uid == 0
    assert sorted(p.name for p in shared_tmp.iterdir()) == [".persona-lint.toml", PATH]
