"""A fake Slack Web API: a real HTTP server on 127.0.0.1 that records calls and answers like Slack.

Why a server and not a mock: the code under test uses the real slack_sdk WebClient (its retry
handlers, its JSON/form encoding, its error handling), so the only thing faked is Slack itself.

    with FakeSlackApi() as api:
        client = WebClient(token="xoxb-test", base_url=api.url)
        client.chat_postMessage(channel="C1", text="hi")
        assert api.calls[0].method == "chat.postMessage"

Failures are scripted per method with :meth:`FakeSlackApi.fail_next` (429 with Retry-After,
5xx, ``{"ok": false}`` errors, or a dropped connection); :meth:`FakeSlackApi.go_offline` makes
Slack unreachable (connections refused) until :meth:`FakeSlackApi.come_back`. ``GET {api.root}/_count``
answers the number of calls per method and ``GET {api.root}/_arrivals`` when each response_url call
arrived (time.monotonic(), for out-of-process users). Slash-command `response_url`
deliveries are accepted on ``{api.root}/response/{id}`` (see :meth:`FakeSlackApi.response_url`)
and recorded with method ``"response_url"``.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from tests.fakes.slack_workspaces import FakeWorkspaces

RESPONSE_URL = "response_url"
BOT_USER_ID = "UBOTFAKE1"
BOT_ID = "BBOTFAKE1"
TEAM_ID = "T0FAKE001"

# The bot scopes in slack/manifest.yml: what a token from installing the app is granted.
DEFAULT_SCOPES = frozenset({"app_mentions:read", "channels:join", "channels:read", "chat:write", "commands",
                            "groups:read", "im:history", "users:read", "users:read.email"})

# Form fields slack_sdk sends JSON-encoded inside a form body.
_JSON_FORM_FIELDS = {"blocks", "attachments", "view", "metadata", "unfurls"}


@dataclass
class Call:
    """One request the fake received (including ones answered with a scripted failure)."""

    method: str  # "chat.postMessage", ... or "response_url"
    payload: dict[str, Any]
    headers: dict[str, str]
    path: str
    status: int = 200
    failed: bool = False
    at: float = field(default_factory=time.monotonic)  # when it arrived (time.monotonic())

    def __getitem__(self, key: str) -> Any:
        """Dict-style access too (`call["method"]`), for callers that prefer dicts."""
        return getattr(self, key)

    @property
    def token(self) -> str | None:
        auth = self.headers.get("authorization", "")
        return auth.removeprefix("Bearer ") if auth.startswith("Bearer ") else self.payload.get("token")


@dataclass
class Failure:
    status: int = 429
    headers: dict[str, str] = field(default_factory=dict)
    body: dict[str, Any] | str | None = None
    disconnect: bool = False


Responder = Callable[[dict[str, Any]], dict[str, Any]]


class FakeSlackApi:
    """Loopback fake of slack.com/api. Thread-safe; use as a context manager or :func:`fake_slack_api`."""

    def __init__(self, port: int = 0) -> None:
        self.port = port
        self.calls: list[Call] = []
        self._lock = threading.Condition()
        self._failures: dict[str, list[Failure]] = {}
        self._overrides: dict[str, Responder] = {}
        self._held: set[str] = set()
        self._released = threading.Event()
        self._ts = itertools.count(1)
        self._ids = itertools.count(1)
        # What Slack knows: messages the bot posted (chat.update may only touch these) and the
        # channels the bot is not a member of (posting there fails with not_in_channel).
        self.messages: dict[tuple[str, str], dict[str, Any]] = {}
        self.outside: set[str] = set()
        # The workspace's members (users.info answers only these) and the scopes the token was
        # granted: users.info needs users:read, and includes profile.email only with users:read.email.
        self.users: dict[str, dict[str, Any]] = {}
        self.scopes: set[str] = set(DEFAULT_SCOPES)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._address = ""  # the URL it had, kept while offline
        self.workspaces: FakeWorkspaces | None = None  # many workspaces (see serve_workspaces)

    # --- lifecycle ------------------------------------------------------------------------

    def start(self) -> FakeSlackApi:
        api = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                api._handle(self)

            def do_GET(self) -> None:
                api._handle(self)

            def log_message(self, format: str, *args: Any) -> None:
                return None

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-slack-api", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def go_offline(self) -> None:
        """Stop listening, keeping the address: every connection is refused until :meth:`come_back`."""
        assert self._server is not None, "FakeSlackApi is not running"
        self.port = int(self._server.server_address[1])
        self._address = self.url
        self.stop()

    def come_back(self) -> None:
        """Listen again on the same port after :meth:`go_offline`."""
        self.start()

    def __enter__(self) -> FakeSlackApi:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- addresses --------------------------------------------------------------------------

    @property
    def root(self) -> str:
        assert self._server is not None, "FakeSlackApi is not running"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def url(self) -> str:
        """Base URL for `WebClient(base_url=...)`; ends in "/api/" (also while offline)."""
        if self._server is None and self._address:
            return self._address
        return f"{self.root}/api/"

    def response_url(self, key: str | int = "") -> str:
        """A slash-command `response_url` pointing at this fake."""
        return f"{self.root}/response/{key or next(self._ids)}"

    # --- scripting --------------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        status: int = 429,
        headers: dict[str, str] | None = None,
        body: dict[str, Any] | str | None = None,
        times: int = 1,
        *,
        disconnect: bool = False,
    ) -> None:
        """Answer the next `times` calls of `method` with a failure.

        Defaults to 429 with ``Retry-After: 1``. ``status=200, body={"ok": False, "error": "..."}``
        scripts an API-level error; ``disconnect=True`` drops the connection without answering.
        """
        if headers is None:
            headers = {"Retry-After": "1"} if status == 429 else {}
        with self._lock:
            self._failures.setdefault(method, []).extend(
                Failure(status, dict(headers), body, disconnect) for _ in range(times)
            )

    def hold(self, *methods: str) -> None:
        """Slack stops answering `methods`: their calls hang until :meth:`release`, then the
        connection drops. They are recorded as failed: nothing was posted."""
        with self._lock:
            self._held.update(methods)
            self._released.clear()

    def release(self) -> None:
        with self._lock:
            self._held.clear()
            self._released.set()

    def serve_workspaces(self, client_id: str, client_secret: str) -> FakeWorkspaces:
        """Answer from now on like Slack for an app in many workspaces (tests/fakes/slack_workspaces.py)."""
        self.workspaces = FakeWorkspaces(client_id, client_secret)
        return self.workspaces

    def add_user(self, user_id: str, *, email: str | None = None, name: str = "", team_id: str = TEAM_ID,
                 is_bot: bool = False, deleted: bool = False) -> None:
        """A member of the workspace, as users.info describes them (`email` None: no email on file)."""
        real_name = name or f"User {user_id}"
        profile: dict[str, Any] = {"real_name": real_name, "display_name": real_name.split()[0].lower()}
        if email is not None:
            profile["email"] = email
        with self._lock:
            self.users[user_id] = {"id": user_id, "team_id": team_id, "name": real_name.lower().replace(" ", "."),
                                   "real_name": real_name, "tz": "Europe/London", "is_bot": is_bot,
                                   "deleted": deleted, "profile": profile}

    def respond(self, method: str, responder: Responder) -> None:
        """Override the answer for `method`: responder(payload) -> JSON body."""
        with self._lock:
            self._overrides[method] = responder

    # --- inspection -------------------------------------------------------------------------

    def calls_for(self, method: str, *, ok_only: bool = False) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method and not (ok_only and c.failed)]

    def wait_for(self, method: str, count: int = 1, timeout: float = 10.0, *, ok_only: bool = True) -> list[Call]:
        """Block until `count` calls of `method` have arrived (answers sent after an ack arrive later)."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                found = [c for c in self.calls if c.method == method and not (ok_only and c.failed)]
                if len(found) >= count:
                    return found
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    seen = [c.method for c in self.calls]
                    raise AssertionError(f"expected {count} {method} call(s) within {timeout}s; got {seen}")
                self._lock.wait(remaining)

    def reset(self) -> None:
        with self._lock:
            self.calls.clear()
            self._failures.clear()

    # --- the server side ---------------------------------------------------------------------

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(request.path)
        if parts.path == "/_count":  # for out-of-process users (the benchmark): calls per method
            with self._lock:
                counts: dict[str, int] = {}
                for c in self.calls:
                    counts[c.method] = counts.get(c.method, 0) + 1
            self._send(request, 200, {"ok": True, "counts": counts}, {})
            return
        if parts.path == "/_arrivals":  # for out-of-process users: when each response_url call arrived
            with self._lock:
                arrivals = [[c.path, c.at] for c in self.calls if c.method == RESPONSE_URL and not c.failed]
            self._send(request, 200, {"ok": True, "arrivals": arrivals}, {})
            return
        length = int(request.headers.get("Content-Length") or 0)
        raw = request.rfile.read(length) if length else b""
        content_type = request.headers.get("Content-Type", "")
        if len(raw) < length:
            # The sender went away mid-body (a process killed while posting): Slack never sees a
            # request it did not receive whole, so nothing is delivered. Noted as a failed call.
            with self._lock:
                self.calls.append(Call(method=_method_of(parts.path), payload={}, path=parts.path, status=0,
                                       failed=True, headers={k.lower(): v for k, v in request.headers.items()}))
                self._lock.notify_all()
            request.close_connection = True
            return
        if "json" in content_type and not _is_json_object(raw):
            # Slack refuses a JSON body it cannot parse: nothing is posted.
            error = "invalid_payload" if parts.path.startswith("/response/") else "invalid_json"
            with self._lock:
                self.calls.append(Call(method=_method_of(parts.path), payload={}, path=parts.path, status=400,
                                       failed=True, headers={k.lower(): v for k, v in request.headers.items()}))
                self._lock.notify_all()
            self._send(request, 400, {"ok": False, "error": error}, {})
            return
        payload = _parse_body(raw, content_type)
        payload.update({k: v for k, v in parse_qsl(parts.query) if k not in payload})
        method = _method_of(parts.path)
        headers = {k.lower(): v for k, v in request.headers.items()}
        call = Call(method=method, payload=payload, headers=headers, path=parts.path)
        with self._lock:
            queue = self._failures.get(method)
            failure = queue.pop(0) if queue else None
            if failure is not None:
                call.status, call.failed = failure.status, True
            held = method in self._held
            if held:
                call.status, call.failed = 0, True
            self.calls.append(call)
            self._lock.notify_all()
        if held:
            self._released.wait(120)
            request.close_connection = True
            return
        if failure is not None and failure.disconnect:
            request.close_connection = True
            return
        if failure is not None:
            body = failure.body if failure.body is not None else {"ok": False, "error": _error_name(failure.status)}
            self._send(request, failure.status, body, failure.headers)
            return
        answer = self.workspaces.answer(method, payload, headers) if self.workspaces is not None else None
        if answer is None and method == "users.info" and self.workspaces is not None:
            # Many workspaces: a token sees only its own workspace's members, with the scopes it was granted.
            workspace = self.workspaces.by_token(_token_of(headers, payload))
            if workspace is not None:
                answer = self._users_info(payload, scopes=set(workspace.scopes), team_id=workspace.team_id)
        self._send(request, 200, answer if answer is not None else self._answer(method, payload), {})

    def _send(self, request: BaseHTTPRequestHandler, status: int, body: dict[str, Any] | str,
              headers: dict[str, str]) -> None:
        data = (body if isinstance(body, str) else json.dumps(body)).encode("utf-8")
        request.send_response(status)
        request.send_header("Content-Type", "application/json; charset=utf-8")
        request.send_header("Content-Length", str(len(data)))
        for key, value in headers.items():
            request.send_header(key, value)
        request.end_headers()
        request.wfile.write(data)

    def _next_ts(self) -> str:
        return f"{int(time.time())}.{next(self._ts):06d}"

    def _answer(self, method: str, payload: dict[str, Any]) -> dict[str, Any]:
        override = self._overrides.get(method)
        if override is not None:
            return override(payload)
        channel = str(payload.get("channel") or "C0FAKE001")
        if method == "chat.postMessage":
            if channel in self.outside:
                return {"ok": False, "error": "not_in_channel"}
            ts = self._next_ts()
            message = {"type": "message", "text": payload.get("text", ""), "user": BOT_USER_ID,
                       "bot_id": BOT_ID, "ts": ts, "blocks": _blocks(payload)}
            if payload.get("thread_ts"):
                message["thread_ts"] = payload["thread_ts"]
            self.messages[(channel, ts)] = message
            return {"ok": True, "channel": channel, "ts": ts, "message": message}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": self._next_ts()}
        if method == "chat.update":
            # Slack updates only a message the app itself posted, named by its channel and ts.
            if not payload.get("channel"):
                return {"ok": False, "error": "channel_not_found"}
            if not payload.get("ts"):
                return {"ok": False, "error": "invalid_arguments"}
            if not payload.get("text") and not payload.get("blocks"):
                return {"ok": False, "error": "no_text"}
            posted = self.messages.get((channel, str(payload["ts"])))
            if posted is None:
                return {"ok": False, "error": "message_not_found"}
            posted.update({"text": payload.get("text", ""), "blocks": _blocks(payload), "edited": True})
            return {"ok": True, "channel": channel, "ts": posted["ts"], "text": posted["text"]}
        if method in {"views.publish", "views.open", "views.update", "views.push"}:
            view = payload.get("view") or {}
            if isinstance(view, str):
                view = json.loads(view)
            return {"ok": True, "view": {**view, "id": f"V{next(self._ids):08d}", "team_id": TEAM_ID}}
        if method == "auth.test":
            return {"ok": True, "url": "https://fake.slack.test/", "team": "Fake Workspace", "user": "brokerbot",
                    "team_id": TEAM_ID, "user_id": BOT_USER_ID, "bot_id": BOT_ID, "is_enterprise_install": False}
        if method == "users.info":
            return self._users_info(payload)
        if method == "conversations.info":
            if not payload.get("channel"):
                return {"ok": False, "error": "channel_not_found"}
            return {"ok": True, "channel": {"id": channel, "name": f"channel-{channel.lower()}",
                                            "is_channel": channel.startswith("C"), "is_im": channel.startswith("D"),
                                            "is_private": channel.startswith("G"),
                                            "is_member": channel not in self.outside}}
        if method == "conversations.join":
            # Only public channels can be joined (scope channels:join); a private one needs an invite.
            if not payload.get("channel"):
                return {"ok": False, "error": "channel_not_found"}
            if not channel.startswith("C"):
                return {"ok": False, "error": "method_not_supported_for_channel_type"}
            self.outside.discard(channel)
            return {"ok": True, "channel": {"id": channel, "name": f"channel-{channel.lower()}", "is_member": True}}
        if method == "conversations.open":
            users = str(payload.get("users") or "U0FAKE001")
            return {"ok": True, "channel": {"id": "D" + users.split(",")[0][1:]}}
        return {"ok": True}


    def _users_info(self, payload: dict[str, Any], *, scopes: set[str] | None = None,
                    team_id: str | None = None) -> dict[str, Any]:
        """Slack's users.info: missing_scope without users:read; user_not_found for anyone not in
        the workspace (`team_id`, when the app is in many); the profile's email only with users:read.email."""
        scopes = self.scopes if scopes is None else scopes
        if "users:read" not in scopes:
            return {"ok": False, "error": "missing_scope", "needed": "users:read",
                    "provided": ",".join(sorted(scopes))}
        user_id = str(payload.get("user") or "")
        if not user_id:
            return {"ok": False, "error": "invalid_arguments",
                    "response_metadata": {"messages": ["[ERROR] missing required field: user"]}}
        member = self.users.get(user_id)
        if member is None or (team_id is not None and member["team_id"] != team_id):
            return {"ok": False, "error": "user_not_found"}
        member = json.loads(json.dumps(member))
        if "users:read.email" not in scopes:
            member["profile"].pop("email", None)
        return {"ok": True, "user": member}


