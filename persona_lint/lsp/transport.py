"""The language server's side of JSON-RPC: pygls', bounded and answering every request.

What pygls does, with a bounded reader and an error response for every request the server
cannot serve.

pygls reads a header line with ``readline()`` (no limit) and then exactly the
``Content-Length`` it announced: ``Content-Length: 99999999999999`` asks for 100 TB and
ends the server, and a header line without an end is read whole. :class:`BoundedReader`
reads at most :data:`MAX_HEADER_LINE` bytes per line and hides a ``Content-Length`` above
:data:`MAX_MESSAGE_BYTES` (or too long to be a number) from pygls, so pygls skips that
message's header and waits for the next one; what follows is read as header lines, in
bounded pieces, until a valid header comes.

pygls answers nothing to a request that arrives before ``initialize`` or after
``shutdown``, or whose parameters do not fit the protocol's types (the error is only
logged). :class:`PersonaProtocol` answers each with a JSON-RPC error, as LSP asks:
``ServerNotInitialized`` (-32002), ``InvalidRequest`` (-32600) and ``InvalidParams``
(-32602); notifications in the same cases are dropped, except ``exit``.
"""

from __future__ import annotations

import asyncio
import logging
import re
import threading
from collections.abc import Awaitable, Callable, Generator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, BinaryIO

from lsprotocol import types
from pygls.exceptions import (
    JsonRpcException,
    JsonRpcInvalidParams,
    JsonRpcInvalidRequest,
    JsonRpcServerNotInitialized,
)
from pygls.io_ import StdoutWriter, run_async
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol, lsp_method

logger = logging.getLogger(__name__)

# The largest message body read: a persona of the default max-file-size (1 MiB), escaped
# as JSON (each byte at most six characters), has room many times over.
MAX_MESSAGE_BYTES = 64 * 1024 * 1024
# The most read of one header line at a time; a longer line is read in pieces.
MAX_HEADER_LINE = 64 * 1024
# The header pygls takes (its own pattern), and any line that means to announce a length.
_PYGLS_CONTENT_LENGTH = re.compile(rb"Content-Length: (\d+)\r\n")
_CONTENT_LENGTH = re.compile(rb"content-length\s*:", re.IGNORECASE)
# What a refused header becomes: a header pygls does not know, and so ignores.
_IGNORED_HEADER = b"X-Refused-Content-Length: \r\n"


def refused_header(line: bytes) -> str | None:
    """Why a header line announcing a length is refused (None if it is not refused)."""
    if not _CONTENT_LENGTH.match(line):
        return None
    match = _PYGLS_CONTENT_LENGTH.fullmatch(line)
    if match is None:
        return "a malformed Content-Length header"
    digits = match.group(1)
    if len(digits) > len(str(MAX_MESSAGE_BYTES)) or int(digits) > MAX_MESSAGE_BYTES:
        return f"a message over the limit of {MAX_MESSAGE_BYTES} bytes"
    return None


class BoundedReader:
    """Standard input for pygls' message loop, read in bounded pieces.

    Read in a thread, like pygls does. ``refused`` is called (on the event loop) with a short reason
    for each header line refused.
    """

    def __init__(
        self, stdin: BinaryIO, executor: ThreadPoolExecutor, refused: Callable[[str], None]
    ) -> None:
        """Read ``stdin`` in ``executor``; tell ``refused`` of each header line refused."""
        self.stdin = stdin
        self.executor = executor
        self.refused = refused
        self.loop = asyncio.get_running_loop()

    def readline(self) -> Awaitable[bytes]:
        """Read one header line, at most :data:`MAX_HEADER_LINE` bytes of it."""
        return self.loop.run_in_executor(self.executor, self._readline)

    def readexactly(self, n: int) -> Awaitable[bytes]:
        """Read a message body of ``n`` bytes.

        ``n`` is at most :data:`MAX_MESSAGE_BYTES`: larger lengths never reach pygls.
        """
        return self.loop.run_in_executor(self.executor, self.stdin.read, n)

    def _readline(self) -> bytes:
        line = self.stdin.readline(MAX_HEADER_LINE)
        reason = refused_header(line)
        if reason is None:
            return line
        self.loop.call_soon_threadsafe(self.refused, reason)
        return _IGNORED_HEADER


@dataclass(frozen=True)
class Refused:
    """A message the server does not serve.

    Answered with ``error`` when it is a request (it has an ``id``), dropped when it is a
    notification.
    """

    id: int | str | None
    method: str
    error: JsonRpcException


class PersonaProtocol(LanguageServerProtocol):
    """pygls' protocol, answering every request it cannot serve."""

    initialize_received = False

    def structure_message(self, data: dict[str, Any]) -> Any:
        """Return pygls' message, or a :class:`Refused` one when its parameters are invalid."""
        try:
            return super().structure_message(data)
        except JsonRpcException:  # pygls: the message does not fit the protocol's types
            method = data.get("method")
            if not isinstance(method, str):
                raise  # a response, or not a message: pygls logs it
            message_id = data.get("id")
            if not isinstance(message_id, int | str):
                message_id = None  # a notification (or an id that cannot be answered)
            error = JsonRpcInvalidParams(f"invalid parameters for {method!r}")
            return Refused(message_id, method, error)

    def handle_message(self, message: Any) -> None:
        """Handle a message as pygls does, unless it is refused: then answer the error."""
        refusal = message if isinstance(message, Refused) else self._refusal(message)
        if refusal is None:
            super().handle_message(message)
            return
        logger.warning("refused %r: %s", refusal.method, refusal.error.message)
        if refusal.id is not None:
            self._send_response(refusal.id, error=refusal.error.to_response_error())

    def _refusal(self, message: Any) -> Refused | None:
        method = getattr(message, "method", None)
        if not isinstance(method, str) or method == types.EXIT:
            return None
        message_id = getattr(message, "id", None)
        if self._shutdown:
            error: JsonRpcException = JsonRpcInvalidRequest(
                f"the server is shut down: {method!r} is not served"
            )
            return Refused(message_id, method, error)
        if not self.initialize_received and method != types.INITIALIZE:
            error = JsonRpcServerNotInitialized(
                f"the server is not initialized: {method!r} must follow 'initialize'"
            )
            return Refused(message_id, method, error)
        return None

    @lsp_method(types.INITIALIZE)
    def lsp_initialize(
        self, params: types.InitializeParams
    ) -> Generator[Any, Any, types.InitializeResult]:
        """Note that ``initialize`` came, then answer it as pygls does.

        Requests before it are refused. The position encoding is pygls' choice: the first
        the client offers that it knows.
        """
        self.initialize_received = True
        return (yield from super().lsp_initialize(params))


def serve_stdio(
    server: LanguageServer, stdin: BinaryIO, stdout: BinaryIO, refused: Callable[[str], None]
) -> None:
    """Run pygls' stdio loop for ``server`` with :class:`BoundedReader` as its reader.

    ``refused`` is told of each header line refused. Returns when the client exits or the
    connection is lost.
    """
    server._stop_event = stop = threading.Event()
    server.protocol.set_writer(StdoutWriter(stdout))

    async def serve() -> None:
        reader = BoundedReader(stdin, server.thread_pool, refused)
        await run_async(stop, reader, server.protocol, logger, server.report_server_error)

    try:
        asyncio.run(serve())
    except BrokenPipeError:
        logger.error("the connection to the client is lost; shutting down")
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        server.shutdown()  # type: ignore[no-untyped-call]
