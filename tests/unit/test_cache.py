"""The result cache: same answers from the cache, invalidation, and no parsers on a hit."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import io
import json
import stat
import subprocess
import sys
import tempfile
import types
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from unittest import mock

import pytest
from conftest import CANONICAL, cli, cli_process, edit, examples
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from test_properties import Mutation, _mutation, mutate

import persona_lint.config.settings
from persona_lint.cli.check import execute
from persona_lint.config.settings import Settings
from persona_lint.diagnostics import Diagnostic
from persona_lint.engine import cache as cache_module
from persona_lint.engine.cache import ResultCache
from persona_lint.engine.result import FileResult
from persona_lint.engine.run import RunOptions

# The documented cap of the cache file (README, "Result cache").
MAX_BYTES = 16 * 1024 * 1024

BAD_VERSION = edit("| 1.0.0   |", "| 1.0     |")


def entries(folder: Path) -> dict[str, object]:
    raw = (folder / ".persona_lint_cache" / "v1" / "results.json").read_bytes()
    data = json.loads(body_of(raw))
    assert isinstance(data, dict)
    result = data["entries"]
    assert isinstance(result, dict)
    return result


def test_second_run_is_served_from_the_cache_with_the_same_output(tmp_path: Path) -> None:
    (tmp_path / "backend-engineer.md").write_text(BAD_VERSION)
    (tmp_path / "backend.md").write_text(CANONICAL)
    (tmp_path / "README.md").write_text("# not a persona\n")
    first = cli(".", "--output-format", "json", cwd=tmp_path)
    assert len(entries(tmp_path)) == 3
    (tmp_path / ".persona_lint_cache" / "v1" / "results.json").chmod(0o444)
    second = cli(".", "--output-format", "json", cwd=tmp_path)
    assert (second.returncode, second.stdout, second.stderr) == (
        first.returncode,
        first.stdout,
        first.stderr,
    )
    assert first.returncode == 1
    # the cached run still applies cross-file rules: both files share one slug
    assert second.stdout.count('"PL801"') == 2


def test_a_cache_hit_loads_no_parser(tmp_path: Path) -> None:
    (tmp_path / "backend-engineer.md").write_text(CANONICAL)
    cli(".", cwd=tmp_path)
    probe = (
        "import sys\n"
        "from persona_lint.cli import main\n"
        "sys.argv = ['persona-lint', '.']\n"
        "try:\n    main()\n"
        "except SystemExit:\n    pass\n"
        "print(sorted(m for m in ('markdown_it', 'lxml.etree', 'xmlschema') if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert result.stdout.splitlines()[-1] == "[]"


def test_changes_invalidate(tmp_path: Path) -> None:
    persona = tmp_path / "backend-engineer.md"
    persona.write_text(CANONICAL)
    assert cli(".", cwd=tmp_path).returncode == 0
    persona.write_text(BAD_VERSION)
    assert cli(".", cwd=tmp_path).returncode == 1
    (tmp_path / ".persona-lint.toml").write_text('ignore = ["PL304"]\n')
    assert cli(".", cwd=tmp_path).returncode == 0
    assert cli(".", "--isolated", cwd=tmp_path).returncode == 1


def test_inline_suppression_applies_to_cached_results(tmp_path: Path) -> None:
    persona = tmp_path / "backend-engineer.md"
    persona.write_text(BAD_VERSION + "\n<!-- persona-lint: disable-file PL304 -->")
    assert cli(".", cwd=tmp_path).returncode == 0
    assert cli(".", cwd=tmp_path).returncode == 0


def test_no_cache_cache_dir_and_clean(tmp_path: Path) -> None:
    (tmp_path / "backend-engineer.md").write_text(CANONICAL)
    cli(".", "--no-cache", cwd=tmp_path)
    assert not (tmp_path / ".persona_lint_cache").exists()
    cli(".", "--cache-dir", "elsewhere", cwd=tmp_path)
    assert (tmp_path / "elsewhere" / "CACHEDIR.TAG").is_file()
    assert (tmp_path / "elsewhere" / ".gitignore").read_text().splitlines()[-1] == "*"
    result = cli("clean", "--cache-dir", "elsewhere", cwd=tmp_path)
    assert result.stdout == "removed elsewhere\n"
    assert not (tmp_path / "elsewhere").exists()
    assert cli("clean", cwd=tmp_path).stdout == "no cache at .persona_lint_cache\n"


def test_a_corrupt_cache_is_ignored(tmp_path: Path) -> None:
    (tmp_path / "backend-engineer.md").write_text(BAD_VERSION)
    cli(".", cwd=tmp_path)
    results = tmp_path / ".persona_lint_cache" / "v1" / "results.json"
    results.write_text("{not json")
    again = cli(".", cwd=tmp_path)
    assert again.returncode == 1
    assert "[PL304]" in again.stdout
    assert len(entries(tmp_path)) == 1


def test_parallel_workers_give_the_same_report(tmp_path: Path) -> None:
    for index in range(24):
        text = BAD_VERSION if index % 3 == 0 else CANONICAL
        (tmp_path / f"p{index:02}").mkdir()
        (tmp_path / f"p{index:02}" / "backend-engineer.md").write_text(text)
    serial = cli(".", "--no-cache", "--jobs", "1", "--output-format", "json", cwd=tmp_path)
    parallel = cli_process(
        ".", "--no-cache", "--jobs", "2", "--output-format", "json", cwd=tmp_path
    )
    assert serial.returncode == parallel.returncode == 1
    assert serial.stdout == parallel.stdout
    assert serial.stdout.count('"PL304"') == 8


def test_cross_file_findings_on_clean_files_quote_their_lines(tmp_path: Path) -> None:
    # Clean files keep no source lines (memory on large trees); a cross-file rule that
    # finds something in them has the lines read again, on a miss and on a cache hit.
    for folder in ("x", "y"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "backend-engineer.md").write_text(CANONICAL)
    first = cli(".", "--output-format", "full", cwd=tmp_path)
    assert entries(tmp_path)
    assert all(entry["lines"] is False for entry in entries(tmp_path).values())  # type: ignore[index]
    second = cli(".", "--output-format", "full", cwd=tmp_path)
    assert first.returncode == second.returncode == 1
    assert first.stdout == second.stdout
    assert first.stdout.count('10 | <persona_context active="backend-engineer">\n') == 2
    assert "x/backend-engineer.md:10:26: error: active='backend-engineer' is also used by" in (
        first.stdout
    )


# --------------------------------------------------------------------------------------
# A cache file a pull request planted (issue 15, finding 4), and stale verdicts (issue 16)
# --------------------------------------------------------------------------------------
#
# The helpers below read and write the documented format: the first line is the hex
# HMAC-SHA256 of the rest under the user's secret (``persona-lint/key`` in the user cache
# folder), the rest is the JSON. persona-lint before issue 15 wrote the JSON alone,
# unsigned; the helpers accept that too, so that these tests show the attacks on it.

CACHE_FILE = Path(".persona_lint_cache") / "v1" / "results.json"


@pytest.fixture(autouse=True)
def user_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The user cache folder of these tests (outside the linted tree, which is tmp_path)."""
    folder = tmp_path_factory.mktemp("user-cache")
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    return folder


