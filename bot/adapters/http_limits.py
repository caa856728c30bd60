"""Request body size limit for the HTTP server, enforced while the body streams in.

Starlette's `request.body()` reads the whole body into memory before a handler can look at its
size, so a handler-level check comes too late: a 500 MB post costs 500 MB of RAM first. This pure
ASGI middleware sits in front of the app and refuses an oversized body before any parsing or
signature check: at once when `Content-Length` declares too much, otherwise as soon as the running
count of received bytes passes the limit (chunked uploads declare nothing). A body within the
limit is buffered (at most `max_bytes`) and replayed to the app unchanged, so the app is never
called for a request it would have had to refuse.
"""

from __future__ import annotations

import json
import logging

from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger(__name__)

# A body at most this far over the limit is read (and dropped) before the 413 goes out, so the
# client, still sending, reads the answer instead of a connection reset; anything larger is cut
# off at once, costing at most this much reading.
DRAIN_BYTES = 64 * 1024


class RequestSizeLimit:
    """Answer 413 to any HTTP request whose body is larger than `max_bytes` (MAX_REQUEST_BYTES)."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        if max_bytes < 1:
            raise ValueError(f"MAX_REQUEST_BYTES must be at least 1, not {max_bytes}")
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            if declared <= self.max_bytes + DRAIN_BYTES:
                await _drain(receive, declared)
            await self._refuse(scope, send, f"Content-Length {declared}")
            return
        chunks: list[bytes] = []
        received = 0
        more_body = True
        while more_body:
            message = await receive()
            if message["type"] != "http.request":  # the client went away: nothing to answer
                return
            chunk = message.get("body", b"")
            received += len(chunk)
            if received > self.max_bytes:
                await self._refuse(scope, send, f"more than {self.max_bytes} bytes received")
                return
            chunks.append(chunk)
            more_body = message.get("more_body", False)
        await self.app(scope, _replay(b"".join(chunks), receive), send)

    async def _refuse(self, scope: Scope, send: Send, why: str) -> None:
        log.warning("Refused %s %s: body over %d bytes (%s)", scope.get("method"), scope.get("path"),
                    self.max_bytes, why)
        body = json.dumps({"ok": False, "error": f"request body larger than {self.max_bytes} bytes"}).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})


async def _drain(receive: Receive, at_most: int) -> None:
    """Read and drop up to `at_most` bytes of the body (never more, whatever arrives)."""
    received = 0
    while received <= at_most:
        message = await receive()
        if message["type"] != "http.request":
            return
        received += len(message.get("body", b""))
        if not message.get("more_body", False):
            return


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None  # the server (h11/httptools) refuses a malformed length before we see it
    return None


def _replay(body: bytes, receive: Receive) -> Receive:
    """A receive callable that hands the buffered body over once, then defers to the server's."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
