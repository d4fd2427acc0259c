"""Team schemas (issue 19): the ``schemas``, ``per-file-schemas`` and ``strict-sections`` keys
through the real command line, every refusal of a hostile schema, the cache key, the README's
example, and the agreement of libxml2 and xmlschema on generated team schemas."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest
from conftest import CANONICAL, ROOT, cli, edit, examples
from hostile.audit import run_audited
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from persona_lint.config.team_schemas import MAX_TEAM_SCHEMA_SIZE, MAX_TEAM_SCHEMAS
from persona_lint.xml import team
from persona_lint.xml.team import (
    TeamSchemaError,
    check_team_schema,
    libxml_verdict,
    validate_section,
    xmlschema_schema,
)

XS = 'xmlns:xs="http://www.w3.org/2001/XMLSchema"'
# Declares the canonical persona's own section: a development_process, then anything.
FRAMEWORK_XSD = f"""<?xml version="1.0"?>
<xs:schema {XS}>
  <xs:element name="backend_engineering_framework">
    <xs:complexType>
      <xs:sequence>
        <xs:element name="owner" type="xs:string"/>
        <xs:any processContents="skip" minOccurs="0" maxOccurs="unbounded"/>
      </xs:sequence>
    </xs:complexType>
  </xs:element>
</xs:schema>
"""
OWNER = "  <backend_engineering_framework>\n    <owner>Platform team</owner>"


def project(tmp_path: Path, config: str, files: dict[str, str]) -> Path:
    """A folder with .persona-lint.toml holding ``config`` and the given files."""
    (tmp_path / ".persona-lint.toml").write_text(config, encoding="utf-8")
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def diagnostics(stdout: str) -> list[str]:
    """The ``path:line:col: ... [CODE]`` lines of a concise report, without the summary."""
    return [line for line in stdout.splitlines() if re.search(r"\[[A-Z]+\d+\]$", line)]


class TestValidation:
    def test_a_declared_section_is_validated_at_its_element(self, tmp_path: Path) -> None:
        project(
            tmp_path,
            'schemas = ["schemas/framework.xsd"]\n',
            {"schemas/framework.xsd": FRAMEWORK_XSD, "backend-engineer.md": CANONICAL},
        )
        result = cli("--no-cache", "--output-format", "concise", ".", cwd=tmp_path)
        assert result.returncode == 1, result.stderr
        assert diagnostics(result.stdout) == [
            "backend-engineer.md:133:5: error: unknown element <development_process> in "
            "<backend_engineering_framework>; expected <owner> "
            "(team schema schemas/framework.xsd) [PL217]"
        ]

    def test_the_fixed_section_passes(self, tmp_path: Path) -> None:
        fixed = edit("  <backend_engineering_framework>", OWNER)
        project(
            tmp_path,
            'schemas = ["schemas/framework.xsd"]\n',
            {"schemas/framework.xsd": FRAMEWORK_XSD, "backend-engineer.md": fixed},
        )
        result = cli("--no-cache", "--output-format", "concise", ".", cwd=tmp_path)
        assert (result.returncode, diagnostics(result.stdout)) == (0, [])

    def test_a_valid_run_leaves_xmlschema_unimported(self, tmp_path: Path) -> None:
        """libxml2 gives the verdict; xmlschema (0.35 s to import and compile) only explains."""
        fixed = edit("  <backend_engineering_framework>", OWNER)
        project(
            tmp_path,
            'schemas = ["schemas/framework.xsd"]\n',
            {"schemas/framework.xsd": FRAMEWORK_XSD, "backend-engineer.md": fixed},
        )
        run = (
            "import sys\n"
            "from persona_lint.cli import main\n"
            "sys.argv = ['persona-lint', '--no-cache', '.']\n"
            "try:\n"
            "    main()\n"
            "except SystemExit as done:\n"
            "    print(done.code, 'xmlschema' in sys.modules)\n"
        )
        result = subprocess.run(
            [sys.executable, "-c", run], cwd=tmp_path, capture_output=True, text=True, check=False
        )
        assert result.stdout.splitlines()[-1] == "0 False", result.stderr

    def test_strict_sections_reports_an_undeclared_section(self, tmp_path: Path) -> None:
        project(
            tmp_path,
            "strict-sections = true\n",
            {"backend-engineer.md": CANONICAL},
        )
        result = cli("--no-cache", "--output-format", "concise", ".", cwd=tmp_path)
        assert result.returncode == 1
        assert diagnostics(result.stdout) == [
            "backend-engineer.md:132:3: error: <backend_engineering_framework> is not declared "
            "by any team schema (strict-sections) [PL218]"
        ]

    def test_per_file_schemas_apply_to_matching_files_only(self, tmp_path: Path) -> None:
        project(
            tmp_path,
            '[per-file-schemas]\n"strict/*.md" = ["schemas/framework.xsd"]\n',
            {
                "schemas/framework.xsd": FRAMEWORK_XSD,
                "strict/backend-engineer.md": CANONICAL,
                "free/backend-engineer.md": CANONICAL,
            },
        )
        result = cli(
            "--no-cache", "--output-format", "concise", "--ignore", "PL801", ".", cwd=tmp_path
        )
        assert [line.split(":")[0] for line in diagnostics(result.stdout)] == [
            "strict/backend-engineer.md"
        ]
        shown = cli("config", "strict/backend-engineer.md", cwd=tmp_path).stdout
        assert re.search(
            r"^  schemas +schemas/framework.xsd \(per-file-schemas\) +\[default\]$", shown, re.M
        )
        assert re.search(
            r"^  per-file-schemas +strict/\*.md -> schemas/framework.xsd ", shown, re.M
        )
        free = cli("config", "free/backend-engineer.md", cwd=tmp_path).stdout
        assert re.search(r"^  schemas +\(none\) +\[default\]$", free, re.M)

    def test_changing_the_schema_changes_a_cached_result(self, tmp_path: Path) -> None:
        project(
            tmp_path,
            'schemas = ["schemas/framework.xsd"]\n',
            {"schemas/framework.xsd": FRAMEWORK_XSD, "backend-engineer.md": CANONICAL},
        )
        cache = ["--cache-dir", str(tmp_path / "cache"), "--output-format", "concise", "."]
        assert cli(*cache, cwd=tmp_path).returncode == 1
        relaxed = FRAMEWORK_XSD.replace('name="owner"', 'name="development_process"')
        relaxed = relaxed.replace('type="xs:string"', 'type="xs:anyType"')
        (tmp_path / "schemas/framework.xsd").write_text(relaxed, encoding="utf-8")
        again = cli(*cache, cwd=tmp_path)
        assert (again.returncode, diagnostics(again.stdout)) == (0, [])
        fresh = cli("--no-cache", "--output-format", "concise", ".", cwd=tmp_path)
        assert fresh.stdout == again.stdout


# Each hostile or broken schema, and the one line persona-lint answers (file:line: ...).
REFUSED = {
    "not-xml": (
        f"<xs:schema {XS}>\n  <xs:element name='a'>\n</xs:schema>\n",
        "schemas/team.xsd:3: team schema: not well-formed XML: Opening and ending tag mismatch",
    ),
    "url-import": (
        f"<xs:schema {XS}>\n  <xs:import namespace='x' schemaLocation='https://example.com/x.xsd'/>"
        "\n  <xs:element name='a'/>\n</xs:schema>\n",
        "schemas/team.xsd:2: team schema: xs:import of a URL is not allowed",
    ),
    "include-out-of-tree": (
        f"<xs:schema {XS}>\n\n  <xs:include schemaLocation='../../etc/other.xsd'/>"
        "\n  <xs:element name='a'/>\n</xs:schema>\n",
        "schemas/team.xsd:3: team schema: xs:include of another file is not allowed",
    ),
    "redefines-built-in": (
        f"<xs:schema {XS}>\n  <xs:element name='a'/>\n  <xs:element name='persona_identity'/>"
        "\n</xs:schema>\n",
        "schemas/team.xsd:3: team schema: redefines the built-in element <persona_identity>",
    ),
    "pattern": (
        f"<xs:schema {XS}>\n  <xs:element name='a'><xs:simpleType>"
        "<xs:restriction base='xs:string'>\n<xs:pattern value='(a|a)*b'/>"
        "</xs:restriction></xs:simpleType></xs:element>\n</xs:schema>\n",
        "schemas/team.xsd:3: team schema: xs:pattern is not allowed",
    ),
    "unknown-type": (
        f"<xs:schema {XS}>\n\n  <xs:element name='a' type='nosuch'/>\n</xs:schema>\n",
        "schemas/team.xsd:3: team schema: invalid XSD: element decl. 'a', attribute 'type'",
    ),
    "target-namespace": (
        f"<xs:schema {XS} targetNamespace='urn:x'>\n  <xs:element name='a'/>\n</xs:schema>\n",
        "schemas/team.xsd:1: team schema: targetNamespace is not allowed",
    ),
    "doctype": (
        f'<!DOCTYPE xs:schema [<!ENTITY e SYSTEM "/etc/passwd">]>\n<xs:schema {XS}>'
        "\n  <xs:element name='a'/>\n</xs:schema>\n",
        "schemas/team.xsd:1: team schema: a DOCTYPE is not allowed",
    ),
    "not-a-schema": ("<html/>\n", "schemas/team.xsd:1: team schema: not an XSD schema"),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_a_refused_team_schema_is_one_line_and_exit_2(tmp_path: Path, case: str) -> None:
    text, start = REFUSED[case]
    project(
        tmp_path,
        'schemas = ["schemas/team.xsd"]\n',
        {"schemas/team.xsd": text, "backend-engineer.md": CANONICAL},
    )
    result = cli("--no-cache", ".", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert lines[0].startswith(f"persona-lint: error: {start}"), lines[0]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "https://example.com/team.xsd",
            "'https://example.com/team.xsd' is a URL; team schemas are local",
        ),
        ("file:///etc/team.xsd", "'file:///etc/team.xsd' is a URL; team schemas are local"),
        ("../outside.xsd", "'../outside.xsd' is outside the current directory; not read"),
        ("missing.xsd", "no such schema file 'missing.xsd'"),
        ("linked.xsd", "'linked.xsd' is outside the current directory; not read"),
        ("big.xsd", f"cannot read 'big.xsd': larger than {MAX_TEAM_SCHEMA_SIZE:,} bytes"),
    ],
)
def test_a_schema_path_persona_lint_will_not_read(tmp_path: Path, value: str, message: str) -> None:
    inner = tmp_path / "project"
    inner.mkdir()
    (tmp_path / "outside.xsd").write_text(FRAMEWORK_XSD, encoding="utf-8")
    os.symlink(tmp_path / "outside.xsd", inner / "linked.xsd")
    (inner / "big.xsd").write_text(" " * (MAX_TEAM_SCHEMA_SIZE + 1), encoding="utf-8")
    project(inner, f'\nschemas = ["{value}"]\n', {"backend-engineer.md": CANONICAL})
    result = cli("--no-cache", ".", cwd=inner)
    assert result.returncode == 2
    assert result.stderr == (
        f"persona-lint: error: {inner / '.persona-lint.toml'}:2: 'schemas': {message}\n"
    )


def test_too_many_schemas_is_an_error(tmp_path: Path) -> None:
    names = [f"s{i}.xsd" for i in range(MAX_TEAM_SCHEMAS + 1)]
    files = {
        name: FRAMEWORK_XSD.replace("backend_engineering_framework", f"section_{i}")
        for i, name in enumerate(names)
    }
    files["backend-engineer.md"] = CANONICAL
    project(tmp_path, f"schemas = {names!r}\n".replace("'", '"'), files)
    result = cli("--no-cache", ".", cwd=tmp_path)
    assert result.returncode == 2
    assert f"more than {MAX_TEAM_SCHEMAS} team schemas" in result.stderr


def test_two_schemas_declaring_one_section_is_an_error(tmp_path: Path) -> None:
    project(
        tmp_path,
        'schemas = ["a.xsd", "b.xsd"]\n',
        {
            "a.xsd": FRAMEWORK_XSD,
            "b.xsd": FRAMEWORK_XSD.replace("owner", "lead"),
            "backend-engineer.md": CANONICAL,
        },
    )
    result = cli("--no-cache", ".", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == (
        "persona-lint: error: b.xsd:3: team schema: <backend_engineering_framework> is "
        "already declared by a.xsd\n"
    )


def readme_example() -> tuple[str, str, str]:
    """The README's team-schema example: the configuration, the schema, the section."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    part = readme[readme.index("### Team schemas") :]
    blocks = re.findall(r"```(\w+)\n(.*?)```", part, re.DOTALL)
    (config, schema, section) = [text for _, text in blocks[:3]]
    assert [kind for kind, _ in blocks[:3]] == ["toml", "xml", "xml"]
    return config, schema, section