def secret_of(user_folder: Path) -> bytes | None:
    key = user_folder / "persona-lint" / "key"
    return key.read_bytes() if key.exists() else None


def body_of(raw: bytes) -> bytes:
    """The JSON of a cache file, without its signature line."""
    return raw if raw.startswith(b"{") else raw.partition(b"\n")[2]


def signed(body: bytes, secret: bytes | None) -> bytes:
    """A cache file holding ``body``, signed with ``secret`` (unsigned when None)."""
    if secret is None:
        return body
    return hmac.new(secret, body, hashlib.sha256).hexdigest().encode() + b"\n" + body


def forged_cache(attacker: Path, user_folder: Path) -> bytes:
    """A cache file in which the entry of BAD_VERSION holds the clean verdict of CANONICAL,
    signed with the secret of ``user_folder``: lint both in ``attacker``, swap the verdict."""
    persona = attacker / "backend-engineer.md"
    env = {"XDG_CACHE_HOME": str(user_folder)}
    persona.write_text(BAD_VERSION)
    cli(".", cwd=attacker, env=env)
    bad = set(entries(attacker))
    persona.write_text(CANONICAL)
    cli(".", cwd=attacker, env=env)
    data = json.loads(body_of((attacker / CACHE_FILE).read_bytes()))
    (clean,) = set(data["entries"]) - bad
    (broken,) = bad
    data["entries"][broken] = data["entries"][clean]
    return signed(json.dumps(data).encode(), secret_of(user_folder))


