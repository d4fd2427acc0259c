"""Load the rule test cases of tests/rules/PLxxx.toml and run one through the public API.

A file holds the cases of one rule (its `rule` key). A case is one document, or several
(cross-file rules), each written whole (`document`) or as edits of the canonical persona
(`find`/`replace`, or `edits`: a list of them, applied in order; each must occur and
change the text). `expected` lists every diagnostic as `[code, line, column]` (for
several documents: `[path, code, line, column]`), in report order, under the case's
settings: the default selection unless the case's `settings.select` says otherwise.

Optional keys of a case:

- `path`: the file's name (default `backend-engineer.md`); `explicit = false`: the
  file was found by a walk, not named.
- `encoding`: the codec that turns the text into the bytes linted (default UTF-8).
- `settings`: `select` (selectors, as in the configuration), `today` (a date; default
  the suite's pinned day), `statuses`, `required_gates` (built-in topic names, or a table
  topic -> keywords), `max_file_size`, `team_schemas` (the texts of team XSD files,
  checked as the configuration checks them), `strict_sections`.
- `previous`: the file at the `--changed-since` revision, as `document` or edits of
  the canonical persona (`{}` is the canonical persona itself), with `ref` and
  `renamed_from`.
- `broken_rule`: a rule code whose check raises for this case (a planted bug).
- `on_disk`: the file is linted by a real run from a folder, as a `file` or as a
  `dangling-link` (a symbolic link to nothing).
- `fixed` (a whole text) or `fixed_edits` (edits of the canonical persona; `[]` is
  the canonical persona): the text after `--fix` (required for the failing cases of a
  fixable rule).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from conftest import CANONICAL, TODAY

from persona_lint.config.selectors import resolve_selector
from persona_lint.config.settings import (
    DEFAULT_GATE_TOPICS,
    PreviousVersion,
    Settings,
    TeamSchema,
)
from persona_lint.document.model import parse_document
from persona_lint.engine.lint import check_corpus, lint_source
from persona_lint.engine.run import RunOptions, run
from persona_lint.fix.engine import fix_text
from persona_lint.rules.version import content_digest, version_cell
from persona_lint.xml.team import check_team_schema

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

CASES_DIR = Path(__file__).resolve().parent
DEFAULT_PATH = "backend-engineer.md"
CASE_KEYS = frozenset(
    {
        "name",
        "document",
        "find",
        "replace",
        "edits",
        "documents",
        "path",
        "explicit",
        "encoding",
        "settings",
        "previous",
        "broken_rule",
        "on_disk",
        "expected",
        "fixed",
        "fixed_edits",
    }
)
# What a case expects rather than what it gives the linter.
OUTCOME_KEYS = frozenset({"name", "expected", "fixed", "fixed_edits"})
DOCUMENT_KEYS = frozenset({"path", "explicit", "document", "find", "replace", "edits"})
Found = tuple[str, ...] | tuple[Any, ...]


def apply_edits(spec: dict[str, Any], base: str = CANONICAL) -> str:
    """The text a case (or one of its documents) describes.

    Its `document`, or `base` with its `find`/`replace` and `edits` applied in
    order; an edit that does not occur or changes nothing is an error in the case.
    """
    if "document" in spec:
        assert not ({"find", "replace", "edits"} & spec.keys()), "document or edits, not both"
        return str(spec["document"])
    text = base
    edits = list(spec.get("edits", []))
    if "find" in spec:
        edits.insert(0, {"find": spec["find"], "replace": spec["replace"]})
    for one in edits:
        find, replace = one["find"], one["replace"]
        assert find != replace, f"an edit that changes nothing: {find!r}"
        assert find in text, f"edit does not apply: {find!r} not found"
        text = text.replace(find, replace)
    return text


@dataclass(frozen=True)
class Case:
    """One named case of one rule's file."""

    code: str
    name: str
    spec: dict[str, Any] = field(repr=False)

    @property
    def id(self) -> str:
        """The case's test id: its rule and its name."""
        return f"{self.code}:{self.name}"

    @property
    def fails(self) -> bool:
        """Whether the case expects a diagnostic of its rule."""
        return any(self.code in entry for entry in self.spec["expected"])

    @property
    def given(self) -> str:
        """Everything the case gives the linter (documents, settings, ...), as one text.

        Two cases that give the same are the same check, whatever they expect.
        """
        kept = {k: v for k, v in self.spec.items() if k not in OUTCOME_KEYS}
        return json.dumps(kept, sort_keys=True, default=str)

    def inputs(self) -> list[tuple[str, str, bool]]:
        """Each document's (path, text, explicit), in order."""
        documents = self.spec.get("documents", [self.spec])
        return [
            (d.get("path", DEFAULT_PATH), apply_edits(d), bool(d.get("explicit", True)))
            for d in documents
        ]

    def settings(self) -> Settings:
        """The settings the case is linted with (today pinned unless it says)."""
        given = dict(self.spec.get("settings", {}))
        values: dict[str, Any] = {"today": TODAY}
        if "today" in given:
            values["today"] = given.pop("today")
            assert isinstance(values["today"], datetime.date), "today is a TOML date"
        if "select" in given:
            values["select"] = frozenset(
                code for selector in given.pop("select") for code in resolve_selector(selector)
            )
        if "statuses" in given:
            values["statuses"] = tuple(given.pop("statuses"))
        if "required_gates" in given:
            values["required_gates"] = _gate_topics(given.pop("required_gates"))
        if "max_file_size" in given:
            values["max_file_size"] = int(given.pop("max_file_size"))
        if "team_schemas" in given:
            values["team_schemas"] = tuple(map(_team_schema, given.pop("team_schemas")))
        if "strict_sections" in given:
            values["strict_sections"] = bool(given.pop("strict_sections"))
        assert not given, f"unknown settings: {sorted(given)}"
        if "previous" in self.spec:
            values["previous"] = _previous(self.spec["previous"])
        return Settings(**values)