def test_the_readme_example_runs_as_printed(tmp_path: Path) -> None:
    config, schema, section = readme_example()
    persona = edit("  <error_handling_philosophy>", section + "  <error_handling_philosophy>")
    project(
        tmp_path,
        config,
        {"schemas/release.xsd": schema, "personas/backend-engineer.md": persona},
    )
    result = cli("--no-cache", "--output-format", "concise", "personas", cwd=tmp_path)
    assert (result.returncode, diagnostics(result.stdout)) == (0, [])
    without_owner = re.sub(r"\n *<owner>.*</owner>", "", persona)
    (tmp_path / "personas/backend-engineer.md").write_text(without_owner, encoding="utf-8")
    result = cli("--no-cache", "--output-format", "concise", "personas", cwd=tmp_path)
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    claimed = re.search(r"without its `<owner>` is then `(error: [^`]*\[PL217\])`", readme)
    assert claimed is not None
    assert [line.split(": ", 1)[1] for line in diagnostics(result.stdout)] == [claimed[1]]
    broken = persona.replace("<owner>", "<owners>").replace("</owner>", "</owners>")
    (tmp_path / "personas/backend-engineer.md").write_text(broken, encoding="utf-8")
    result = cli("--no-cache", "--output-format", "concise", "personas", cwd=tmp_path)
    assert result.returncode == 1
    assert [line.split(": ", 1)[1] for line in diagnostics(result.stdout)] == [
        "error: unknown element <owners> in <release_checklist>; expected <owner> "
        "(team schema schemas/release.xsd) [PL217]"
    ]


