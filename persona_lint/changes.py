"""``--changed-since REF``: what each linted persona looked like at a git revision.

The git edge of change-aware linting. Before anything is linted, :class:`ChangeTracker`
asks the ``git`` command line (no library, no new dependency) what the tree of ``REF``
holds, which files were renamed since (staged or committed: ``git diff-index --cached -M``),
and reads the previous content of each persona whose content differs. What the rules need
of it, the version table's values and a digest of the content, becomes the file's
:class:`~persona_lint.config.settings.PreviousVersion`; the rules PL310 and PL311 compare it with
the document and stay pure.

**git runs nothing the repository's content chose.** A pull request controls every file
of the tree, so a folder of it can be laid out as a git directory (``HEAD``, ``config``,
``refs``, ``objects``) whose ``config`` names commands (``core.fsmonitor``, ...). Hence:

- the repository is found once, from the working directory (never from a linted file's
  folder), with ``safe.bareRepository=explicit``, so that no folder of the tree can be
  taken for a repository; every later command names it with ``--git-dir`` and
  ``--work-tree``, so git searches for nothing;
- every command neutralises the configuration that can start a program
  (:data:`_NEUTRAL_CONFIG`; ``-c`` beats every configuration file), and runs without pager,
  lazy fetch, terminal prompt or pathspec magic (:func:`_environment`);
- only plumbing that never reads the working tree runs (``rev-parse``, ``ls-tree``,
  ``diff-index --cached``, ``cat-file``), so no filter, textconv or external diff that a
  ``.gitattributes`` of the tree names can run: whether a file changed since ``REF`` is
  decided here, by hashing its bytes as git would;
- ``REF`` cannot be taken for an option: one that starts with ``-`` is refused, and
  ``rev-parse --verify --end-of-options`` turns it into a commit id, which every later
  command uses.

Per run, git starts four times (``rev-parse`` twice, ``ls-tree`` and ``diff-index`` once),
plus one ``cat-file`` per persona whose content differs from ``REF``. Only objects present
in the local repository are used, so a shallow clone works as long as ``REF`` itself was
fetched.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from persona_lint.config.settings import PreviousVersion
from persona_lint.errors import RunError
from persona_lint.source.read import read_limited

# Configuration given to every git command. On the command line, it wins over every
# configuration file (the system's, the user's and the repository's).
_NEUTRAL_CONFIG = (
    "core.fsmonitor=false",  # no file-system monitor command
    "core.hooksPath=/dev/null",  # no hook
    "safe.bareRepository=explicit",  # no folder of the tree taken for a repository
    "core.pager=cat",
    "gc.auto=0",  # no background maintenance (and its hooks)
    "maintenance.auto=false",
)


class ChangeError(RunError):
    """``--changed-since`` cannot work here: the message says why (exit code 2)."""


class _Blob(NamedTuple):
    """A file of the tree at REF."""

    object_id: str
    size: int


@dataclass
class _Repository:
    git_dir: Path
    top: Path  # the working tree
    object_format: str  # "sha1" or "sha256": how git names content
    commit: str = ""  # REF, resolved
    blobs: dict[str, _Blob] = field(default_factory=dict)  # path at REF -> its content
    renamed_from: dict[str, str] = field(default_factory=dict)  # path now -> path at REF


@dataclass
class ChangeTracker:
    """Answers "what was this file at REF?" for the files of one run.

    In the git repository of the working directory.
    """

    ref: str
    git: str = "git"
    _repository_found: _Repository | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        """Refuse a REF that is empty, looks like an option or holds a NUL or line break."""
        if not self.ref.strip() or self.ref.startswith("-") or any(c in self.ref for c in "\0\n"):
            raise ChangeError(f"--changed-since: {self.ref!r} is not a git revision")

    def check(self, path: Path) -> None:
        """Fail early (ChangeError) when ``--changed-since`` cannot work for ``path``.

        It cannot when the working directory is not in a git repository, REF is unknown
        there, or ``path`` lies outside the repository.
        """
        self._relative(path, self._repository().top)

    def previous(self, path: Path, *, limit: int, changed: bool = False) -> PreviousVersion | None:
        """Return what the file was at REF.

        None when it is new since REF, did not change, or was larger than ``limit`` bytes
        at REF (nothing is compared then).

        ``changed``: the content to lint does not come from ``path`` (standard input), so
        compare it with REF even when the file on disk did not change.
        """
        repository = self._repository()
        relative = self._relative(path, repository.top)
        old_path = repository.renamed_from.get(relative, relative)
        blob = repository.blobs.get(old_path)
        if blob is None or blob.size > limit:
            return None  # not in REF: a new file (or too large to compare)
        if not changed and _same_content(path, blob, repository.object_format):
            return None
        shown = self._run(repository, "cat-file", "blob", blob.object_id)
        if shown.returncode != 0:
            message = _first_line(shown.stderr)
            raise ChangeError(f"--changed-since: cannot read {old_path} at {self.ref}: {message}")
        return _facts(self.ref, shown.stdout, old_path if old_path != relative else None)

    # -- git ---------------------------------------------------------------------------

    def _run(
        self, repository: _Repository | None, *args: str
    ) -> subprocess.CompletedProcess[bytes]:
        """Run ``git ARGS`` with the neutral configuration.

        In ``repository``, named explicitly, or (None) in the repository git finds from the
        working directory.
        """
        where: list[str] = []
        if repository is not None:
            where = [f"--git-dir={repository.git_dir}", f"--work-tree={repository.top}"]
        config = [part for setting in _NEUTRAL_CONFIG for part in ("-c", setting)]
        command = [self.git, "--no-pager", *where, *config, *args]
        try:
            return subprocess.run(
                command,
                capture_output=True,
                stdin=subprocess.DEVNULL,
                env=_environment(repository),
                cwd=None if repository is None else repository.top,
                check=False,
            )
        except OSError as exc:
            raise ChangeError(
                f"--changed-since needs git, which could not be run: {exc.strerror or exc}"
            ) from None

    def _repository(self) -> _Repository:
        """The repository of the working directory, with what REF holds: found once."""
        if self._repository_found is None:
            self._repository_found = self._open(self._find())
        return self._repository_found

    def _find(self) -> _Repository:
        found = self._run(
            None, "rev-parse", "--absolute-git-dir", "--show-toplevel", "--show-object-format"
        )
        lines = os.fsdecode(found.stdout).split("\n")
        if found.returncode != 0 or len(lines) != 4:
            message = f"--changed-since: {Path.cwd()} is not inside a git repository"
            reason = _first_line(found.stderr)
            if reason and "not a git repository" not in reason:
                message += f" ({reason})"
            raise ChangeError(message)
        git_dir, top, object_format, _ = lines
        if object_format not in ("sha1", "sha256"):
            raise ChangeError(f"--changed-since: unknown git object format {object_format!r}")
        return _Repository(Path(git_dir), Path(top), object_format)

    def _open(self, repository: _Repository) -> _Repository:
        resolved = self._run(
            repository,
            "rev-parse",
            "--verify",
            "--quiet",
            "--end-of-options",
            f"{self.ref}^{{commit}}",
        )
        if resolved.returncode != 0:
            hint = ""
            shallow = self._run(repository, "rev-parse", "--is-shallow-repository")
            if shallow.stdout.strip() == b"true":
                hint = (
                    " (this is a shallow clone: fetch that revision first, or clone with more "
                    "history)"
                )
            raise ChangeError(
                f"--changed-since: unknown git revision {self.ref!r} in {repository.top}{hint}"
            )
        repository.commit = resolved.stdout.decode("ascii").strip()
        listed = self._run(
            repository, "ls-tree", "-r", "-z", "-l", "--full-tree", repository.commit
        )
        renames = self._run(
            repository,
            "diff-index",
            "--cached",
            "-z",
            "-M",
            "--name-status",
            "--no-ext-diff",
            "--no-textconv",
            repository.commit,
            "--",
        )
        for done in (listed, renames):
            if done.returncode != 0:
                raise ChangeError(
                    f"--changed-since: git failed in {repository.top}: {_first_line(done.stderr)}"
                )
        repository.blobs = _parse_tree(listed.stdout)
        repository.renamed_from = _parse_renames(renames.stdout)
        return repository

    @staticmethod
    def _relative(path: Path, top: Path) -> str:
        real = Path(os.path.realpath(path))
        try:
            return real.relative_to(Path(os.path.realpath(top))).as_posix()
        except ValueError:
            raise ChangeError(f"--changed-since: {path} is outside the repository {top}") from None


def _environment(repository: _Repository | None) -> dict[str, str]:
    """Return the environment of a git command.

    The user's, minus what could page, prompt, fetch, lock or read a pathspec as a
    pattern; and, once the repository is known, no search for another.
    """
    environment = {
        **os.environ,
        "GIT_OPTIONAL_LOCKS": "0",  # write nothing to the repository
        "GIT_PAGER": "cat",
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_NO_LAZY_FETCH": "1",  # a partial clone does not fetch a missing object
        "GIT_LITERAL_PATHSPECS": "1",
        "LC_ALL": "C",
    }
    if repository is not None:
        environment["GIT_CEILING_DIRECTORIES"] = str(repository.top.parent)
    return environment


def _first_line(stderr: bytes) -> str:
    return stderr.decode("utf-8", "replace").strip().split("\n", 1)[0]


def _parse_tree(output: bytes) -> dict[str, _Blob]:
    """``git ls-tree -r -z -l`` output: each file (blob) of the tree, by path."""
    blobs: dict[str, _Blob] = {}
    for entry in output.split(b"\0"):
        meta, tab, name = entry.partition(b"\t")
        fields = meta.split()
        if tab and len(fields) == 4 and fields[1] == b"blob":
            blobs[os.fsdecode(name)] = _Blob(fields[2].decode("ascii"), int(fields[3]))
    return blobs


def _parse_renames(output: bytes) -> dict[str, str]:
    """Return the path at REF of each renamed path, from ``git diff-index -z -M`` output."""
    fields = [os.fsdecode(part) for part in output.split(b"\0")]
    renamed: dict[str, str] = {}
    index = 0
    while index < len(fields) and fields[index]:
        if fields[index][0] in "RC":
            old, new = fields[index + 1], fields[index + 2]
            if fields[index][0] == "R":
                renamed[new] = old
            index += 3
        else:
            index += 2
    return renamed


def _same_content(path: Path, blob: _Blob, object_format: str) -> bool:
    """Return whether the file holds exactly the content at REF.

    Its git object id is computed here, so that git never reads the working tree (nor
    runs a filter on it).
    """
    try:
        data = read_limited(path, blob.size)
    except OSError:
        return False
    if len(data) != blob.size:
        return False
    digest = hashlib.new(object_format, b"blob %d\0" % len(data))
    digest.update(data)
    return digest.hexdigest() == blob.object_id


def _facts(ref: str, data: bytes, renamed_from: str | None) -> PreviousVersion | None:
    """What the change-aware rules need of the file's content at REF."""
    # markdown-it and the XML parsers: only for a file that changed since REF.
    from persona_lint.document.model import parse_document
    from persona_lint.rules.version import content_digest, version_cell
    from persona_lint.source.decode import SourceProblem, decode

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
