"""Running and timing whole processes, and the peak memory of a process tree (POSIX, Linux).

Used by bench_cli.py: ``run_once`` times a list of commands run one after another (wall time,
CPU time of the process and its waited-for children, max RSS); ``measure`` alternates tools;
``measure_memory`` samples the proportional set size of a process tree from /proc.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# --------------------------------------------------------------------------------------
# Running and timing processes
# --------------------------------------------------------------------------------------


def find_tool(name: str) -> str | None:
    """A command from this interpreter's bin folder (the venv), else from PATH."""
    local = Path(sys.executable).parent / name
    if local.is_file() and os.access(local, os.X_OK):
        return str(local)
    return shutil.which(name)


def batches(command: list[str], files: list[str]) -> list[list[str]]:
    """``command`` + files, split (like xargs) when the argument list would be too long."""
    try:
        limit = int(os.sysconf("SC_ARG_MAX")) // 4  # room for the environment
    except (ValueError, OSError):
        limit = 32_000
    base = sum(len(part) + 1 for part in command)
    result: list[list[str]] = []
    current: list[str] = []
    length = base
    for file in files:
        if current and length + len(file) + 1 > limit:
            result.append(command + current)
            current, length = [], base
        current.append(file)
        length += len(file) + 1
    result.append(command + current)
    return result


def _wait(process: subprocess.Popen[bytes]) -> tuple[int, Any]:
    """Wait for ``process`` (started in its own session); on an interruption, stop it and
    the workers it started, then let the interruption go on."""
    try:
        _, status, usage = os.wait4(process.pid, 0)
    except BaseException:
        with contextlib.suppress(OSError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        raise
    return status, usage


@dataclass(frozen=True)
class Sample:
    wall: float  # seconds
    cpu: float  # user + system seconds of the process and its waited-for children
    max_rss_kb: int  # the largest single process's maximum resident set
    returncode: int
    output: str


def run_once(commands: list[list[str]], cwd: Path, env: dict[str, str]) -> Sample:
    """Run the commands one after another; wall time from the first start to the last exit."""
    wall = cpu = 0.0
    rss = returncode = 0
    output: list[str] = []
    with tempfile.TemporaryFile() as log:
        for command in commands:
            start = time.perf_counter()
            process = subprocess.Popen(
                command,
                cwd=cwd,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                start_new_session=True,
            )
            status, usage = _wait(process)
            wall += time.perf_counter() - start
            process.returncode = os.waitstatus_to_exitcode(status)
            cpu += usage.ru_utime + usage.ru_stime
            rss = max(rss, usage.ru_maxrss)
            returncode = returncode or process.returncode
        log.seek(0)
        output.append(log.read(4000).decode("utf-8", "replace"))
    return Sample(wall, cpu, rss, returncode, "".join(output))


@dataclass
class Tool:
    label: str
    commands: list[list[str]]
    persona_lint: bool
    note: str = ""
    samples: list[Sample] = field(default_factory=list)

    def median(self) -> float:
        return statistics.median(s.wall for s in self.samples)


def measure(tools: list[Tool], repeat: int, budget: float, cwd: Path, env: dict[str, str]) -> None:
    """``repeat`` runs of each tool, alternating, the order rotating on each repetition;
    a tool whose runs at this size have taken more than ``budget`` seconds stops early."""
    spent = {tool.label: 0.0 for tool in tools}
    for repetition in range(repeat):
        shift = repetition % len(tools)
        for tool in tools[shift:] + tools[:shift]:
            if tool.samples and spent[tool.label] > budget:
                continue
            sample = run_once(tool.commands, cwd, env)
            spent[tool.label] += sample.wall
            if sample.returncode != 0 and not any(s.returncode for s in tool.samples):
                first = "\n    ".join(sample.output.strip().splitlines()[:5])
                print(f"  note: {tool.label} exited {sample.returncode}:\n    {first}")
            tool.samples.append(sample)


# --------------------------------------------------------------------------------------
# Memory of a process tree
# --------------------------------------------------------------------------------------


def _descendants(root: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", encoding="utf-8") as handle:
                ppid = int(handle.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry.name))
    tree, stack = {root}, [root]
    while stack:
        for child in children.get(stack.pop(), []):
            tree.add(child)
            stack.append(child)
    return tree


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


@dataclass(frozen=True)
class Memory:
    max_rss_kb: int  # the largest single process (wait4)
    tree_pss_kb: int  # the process tree's peak proportional set size (sampled), 0: unknown
    processes: int  # the most processes seen at once
    wall: float


def measure_memory(command: list[str], cwd: Path, env: dict[str, str]) -> Memory:
    peak = [0, 0]
    done = threading.Event()
    start = time.perf_counter()
    process = subprocess.Popen(
        command,
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )

    def sample() -> None:
        while not done.is_set():
            tree = _descendants(process.pid)
            peak[0] = max(peak[0], sum(_pss_kb(pid) for pid in tree))
            peak[1] = max(peak[1], len(tree))
            done.wait(0.005)

    sampler = threading.Thread(target=sample, daemon=True)
    if Path("/proc/self/smaps_rollup").exists():
        sampler.start()
    try:
        status, usage = _wait(process)
    finally:
        done.set()
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if sampler.is_alive():
        sampler.join()
    return Memory(usage.ru_maxrss, peak[0], peak[1], wall)