# The differential test: generated team schemas, generated sections, both validators.
NAMES = ("owner", "step", "risk", "note")
SIMPLE = st.sampled_from(
    [
        '<xs:element name="{n}" type="xs:string"{o}/>',
        '<xs:element name="{n}" type="xs:positiveInteger"{o}/>',
        '<xs:element name="{n}"{o}><xs:simpleType><xs:restriction base="xs:token">'
        '<xs:enumeration value="low"/><xs:enumeration value="high"/>'
        "</xs:restriction></xs:simpleType></xs:element>",
        '<xs:element name="{n}"{o}><xs:simpleType><xs:restriction base="xs:string">'
        '<xs:minLength value="1"/><xs:maxLength value="5"/></xs:restriction>'
        "</xs:simpleType></xs:element>",
        '<xs:element name="{n}"{o}><xs:complexType>'
        '<xs:attribute name="id" type="xs:NCName" use="required"/></xs:complexType></xs:element>',
    ]
)
OCCURS = st.sampled_from(
    ["", ' minOccurs="0"', ' maxOccurs="3"', ' minOccurs="0" maxOccurs="unbounded"']
)


@st.composite
def team_schemas(draw: st.DrawFn) -> str:
    """A team schema declaring <team_section> as a sequence, choice or all of simple children."""
    names = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=4, unique=True))
    group = draw(st.sampled_from(["sequence", "choice", "all"]))
    children = "".join(
        draw(SIMPLE).format(n=name, o="" if group == "all" else draw(OCCURS)) for name in names
    )
    mixed = ' mixed="true"' if draw(st.booleans()) else ""
    return (
        f'<xs:schema {XS}><xs:element name="team_section"><xs:complexType{mixed}>'
        f"<xs:{group}>{children}</xs:{group}></xs:complexType></xs:element></xs:schema>"
    )


