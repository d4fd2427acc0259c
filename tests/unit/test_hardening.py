"""Hostile and broken input (issue 9): persona-lint reads the file and nothing else, opens
no socket, finishes in bounded time and memory, and answers with diagnostics at the right
place, never a traceback.

Every fixture is made at test time in ``tmp_path``. The end-to-end tests run the real
command line in a subprocess watched by an audit hook (tests/hostile/audit.py) and assert,
besides the exit code and each diagnostic's code and line, that nothing was opened but the
inputs and Python's and persona-lint's own files, that nothing under /etc was touched, that
no socket was created, and that no traceback was printed. Each starts a real process under
the hook, so they are marked slow: ``make fast-test`` leaves them out, ``make test`` and CI
run them; the in-process tests here stay in both.
"""

from __future__ import annotations

import io
import os
import re
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import CANONICAL, codes, edit, lint
from hostile.audit import Audit, run_audited, strace_usable, system_calls
from hostile.inputs import FIRST_GATE, HOSTILE, Hostile

from persona_lint.config.settings import DEFAULT_MAX_FILE_SIZE
from persona_lint.diagnostics import Diagnostic
from persona_lint.document.model import Document
from persona_lint.engine.secret import user_cache_folder
from persona_lint.rules.context import RuleContext
from persona_lint.source import read, walk
from persona_lint.source.decode import decode
from persona_lint.xml import parser
from persona_lint.xml.parser import parse_block

XINCLUDE = "http://www.w3.org/2001/XInclude"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
# Raw control characters that must never reach a terminal (tab and newline are fine).
CONTROL = re.compile(rb"[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]")
# "```xml\n<persona_context": the place to put something before the persona's root.
CONTEXT_FENCE = "```xml\n<persona_context"
CONTEXT_LINE = CANONICAL.split("\n").index("```xml") + 2  # the line of <persona_context


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def line_of(text: str, needle: str) -> int:
    """1-based line of the first occurrence of ``needle``."""
    return text.count("\n", 0, text.index(needle)) + 1


def found(audit: Audit) -> list[tuple[str, int, int, str]]:
    """(path, line, column, code) of every diagnostic in concise output."""
    out = []
    for line in audit.stdout.splitlines():
        match = re.match(r"^(.*?):(\d+):(\d+): \w+: .* \[(PL\d{3})\]$", line)
        if match:
            out.append((match[1], int(match[2]), int(match[3]), match[4]))
    return out


def lint_cli(
    folder: Path, *paths: str | Path, extra: tuple[str, ...] = (), timeout: float = 60
) -> Audit:
    """persona-lint PATHS in ``folder``: concise, no colour, no cache, no configuration."""
    args: list[str | Path] = [
        "--output-format",
        "concise",
        "--no-color",
        "--no-cache",
        "--isolated",
        *extra,
        *paths,
    ]
    return run_audited(args, folder, timeout=timeout)


def assert_safe(audit: Audit, inputs: list[Path], forbidden: tuple[str, ...] = ()) -> None:
    """The safety properties every hostile run must keep."""
    assert "Traceback" not in audit.stdout + audit.stderr, audit.stderr
    assert audit.foreign_opens(inputs) == [], audit.opened
    touched = audit.opened + audit.listed
    assert not [p for p in touched if p == "/etc" or p.startswith("/etc/")], touched
    for path in forbidden:
        assert not [p for p in touched if os.path.realpath(p) == os.path.realpath(path)], path
    assert audit.network == [], audit.network
    assert not CONTROL.search(audit.raw_stdout), audit.raw_stdout[:200]


def check_one(
    tmp_path: Path,
    content: str | bytes,
    expected: list[tuple[str, int]],
    *,
    exit_code: int = 1,
    name: str = "backend-engineer.md",
    forbidden: tuple[str, ...] = (),
    exact: bool = True,
) -> Audit:
    """Lint one hostile file; assert its exit code, its (code, line) diagnostics and safety."""
    path = write(tmp_path, name, content)
    audit = lint_cli(tmp_path, name)
    assert_safe(audit, [path], forbidden)
    got = [(code, line) for _, line, _, code in found(audit)]
    if exact:
        assert got == expected, audit.stdout
    else:
        assert set(expected) <= set(got), audit.stdout
    assert audit.returncode == exit_code, audit.stdout + audit.stderr
    return audit


# --- XML entities, DTDs and other references ------------------------------------------

BILLION_LAUGHS = next(h for h in HOSTILE if h.name == "billion laughs").make()
QUADRATIC_BLOWUP = next(h for h in HOSTILE if h.name == "quadratic blowup").make()

DOCTYPES = {
    "internal-entity": '<!DOCTYPE persona_context [<!ENTITY x "y">]>',
    "external-entity": '<!DOCTYPE persona_context [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
    "parameter-entity": (
        '<!DOCTYPE persona_context [<!ENTITY % p SYSTEM "https://example.com/evil.dtd"> %p;]>'
    ),
    "external-dtd": '<!DOCTYPE persona_context SYSTEM "https://example.com/persona.dtd">',
    "public-dtd": '<!DOCTYPE persona_context PUBLIC "-//X//EN" "/etc/passwd">',
    "hidden-behind-a-pi": '<?pi <!-- ?>\n<!DOCTYPE persona_context SYSTEM "/etc/passwd">',
    "after-a-comment": '<!-- x -->\n<!DOCTYPE persona_context SYSTEM "/etc/passwd">',
}