def plant(tree: Path, content: bytes) -> None:
    """Commit ``content`` as the tree's cache file, and the broken persona next to it."""
    (tree / CACHE_FILE).parent.mkdir(parents=True, exist_ok=True)
    (tree / CACHE_FILE).write_bytes(content)
    (tree / "backend-engineer.md").write_text(BAD_VERSION)


def assert_fresh_verdict(tree: Path) -> None:
    """A run with the cache reports exactly what a run without it does: PL304, exit 1."""
    cached = cli(".", "--output-format", "json", cwd=tree)
    fresh = cli(".", "--output-format", "json", "--no-cache", cwd=tree)
    assert (cached.returncode, cached.stderr) == (1, "1 file checked: 1 error, 0 warnings\n")
    assert (cached.stdout, cached.stderr) == (fresh.stdout, fresh.stderr)
    (file,) = json.loads(cached.stdout)["files"]
    assert [(d["code"], d["range"]["start"]) for d in file["diagnostics"]] == [
        ("PL304", {"line": 3, "column": 3})
    ]


def test_a_deeply_nested_cache_file_is_no_cache(tmp_path: Path) -> None:
    # 100,000 "[" made json.loads raise RecursionError: a traceback on every run.
    plant(tmp_path, b"[" * 100_000)
    assert_fresh_verdict(tmp_path)
    assert entries(tmp_path)  # the planted file was replaced by a good one


def test_a_forged_entry_signed_with_another_secret_is_not_trusted(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, user_cache: Path
) -> None:
    # An identical install has an identical code fingerprint, so an attacker can build the
    # entry a victim would look up. Signed with the attacker's own secret, it is not trusted.
    attacker_folder = tmp_path_factory.mktemp("attacker-cache")
    forged = forged_cache(tmp_path_factory.mktemp("attacker"), attacker_folder)
    victim = tmp_path / "victim"
    victim.mkdir()
    plant(victim, forged)
    assert_fresh_verdict(victim)
    # The forgery itself is sound: its own secret's holder would take it (the test can fail).
    plant(victim, forged)
    fooled = cli(".", cwd=victim, env={"XDG_CACHE_HOME": str(attacker_folder)})
    assert fooled.returncode == 0


def test_an_oversized_cache_file_is_not_read(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, user_cache: Path
) -> None:
    # Proven by content: the file is signed with the user's own secret and would make the
    # broken file pass, but it is one byte over the cap (JSON allows the trailing spaces),
    # so it is not read at all.
    forged = forged_cache(tmp_path_factory.mktemp("attacker"), user_cache)
    body = body_of(forged)
    secret = secret_of(user_cache)
    padding = MAX_BYTES + 1 - len(signed(body, secret))
    oversized = signed(body + b" " * padding, secret)
    assert len(oversized) == MAX_BYTES + 1
    plant(tmp_path, oversized)
    assert_fresh_verdict(tmp_path)
    # At the cap exactly, the same file is read: the cap is what refused it.
    at_cap = signed(body + b" " * (padding - 1), secret)
    plant(tmp_path, at_cap)
    assert cli(".", cwd=tmp_path).returncode == 0