VALUES = st.sampled_from(["low", "high", "42", "", "x" * 7, "medium", "-1", "ok"])


@st.composite
def sections(draw: st.DrawFn) -> ElementTree.Element:
    """A <team_section> with generated children, values, attributes and text (mutations)."""
    section = ElementTree.Element("team_section")
    if draw(st.booleans()):
        section.text = draw(st.sampled_from(["", " ", "loose text"]))
    for name in draw(st.lists(st.sampled_from([*NAMES, "extra"]), max_size=6)):
        child = ElementTree.SubElement(section, name)
        child.text = draw(VALUES)
        if draw(st.booleans()):
            child.set(draw(st.sampled_from(["id", "other"])), draw(st.sampled_from(["a1", "1a"])))
    return section


@settings(max_examples=examples(400), suppress_health_check=[HealthCheck.too_slow])
@given(team_schemas(), sections())
def test_libxml2_and_xmlschema_agree_on_team_schemas(
    schema: str, section: ElementTree.Element
) -> None:
    data = schema.encode("utf-8")
    assert check_team_schema(data) == (("team_section", 1),)
    libxml = libxml_verdict(data, section)
    assert libxml is not None
    assert libxml == xmlschema_schema(data).is_valid(section, use_location_hints=False)


def test_check_team_schema_refuses_what_the_config_refuses() -> None:
    with pytest.raises(TeamSchemaError) as refused:
        check_team_schema(REFUSED["url-import"][0].encode())
    assert refused.value.line == 2