@pytest.mark.slow
@pytest.mark.parametrize("doctype", DOCTYPES.values(), ids=DOCTYPES.keys())
def test_any_doctype_is_refused_at_its_line(tmp_path: Path, doctype: str) -> None:
    text = edit(CONTEXT_FENCE, f"```xml\n{doctype}\n<persona_context")
    line = line_of(text, "<!DOCTYPE")
    audit = check_one(tmp_path, text, [("PL202", line)], forbidden=("/etc/passwd",), exact=False)
    assert [d for d in found(audit) if d[3] == "PL202"] == [
        ("backend-engineer.md", line, 1, "PL202")
    ]


@pytest.mark.slow
@pytest.mark.parametrize(
    "text", [BILLION_LAUGHS, QUADRATIC_BLOWUP], ids=["billion-laughs", "quadratic-blowup"]
)
def test_entity_bombs_are_refused_before_expansion(tmp_path: Path, text: str) -> None:
    audit = check_one(tmp_path, text, [("PL202", CONTEXT_LINE)], exact=False)
    assert audit.seconds < 20
    assert audit.maxrss_kb < 200 * 1024


@pytest.mark.slow
def test_doctype_in_the_behaviour_block(tmp_path: Path) -> None:
    text = edit(
        "```xml\n<backend_engineer_behavior>",
        '```xml\n<!DOCTYPE x SYSTEM "/etc/passwd">\n<backend_engineer_behavior>',
    )
    check_one(tmp_path, text, [("PL202", line_of(text, "<!DOCTYPE"))], forbidden=("/etc/passwd",))


def test_doctype_inside_cdata_is_text_not_a_declaration() -> None:
    assert parse_block("<a><![CDATA[<!DOCTYPE a SYSTEM '/etc/passwd'>]]></a>").error is None


def test_parser_refuses_a_doctype_the_pre_check_missed(monkeypatch: pytest.MonkeyPatch) -> None:
    """The second line of defence: expat's own DOCTYPE and entity handlers."""
    monkeypatch.setattr(parser, "find_doctype", lambda text: None)
    for text, line in [
        ('<!DOCTYPE a SYSTEM "/etc/passwd">\n<a/>', 0),
        ('<?pi?>\n  <!DOCTYPE a [<!ENTITY x "y">]>\n<a>&x;</a>', 1),
    ]:
        error = parse_block(text).error
        assert error is not None
        assert (error.kind, error.line) == ("doctype", line)
        assert error.column == text.split("\n")[line].index("<!DOCTYPE")


@pytest.mark.slow
def test_xinclude_is_never_processed(tmp_path: Path) -> None:
    secret = write(tmp_path, "secret.txt", "TOP SECRET\n")
    include = f'<xi:include xmlns:xi="{XINCLUDE}" href="{secret}" parse="text"/>'
    # In a core section the schema reports the unknown element ...
    text = edit(
        "    <name>Backend Engineer</name>", f"    <name>Backend Engineer</name>\n{include}"
    )
    audit = check_one(
        tmp_path, text, [("PL211", line_of(text, "<xi:include"))], forbidden=(str(secret),)
    )
    assert "TOP SECRET" not in audit.stdout
    # ... in a free-form persona-specific section it is accepted, and still not processed.
    text = edit(
        "  <error_handling_philosophy>",
        f"  <notes>{include}</notes>\n  <error_handling_philosophy>",
    )
    check_one(tmp_path, text, [], exit_code=0, forbidden=(str(secret),))


@pytest.mark.slow
def test_stylesheet_processing_instruction_is_ignored(tmp_path: Path) -> None:
    secret = write(tmp_path, "evil.xsl", "<xsl:stylesheet/>")
    pi = f'<?xml-stylesheet type="text/xsl" href="{secret}"?>'
    check_one(
        tmp_path,
        edit(CONTEXT_FENCE, f"```xml\n{pi}\n<persona_context"),
        [],
        exit_code=0,
        forbidden=(str(secret),),
    )


@pytest.mark.slow
def test_schema_location_hints_are_never_used(tmp_path: Path) -> None:
    """Without a namespace declaration, the validator of record rejects the attribute; the
    hint's target is never read either way."""
    schema = write(tmp_path, "evil.xsd", "<xs:schema/>")
    text = edit(
        '<persona_context active="backend-engineer">',
        f'<persona_context active="backend-engineer" xsi:noNamespaceSchemaLocation="{schema}">',
    )
    check_one(tmp_path, text, [("PL214", CONTEXT_LINE)], forbidden=(str(schema),))


