"""``--changed-since REF``: what each linted persona looked like at a git revision.

The git edge of change-aware linting. Before anything is linted, :class:`ChangeTracker`
asks the ``git`` command line (no library, no new dependency) which files changed since
``REF``, follows renames (``git diff -M``), and reads the previous content of each changed
persona. What the rules need of it, the version table's values and a digest of the
content, becomes the file's :class:`~persona_lint.settings.PreviousVersion`; the rules
PL310 and PL311 compare it with the document and stay pure.

Per repository, git runs ``rev-parse`` twice (the top-level folder, and ``REF`` as a
commit), ``diff --name-status`` once, and ``cat-file`` once per changed persona. Only
objects reachable in the local repository are used, so a shallow clone works as long as
``REF`` itself was fetched. ``REF`` is resolved once to a commit id, which every later
command uses.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from persona_lint.errors import RunError
from persona_lint.settings import PreviousVersion


class ChangeError(RunError):
    """``--changed-since`` cannot work here: the message says why (exit code 2)."""


@dataclass
class _Repository:
    top: Path
    commit: str  # REF, resolved
    # Path now -> status letter of ``git diff --name-status`` (M, A, R, T, ...).
    status: dict[str, str]
    renamed_from: dict[str, str]  # path now -> path at REF


@dataclass
class ChangeTracker:
    """Answers "what was this file at REF?" for the files of one run."""

    ref: str
    git: str = "git"
    _tops: dict[Path, Path] = field(default_factory=dict)
    _repositories: dict[Path, _Repository] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.ref.strip() or self.ref.startswith("-") or any(c in self.ref for c in "\0\n"):
            raise ChangeError(f"--changed-since: {self.ref!r} is not a git revision")

    def check(self, path: Path) -> None:
        """Fail early (ChangeError) when ``path`` is not in a git repository or REF is
        unknown there."""
        self._repository(path.absolute() if path.is_dir() else path.absolute().parent)

    def previous(self, path: Path, *, changed: bool = False) -> PreviousVersion | None:
        """The file at REF, or None when it is new since REF or did not change.

        ``changed``: the content to lint does not come from the working tree (standard
        input), so compare it with REF even when git sees no change.
        """
        repository = self._repository(path.absolute().parent)
        relative = self._relative(path, repository.top)
        status = repository.status.get(relative)
        if status is None and not changed:
            return None  # unchanged since REF, or not known to git at all (a new file)
        if status == "A":
            return None
        old_path = repository.renamed_from.get(relative, relative)
        data = self._blob(repository, old_path)
        if data is None:
            return None  # not in REF: a new file
        return _facts(self.ref, data, old_path if old_path != relative else None)

    # -- git ---------------------------------------------------------------------------

    def _run(self, folder: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
        environment = {**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"}
        try:
            return subprocess.run(
                [self.git, "-C", str(folder), *args],
                capture_output=True,
                env=environment,
                check=False,
            )
        except OSError as exc:
            raise ChangeError(
                f"--changed-since needs git, which could not be run: {exc.strerror or exc}"
            ) from None

    def _repository(self, folder: Path) -> _Repository:
        top = self._tops.get(folder)
        if top is None:
            found = self._run(folder, "rev-parse", "--show-toplevel")
            if found.returncode != 0:
                raise ChangeError(f"--changed-since: {folder} is not inside a git repository")
            top = Path(os.fsdecode(found.stdout).rstrip("\n"))
            self._tops[folder] = top
        repository = self._repositories.get(top)
        if repository is None:
            repository = self._open(top)
            self._repositories[top] = repository
        return repository

    def _open(self, top: Path) -> _Repository:
        resolved = self._run(top, "rev-parse", "--verify", "--quiet", f"{self.ref}^{{commit}}")
        if resolved.returncode != 0:
            hint = ""
            shallow = self._run(top, "rev-parse", "--is-shallow-repository")
            if shallow.stdout.strip() == b"true":
                hint = (
                    " (this is a shallow clone: fetch that revision first, or clone with more "
                    "history)"
                )
            raise ChangeError(f"--changed-since: unknown git revision {self.ref!r} in {top}{hint}")
        commit = resolved.stdout.decode("ascii").strip()
        diff = self._run(top, "diff", "--no-ext-diff", "--name-status", "-z", "-M", commit, "--")
        if diff.returncode != 0:
            message = diff.stderr.decode("utf-8", "replace").strip()
            raise ChangeError(f"--changed-since: git diff failed in {top}: {message}")
        status, renamed = _parse_name_status(diff.stdout)
        return _Repository(top, commit, status, renamed)

    def _blob(self, repository: _Repository, path: str) -> bytes | None:
        spec = f"{repository.commit}:{path}"
        if self._run(repository.top, "cat-file", "-e", spec).returncode != 0:
            return None
        shown = self._run(repository.top, "cat-file", "blob", spec)
        if shown.returncode != 0:
            message = shown.stderr.decode("utf-8", "replace").strip()
            raise ChangeError(f"--changed-since: cannot read {path} at {self.ref}: {message}")
        return shown.stdout

    @staticmethod
    def _relative(path: Path, top: Path) -> str:
        real = Path(os.path.realpath(path))
        try:
            return real.relative_to(Path(os.path.realpath(top))).as_posix()
        except ValueError:
            raise ChangeError(f"--changed-since: {path} is outside the repository {top}") from None


def _parse_name_status(output: bytes) -> tuple[dict[str, str], dict[str, str]]:
    """``git diff --name-status -z`` output: status per current path, and renames."""
    fields = [os.fsdecode(part) for part in output.split(b"\0")]
    status: dict[str, str] = {}
    renamed: dict[str, str] = {}
    index = 0
    while index < len(fields) and fields[index]:
        letter = fields[index][0]
        if letter in "RC":
            old, new = fields[index + 1], fields[index + 2]
            status[new] = letter
            if letter == "R":
                renamed[new] = old
            index += 3
        else:
            status[fields[index + 1]] = letter
            index += 2
    return status, renamed


def _facts(ref: str, data: bytes, renamed_from: str | None) -> PreviousVersion | None:
    """What the change-aware rules need of the file's content at REF."""
    from persona_lint.document import parse_document
    from persona_lint.rules.version import content_digest, version_cell
    from persona_lint.source import SourceProblem, decode

    text = decode(data)
    if isinstance(text, SourceProblem):
        return None  # not text at REF: nothing to compare with
    document = parse_document(renamed_from or "", text)
    version = version_cell(document, "version")
    date = version_cell(document, "last_updated")
    return PreviousVersion(
        ref=ref,
        version=version.text if version else None,
        last_updated=date.text if date else None,
        digest=content_digest(document),
        renamed_from=renamed_from,
    )