def test_a_run_with_a_team_schema_opens_nothing_else_and_no_socket(tmp_path: Path) -> None:
    project(
        tmp_path,
        'schemas = ["schemas/framework.xsd"]\n',
        {"schemas/framework.xsd": FRAMEWORK_XSD, "backend-engineer.md": CANONICAL},
    )
    audit = run_audited(["--output-format", "concise", "--no-cache", "."], tmp_path)
    assert audit.returncode == 1, audit.stderr
    assert audit.network == []
    installed = (sys.prefix, sys.base_prefix, str(ROOT / "persona_lint"), str(ROOT / "schemas"))
    outside = [
        path
        for path in map(os.path.realpath, audit.opened)
        if not path.startswith((str(tmp_path), *installed))
    ]
    assert outside == []
    read = [os.path.realpath(p) for p in audit.opened if p.startswith(str(tmp_path))]
    assert str(tmp_path / "schemas/framework.xsd") in read


def test_a_schema_xmlschema_refuses_leaves_libxml2s_verdict(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No schema libxml2 compiles and xmlschema refuses is known (eight facet, occurrence
    and default conflicts: both refuse each); should one appear, the section libxml2
    rejected is still reported, in libxml2's verdict alone."""

    def refuses(data: bytes) -> None:
        raise ValueError("unsupported construct\nsecond line")

    section = ElementTree.fromstring(
        "<backend_engineering_framework><step/></backend_engineering_framework>"
    )
    data = FRAMEWORK_XSD.encode()
    assert validate_section(data, section).valid is False  # xmlschema's words
    monkeypatch.setattr(team, "xmlschema_schema", refuses)
    verdict = validate_section(data, section)
    assert [(i.code, i.element.tag, i.message) for i in verdict.issues] == [
        (
            "PL217",
            "backend_engineering_framework",
            "<backend_engineering_framework> does not match its declaration "
            "(xmlschema: unsupported construct)",
        )
    ]
    assert verdict.valid is False