def test_declared_schema_location_hints_are_reported_like_the_validator_of_record() -> None:
    for attributes in [
        f'xmlns:xsi="{XSI}" xsi:noNamespaceSchemaLocation="https://example.com/evil.xsd"',
        f'xmlns:xsi="{XSI}" xsi:schemaLocation="urn:x /etc/passwd"',
    ]:
        text = edit(
            '<persona_context active="backend-engineer">',
            f'<persona_context active="backend-engineer" {attributes}>',
        )
        assert ("PL214", CONTEXT_LINE, 1) in codes(text)


@pytest.mark.slow
def test_declared_schema_location_hints_are_never_fetched(tmp_path: Path) -> None:
    schema = write(tmp_path, "evil.xsd", "<xs:schema/>")
    text = edit(
        '<persona_context active="backend-engineer">',
        f'<persona_context active="backend-engineer" xmlns:xsi="{XSI}" '
        f'xsi:noNamespaceSchemaLocation="{schema}" xsi:schemaLocation="urn:x {schema}">',
    )
    path = write(tmp_path, "backend-engineer.md", text)
    assert_safe(lint_cli(tmp_path, path.name), [path], (str(schema),))


@pytest.mark.slow
@pytest.mark.skipif(not strace_usable(), reason="strace is missing or may not trace here")
def test_no_c_library_opens_a_reference_or_the_network(tmp_path: Path) -> None:
    """expat and libxml2 do not raise audit events: watch the system calls instead."""
    secret = write(tmp_path, "secret.txt", "x")
    schema = write(tmp_path, "evil.xsd", "<xs:schema/>")
    references = (
        f'<xi:include xmlns:xi="{XINCLUDE}" href="{secret}" parse="text"/>\n'
        f'<?xml-stylesheet href="{secret}"?>\n'
    )
    hostile = {
        "dtd.md": edit(CONTEXT_FENCE, f'```xml\n<!DOCTYPE x SYSTEM "{secret}">\n<persona_context'),
        "hints.md": edit(
            '<persona_context active="backend-engineer">',
            f'<persona_context active="backend-engineer" xmlns:xsi="{XSI}" '
            f'xsi:noNamespaceSchemaLocation="{schema}" xsi:schemaLocation="urn:x {schema}">',
        ),
        "include.md": edit(
            "  <error_handling_philosophy>",
            f"  <notes>{references}</notes>\n  <error_handling_philosophy>",
        ),
        "url.md": edit(
            CONTEXT_FENCE + ' active="backend-engineer">',
            "```xml\nhttps://example.com/persona.xsd",
        ),
        "path.md": edit(CONTEXT_FENCE + ' active="backend-engineer">', f"```xml\n{secret}"),
    }
    for name, text in hostile.items():
        write(tmp_path / "tree", name, text)
    trace = tmp_path / "strace.log"
    audit = run_audited(
        ["--no-cache", "--isolated", "--output-format", "concise", tmp_path / "tree"],
        tmp_path,
        strace_log=trace,
    )
    assert audit.returncode == 1, audit.stderr
    calls = system_calls(trace)
    opened = {os.path.realpath(path) for call, path in calls if call.startswith(("open", "creat"))}
    assert str(secret.resolve()) not in opened
    assert str(schema.resolve()) not in opened
    assert not [c for c in calls if c[0] in ("socket", "connect")], calls


# --- Content taken for a location -------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(
    "body",
    [
        "/etc/passwd",
        "file:///etc/passwd",
        "https://example.com/x.xsd",
        "../../../../etc/passwd",
        r"\\server\share\persona.xml",
    ],
)
def test_fence_body_that_looks_like_a_location(tmp_path: Path, body: str) -> None:
    text = edit(CONTEXT_FENCE + ' active="backend-engineer">', f"```xml\n{body}")
    audit = check_one(
        tmp_path, text, [("PL201", CONTEXT_LINE)], forbidden=("/etc/passwd",), exact=False
    )
    assert ("backend-engineer.md", CONTEXT_LINE, 1, "PL201") in found(audit)


@pytest.mark.slow
def test_behaviour_fence_body_that_is_a_path(tmp_path: Path) -> None:
    start = CANONICAL.index("```xml\n<backend_engineer_behavior>") + len("```xml\n")
    end = CANONICAL.index("```", start)
    text = CANONICAL[:start] + "/etc/passwd\n" + CANONICAL[end:]
    check_one(
        tmp_path,
        text,
        [("PL201", line_of(text, "/etc/passwd"))],
        forbidden=("/etc/passwd",),
        exact=False,
    )


# --- Depth and size ---------------------------------------------------------------------


@pytest.mark.slow
def test_ten_thousand_deep_nesting_is_a_limit_not_a_recursion_error(tmp_path: Path) -> None:
    text = edit("<name>Backend Engineer</name>", "<a>" * 10_000 + "</a>" * 10_000)
    audit = check_one(tmp_path, text, [("PL203", line_of(text, "<a>"))], exact=False)
    (place,) = [d for d in found(audit) if d[3] == "PL203"]
    # At the start tag that would be level 65: persona_context and persona_identity are
    # levels 1 and 2, so the 63rd <a>.
    assert place[2] == text.split("\n")[place[1] - 1].index("<a>") + 62 * 3 + 1