def _gate_topics(
    given: list[str] | dict[str, list[str]],
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Required gate topics: built-in topic names, or a table topic -> keywords."""
    if isinstance(given, dict):
        return tuple((topic, tuple(words)) for topic, words in given.items())
    built_in = dict(DEFAULT_GATE_TOPICS)
    return tuple((topic, built_in[topic]) for topic in given)


def _previous(spec: dict[str, Any]) -> PreviousVersion:
    """What `--changed-since` finds at the revision (as persona_lint.changes reads it)."""
    document = parse_document(spec.get("renamed_from", ""), apply_edits(spec))
    version = version_cell(document, "version")
    date = version_cell(document, "last_updated")
    return PreviousVersion(
        ref=spec.get("ref", "HEAD"),
        version=version.text if version else None,
        last_updated=date.text if date else None,
        digest=content_digest(document),
        renamed_from=spec.get("renamed_from"),
    )


def _team_schema(text: str) -> TeamSchema:
    """A team schema given as text, checked as a configuration's ``schemas`` would be."""
    data = text.encode("utf-8")
    digest = hashlib.sha256(data).hexdigest()
    return TeamSchema(f"team-{digest[:8]}.xsd", digest, check_team_schema(data), data)


def load_file(path: Path) -> tuple[str, list[Case]]:
    """The rule code a case file is about, and its cases."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    code = data["rule"]
    assert set(data) <= {"rule", "case"}, f"{path.name}: unknown keys"
    cases = []
    for spec in data.get("case", []):
        unknown = set(spec) - CASE_KEYS
        assert not unknown, f"{path.name}: unknown keys {sorted(unknown)}"
        for document in spec.get("documents", []):
            assert set(document) <= DOCUMENT_KEYS, f"{path.name}: unknown document keys"
        cases.append(Case(code, spec["name"], spec))
    return code, cases


def case_files() -> list[Path]:
    """The case files, one per rule, sorted by code."""
    return sorted(CASES_DIR.glob("[A-Z][A-Z][0-9]*.toml"))


def all_cases() -> Iterator[Case]:
    """Every case of every file, in file order."""
    for path in case_files():
        yield from load_file(path)[1]


def documents() -> list[tuple[str, str]]:
    """Every document of every case, named by the case's id (and its index when several)."""
    found = []
    for case in all_cases():
        inputs = case.inputs()
        for index, (_, text, _) in enumerate(inputs):
            found.append((case.id if len(inputs) == 1 else f"{case.id}:{index}", text))
    return found


def run_case(case: Case, tmp_path: Path) -> list[Found]:
    """Every diagnostic the case's input gets, in report order.

    As `(code, line, column)` for one document, `(path, code, line, column)` for
    several; an `on_disk` case is written in `tmp_path` and linted by a real run.
    """
    settings = case.settings()
    inputs = case.inputs()
    if "on_disk" in case.spec:
        return _run_on_disk(case, tmp_path)
    encoding = case.spec.get("encoding", "utf-8")
    results = check_corpus(
        [
            lint_source(path, text.encode(encoding), settings, explicit=explicit)
            for path, text, explicit in inputs
        ],
        settings,
    )
    if "documents" in case.spec:
        return [(r.path, d.code, d.line, d.column) for r in results for d in r.diagnostics]
    return [(d.code, d.line, d.column) for d in results[0].diagnostics]


def _run_on_disk(case: Case, folder: Path) -> list[Found]:
    """Lint the case's file with a real run (no cache) from `folder`."""
    assert "settings" not in case.spec, "a run from a folder takes the embedded settings"
    ((name, text, _),) = case.inputs()
    target = folder / name
    if case.spec["on_disk"] == "dangling-link":
        target.symlink_to(folder / "nowhere.md")
    else:
        assert case.spec["on_disk"] == "file"
        target.write_text(text, encoding="utf-8")
    here = Path.cwd()
    os.chdir(folder)
    try:
        options = RunOptions(paths=(Path(name),), isolated=True, cache_dir=None)
        outcome = run(options)
    finally:
        os.chdir(here)
    assert outcome.error is None and outcome.results is not None, outcome.error
    return [(d.code, d.line, d.column) for r in outcome.results for d in r.diagnostics]


def expected_fix(case: Case) -> str | None:
    """The text the case expects after `--fix`, if it says."""
    if "fixed" in case.spec:
        return str(case.spec["fixed"])
    if "fixed_edits" in case.spec:
        return apply_edits({"edits": case.spec["fixed_edits"]})
    return None


def fix_case(case: Case) -> str:
    """The case's text after `--fix` under its settings."""
    ((path, text, _),) = case.inputs()
    return fix_text(path, text, case.settings()).text


def as_found(entries: Sequence[Sequence[Any]]) -> list[Found]:
    """A case's `expected` list in the shape :func:`run_case` returns."""
    return [tuple(entry) for entry in entries]
