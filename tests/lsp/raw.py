"""The language server over raw standard input and output, for what no LSP client sends:
malformed or absurd headers. Frames JSON-RPC messages by hand and reads the answers."""

from __future__ import annotations

import json
import subprocess
from typing import Any

from lsp.client import SERVER


def frame(message: dict[str, Any]) -> bytes:
    """A JSON-RPC message with its ``Content-Length`` header."""
    body = json.dumps(message).encode("utf-8")
    return b"Content-Length: %d\r\n\r\n%s" % (len(body), body)


def request(number: int, method: str, params: Any = None) -> bytes:
    return frame({"jsonrpc": "2.0", "id": number, "method": method, "params": params})


def notification(method: str, params: Any = None) -> bytes:
    return frame({"jsonrpc": "2.0", "method": method, "params": params})


INITIALIZE = request(1, "initialize", {"processId": None, "rootUri": None, "capabilities": {}})
SHUTDOWN_AND_EXIT = request(2, "shutdown") + notification("exit")


def run_session(data: bytes, timeout: float = 60) -> tuple[list[dict[str, Any]], int, str]:
    """Send ``data`` to a fresh server, then close its input; the messages it wrote, its
    exit code and its standard error."""
    process = subprocess.run(SERVER, input=data, capture_output=True, timeout=timeout)
    return parse(process.stdout), process.returncode, process.stderr.decode("utf-8", "replace")


def parse(output: bytes) -> list[dict[str, Any]]:
    """The messages in the server's output, in order."""
    messages = []
    while output:
        header, separator, rest = output.partition(b"\r\n\r\n")
        assert separator, output[:200]
        length = int(header.split(b"Content-Length: ", 1)[1].split(b"\r\n", 1)[0])
        messages.append(json.loads(rest[:length]))
        output = rest[length:]
    return messages


def response(messages: list[dict[str, Any]], number: int) -> dict[str, Any]:
    """The server's answer to request ``number`` (exactly one)."""
    answers = [m for m in messages if m.get("id") == number and "method" not in m]
    assert len(answers) == 1, messages
    return answers[0]
