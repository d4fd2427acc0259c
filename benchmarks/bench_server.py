"""Benchmark: the language server's time from didChange to publishDiagnostics.

Starts ``python -m persona_lint server`` with ``PERSONA_LINT_LSP_DEBOUNCE_MS=0`` (so the
pause the server waits for while someone types is not measured), opens a 10 KB persona (the
canonical one) and a 100 KB persona (another persona: the canonical one with persona-specific
sections appended), sends N whole-text edits to each, alternately adding and removing a
defect, and times each edit from sending didChange to receiving its diagnostics. Then the
same lint in process (lint_source + check_corpus over both documents), for comparison.
Last, a burst: OPENED copies of the canonical persona opened at once in a fresh server,
first each with its own slug, then all with one slug (every open changes every holder's
duplicate-slug message), timed to the last diagnostics and counting the notifications.

Prints figures; asserts nothing. Run: python benchmarks/bench_server.py [N]
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient

ROOT = Path(__file__).resolve().parents[1]
CANONICAL = (ROOT / "personas" / "backend-engineer.md").read_text(encoding="utf-8")
EDITS = 50
OPENED = 300
LARGE_SIZE = 100 * 1024


def large_persona() -> str:
    """Return a different persona of about 100 KB.

    The canonical one renamed, with extra persona-specific sections before
    ``error_handling_philosophy``.
    """
    text = (
        CANONICAL.replace("Backend Engineer", "Platform Engineer")
        .replace("backend-engineer", "platform-engineer")
        .replace("backend_engineer_behavior", "platform_engineer_behavior")
    )
    sections: list[str] = []
    number = 0
    while len(text.encode()) + sum(len(s.encode()) for s in sections) < LARGE_SIZE:
        number += 1
        steps = "\n".join(
            f"      <step>{i}. Stage {i} of platform practice {number}: review, automate, "
            f"measure and document the outcome</step>"
            for i in range(1, 8)
        )
        practices = "\n".join(
            f"      <practice_{i}>Practice {number}.{i}: keep the golden path for service "
            f"{number} simple, observable and secure by default</practice_{i}>"
            for i in range(1, 6)
        )
        sections.append(
            f"  <platform_practice_{number}>\n    <process>\n{steps}\n    </process>\n"
            f"    <practices>\n{practices}\n    </practices>\n"
            f"  </platform_practice_{number}>\n  \n"
        )
    marker = "  <error_handling_philosophy>"
    return text.replace(marker, "".join(sections) + marker, 1)


def variant(text: str, index: int) -> str:
    """Odd edits break the version (one PL304); even ones restore it."""
    return text.replace("| 1.0.0   |", "| 1.0     |", 1) if index % 2 else text


def summary(label: str, samples: list[float]) -> str:
    """Return the median and 95th percentile of ``samples`` (seconds) in milliseconds."""
    p95 = statistics.quantiles(samples, n=20)[18]
    return (
        f"{label}: median {statistics.median(samples) * 1000:.1f} ms, "
        f"p95 {p95 * 1000:.1f} ms, n={len(samples)}"
    )


class Timer:
    """Resolves a future when the diagnostics of one version of one document arrive."""

    def __init__(self) -> None:
        """Wait for nothing yet."""
        self.waiting: dict[tuple[str, int], asyncio.Future[None]] = {}

    def expect(self, uri: str, version: int) -> asyncio.Future[None]:
        """Return a future resolved when this version's diagnostics arrive."""
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.waiting[(uri, version)] = future
        return future

    def published(self, params: types.PublishDiagnosticsParams) -> None:
        """Resolve the future waiting for these diagnostics, if any."""
        future = self.waiting.pop((params.uri, params.version or 0), None)
        if future is not None and not future.done():
            future.set_result(None)


async def edit_and_time(
    client: LanguageClient, timer: Timer, uri: str, text: str, edits: int
) -> list[float]:
    """Send ``edits`` whole-text changes; return each one's time to its diagnostics."""
    samples = []
    for index in range(edits):
        version = index + 2
        arrived = timer.expect(uri, version)
        start = time.perf_counter()
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[
                    types.TextDocumentContentChangeWholeDocument(text=variant(text, index))
                ],
            )
        )
        await asyncio.wait_for(arrived, 30)
        samples.append(time.perf_counter() - start)
    return samples