@pytest.mark.slow
def test_file_over_max_file_size_is_one_diagnostic_not_parsed(tmp_path: Path) -> None:
    """A sparse 2 GiB file: only max-file-size + 1 bytes are ever read."""
    path = tmp_path / "backend-engineer.md"
    with open(path, "wb") as handle:
        handle.write(b"| version |")
        handle.truncate(2 * 1024**3)
    audit = lint_cli(tmp_path, path.name)
    assert_safe(audit, [path])
    assert found(audit) == [("backend-engineer.md", 1, 1, "PL003")]
    assert audit.returncode == 1
    assert audit.maxrss_kb < 200 * 1024


@pytest.mark.slow
def test_one_byte_over_the_limit(tmp_path: Path) -> None:
    text = CANONICAL + "x" * (DEFAULT_MAX_FILE_SIZE - len(CANONICAL.encode()) + 1)
    check_one(tmp_path, text, [("PL003", 1)])


MARKDOWN = [h for h in HOSTILE if h.kind == "markdown"]


@pytest.mark.slow
@pytest.mark.parametrize("hostile", MARKDOWN, ids=[h.name for h in MARKDOWN])
def test_pathological_markdown_stays_fast(tmp_path: Path, hostile: Hostile) -> None:
    """Generous bounds (the machine may be busy); benchmarks/bench_hostile.py measures."""
    text = hostile.make()
    assert len(text.encode()) <= DEFAULT_MAX_FILE_SIZE
    path = write(tmp_path, "backend-engineer.md", text)
    audit = lint_cli(tmp_path, path.name)
    assert_safe(audit, [path])
    assert audit.returncode in (0, 1)
    assert audit.seconds < 30
    assert audit.maxrss_kb < 200 * 1024
    assert {d[3] for d in found(audit)} <= {"PL106"}  # only the open fence of "```" runs


def seconds(function: Callable[[], object]) -> float:
    """The CPU time ``function`` takes in this process: what other processes on a busy
    machine do is not counted (wall time under load failed the bounds below at 5.9 s)."""
    start = time.process_time()
    function()
    return time.process_time() - start


def test_an_element_with_50000_attributes_is_copied_for_xmlschema_in_linear_time() -> None:
    """lxml looks each attribute up by name: copying them one by one took 8 s (quadratic)
    for the 50,000 attributes a 1 MiB file holds; one XPath over them takes milliseconds."""
    from persona_lint.xml.libxml import as_etree, parse

    root = parse("<r " + " ".join(f"a{i}='v{i}'" for i in range(50_000)) + "><c b='1'/></r>")
    assert root is not None
    used = seconds(lambda: as_etree(root))
    copy, originals = as_etree(root)
    assert len(copy.attrib) == 50_000 and copy.get("a49999") == "v49999"
    assert copy[0].attrib == {"b": "1"} and originals[copy[0]] is root[0]
    assert used < 2


def test_a_list_item_with_50000_attributes_is_compared_in_linear_time() -> None:
    """PL704 compares list items with their attributes: read one by one through lxml, the
    50,000 attributes of one <tool> took 7.5 s (a 1 MiB file, two minutes)."""
    from persona_lint.engine.lint import lint_source

    many = " ".join(f"a{i}='v'" for i in range(50_000))
    text = CANONICAL.replace("<tool>", f"<tool {many}>", 1)
    used = seconds(lambda: lint_source("backend-engineer.md", text))
    found = lint_source("backend-engineer.md", text).diagnostics
    assert [(d.code, d.line, d.column) for d in found if d.code == "PL214"] == [("PL214", 63, 7)]
    assert used < 3


def test_no_quadratic_scans_in_the_xml_dialect() -> None:
    """Each of these took minutes before (a rescan to the end of the text per "<", "&" or
    "<!--"); linear, they take milliseconds. The bound is generous for busy machines."""
    assert seconds(lambda: parse_block("<!--" * 100_000)) < 5
    assert seconds(lambda: parse_block("<r>" + "&" * 500_000 + "</r>")) < 5
    assert seconds(lambda: parse_block("<r>" + "< " * 250_000 + "</r>")) < 5
    assert seconds(lambda: parse_block("<r>" + "<a " * 100_000 + "</r>")) < 5


def test_locating_many_elements_is_linear() -> None:
    text = edit(FIRST_GATE, "<gate>x</gate>\n" * 30_000)
    assert seconds(lambda: codes(text)) < 20  # a split of the block per element before


def test_element_with_too_many_attributes_is_reported_not_validated() -> None:
    attributes = " ".join(f"a{i}='x'" for i in range(300))
    text = edit('active="backend-engineer"', f'active="backend-engineer" {attributes}')
    diagnostics = lint(text).diagnostics
    assert [(d.code, d.line, d.column) for d in diagnostics] == [("PL214", CONTEXT_LINE, 1)]
    assert "has 301 attributes (more than 256)" in diagnostics[0].message


