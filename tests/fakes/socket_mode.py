"""A fake Slack Socket Mode endpoint: a real WebSocket server on loopback.

Point the fake Web API's `apps.connections.open` at :attr:`FakeSocketMode.url` and the app's
Socket Mode client connects here. :meth:`FakeSocketMode.send` pushes an envelope the way Slack
does (`hello` first, then `{"envelope_id", "type", "payload", ...}`) and :meth:`wait_ack` returns
the acknowledgement the app sends back for that envelope.
"""

from __future__ import annotations

import json
import threading
import time
from typing import Any

from websockets.sync.server import Server, ServerConnection, serve


class FakeSocketMode:
    def __init__(self) -> None:
        self.acks: dict[str, dict[str, Any]] = {}
        self._connections: list[ServerConnection] = []
        self._cond = threading.Condition()
        self._server: Server | None = None

    def __enter__(self) -> FakeSocketMode:
        self._server = serve(self._handle, "127.0.0.1", 0)
        threading.Thread(target=self._server.serve_forever, name="fake-socket-mode", daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._server is not None:
            self._server.shutdown()

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.socket.getsockname()[:2]
        return f"ws://{host}:{port}/link/?ticket=fake"

    def _handle(self, connection: ServerConnection) -> None:
        connection.send(json.dumps({"type": "hello", "num_connections": 1,
                                    "connection_info": {"app_id": "A0BROKER1"},
                                    "debug_info": {"host": "fake", "approximate_connection_time": 3600}}))
        with self._cond:
            self._connections.append(connection)
            self._cond.notify_all()
        for raw in connection:
            message = json.loads(raw)
            if "envelope_id" in message:
                with self._cond:
                    self.acks[message["envelope_id"]] = message
                    self._cond.notify_all()

    def wait_connected(self, timeout: float = 10.0) -> None:
        with self._cond:
            if not self._cond.wait_for(lambda: bool(self._connections), timeout):
                raise AssertionError("the app never connected by Socket Mode")

    def send(self, envelope_type: str, payload: dict[str, Any], envelope_id: str) -> None:
        self.wait_connected()
        envelope = {"envelope_id": envelope_id, "type": envelope_type, "payload": payload,
                    "accepts_response_payload": envelope_type != "events_api", "retry_attempt": 0,
                    "retry_reason": ""}
        self._connections[-1].send(json.dumps(envelope))

    def wait_ack(self, envelope_id: str, timeout: float = 10.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        with self._cond:
            while envelope_id not in self.acks:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"no ack for envelope {envelope_id}")
                self._cond.wait(remaining)
            return self.acks[envelope_id]