async def bench_server(documents: dict[str, str], folder: Path, edits: int) -> None:
    """Time the server's re-check of each document after each of ``edits`` changes."""
    client = LanguageClient("bench-server", "1")
    timer = Timer()

    def published(params: types.PublishDiagnosticsParams) -> None:
        timer.published(params)

    client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)(published)
    env = {**os.environ, "PERSONA_LINT_LSP_DEBOUNCE_MS": "0"}
    started = time.perf_counter()
    await client.start_io(sys.executable, "-m", "persona_lint", "server", env=env)
    await client.initialize_async(
        types.InitializeParams(
            capabilities=types.ClientCapabilities(),
            workspace_folders=[types.WorkspaceFolder(uri=folder.as_uri(), name="bench")],
        )
    )
    client.initialized(types.InitializedParams())
    uris = {}
    for name, text in documents.items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        uris[name] = path.as_uri()
        opened = timer.expect(uris[name], 1)
        client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(
                    uri=uris[name], language_id="markdown", version=1, text=text
                )
            )
        )
        await asyncio.wait_for(opened, 60)
        if len(uris) == 1:
            print(f"server start to first diagnostics: {time.perf_counter() - started:.2f} s")
    for name, text in documents.items():
        samples = await edit_and_time(client, timer, uris[name], text, edits)
        print(summary(f"server, {name} ({len(text.encode()) / 1024:.0f} KB)", samples))
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()  # type: ignore[no-untyped-call]


async def bench_burst(folder: Path, same_slug: bool) -> None:
    """Open OPENED personas at once; time until the last diagnostics.

    The last diagnostics: once every document has some and a second passes without more.
    """
    client = LanguageClient("bench-server", "1")
    seen: set[str] = set()
    counted = 0
    last = 0.0

    def published(params: types.PublishDiagnosticsParams) -> None:
        nonlocal counted, last
        counted += 1
        last = time.perf_counter()
        seen.add(params.uri)

    client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)(published)
    await client.start_io(sys.executable, "-m", "persona_lint", "server")
    await client.initialize_async(
        types.InitializeParams(
            capabilities=types.ClientCapabilities(),
            workspace_folders=[types.WorkspaceFolder(uri=folder.as_uri(), name="bench")],
        )
    )
    client.initialized(types.InitializedParams())
    started = time.perf_counter()
    for number in range(OPENED):
        text = CANONICAL if same_slug else CANONICAL.replace("backend-engineer", f"p-{number}")
        path = folder / f"d{number}" / "backend-engineer.md"
        client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(
                    uri=path.as_uri(), language_id="markdown", version=1, text=text
                )
            )
        )
    while len(seen) < OPENED or time.perf_counter() - last < 1.0:
        await asyncio.sleep(0.1)
    label = "one slug" if same_slug else "distinct slugs"
    print(
        f"server, open {OPENED} personas at once ({label}): {last - started:.2f} s to the "
        f"last diagnostics, {counted} notifications"
    )
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()  # type: ignore[no-untyped-call]


def bench_in_process(documents: dict[str, str], edits: int) -> None:
    """Time the same lint in process, for comparison."""
    # Imported here: the client of the server measurements runs without the linter loaded.
    from persona_lint.config.settings import Settings
    from persona_lint.engine.lint import check_corpus, lint_source

    settings = Settings()
    results = {
        name: lint_source(name, text, settings, explicit=False, defer_suppressions=True)
        for name, text in documents.items()
    }
    for name, text in documents.items():
        samples = []
        for index in range(edits):
            start = time.perf_counter()
            results[name] = lint_source(
                name, variant(text, index), settings, explicit=False, defer_suppressions=True
            )
            check_corpus(list(results.values()))
            samples.append(time.perf_counter() - start)
        print(summary(f"in process, {name} ({len(text.encode()) / 1024:.0f} KB)", samples))


def main() -> None:
    """Run every measurement and print the figures."""
    edits = int(sys.argv[1]) if len(sys.argv) > 1 else EDITS
    documents = {"backend-engineer.md": CANONICAL, "platform-engineer.md": large_persona()}
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(bench_server(documents, Path(folder), edits))
    bench_in_process(documents, edits)
    for same_slug in (False, True):
        with tempfile.TemporaryDirectory() as folder:
            asyncio.run(bench_burst(Path(folder), same_slug))


if __name__ == "__main__":
    main()