def test_element_with_too_many_children_is_reported_not_validated() -> None:
    """260,000 stray children of one element cost 25 s of schema reports before."""
    text = edit("<success_metrics>", "<success_metrics>" + "<a/>" * 5_000)
    diagnostics = lint(text).diagnostics
    assert [(d.code, d.line, d.column) for d in diagnostics] == [("PL211", 46, 5)]
    assert diagnostics[0].message == (
        "<success_metrics> has 5005 child elements (more than 256); "
        "the block is not validated further"
    )


def test_schema_errors_stop_after_a_hundred_per_block() -> None:
    text = edit("<success_metrics>", "<success_metrics>" + "<a><b/></a>" * 200)
    diagnostics = [d for d in lint(text).diagnostics if d.code.startswith("PL21")]
    assert len(diagnostics) == 101
    last = [d for d in diagnostics if "validation stopped" in d.message]
    assert [(d.code, d.line, d.column, d.message) for d in last] == [
        (
            "PL211",
            CONTEXT_LINE,
            1,
            "<persona_context>: validation stopped after 100 schema errors; fix these and run again",
        )
    ]


LIMIT = [h for h in HOSTILE if h.kind in ("xml", "limit")]


@pytest.mark.slow
@pytest.mark.parametrize("hostile", LIMIT, ids=[h.name for h in LIMIT])
def test_costliest_shapes_at_the_size_limit_still_finish(hostile: Hostile) -> None:
    """Linear, so bounded by max-file-size; figures in benchmarks/bench_hostile.py."""
    from persona_lint.engine.lint import lint_source

    data = hostile.make().encode()
    assert len(data) <= DEFAULT_MAX_FILE_SIZE
    result = lint_source("backend-engineer.md", data)
    assert "PL001" not in {d.code for d in result.diagnostics}


# --- Bytes ------------------------------------------------------------------------------

UTF16_TEXT = "| version |\n# Backend Engineer Persona\n"
BYTES = {
    "invalid-utf8": (b"| version |\n\nab\xffcd\n", [("PL002", 3, 3)]),
    "nul-byte": (b"| version |\nline two\n\n\nabc\x00\n", [("PL002", 5, 4)]),
    "utf16-le-bom": (b"\xff\xfe" + UTF16_TEXT.encode("utf-16-le"), [("PL002", 1, 1)]),
    "utf16-be-bom": (b"\xfe\xff" + UTF16_TEXT.encode("utf-16-be"), [("PL002", 1, 1)]),
    "utf16-le-no-bom": (UTF16_TEXT.encode("utf-16-le"), [("PL002", 1, 1)]),
    "utf16-be-no-bom": (UTF16_TEXT.encode("utf-16-be"), [("PL002", 1, 1)]),
    "utf32": (UTF16_TEXT.encode("utf-32"), [("PL002", 1, 1)]),
    "png": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), [("PL002", 1, 1)]),
    "terminal-escape": (
        CANONICAL.replace("| 1.0.0   |", "| \x1b]0;pwned\x07\x1b[2J |").encode(),
        [("PL002", 3, 3)],
    ),
    "c1-control": ("| version |\n# Backend \u009b31m Persona\n".encode(), [("PL002", 2, 11)]),
    "invalid-utf8-after-multibyte": ("| version |\nééé".encode() + b"\xc3(", [("PL002", 2, 4)]),
}


@pytest.mark.slow
@pytest.mark.parametrize(("data", "expected"), BYTES.values(), ids=BYTES.keys())
def test_bytes_that_are_not_utf8_text(
    tmp_path: Path, data: bytes, expected: list[tuple[str, int, int]]
) -> None:
    """One PL002 at the first offending place; nothing of the file reaches the terminal,
    even in the ``full`` format that quotes source lines."""
    path = write(tmp_path, "backend-engineer.md", data)
    for output_format in ("concise", "full"):
        audit = run_audited(
            ["--no-cache", "--isolated", "--no-color", "--output-format", output_format, path],
            tmp_path,
        )
        assert_safe(audit, [path])
        assert audit.returncode == 1
        assert len(re.findall(r"\[PL\d{3}\]", audit.stdout)) == 1, audit.stdout
    concise = lint_cli(tmp_path, path.name)
    assert [(c, line, col) for _, line, col, c in found(concise)] == expected


def test_decode_reports_places_in_characters() -> None:
    problem = decode(b"ab\n\xc3\xa9\xc3\xa9\xff")
    assert not isinstance(problem, str)
    assert (problem.line, problem.column) == (2, 3)
    for data, place in [(b"abc\rd\xff", (2, 2)), (b"\xef\xbb\xbfab\xff", (1, 3))]:
        problem = decode(data)
        assert not isinstance(problem, str)
        assert (problem.line, problem.column) == place
    assert decode(b"a\tb\r\nc") == "a\tb\nc"


# --- Markdown that hides defects --------------------------------------------------------