def test_a_cache_file_of_the_wrong_shape_is_no_cache(tmp_path: Path, user_cache: Path) -> None:
    # Even signed with the user's own secret (a bug, or an older persona-lint), an entry of
    # the wrong types is a miss, never a traceback or a wrong verdict.
    (tmp_path / "backend-engineer.md").write_text(BAD_VERSION)
    cli(".", cwd=tmp_path)
    data = json.loads(body_of((tmp_path / CACHE_FILE).read_bytes()))
    (key,) = data["entries"]
    secret = secret_of(user_cache)
    wrong = [
        [1, 2],
        {"diagnostics": [["x", 1, "PL304", "m", "error", None, None, None]]},
        {**data["entries"][key], "diagnostics": [[1, 1, "PL304", "m", "fatal", 1, 1, None]]},
        {**data["entries"][key], "diagnostics": [[1, 1, "PL304", "m", "error", 1, 1, 7]]},
        {**data["entries"][key], "facts": "x"},
    ]
    for entry in wrong:
        data["entries"][key] = entry
        plant(tmp_path, signed(json.dumps(data).encode(), secret))
        assert_fresh_verdict(tmp_path)
    good = signed(json.dumps(data).encode(), secret)
    for shape in (good[: len(good) // 2], b"[]", b"{}", signed(b'{"entries": []}', secret)):
        plant(tmp_path, shape)
        assert_fresh_verdict(tmp_path)


def test_the_secret_is_private_and_made_once(tmp_path: Path, user_cache: Path) -> None:
    (tmp_path / "backend-engineer.md").write_text(CANONICAL)
    cli(".", cwd=tmp_path)
    key = user_cache / "persona-lint" / "key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert stat.S_IMODE(key.parent.stat().st_mode) == 0o700
    secret = key.read_bytes()
    assert len(secret) == 32
    cli(".", cwd=tmp_path)
    assert key.read_bytes() == secret


def test_without_a_usable_secret_the_run_has_no_cache(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, user_cache: Path
) -> None:
    # A secret that cannot be made or read, or that others could know (readable by others,
    # a link, inside the linted tree): the run lints without a cache, silently.
    (tmp_path / "backend-engineer.md").write_text(BAD_VERSION)
    folder = user_cache / "persona-lint"
    folder.mkdir(mode=0o700)
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "key"
    elsewhere.write_bytes(b"k" * 32)
    elsewhere.chmod(0o600)
    in_tree = tmp_path / ".cache"
    (in_tree / "persona-lint").mkdir(parents=True, mode=0o700)
    (in_tree / "persona-lint" / "key").write_bytes(b"k" * 32)
    (in_tree / "persona-lint" / "key").chmod(0o600)
    not_a_folder = tmp_path_factory.mktemp("file") / "cache"
    not_a_folder.write_text("")

    def readable_by_others(key: Path) -> None:
        key.write_bytes(b"k" * 32)
        key.chmod(0o644)

    def a_link(key: Path) -> None:
        key.symlink_to(elsewhere)

    def too_short(key: Path) -> None:
        key.write_bytes(b"k")
        key.chmod(0o600)

    for make in (readable_by_others, a_link, too_short):
        (folder / "key").unlink(missing_ok=True)
        make(folder / "key")
        assert_no_cache(tmp_path, {})
    for home in (in_tree, not_a_folder):
        assert_no_cache(tmp_path, {"XDG_CACHE_HOME": str(home)})


def assert_no_cache(tree: Path, env: Mapping[str, str]) -> None:
    """A run in ``tree`` (with ``env`` set) reports PL304 and writes no cache file."""
    result = cli(".", cwd=tree, env=env)
    assert (result.returncode, result.stderr) == (1, "")
    assert "[PL304]" in result.stdout
    assert not (tree / CACHE_FILE).exists()


def on_clock(day: str) -> mock._patch[types.SimpleNamespace]:
    """Set the clock persona-lint reads (Settings.current_date) to ``day`` while it lasts."""
    date = datetime.date.fromisoformat(day)
    clock = types.SimpleNamespace(date=types.SimpleNamespace(today=lambda: date))
    return mock.patch.object(persona_lint.config.settings, "datetime", clock)


def lint_on(day: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """A run of the command line on a machine whose clock says ``day``."""
    with on_clock(day):
        return cli(*args, cwd=cwd)


def test_a_cached_date_verdict_follows_the_real_date(tmp_path: Path) -> None:
    # PL306 "later than today" depends on the date; a key without it served yesterday's
    # error after the date had passed (issue 16).
    (tmp_path / "backend-engineer.md").write_text(edit("| 2025-07-11   |", "| 2027-01-10   |"))
    before = lint_on("2027-01-01", ".", cwd=tmp_path)
    assert before.returncode == 1
    assert "[PL306]" in before.stdout
    for day in ("2027-02-01", "2027-01-09", "2027-01-10", "2027-01-11"):
        cached = lint_on(day, ".", cwd=tmp_path)
        fresh = lint_on(day, ".", "--no-cache", cwd=tmp_path)
        assert (cached.returncode, cached.stdout) == (fresh.returncode, fresh.stdout), day
    assert fresh.returncode == 0


# --------------------------------------------------------------------------------------
# Property: a cached run equals an uncached one, whatever the file and the settings
# --------------------------------------------------------------------------------------

# The canonical persona's last_updated is 2025-07-11: PL306 depends on which side the date is.
# Mostly the real date (today unset), since that is what a key can forget.
TODAYS = (None, None, None, "2025-07-10", "2025-07-11", "2030-01-01")
# Each configuration runs on days either side of it (the real date is an input too).
CLOCKS = ("2025-07-10", "2030-01-01")


@dataclass(frozen=True)
class Change:
    """One configuration of a run."""

    select: tuple[str, ...] | None
    severity: tuple[tuple[str, str], ...]
    today: str | None
    strict: bool
    max_file_size: int | None

    def toml(self) -> str:
        lines = []
        if self.select is not None:
            lines.append(f"select = {json.dumps(list(self.select))}")
        if self.severity:
            table = ", ".join(f'{code} = "{level}"' for code, level in self.severity)
            lines.append(f"severity = {{ {table} }}")
        if self.today is not None:
            lines.append(f"today = {self.today}")
        lines.append(f"strict = {str(self.strict).lower()}")
        if self.max_file_size is not None:
            lines.append(f"max-file-size = {self.max_file_size}")
        return "\n".join(lines) + "\n"


CODES = ("PL1", "PL2", "PL3", "PL304", "PL305", "PL306", "PL4", "PL6", "PL7", "PL801")
CHANGES = st.builds(
    Change,
    st.one_of(
        st.none(), st.none(), st.lists(st.sampled_from(CODES), min_size=1, max_size=3).map(tuple)
    ),
    st.lists(
        st.tuples(
            st.sampled_from(("PL304", "PL305", "PL306", "PL201", "PL211", "PL407")),
            st.sampled_from(("error", "warning", "off")),
        ),
        max_size=2,
        unique_by=lambda pair: pair[0],
    ).map(tuple),
    st.sampled_from(TODAYS),
    st.booleans(),
    st.sampled_from((None, 2_000, 20_000)),
)


def run_on(folder: Path, cache: Path | None, clock: str) -> tuple[int, str, str]:
    """An in-process run (exit code, output, errors) with the machine's clock at ``clock``."""

    stdout, stderr = io.StringIO(), io.StringIO()
    options = RunOptions(paths=(folder,), output_format="json", cache_dir=cache, jobs=1)
    with on_clock(clock):
        code = execute(options, stdout, stderr)
    return code, stdout.getvalue(), stderr.getvalue()


@settings(
    max_examples=examples(40),
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    st.lists(_mutation(), max_size=3),
    CHANGES,
    st.lists(
        st.tuples(st.sampled_from([f.name for f in fields(Change)]), CHANGES),
        min_size=1,
        max_size=3,
    ),
)
@example([], Change(None, (), None, False, None), [("strict", Change(None, (), None, True, None))])
def test_a_cached_run_equals_an_uncached_run(
    mutations: list[Mutation], first: Change, steps: list[tuple[str, Change]]
) -> None:
    # Each step changes one input of the previous run: a key that forgot that input would
    # serve the previous run's verdict. The cache folder is shared by the whole sequence.
    changes = [first]
    for name, other in steps:
        changes.append(replace(changes[-1], **{name: getattr(other, name)}))
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary) / "tree"
        folder.mkdir()
        (folder / "backend-engineer.md").write_bytes(mutate(mutations))
        cache = Path(temporary) / "cache"
        for change in changes:
            (folder / ".persona-lint.toml").write_text(change.toml())
            for clock in CLOCKS:
                cached = run_on(folder, cache, clock)
                assert cached == run_on(folder, None, clock), (change, clock)


def test_a_cache_over_the_cap_keeps_the_runs_own_entries_or_none(tmp_path: Path) -> None:
    # Ten older entries of 1 MB and eight of this run would make 18 MB: only this run's are
    # kept. Seventeen of one run cannot fit at all: nothing is written (the file stays).
    def large(name: str) -> FileResult:
        return FileResult(name, (Diagnostic(name, 1, 1, "PL304", "x" * 1_000_000),))

    folder = tmp_path / "cache"
    for names in (["old"] * 10, ["new"] * 8, ["all"] * 17):
        cache = ResultCache(folder)
        for number, name in enumerate(names):
            cache.put(f"{name}{number}", large(f"{name}{number}.md"))
        before = cache.file.read_bytes() if cache.file.exists() else b""
        cache.save()
        assert len(cache.file.read_bytes()) <= MAX_BYTES
    assert cache.file.read_bytes() == before
    found = ResultCache(folder)
    for key, expected in (("old0", False), ("new0", True), ("new7", True), ("all0", False)):
        hit = found.get(key, key + ".md", Settings(), b"")
        assert (hit is not None) == expected, key
    assert cache_module.MAX_BYTES == MAX_BYTES
