"""The language server, end to end: a real LSP client (pytest-lsp) starts
``python -m persona_lint server`` over stdio, opens personas from a temporary workspace and
checks what is published, hovered and fixed; then the quick-fix placements, in process.

Tests wait for each publishDiagnostics notification; none sleeps. The end-to-end tests start
a server each (about two seconds: importing lsprotocol and building the schemas), so they
are marked slow; the in-process ones are not.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from conftest import CANONICAL, SETTINGS, edit
from lsp import raw
from lsp.client import Client, start_client, stop_client
from lsprotocol import types

from persona_lint.diagnostics import Diagnostic
from persona_lint.engine.lint import check_corpus, lint_source
from persona_lint.fix.engine import fix_one
from persona_lint.lsp.edits import (
    Change,
    open_markup,
    removal_fix,
    suppression_fix,
    text_change,
)
from persona_lint.lsp.server import MAX_RESOLVER_FOLDERS, create_server
from persona_lint.rules import get_rule
from persona_lint.rules.docs import hover_markdown

UTF8 = types.PositionEncodingKind.Utf8
UTF16 = types.PositionEncodingKind.Utf16
UTF32 = types.PositionEncodingKind.Utf32
ERROR = types.DiagnosticSeverity.Error
WARNING = types.DiagnosticSeverity.Warning
DOCS = "https://github.com/persona-lint/persona-lint/blob/main/docs/rules.md"

UNUSED = "Notes für 🚀 teams <!-- persona-lint: disable-next-line PL703 -->"
# Three defects: a version that is not SemVer (line 3), a broken closing tag after
# "Développement 🚀 " (line 16: é is one UTF-16 unit and two UTF-8 bytes, 🚀 two UTF-16
# units and four UTF-8 bytes) and an unused suppression after "für 🚀" (line 178).
DEFECTS = edit(
    "## Behavioral Characteristics\n",
    f"## Behavioral Characteristics\n\n{UNUSED}\n",
    edit(
        "reliability</perspective>",
        "reliability</perspectiv>",
        edit(
            "<perspective>API-first",
            "<perspective>Développement 🚀 API-first",
            edit("| 1.0.0   |", "| 1.0     |"),
        ),
    ),
)
PL201_MESSAGE = "closing tag </perspectiv> does not match <perspective> opened at line 16, column 5"
PL304_MESSAGE = "version '1.0' is not SemVer (MAJOR.MINOR.PATCH)"
PL005_MESSAGE = "this disable-next-line suppression of PL703 suppresses nothing"


def expected(
    code: str, message: str, severity: types.DiagnosticSeverity, where: tuple[int, int, int, int]
) -> types.Diagnostic:
    line, start, end_line, end = where
    rule = get_rule(code)
    assert rule is not None
    return types.Diagnostic(
        range=types.Range(
            start=types.Position(line=line, character=start),
            end=types.Position(line=end_line, character=end),
        ),
        message=message,
        severity=severity,
        code=code,
        code_description=types.CodeDescription(href=rule.help_uri),
        source="persona-lint",
    )


def expected_defects(encoding: str) -> list[types.Diagnostic]:
    # Code points: </perspectiv> at 105-118 of line 15; the suppression at 18-64 of line 177.
    shifts: dict[str, tuple[int, int]] = {UTF32: (0, 0), UTF16: (1, 1), UTF8: (4, 4)}
    shift201, shift005 = shifts[encoding]
    return [
        expected("PL304", PL304_MESSAGE, ERROR, (2, 2, 2, 5)),
        expected("PL201", PL201_MESSAGE, ERROR, (15, 105 + shift201, 15, 118 + shift201)),
        expected("PL005", PL005_MESSAGE, WARNING, (177, 18 + shift005, 177, 64 + shift005)),
    ]


def test_defects_are_where_the_comments_say() -> None:
    lines = DEFECTS.split("\n")
    assert lines[15][105:118] == "</perspectiv>"
    assert lines[177] == UNUSED and lines[177][18:].startswith("<!--")
    found = check_corpus(
        [lint_source("backend-engineer.md", DEFECTS, SETTINGS, defer_suppressions=True)]
    )
    assert [(d.code, d.line, d.column) for d in found[0].diagnostics] == [
        ("PL304", 3, 3),
        ("PL201", 16, 106),
        ("PL005", 178, 19),
    ]


@pytest_asyncio.fixture
async def client(tmp_path: Path) -> AsyncIterator[Client]:
    lsp = await start_client(tmp_path, [UTF16])
    yield lsp
    await stop_client(lsp)


@pytest.mark.slow
@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("offered", "negotiated"),
    [(None, UTF16), ([UTF16], UTF16), ([UTF32, UTF16], UTF32), ([UTF8, UTF16], UTF8)],
    ids=["default", "utf-16-only", "utf-32-preferred", "utf-8-preferred"],
)
async def test_ranges_use_the_negotiated_encoding(
    tmp_path: Path, offered: list[str] | None, negotiated: str
) -> None:
    lsp = await start_client(tmp_path, offered)
    try:
        assert lsp.encoding == negotiated
        uri = lsp.open(tmp_path / "backend-engineer.md", DEFECTS)
        published = await lsp.next_diagnostics(uri)
        assert published.version == 1
        assert list(published.diagnostics) == expected_defects(negotiated)
        description = published.diagnostics[0].code_description
        assert description is not None
        assert description.href == f"{DOCS}#pl304-version-semver"
    finally:
        await stop_client(lsp)


@pytest.mark.slow
@pytest.mark.asyncio
async def test_edits_update_fixes_clear_and_close_clears(client: Client, tmp_path: Path) -> None:
    uri = client.open(tmp_path / "backend-engineer.md", DEFECTS)
    assert [d.code for d in (await client.next_diagnostics(uri)).diagnostics] == [
        "PL304",
        "PL201",
        "PL005",
    ]
    version = client.change(uri, edit("| 1.0     |", "| 1.0.0   |", DEFECTS))
    published = await client.next_diagnostics(uri)
    assert published.version == version
    assert list(published.diagnostics) == expected_defects(UTF16)[1:]
    client.change(uri, CANONICAL)
    assert list((await client.next_diagnostics(uri)).diagnostics) == []
    client.change(uri, DEFECTS)
    assert len((await client.next_diagnostics(uri)).diagnostics) == 3
    client.close(uri)
    closed = await client.next_diagnostics(uri)
    assert list(closed.diagnostics) == []


@pytest.mark.slow
@pytest.mark.asyncio
async def test_markdown_that_is_not_a_persona_gets_nothing(client: Client, tmp_path: Path) -> None:
    notes = client.open(tmp_path / "notes.md", "# Notes\n\nNothing to see | here.\n")
    assert list((await client.next_diagnostics(notes)).diagnostics) == []
    # Not Markdown: nothing is published, so the next notification is the persona's.
    client.open(tmp_path / "script.py", "print('hi')\n", language="python")
    uri = client.open(tmp_path / "backend-engineer.md", DEFECTS)
    assert (await client.published.get()).uri == uri


@pytest.mark.slow
@pytest.mark.asyncio
async def test_hover_shows_the_rule_documentation(client: Client, tmp_path: Path) -> None:
    uri = client.open(tmp_path / "backend-engineer.md", DEFECTS)
    await client.next_diagnostics(uri)
    hover = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=types.Position(line=15, character=110),
        )
    )
    assert hover is not None
    assert isinstance(hover.contents, types.MarkupContent)
    assert hover.contents.kind == types.MarkupKind.Markdown
    assert hover.range == expected_defects(UTF16)[1].range
    rule = get_rule("PL201")
    assert rule is not None
    assert hover.contents.value.startswith("### PL201 (xml-syntax)\n")
    assert hover_markdown(rule) in hover.contents.value
    assert f"({DOCS}#pl201-xml-syntax)" in hover.contents.value
    nothing = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=types.Position(line=20, character=4),
        )
    )
    assert nothing is None


async def quick_fixes(
    client: Client, uri: str, diagnostic: types.Diagnostic
) -> list[types.CodeAction]:
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=diagnostic.range,
            context=types.CodeActionContext(diagnostics=[diagnostic]),
        )
    )
    assert actions is not None
    return [a for a in actions if isinstance(a, types.CodeAction)]


TITLE_DEFECT = edit("# Backend Engineer Persona", "# Backend Engineers Persona")


@pytest.mark.slow
@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("text", "code", "title", "inserted"),
    [
        (
            DEFECTS,
            "PL201",
            "Suppress PL201 on this line",
            "</perspectiv> <!-- persona-lint: disable-line PL201 -->\n",
        ),
        (
            DEFECTS,
            "PL304",
            "Suppress PL304 in this file",
            "| stable |\n<!-- persona-lint: disable-file PL304 -->\n",
        ),
        (
            TITLE_DEFECT,
            "PL402",
            "Suppress PL402 on this line",
            "<!-- persona-lint: disable-next-line PL402 -->\n# Backend Engineers Persona\n",
        ),
    ],
    ids=["xml-line-end", "version-table", "title-line-above"],
)
async def test_quick_fix_inserts_a_working_suppression(
    client: Client, tmp_path: Path, text: str, code: str, title: str, inserted: str
) -> None:
    uri = client.open(tmp_path / "backend-engineer.md", text)
    before = list((await client.next_diagnostics(uri)).diagnostics)
    target = next(d for d in before if d.code == code)
    actions = await quick_fixes(client, uri, target)
    action = next(a for a in actions if a.title == title)
    assert action.kind == types.CodeActionKind.QuickFix
    assert list(action.diagnostics or ()) == [target]
    assert action.edit is not None
    fixed = client.apply(text, action.edit, uri)
    assert inserted in fixed
    client.change(uri, fixed)
    after = list((await client.next_diagnostics(uri)).diagnostics)
    assert [d.code for d in after] == [d.code for d in before if d.code != code]
    assert not {"PL005", "PL006"} & {d.code for d in after} - {d.code for d in before}


@pytest.mark.slow
@pytest.mark.asyncio
async def test_quick_fix_removes_an_unused_suppression(client: Client, tmp_path: Path) -> None:
    uri = client.open(tmp_path / "backend-engineer.md", DEFECTS)
    unused = (await client.next_diagnostics(uri)).diagnostics[2]
    actions = await quick_fixes(client, uri, unused)
    assert [a.title for a in actions] == [
        "Remove unused suppression",
        "Suppress PL005 on this line",
    ]
    assert actions[0].is_preferred
    assert actions[0].edit is not None
    fixed = client.apply(DEFECTS, actions[0].edit, uri)
    assert "Notes für 🚀 teams\n" in fixed
    client.change(uri, fixed)
    assert [d.code for d in (await client.next_diagnostics(uri)).diagnostics] == ["PL304", "PL201"]


@pytest.mark.slow
@pytest.mark.asyncio
async def test_invalid_configuration_is_one_clear_diagnostic(
    client: Client, tmp_path: Path
) -> None:
    config = tmp_path / ".persona-lint.toml"
    config.write_text('ignor = ["PL304"]\n', encoding="utf-8")
    uri = client.open(tmp_path / "backend-engineer.md", DEFECTS)
    published = await client.next_diagnostics(uri)
    message = (
        f"invalid persona-lint configuration: {config}:1: unknown key 'ignor'; "
        "did you mean 'ignore'?"
    )
    assert list(published.diagnostics) == [
        types.Diagnostic(
            range=types.Range(
                start=types.Position(line=0, character=0),
                end=types.Position(line=0, character=35),
            ),
            message=message,
            severity=ERROR,
            source="persona-lint",
        )
    ]
    assert [m.message for m in client.messages] == [message]
    # Fixed on disk, then the document is saved: the configuration is read again.
    config.write_text('ignore = ["PL304"]\n', encoding="utf-8")
    client.save(uri)
    published = await client.next_diagnostics(uri)
    assert list(published.diagnostics) == expected_defects(UTF16)[1:]


@pytest.mark.slow
@pytest.mark.asyncio
async def test_duplicate_slugs_across_open_documents(client: Client, tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = client.open(tmp_path / "a" / "backend-engineer.md", CANONICAL)
    assert list((await client.next_diagnostics(first)).diagnostics) == []
    second = client.open(tmp_path / "b" / "backend-engineer.md", CANONICAL)
    published: dict[str, list[types.Diagnostic]] = {}
    while len(published) < 2:
        params = await asyncio.wait_for(client.published.get(), 30)
        published[params.uri] = list(params.diagnostics)
    for uri, other in ((first, "b"), (second, "a")):
        assert published[uri] == [
            expected(
                "PL801",
                f"active='backend-engineer' is also used by {other}/backend-engineer.md",
                ERROR,
                (9, 25, 9, 41),
            )
        ]
    client.close(second)
    assert list((await client.next_diagnostics(second)).diagnostics) == []
    assert list((await client.next_diagnostics(first)).diagnostics) == []


@pytest.mark.slow
@pytest.mark.asyncio
async def test_changes_are_debounced(tmp_path: Path) -> None:
    lsp = await start_client(tmp_path, [UTF16], debounce_ms=300)
    try:
        uri = lsp.open(tmp_path / "backend-engineer.md", CANONICAL)
        assert (await lsp.next_diagnostics(uri)).version == 1
        lsp.change(uri, DEFECTS)
        lsp.change(uri, edit("| 1.0     |", "| 1.0.0   |", DEFECTS))
        last = lsp.change(uri, edit("| 1.0     |", "| 1.0.0   |", DEFECTS))
        published = await lsp.next_diagnostics(uri)
        assert published.version == last
        assert [d.code for d in published.diagnostics] == ["PL201", "PL005"]
    finally:
        await stop_client(lsp)


# --- Quick-fix placement, in process: every context keeps the document valid ---------------


def apply(text: str, changes: tuple[Change, ...]) -> str:
    lines = text.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)

    def offset(place: tuple[int, int]) -> int:
        return starts[place[0]] + place[1] if place[0] < len(lines) else len(text)

    for change in sorted(changes, key=lambda c: c.start, reverse=True):
        text = text[: offset(change.start)] + change.text + text[offset(change.end) :]
    return text


def lint(text: str) -> tuple[Diagnostic, ...]:
    result = lint_source("backend-engineer.md", text, SETTINGS, defer_suppressions=True)
    return check_corpus([result])[0].diagnostics


UNCLOSED = CANONICAL.rstrip("\n").rsplit("```", 1)
MULTILINE = '<persona_context\n    active="backend-engineers"\n  >'


@pytest.mark.parametrize(
    ("code", "find", "replace", "title", "added"),
    [
        pytest.param(
            "PL304",
            "| 1.0.0   |",
            "| 1.0     |",
            "Suppress PL304 in this file",
            "| stable |\n<!-- persona-lint: disable-file PL304 -->\n",
            id="table-row",
        ),
        pytest.param(
            "PL302",
            "| last_updated |",
            "| updated |",
            "Suppress PL302 in this file",
            "| stable |\n<!-- persona-lint: disable-file PL302 -->\n",
            id="table-header",
        ),
        pytest.param(
            "PL402",
            "# Backend Engineer Persona",
            "# Backend Engineers Persona",
            "Suppress PL402 on this line",
            "\n<!-- persona-lint: disable-next-line PL402 -->\n# Backend",
            id="heading",
        ),
        pytest.param(
            "PL201",
            "reliability</perspective>",
            "reliability</perspectiv>",
            "Suppress PL201 on this line",
            "</perspectiv> <!-- persona-lint: disable-line PL201 -->\n",
            id="xml-after-tag",
        ),
        pytest.param(
            "PL703",
            "Unit testing → Integration",
            "Unit testing -> Integration",
            "Suppress PL703 on this line",
            "Security validation <!-- persona-lint: disable-line PL703 -->\n",
            id="xml-text",
        ),
        pytest.param(
            "PL404",
            '<persona_context active="backend-engineer">',
            MULTILINE,
            "Suppress PL404 on lines 10-12",
            "<!-- persona-lint: disable PL404 -->\n<persona_context\n"
            '    active="backend-engineers"\n  > <!-- persona-lint: enable PL404 -->',
            id="xml-inside-a-tag-spanning-lines",
        ),
        pytest.param(
            "PL404",
            '<persona_context active="backend-engineer">',
            '<persona_context active="backend-engineers"\n  >',
            "Suppress PL404 on this line",
            "```xml\n<!-- persona-lint: disable-next-line PL404 -->\n<persona_context active=",
            id="xml-tag-continues-below",
        ),
        pytest.param(
            "PL406",
            "`--persona backend-engineer`",
            "`--persona backend`",
            "Suppress PL406 on this line",
            "focus. <!-- persona-lint: disable-line PL406 -->",
            id="markdown-paragraph",
        ),
        pytest.param(
            "PL106",
            CANONICAL,
            "".join(UNCLOSED),
            "Suppress PL106 on this line",
            "<!-- persona-lint: disable-next-line PL106 -->\n```xml\n<backend_engineer_behavior>",
            id="fence-opener",
        ),
    ],
)
def test_suppression_placement(code: str, find: str, replace: str, title: str, added: str) -> None:
    text = edit(find, replace)
    before = lint(text)
    target = next(d for d in before if d.code == code)
    document = lint_source("backend-engineer.md", text, SETTINGS).document
    assert document is not None
    fix = suppression_fix(document, target.line, code)
    assert fix.title == title
    fixed = apply(text, fix.changes)
    assert added in fixed
    after = [d.code for d in lint(fixed)]
    assert code not in after
    assert "PL005" not in after and "PL006" not in after
    assert after == [d.code for d in before if d.code != code]


def test_suppression_joins_an_existing_directive() -> None:
    text = edit(
        "reliability</perspective>",
        "reliability</perspectiv> <!-- persona-lint: disable-line PL999 -->",
    )
    document = lint_source("backend-engineer.md", text, SETTINGS).document
    assert document is not None
    fix = suppression_fix(document, 16, "PL201")
    fixed = apply(text, fix.changes)
    assert "</perspectiv> <!-- persona-lint: disable-line PL999 PL201 -->\n" in fixed
    assert [d.code for d in lint(fixed)] == ["PL006"]


def test_unused_suppressions_of_cross_file_rules_are_not_removed() -> None:
    # Only the open documents are linted together; the duplicate may be in a closed one.
    text = edit(
        '<persona_context active="backend-engineer">',
        '<persona_context active="backend-engineer"> <!-- persona-lint: disable-line PL801 -->',
    )
    result = lint_source("backend-engineer.md", text, SETTINGS, defer_suppressions=True)
    unused = check_corpus([result])[0].diagnostics
    assert [d.code for d in unused] == ["PL005"]
    assert result.document is not None
    assert removal_fix(result.document, unused[0]) is None


def test_open_markup_tells_where_a_comment_may_go() -> None:
    lines = [
        "<a x='1 > 2'",  # 0: a tag whose quoted value holds ">"
        '   y="<">text < 5 <',  # 1: the tag ends; then "<" that cannot start markup
        "<!-- a comment",  # 2
        "still --> <b/><![CDATA[",  # 3: the comment ends, a CDATA section begins
        "]]></a",  # 4: an end tag left open
        ">",  # 5
    ]
    assert open_markup(lines) == [0, None, 2, 3, 4, None]


# --- Hostile clients (issue 15, finding 16): every request answered, every cost bounded ----


HOVER = {"textDocument": {"uri": "file:///tmp/x.md"}, "position": {"line": 0, "character": 0}}


@pytest.mark.slow
@pytest.mark.parametrize(
    "header",
    [
        b"Content-Length: 99999999999999\r\n\r\n",
        b"Content-Length: " + b"9" * 10_000 + b"\r\n\r\n",
        b"Content-Length: 67108865\r\n\r\n",
        b"Content-Length: twelve\r\n\r\n",
    ],
    ids=["absurd", "ten-thousand-digits", "one-over-the-cap", "not-a-number"],
)
def test_a_refused_content_length_is_skipped_and_the_session_goes_on(header: bytes) -> None:
    messages, code, stderr = raw.run_session(header + raw.INITIALIZE + raw.SHUTDOWN_AND_EXIT)
    assert "capabilities" in raw.response(messages, 1)["result"]
    assert raw.response(messages, 2) == {"jsonrpc": "2.0", "id": 2, "result": None}
    assert code == 0
    assert "Traceback" not in stderr
    reason = (
        "a malformed Content-Length header"
        if header.startswith(b"Content-Length: t")
        else "a message over the limit of 67108864 bytes"
    )
    logged = [m["params"]["message"] for m in messages if m.get("method") == "window/logMessage"]
    assert logged == [f"persona-lint: skipped {reason}"]


@pytest.mark.slow
def test_requests_it_cannot_serve_get_an_error_response() -> None:
    session = (
        raw.request(7, "textDocument/hover", HOVER)  # before initialize
        + raw.notification("textDocument/didOpen", {})  # dropped
        + raw.INITIALIZE
        + raw.request(8, "textDocument/hover", {"textDocument": 5, "position": "x"})
        + raw.request(9, "textDocument/codeAction", {"textDocument": {}})
        + raw.request(10, "textDocument/hover", HOVER)  # served: nothing there
        + raw.request(2, "shutdown")
        + raw.request(11, "textDocument/hover", HOVER)  # after shutdown
        + raw.notification("exit")
    )
    messages, code, _ = raw.run_session(session)
    errors = {
        number: raw.response(messages, number).get("error", {}).get("code")
        for number in (7, 1, 8, 9, 10, 2, 11)
    }
    assert errors == {7: -32002, 1: None, 8: -32602, 9: -32602, 10: None, 2: None, 11: -32600}
    assert raw.response(messages, 10)["result"] is None
    assert code == 0


DUPLICATES = 300


@pytest.mark.slow
@pytest.mark.asyncio
async def test_a_burst_of_duplicate_slugs_publishes_each_document_a_bounded_number_of_times(
    tmp_path: Path,
) -> None:
    # 300 copies of one persona: each open changes every holder's PL801 message ("... and N
    # more"). Re-publishing all holders on each open sends 45,000 notifications; the server
    # publishes every holder once the burst pauses (twice at most if the burst stalls).
    lsp = await start_client(tmp_path, [UTF16], debounce_ms=1000)
    try:
        uris = []
        for number in range(DUPLICATES):
            (tmp_path / f"d{number:03}").mkdir()
            uris.append(lsp.open(tmp_path / f"d{number:03}" / "backend-engineer.md", CANONICAL))
        final = f"and {DUPLICATES - 4} more"
        published = 0
        latest: dict[str, list[types.Diagnostic]] = {}
        while len(latest) < DUPLICATES or not all(
            len(found) == 1 and found[0].message.endswith(final) for found in latest.values()
        ):
            params = await asyncio.wait_for(lsp.published.get(), 60)
            latest[params.uri] = list(params.diagnostics)
            published += 1
            assert published <= 2 * DUPLICATES
        assert latest[uris[0]][0].message == (
            "active='backend-engineer' is also used by d001/backend-engineer.md, "
            f"d002/backend-engineer.md, d003/backend-engineer.md {final}"
        )
        for uri in uris:
            lsp.close(uri)
        closed = 0
        while closed < DUPLICATES:
            params = await asyncio.wait_for(lsp.published.get(), 60)
            assert list(params.diagnostics) == []
            closed += 1
        hover = await lsp.text_document_hover_async(
            types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=uris[0]),
                position=types.Position(line=9, character=30),
            )
        )
        assert hover is None
        assert lsp.published.empty()
    finally:
        await stop_client(lsp)


class Collected:
    """A writer for an in-process server: keeps what it would send."""

    def __init__(self) -> None:
        self.data = b""

    def write(self, data: bytes) -> None:
        self.data += data

    def close(self) -> None:
        pass


@pytest.mark.asyncio
async def test_closed_documents_leave_nothing_behind(tmp_path: Path) -> None:
    server = create_server(debounce=0)
    writer = Collected()
    server.protocol.set_writer(writer)

    def send(message: dict[str, object]) -> None:
        text = json.dumps({"jsonrpc": "2.0", **message})
        server.protocol.handle_message(
            json.loads(text, object_hook=server.protocol.structure_message)
        )

    send({"id": 1, "method": "initialize", "params": {"capabilities": {}, "rootUri": None}})
    folders = MAX_RESOLVER_FOLDERS + 50
    for number in range(folders):
        uri = tmp_path / f"f{number}" / ("backend-engineer.md" if number < 20 else "x.md")
        text = CANONICAL if number < 20 else "# Notes\n"
        item = {"uri": uri.as_uri(), "languageId": "markdown", "version": 1, "text": text}
        send({"method": "textDocument/didOpen", "params": {"textDocument": item}})
        send({"method": "textDocument/didClose", "params": {"textDocument": {"uri": item["uri"]}}})
    await asyncio.sleep(0)  # the pause after which cross-file findings are published
    kept = server.kept()
    assert kept.pop("resolver folders") <= MAX_RESOLVER_FOLDERS
    assert kept == dict.fromkeys(kept, 0)
    assert len(raw.parse(writer.data)) == 1 + 2 * folders  # initialize; publish, clear


# --- Configuration errors: one diagnostic, never silence (issue 15, finding 7) -------------


@pytest.mark.slow
@pytest.mark.asyncio
async def test_a_toml_error_is_one_diagnostic_in_the_file_and_in_each_persona(
    client: Client, tmp_path: Path
) -> None:
    config = tmp_path / ".persona-lint.toml"
    text = 'select = ["PL304"]\nignore = [\n"PL1" "PL2"]\n'
    config.write_text(text, encoding="utf-8")
    message = (
        f"invalid persona-lint configuration: {config}:3: invalid TOML: Unclosed array (column 7)"
    )
    uri = client.open(config, text, language="toml")
    assert list((await client.next_diagnostics(uri)).diagnostics) == [
        types.Diagnostic(
            range=types.Range(
                start=types.Position(line=2, character=0),
                end=types.Position(line=2, character=12),
            ),
            message=message,
            severity=ERROR,
            source="persona-lint",
        )
    ]
    persona = client.open(tmp_path / "backend-engineer.md", DEFECTS)
    found = list((await client.next_diagnostics(persona)).diagnostics)
    assert [(d.message, d.range.start, d.severity) for d in found] == [
        (message, types.Position(line=0, character=0), ERROR)
    ]
    config.write_text('select = ["PL304"]\n', encoding="utf-8")
    client.save(persona)
    assert list((await client.next_diagnostics(uri)).diagnostics) == []
    assert [d.code for d in (await client.next_diagnostics(persona)).diagnostics] == ["PL304"]


@pytest.mark.slow
@pytest.mark.asyncio
async def test_a_pyproject_error_is_a_diagnostic_at_its_line(
    client: Client, tmp_path: Path
) -> None:
    """The error names ``pyproject.toml [tool.persona-lint]:N``: placed by the line the
    loader gives, not by parsing its message (which missed this form)."""
    config = tmp_path / "pyproject.toml"
    text = '[project]\nname = "x"\n\n[tool.persona-lint]\nignor = ["PL304"]\n'
    config.write_text(text, encoding="utf-8")
    message = (
        f"invalid persona-lint configuration: {config} [tool.persona-lint]:5: unknown key "
        "'ignor'; did you mean 'ignore'?"
    )
    uri = client.open(config, text, language="toml")
    assert list((await client.next_diagnostics(uri)).diagnostics) == [
        types.Diagnostic(
            range=types.Range(
                start=types.Position(line=4, character=0),
                end=types.Position(line=4, character=17),
            ),
            message=message,
            severity=ERROR,
            source="persona-lint",
        )
    ]
    persona = client.open(tmp_path / "backend-engineer.md", DEFECTS)
    found = list((await client.next_diagnostics(persona)).diagnostics)
    assert [(d.message, d.range.start) for d in found] == [
        (message, types.Position(line=0, character=0))
    ]


@pytest.mark.slow
@pytest.mark.asyncio
async def test_a_deeply_nested_configuration_is_one_diagnostic(
    client: Client, tmp_path: Path
) -> None:
    config = tmp_path / ".persona-lint.toml"
    config.write_text("select = " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    persona = client.open(tmp_path / "backend-engineer.md", DEFECTS)
    found = list((await client.next_diagnostics(persona)).diagnostics)
    assert len(found) == 1
    assert found[0].range.start == types.Position(line=0, character=0)
    assert found[0].severity == ERROR
    assert found[0].message.startswith("invalid persona-lint configuration: ")


# --- The rules' own fixes as code actions (issue 20) ---------------------------------------

MISNUMBERED = edit("<step>2. Design", "<step>3. Design")
TABLE = "| 1.0.0   | 2025-07-11   | stable |"
BOTH_FIXABLE = edit(TABLE, "|1.0.0|2025-07-11|stable|", MISNUMBERED)


@pytest.mark.slow
@pytest.mark.asyncio
async def test_the_rules_own_fix_is_the_preferred_quick_fix(client: Client, tmp_path: Path) -> None:
    capabilities = client.server_capabilities
    assert capabilities is not None
    provider = capabilities.code_action_provider
    assert isinstance(provider, types.CodeActionOptions)
    assert list(provider.code_action_kinds or ()) == ["quickfix", "source.fixAll.persona-lint"]
    uri = client.open(tmp_path / "backend-engineer.md", BOTH_FIXABLE)
    before = list((await client.next_diagnostics(uri)).diagnostics)
    assert [d.code for d in before] == ["PL308", "PL701"]
    actions = await quick_fixes(client, uri, before[1])
    quick = [a for a in actions if a.kind == types.CodeActionKind.QuickFix]
    assert [a.title for a in quick] == ["Fix PL701 (numbering)", "Suppress PL701 on this line"]
    assert quick[0].is_preferred
    assert list(quick[0].diagnostics or ()) == [before[1]]
    assert quick[0].edit is not None
    fixed = client.apply(BOTH_FIXABLE, quick[0].edit, uri)
    assert fixed == edit(TABLE, "|1.0.0|2025-07-11|stable|")
    client.change(uri, fixed)
    assert [d.code for d in (await client.next_diagnostics(uri)).diagnostics] == ["PL308"]


async def fix_all(client: Client, uri: str, only: list[str]) -> list[types.CodeAction]:
    everything = types.Range(
        start=types.Position(line=0, character=0), end=types.Position(line=0, character=0)
    )
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=everything,
            context=types.CodeActionContext(diagnostics=[], only=only),
        )
    )
    return [a for a in actions or () if isinstance(a, types.CodeAction)]


@pytest.mark.slow
@pytest.mark.asyncio
@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["lf", "crlf"])
@pytest.mark.parametrize("only", ["source.fixAll", "source"])
async def test_fix_all_applies_every_safe_fix(
    client: Client, tmp_path: Path, newline: str, only: str
) -> None:
    text = BOTH_FIXABLE.replace("\n", newline)
    uri = client.open(tmp_path / "backend-engineer.md", text)
    await client.next_diagnostics(uri)
    actions = await fix_all(client, uri, [only])
    assert [(a.kind, a.title) for a in actions] == [
        ("source.fixAll.persona-lint", "Fix all auto-fixable persona-lint problems")
    ]
    assert actions[0].edit is not None
    fixed = client.apply(text, actions[0].edit, uri)
    assert fixed == CANONICAL.replace("\n", newline)
    client.change(uri, fixed)
    assert list((await client.next_diagnostics(uri)).diagnostics) == []
    assert await fix_all(client, uri, [only]) == []


@pytest.mark.parametrize(
    ("before", "after", "change"),
    [
        ("abc\nde\nf", "abc\nxde\nf", Change((1, 0), (1, 0), "x")),
        ("a\nb\n", "a\n", Change((1, 0), (2, 0), "")),
        ("aaa", "aa", Change((0, 2), (0, 3), "")),
        ("", "x\ny", Change((0, 0), (0, 0), "x\ny")),
        ("| 1 |\n|2|\n", "| 1 |\n| 2 |\n", Change((1, 1), (1, 2), " 2 ")),
    ],
)
def test_text_change_spans_only_what_differs(before: str, after: str, change: Change) -> None:
    assert text_change(before, after) == change
    assert apply(before, (change,)) == after


def test_fix_one_applies_one_verified_fix() -> None:
    target = next(d for d in lint(BOTH_FIXABLE) if d.code == "PL701")
    assert fix_one("backend-engineer.md", BOTH_FIXABLE, SETTINGS, target) == edit(
        TABLE, "|1.0.0|2025-07-11|stable|"
    )
    # Not reported by the text any more (another line): nothing to fix.
    moved = Diagnostic(target.path, target.line + 1, target.column, "PL701", "", target.severity)
    assert fix_one("backend-engineer.md", BOTH_FIXABLE, SETTINGS, moved) is None
    # A rule without a fix.
    unfixable = next(d for d in lint(DEFECTS) if d.code == "PL304")
    assert fix_one("backend-engineer.md", DEFECTS, SETTINGS, unfixable) is None


@pytest.mark.slow
@pytest.mark.asyncio
async def test_a_request_publishes_a_document_waiting_for_the_pause(tmp_path: Path) -> None:
    # The second holder of a slug waits for the pause with the first; a hover on it does not.
    lsp = await start_client(tmp_path, [UTF16], debounce_ms=60_000)
    try:
        (tmp_path / "a").mkdir()
        (tmp_path / "b").mkdir()
        first = lsp.open(tmp_path / "a" / "backend-engineer.md", CANONICAL)
        assert list((await lsp.next_diagnostics(first)).diagnostics) == []
        second = lsp.open(tmp_path / "b" / "backend-engineer.md", CANONICAL)
        hover = await lsp.text_document_hover_async(
            types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=second),
                position=types.Position(line=9, character=30),
            )
        )
        assert hover is not None
        assert isinstance(hover.contents, types.MarkupContent)
        assert hover.contents.value.startswith("### PL801 (duplicate-slug)\n")
        published = await lsp.next_diagnostics(second)
        assert [d.code for d in published.diagnostics] == ["PL801"]
    finally:
        await stop_client(lsp)