@pytest.mark.slow
def test_unterminated_fence_at_its_opening(tmp_path: Path) -> None:
    text = CANONICAL.replace("</backend_engineer_behavior>\n```", "</backend_engineer_behavior>\n")
    opening = line_of(text, "```xml\n<backend_engineer_behavior>")
    # The fence swallows the rest of the file: the Usage line is XML now, and gone.
    audit = check_one(
        tmp_path, text, [("PL106", opening), ("PL105", len(text.split("\n")))], exact=False
    )
    assert found(audit)[0] == ("backend-engineer.md", opening, 1, "PL106")


@pytest.mark.slow
def test_unterminated_fence_inside_a_blockquote(tmp_path: Path) -> None:
    text = CANONICAL + "\n> ```xml\n> <a>\n\nafter the quote\n"
    audit = check_one(tmp_path, text, [("PL106", line_of(text, "> ```xml"))], exact=False)
    assert ("backend-engineer.md", line_of(text, "> ```xml"), 3, "PL106") in found(audit)


@pytest.mark.slow
def test_tilde_fence_is_a_fence(tmp_path: Path) -> None:
    text = CANONICAL.replace(
        "```xml\n<backend_engineer_behavior>", "~~~xml\n<backend_engineer_behavior>"
    ).replace("</backend_engineer_behavior>\n```", "</backend_engineer_behavior>\n~~~")
    check_one(tmp_path, text, [], exit_code=0)
    broken = text.replace("</obsession>", "</obsesion>", 1)
    check_one(tmp_path, broken, [("PL201", line_of(broken, "</obsesion>"))])


def fenced_lines(prefix: str) -> str:
    lines = CANONICAL.split("\n")
    start = lines.index("```xml")
    end = lines.index("```", start + 1)
    moved = [prefix + line for line in lines[start : end + 1]]
    return "\n".join(lines[:start] + moved + lines[end + 1 :])


@pytest.mark.slow
@pytest.mark.parametrize("prefix", ["   ", " ", "> ", ">", "> > ", ">  "])
def test_fence_columns_are_columns_of_the_file(tmp_path: Path, prefix: str) -> None:
    text = fenced_lines(prefix).replace("</perspective>", "</perspectiv>")
    line = line_of(text, "</perspectiv>")
    column = text.split("\n")[line - 1].index("</perspectiv>") + 1
    audit = check_one(tmp_path, text, [("PL201", line)])
    assert found(audit)[0][2] == column


@pytest.mark.slow
def test_hidden_persona_context_gets_a_hint(tmp_path: Path) -> None:
    indented = CANONICAL + '\n\n    <persona_context active="x">\n    </persona_context>\n'
    line = line_of(indented, '    <persona_context active="x"')
    check_one(tmp_path, indented, [("PL107", line)], exit_code=0)  # a warning
    plain = CANONICAL + '\n\n```\n<persona_context active="x">\n</persona_context>\n```\n'
    line = line_of(plain, '```\n<persona_context active="x"')
    check_one(tmp_path, plain, [("PL107", line)], exit_code=0)


@pytest.mark.slow
def test_second_persona_context_names_the_first(tmp_path: Path) -> None:
    first = CANONICAL.index("```xml")
    end = CANONICAL.index("```\n", first + 6) + 4
    text = CANONICAL + "\n\n" + CANONICAL[first:end]
    second = text.rindex("<persona_context")
    audit = check_one(tmp_path, text, [("PL108", text.count("\n", 0, second) + 1)], exact=False)
    assert f"the first is at line {CONTEXT_LINE}" in audit.stdout


# --- Paths ------------------------------------------------------------------------------


def tree_with_links(tmp_path: Path) -> tuple[Path, Path, Path]:
    """tree/ with a good persona and links leading out of it; outside/secret.md."""
    tree = tmp_path / "tree"
    good = write(tree, "backend-engineer.md", CANONICAL)
    secret = write(tmp_path / "outside", "secret.md", CANONICAL.replace("1.0.0", "6.6.6"))
    (tree / "evil.md").symlink_to(secret)
    (tree / "passwd.md").symlink_to("/etc/passwd")
    (tree / "outdir").symlink_to(tmp_path / "outside", target_is_directory=True)
    return tree, good, secret


@pytest.mark.slow
def test_links_out_of_the_tree_are_refused_unopened(tmp_path: Path) -> None:
    _, good, secret = tree_with_links(tmp_path)
    audit = lint_cli(tmp_path, "tree")
    assert_safe(audit, [good], (str(secret), "/etc/passwd"))
    assert found(audit) == [
        ("tree/evil.md", 1, 1, "PL004"),
        ("tree/outdir", 1, 1, "PL004"),
        ("tree/passwd.md", 1, 1, "PL004"),
    ]
    assert "outside the linted folder; not followed" in audit.stdout
    assert "6.6.6" not in audit.stdout
    assert audit.returncode == 1
    assert not [p for p in audit.listed if "outside" in p]


@pytest.mark.slow
def test_named_link_out_of_the_current_folder_is_refused(tmp_path: Path) -> None:
    tree, _, secret = tree_with_links(tmp_path)
    audit = lint_cli(tree, "evil.md", "passwd.md")
    assert_safe(audit, [], (str(secret), "/etc/passwd"))
    assert found(audit) == [("evil.md", 1, 1, "PL004"), ("passwd.md", 1, 1, "PL004")]
    assert audit.returncode == 1


