"""Run persona-lint in a subprocess that records what it opens, lists and connects to.

A Python audit hook (``sys.addaudithook``), installed before persona-lint is imported,
records every ``open`` event (``open()``, ``os.open``, ``io.open_code``), every folder
listing and every ``socket.*``, ``urllib.*`` or process-spawning event. What C libraries
do (expat, libxml2) does not raise audit events, so :func:`run_traced` also runs the same
bootstrap under ``strace`` when it is available, to see ``openat`` and ``connect`` system
calls of the whole process.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

BOOTSTRAP = r"""
import json, os, resource, sys
from urllib.parse import unquote, urlsplit

_events = []
_recording = True
_NETWORK = ("socket.", "urllib.", "http.", "ftplib.", "smtplib.", "poplib.", "imaplib.",
            "nntplib.", "telnetlib.", "webbrowser.")
_SPAWN = ("subprocess.Popen", "os.system", "os.exec", "os.spawn", "os.posix_spawn",
          "os.fork", "os.startfile", "pty.spawn")


def _hook(event, args):
    if not _recording:
        return
    if event == "open":
        path = args[0]
        if path is None or isinstance(path, int):
            return  # an already open descriptor
        _events.append(["open", os.path.abspath(os.fsdecode(path))])
    elif event in ("os.listdir", "os.scandir"):
        path = args[0] if args and args[0] is not None else "."
        if not isinstance(path, int):
            _events.append([event, os.path.abspath(os.fsdecode(path))])
    elif event == "urllib.Request" and str(args[0]).startswith("file:"):
        # A file read through urllib (xmlschema loads its own meta-schema so): an open.
        _events.append(["open", os.path.abspath(unquote(urlsplit(str(args[0])).path))])
    elif event.startswith(_NETWORK) or event.startswith(_SPAWN):
        _events.append([event, repr(args)[:300]])


sys.addaudithook(_hook)
sys.argv = ["persona-lint", *json.loads(os.environ["PL_AUDIT_ARGS"])]
try:
    from persona_lint.cli import main

    main()
finally:
    _recording = False
    # The peak of this program alone: VmHWM starts afresh at exec, while ru_maxrss keeps the
    # peak of the process that forked it (pytest, which may have grown large).
    _peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    try:
        with open("/proc/self/status", encoding="ascii") as _status:
            for _line in _status:
                if _line.startswith("VmHWM:"):
                    _peak = int(_line.split()[1])
    except OSError:
        pass
    with open(os.environ["PL_AUDIT_LOG"], "w", encoding="utf-8") as _log:
        json.dump({"events": _events, "maxrss_kb": _peak}, _log)
"""


@dataclass
class Audit:
    """What one audited run did."""

    returncode: int
    stdout: str
    stderr: str
    seconds: float
    opened: list[str] = field(default_factory=list)
    listed: list[str] = field(default_factory=list)
    network: list[str] = field(default_factory=list)  # network and process events
    maxrss_kb: int = 0
    raw_stdout: bytes = b""

    def foreign_opens(self, inputs: list[Path]) -> list[str]:
        """Opened paths that are neither an input nor Python's or persona-lint's own."""
        allowed = {os.path.abspath(p) for p in inputs}
        return [p for p in self.opened if p not in allowed and not is_own_file(p)]


def own_prefixes() -> tuple[str, ...]:
    """Folders whose files the interpreter and persona-lint may read: the virtual
    environment, the base installation, the standard library, site-packages, and the
    persona_lint package with its schemas."""
    import persona_lint
    from persona_lint.xml.shape import schema_dir

    folders = {
        sys.prefix,
        sys.base_prefix,
        sys.exec_prefix,
        sys.base_exec_prefix,
        sysconfig.get_paths()["stdlib"],
        sysconfig.get_paths()["purelib"],
        sysconfig.get_paths()["platlib"],
        str(Path(persona_lint.__file__).parent),
        str(schema_dir()),
    }
    return tuple(os.path.realpath(f) + os.sep for f in folders) + tuple(
        os.path.abspath(f) + os.sep for f in folders
    )


def is_own_file(path: str) -> bool:
    prefixes = own_prefixes()
    return path.startswith(prefixes) or os.path.realpath(path).startswith(prefixes)


def run_audited(
    args: list[str | Path], cwd: Path, *, timeout: float = 60, strace_log: Path | None = None
) -> Audit:
    """Run ``persona-lint ARGS`` in ``cwd`` with the audit hook; never more than ``timeout``
    seconds (a run that blocks on a named pipe fails the test instead of hanging it)."""
    handle, name = tempfile.mkstemp(prefix="persona-lint-audit-", suffix=".json")
    os.close(handle)
    log = Path(name)
    env = {**os.environ, "PL_AUDIT_ARGS": json.dumps([str(a) for a in args])}
    env["PL_AUDIT_LOG"] = str(log)
    env.pop("NO_COLOR", None)
    env.pop("PERSONA_LINT_CACHE_DIR", None)
    command = [sys.executable, "-c", BOOTSTRAP]
    if strace_log is not None:
        command = [
            "strace",
            "-f",
            "-qq",
            "-e",
            "trace=open,openat,openat2,creat,connect,socket,execve",
            "-o",
            str(strace_log),
            *command,
        ]
    start = time.perf_counter()
    completed = subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, timeout=timeout, check=False
    )
    seconds = time.perf_counter() - start
    audit = Audit(
        completed.returncode,
        completed.stdout.decode("utf-8", "replace"),
        completed.stderr.decode("utf-8", "replace"),
        seconds,
        raw_stdout=completed.stdout,
    )
    text = log.read_text(encoding="utf-8")
    log.unlink()
    if text:
        recorded = json.loads(text)
        audit.maxrss_kb = recorded["maxrss_kb"]
        for event, detail in recorded["events"]:
            if event == "open":
                audit.opened.append(detail)
            elif event in ("os.listdir", "os.scandir"):
                audit.listed.append(detail)
            else:
                audit.network.append(f"{event} {detail}")
    return audit


def strace_usable() -> bool:
    """Whether strace exists and may trace here (containers often forbid ptrace)."""
    if shutil.which("strace") is None:
        return False
    probe = subprocess.run(
        ["strace", "-qq", "-e", "trace=none", sys.executable, "-c", "pass"],
        capture_output=True,
        check=False,
    )
    return probe.returncode == 0


_SYSCALL = re.compile(r'^\d+\s+(\w+)\((?:AT_FDCWD, |\d+, )?"?([^",)]*)')


def system_calls(strace_log: Path) -> list[tuple[str, str]]:
    """(system call, first argument) of every traced call: paths for the opens."""
    calls = []
    for line in strace_log.read_text(encoding="utf-8", errors="replace").splitlines():
        match = _SYSCALL.match(line)
        if match:
            calls.append((match.group(1), match.group(2)))
    return calls