def _token_of(headers: dict[str, str], payload: dict[str, Any]) -> str | None:
    auth = headers.get("authorization", "")
    token = auth.removeprefix("Bearer ") if auth.startswith("Bearer ") else payload.get("token")
    return str(token) if token else None


def _blocks(payload: dict[str, Any]) -> list[Any]:
    blocks = payload.get("blocks") or []
    return json.loads(blocks) if isinstance(blocks, str) else list(blocks)


def _method_of(path: str) -> str:
    """The Web API method a path calls, or "response_url" for a slash command's response URL."""
    if path.startswith("/api/"):
        return path[len("/api/"):].strip("/")
    if path.startswith("/response/"):
        return RESPONSE_URL
    return path


def _is_json_object(raw: bytes) -> bool:
    try:
        return isinstance(json.loads(raw.decode("utf-8")), dict)
    except ValueError:
        return False


def _parse_body(raw: bytes, content_type: str) -> dict[str, Any]:
    if not raw:
        return {}
    text = raw.decode("utf-8", errors="replace")
    if "json" in content_type or text.lstrip().startswith("{"):
        try:
            loaded = json.loads(text)
            return loaded if isinstance(loaded, dict) else {"_body": loaded}
        except ValueError:
            return {"_body": text}
    payload: dict[str, Any] = dict(parse_qsl(text, keep_blank_values=True))
    for key in _JSON_FORM_FIELDS & payload.keys():
        with contextlib.suppress(ValueError):
            payload[key] = json.loads(payload[key])
    return payload


def _error_name(status: int) -> str:
    return {429: "ratelimited", 500: "internal_error", 502: "bad_gateway", 503: "service_unavailable"}.get(
        status, f"http_{status}"
    )


@pytest.fixture
def fake_slack_api() -> Iterator[FakeSlackApi]:
    """Pytest fixture: `from tests.fakes.slack_api import fake_slack_api` in a conftest or test module."""
    with FakeSlackApi() as api:
        yield api