@pytest.mark.slow
def test_links_inside_the_tree_are_followed_once(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    good = write(tree / "personas", "backend-engineer.md", CANONICAL)
    (tree / "personas" / "z-alias.md").symlink_to(good)
    (tree / "personas" / "loop").symlink_to(tree, target_is_directory=True)
    (tree / "self.md").symlink_to(tree / "self.md")
    (tree / "dangling.md").symlink_to(tree / "nowhere.md")
    audit = lint_cli(tmp_path, "tree", timeout=30)
    assert_safe(audit, [good, tree / "self.md", tree / "dangling.md"])
    assert found(audit) == [
        ("tree/dangling.md", 1, 1, "PL004"),
        ("tree/self.md", 1, 1, "PL004"),
    ]
    # The persona once (not again through the alias or the loop), and the two broken links.
    assert audit.stdout.splitlines()[-1] == "3 files checked: 2 errors, 0 warnings"


@pytest.mark.slow
def test_named_pipe_and_devices_are_never_opened(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    tree.mkdir()
    os.mkfifo(tree / "pipe.md")
    good = write(tree, "backend-engineer.md", CANONICAL)
    audit = lint_cli(tmp_path, "tree", "/dev/zero", timeout=30)  # a pipe opened would block
    assert_safe(audit, [good])
    assert os.path.abspath(tree / "pipe.md") not in audit.opened
    assert "/dev/zero" not in audit.opened
    assert found(audit) == [
        ("/dev/zero", 1, 1, "PL004"),
        ("tree/pipe.md", 1, 1, "PL004"),
    ]
    assert "not a regular file (a named pipe)" in audit.stdout
    assert "not a regular file (a device)" in audit.stdout
    assert audit.returncode == 1


@pytest.mark.slow
def test_deep_folders_do_not_exhaust_the_stack(tmp_path: Path) -> None:
    folders = [tmp_path / "tree"]
    for _ in range(sys.getrecursionlimit() + 100):
        folders.append(folders[-1] / "d")
    for folder in folders:
        folder.mkdir()  # one by one: os.makedirs recurses
    good = write(folders[-1], "backend-engineer.md", CANONICAL)
    try:
        audit = lint_cli(tmp_path, "tree")
    finally:  # shutil.rmtree, which pytest cleans up with, recurses too
        good.unlink()
        for folder in reversed(folders):
            folder.rmdir()
    assert_safe(audit, [good])
    assert audit.returncode == 0, audit.stdout + audit.stderr
    assert audit.stdout.splitlines()[-1] == "1 file checked: 0 errors, 0 warnings"


@pytest.mark.slow
@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads folders whatever the mode"
)
def test_unreadable_folder_is_a_diagnostic(tmp_path: Path) -> None:
    locked = tmp_path / "tree" / "locked"
    write(locked, "x.md", CANONICAL)
    good = write(tmp_path / "tree", "backend-engineer.md", CANONICAL)
    locked.chmod(0)
    try:
        audit = lint_cli(tmp_path, "tree")
    finally:
        locked.chmod(0o755)
    assert_safe(audit, [good])
    assert found(audit) == [("tree/locked", 1, 1, "PL004")]
    assert audit.returncode == 1


def run_in_process(*paths: Path) -> tuple[int, str]:
    from persona_lint.cli.check import execute
    from persona_lint.engine.run import RunOptions

    out, err = io.StringIO(), io.StringIO()
    options = RunOptions(paths=tuple(paths), output_format="concise", cache_dir=None, isolated=True)
    code = execute(options, out, err)
    return code, out.getvalue() + err.getvalue()


def test_folder_that_cannot_be_listed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Any user, root included: listing one folder fails with a permission error."""
    write(tmp_path / "tree" / "locked", "x.md", CANONICAL)
    write(tmp_path / "tree", "backend-engineer.md", CANONICAL)
    real_scandir = os.scandir

    def scandir(path: str | Path) -> Iterator[os.DirEntry[str]]:
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.chdir(tmp_path)
    code, output = run_in_process(Path("tree"))
    assert code == 1
    assert output.splitlines() == [
        "tree/locked:1:1: error: cannot list folder: Permission denied [PL004]",
        "2 files checked: 1 error, 0 warnings",
    ]


def test_file_that_vanishes_mid_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tree = tmp_path / "tree"
    write(tree, "a.md", CANONICAL)
    write(tree, "b.md", CANONICAL)
    write(tree, "backend-engineer.md", CANONICAL)
    real_discover = walk.discover

    def discover(paths: list[Path], prune: walk.Prune) -> Iterator[walk.Candidate]:
        for candidate in real_discover(paths, prune):
            if candidate.path.name == "b.md":
                candidate.path.unlink()  # found by the walk, gone before it is read
            yield candidate

    monkeypatch.setattr("persona_lint.engine.run.discover", discover)
    monkeypatch.chdir(tmp_path)
    code, output = run_in_process(Path("tree"))
    assert code == 1  # an error, not a usage error
    assert "tree/b.md:1:1: error: cannot read file: No such file or directory [PL004]" in output
    assert "tree/a.md:1:1:" in output  # the others were linted (a.md is misnamed)
    assert output.splitlines()[-1].startswith("3 files checked")


def test_file_replaced_by_a_pipe_between_check_and_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, "x.md", "x")
    real_open = os.open

    def swap_then_open(name: str | Path, flags: int, mode: int = 0o777) -> int:
        if str(name) == str(path):
            path.unlink()
            os.mkfifo(path)
        return real_open(name, flags, mode)

    monkeypatch.setattr(os, "open", swap_then_open)
    with pytest.raises(OSError, match="replaced"):
        read.read_limited(path, 100)  # O_NONBLOCK: the open returns instead of blocking


@pytest.mark.parametrize(
    ("size", "limit", "expected"),
    [(0, 100, 0), (100, 100, 100), (101, 100, 101), (300_000, 100, 101), (300_000, 10**6, 300_000)],
)
def test_read_limited_reads_at_most_one_byte_past_the_limit(
    tmp_path: Path, size: int, limit: int, expected: int
) -> None:
    path = tmp_path / "x.md"
    path.write_bytes(bytes(range(256)) * (size // 256) + b"x" * (size % 256))
    data = read.read_limited(path, limit)
    assert data == path.read_bytes()[:expected]


def test_read_limited_reads_what_a_file_grew_by_after_its_size_was_taken(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, "x.md", "x" * 10)
    real_fstat = os.fstat

    def grow_then_fstat(descriptor: int) -> os.stat_result:
        result = real_fstat(descriptor)
        with path.open("ab") as handle:
            handle.write(b"y" * 200_000)
        return result

    monkeypatch.setattr(os, "fstat", grow_then_fstat)
    assert read.read_limited(path, 150_000) == b"x" * 10 + b"y" * 149_991


# --- The run's own files: configuration and cache ---------------------------------------


@pytest.mark.slow
def test_default_run_opens_only_inputs_configuration_and_its_cache(tmp_path: Path) -> None:
    path = write(tmp_path, "backend-engineer.md", CANONICAL)
    write(tmp_path, "pyproject.toml", "[tool.persona-lint]\n")
    audit = run_audited(["--output-format", "concise", path.name], tmp_path)
    assert audit.returncode == 0, audit.stdout + audit.stderr
    cache = str(tmp_path / ".persona_lint_cache") + os.sep
    others = [p for p in audit.foreign_opens([path]) if not p.startswith(cache)]
    secret = os.path.join(str(user_cache_folder()), "key")  # signs the cache (made once)
    assert [p for p in others if p != secret] == [str(tmp_path / "pyproject.toml")]
    assert audit.network == []


@pytest.mark.slow
def test_planted_cache_link_is_not_written_through(tmp_path: Path) -> None:
    """A pull request can commit .persona_lint_cache as a link to any folder the CI user
    may write to; persona-lint then writes its cache files there, and overwrites the
    .gitignore it finds."""
    repo, victim = tmp_path / "repo", tmp_path / "victim"
    write(repo, "backend-engineer.md", CANONICAL)
    write(victim, ".gitignore", "important\n")
    (repo / ".persona_lint_cache").symlink_to(victim, target_is_directory=True)
    audit = run_audited(["--output-format", "concise", "backend-engineer.md"], repo)
    assert audit.returncode in (0, 1)
    assert sorted(p.name for p in victim.iterdir()) == [".gitignore"]
    assert (victim / ".gitignore").read_text() == "important\n"


# --- Internal errors --------------------------------------------------------------------


def test_broken_rule_is_one_internal_error_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from persona_lint.rules.registry import RULES, all_rules

    list(all_rules())  # load every family before adding one

    def broken(document: Document, context: RuleContext) -> Iterator[Diagnostic]:
        raise ValueError(f"leaked: {CANONICAL[:60]}")

    template = RULES["PL401"]
    monkeypatch.setitem(
        RULES,
        "PL999",
        template._replace(code="PL999", name="hardening-broken", check=broken),
    )
    write(tmp_path, "backend-engineer.md", CANONICAL)
    write(tmp_path, "qa.md", "# not a persona\n")
    monkeypatch.chdir(tmp_path)
    code, output = run_in_process(Path("backend-engineer.md"), Path("qa.md"))
    assert code == 1
    assert output.splitlines() == [
        "backend-engineer.md:1:1: error: internal error in rule PL999 (hardening-broken): "
        "ValueError: leaked: | version | last_updated | status |\\x0a|---------|------------- "
        "[PL001]",
        "qa.md:1:1: error: not a persona document or a BMAD agent definition: no version "
        "table, no '# <Name> Persona' title and no <persona_context> block; no <agent> block "
        "[PL100]",
        "2 files checked: 2 errors, 0 warnings",
    ]  # the message is shown (issue 16), escaped: the file's newline is \x0a
