"""A fake Bot Connector service (and Entra token/JWKS endpoints) on 127.0.0.1 for Teams tests.

Why a server: the code under test uses the real Microsoft 365 Agents SDK connector client (aiohttp,
its URL building, its error mapping), so only Microsoft's side is faked. Activities posted to
`/v3/conversations/{id}/activities[/{replyToId}]` are recorded and answered with an id; scripted
failures (429 with Retry-After, 412, 502, 504...) are queued with :meth:`fail_next`.

It also plays Entra for both auth directions:
- `POST /token` issues client-credentials tokens (point TEAMS_TOKEN_URL here);
- `GET /jwks` serves the public half of an RSA key and :meth:`sign` mints Bot Framework-style
  JWTs with it (point TEAMS_JWKS_URL here), so a real signed token can be accepted end to end.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

SERVICE_PATH = "/amer/"  # Teams service URLs carry a path, e.g. https://smba.trafficmanager.net/amer/
KEY_ID = "fake-key-1"
BOT_FRAMEWORK_ISSUER = "https://api.botframework.com"


@dataclass
class Sent:
    """One activity the bot posted."""

    conversation_id: str
    activity: dict[str, Any]
    reply_to: str | None
    headers: dict[str, str]
    status: int = 200
    activity_id: str | None = None  # the id the connector gave the posted activity

    @property
    def token(self) -> str | None:
        auth = self.headers.get("authorization", "")
        return auth.removeprefix("Bearer ") if auth.startswith("Bearer ") else None

    @property
    def card(self) -> dict[str, Any] | None:
        for attachment in self.activity.get("attachments") or []:
            if attachment.get("contentType") == "application/vnd.microsoft.card.adaptive":
                return attachment["content"]  # type: ignore[no-any-return]
        return None

    @property
    def text(self) -> str:
        """Text of the activity, or of the card's first text blocks."""
        if self.activity.get("text"):
            return str(self.activity["text"])
        card = self.card or {}
        return "\n".join(b.get("text", "") for b in card.get("body", []) if b.get("type") == "TextBlock")


@dataclass
class Refused:
    """A post the fake refused the way the Bot Connector does (400 BadArgument)."""

    conversation_id: str
    body: str
    reason: str


def null_paths(value: Any, path: str = "") -> list[str]:
    """JSON paths of every null in `value` (the Bot Connector refuses `"id": null` and the like)."""
    if value is None:
        return [path or "<root>"]
    if isinstance(value, dict):
        return [p for key, item in value.items() for p in null_paths(item, f"{path}.{key}" if path else key)]
    if isinstance(value, list):
        return [p for index, item in enumerate(value) for p in null_paths(item, f"{path}[{index}]")]
    return []


def refusal(conversation_id: str, activity: Any) -> str | None:
    """Why the real service would answer 400 BadArgument to this post, or None when it is valid."""
    if not conversation_id.strip():
        return "Missing conversation id in the URL"
    if not isinstance(activity, dict):
        return "The request body is not a JSON activity object"
    nulls = null_paths(activity)
    if nulls:
        return "Null values are not allowed: " + ", ".join(nulls)
    if not activity.get("type"):
        return "Activity type is required"
    if activity["type"] == "message" and not activity.get("text") and not activity.get("attachments"):
        return "A message activity needs text or attachments"
    return None


@dataclass
class Failure:
    status: int
    headers: dict[str, str] = field(default_factory=dict)


class FakeBotConnector:
    def __init__(self) -> None:
        self.sent: list[Sent] = []  # successful posts
        self.attempts: list[Sent] = []  # every valid post, including scripted failures
        self.refused: list[Refused] = []  # posts refused as malformed (400 BadArgument)
        self.updates: list[Sent] = []  # accepted PUTs (reply_to holds the replaced activity's id)
        self.posted: dict[tuple[str, str], dict[str, Any]] = {}  # (conversation, activity id) -> activity
        self.token_requests: list[dict[str, str]] = []
        # Conversation id -> its members, as Teams describes them (TeamsChannelAccount), and the
        # member lookups the bot made (conversation, member id).
        self.members: dict[str, list[dict[str, Any]]] = {}
        self.member_lookups: list[tuple[str, str]] = []
        self._failures: list[Failure] = []
        self._lock = threading.Condition()
        self._ids = itertools.count(1)
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # ---- lifecycle -------------------------------------------------------------------------
    def start(self) -> FakeBotConnector:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_args: Any) -> None:
                return None

            def do_GET(self) -> None:
                path = urlsplit(self.path).path
                if path == "/jwks":
                    self._json(200, fake.jwks())
                    return
                prefix = SERVICE_PATH + "v3/conversations/"
                conversation, marker, member = path[len(prefix):].partition("/members/")
                if not path.startswith(prefix) or not marker:
                    self._json(404, {"error": {"code": "NotFound", "message": path}})
                    return
                status, body = fake.member_lookup(unquote(conversation), unquote(member.strip("/")),
                                                  self.headers.get("authorization", ""))
                self._json(status, body)

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length).decode("utf-8")
                path = urlsplit(self.path).path
                headers = {k.lower(): v for k, v in self.headers.items()}
                if path == "/token":
                    form = dict(parse_qsl(raw))
                    fake.token_requests.append(form)
                    self._json(200, {"token_type": "Bearer", "expires_in": 3600,
                                     "access_token": f"fake-app-token-{len(fake.token_requests)}"})
                    return
                prefix = SERVICE_PATH + "v3/conversations/"
                if not path.startswith(prefix) or "/activities" not in path:
                    self._json(404, {"error": {"code": "NotFound", "message": path}})
                    return
                conversation, _, rest = path[len(prefix):].partition("/activities")
                reply_to = unquote(rest.strip("/")) or None
                try:
                    activity = json.loads(raw)
                except ValueError:
                    activity = None
                problem = refusal(unquote(conversation), activity)
                if problem is not None:
                    with fake._lock:
                        fake.refused.append(Refused(unquote(conversation), raw, problem))
                    self._json(400, {"error": {"code": "BadArgument", "message": problem}})
                    return
                sent = Sent(unquote(conversation), activity, reply_to, headers)
                status, extra = fake._take_failure()
                sent.status = status
                with fake._lock:
                    fake.attempts.append(sent)
                    if status < 300:
                        fake.sent.append(sent)
                    fake._lock.notify_all()
                if status >= 300:
                    self._json(status, {"error": {"code": "Throttled" if status == 429 else "Failed",
                                                   "message": f"scripted {status}"}}, extra)
                else:
                    activity_id = f"1:{next(fake._ids)}"
                    sent.activity_id = activity_id
                    with fake._lock:
                        fake.posted[(unquote(conversation), activity_id)] = activity
                    self._json(201, {"id": activity_id})

            def do_PUT(self) -> None:
                """Update an activity: only one this bot posted in that conversation, named in the URL."""
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length).decode("utf-8")
                path = urlsplit(self.path).path
                prefix = SERVICE_PATH + "v3/conversations/"
                conversation, marker, activity_id = path[len(prefix):].partition("/activities/")
                if not path.startswith(prefix) or not marker or not activity_id.strip("/"):
                    self._json(404, {"error": {"code": "NotFound", "message": path}})
                    return
                conversation, activity_id = unquote(conversation), unquote(activity_id.strip("/"))
                try:
                    activity = json.loads(raw)
                except ValueError:
                    activity = None
                problem = refusal(conversation, activity)
                if problem is None and activity.get("id") not in (None, activity_id):
                    problem = "The activity id in the body does not match the URL"
                if problem is not None:
                    with fake._lock:
                        fake.refused.append(Refused(conversation, raw, problem))
                    self._json(400, {"error": {"code": "BadArgument", "message": problem}})
                    return
                with fake._lock:
                    if (conversation, activity_id) not in fake.posted:
                        self._json(404, {"error": {"code": "ActivityNotFoundInConversation",
                                                   "message": f"No activity {activity_id} in {conversation}"}})
                        return
                    fake.posted[(conversation, activity_id)] = activity
                    fake.updates.append(Sent(conversation, activity, activity_id,
                                             {k.lower(): v for k, v in self.headers.items()}))
                    fake._lock.notify_all()
                self._json(200, {"id": activity_id})

            def _json(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def __enter__(self) -> FakeBotConnector:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    # ---- addresses -------------------------------------------------------------------------
    @property
    def root(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def service_url(self) -> str:
        return self.root + SERVICE_PATH

    @property
    def token_url(self) -> str:
        return self.root + "/token"

    @property
    def jwks_url(self) -> str:
        return self.root + "/jwks"

    # ---- scripting and waiting -----------------------------------------------------------
    def fail_next(self, status: int, headers: dict[str, str] | None = None, times: int = 1) -> None:
        with self._lock:
            self._failures.extend(Failure(status, headers or {}) for _ in range(times))

    def _take_failure(self) -> tuple[int, dict[str, str]]:
        with self._lock:
            if self._failures:
                failure = self._failures.pop(0)
                return failure.status, failure.headers
        return 201, {}

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Sent]:
        """Block until `count` activities have been accepted (for handlers that answer after the ack)."""
        with self._lock:
            self._lock.wait_for(lambda: len(self.sent) >= count, timeout=timeout)
            return list(self.sent)

    # ---- conversation members ------------------------------------------------------------------
    def add_member(self, conversation_id: str, *, member_id: str, object_id: str, name: str,
                   email: str | None, upn: str | None = None, tenant_id: str = "") -> None:
        """A member of a conversation. `email` None: Teams has no mail for them (a guest, or an
        account without a mailbox); the lookup then answers without the field."""
        given, _, surname = name.partition(" ")
        member: dict[str, Any] = {"id": member_id, "name": name, "objectId": object_id, "givenName": given,
                                  "surname": surname, "userPrincipalName": upn or email or f"{object_id}@example.org",
                                  "tenantId": tenant_id, "userRole": "user"}
        if email is not None:
            member["email"] = email
        with self._lock:
            self.members.setdefault(conversation_id, []).append(member)

    def member_lookup(self, conversation_id: str, member_id: str, authorization: str) -> tuple[int, Any]:
        """GET /v3/conversations/{id}/members/{memberId}: 401 without the app's token; 403 when the
        bot is not in that conversation; 404 MemberNotFoundInConversation for anyone else. The
        member is named by their Teams id (29:...) or their Entra object id, as Teams accepts both."""
        with self._lock:
            self.member_lookups.append((conversation_id, member_id))
        if not authorization.startswith("Bearer fake-app-token-"):
            return 401, {"message": "Authorization has been denied for this request."}
        if conversation_id not in self.members:
            return 403, {"error": {"code": "BotNotInConversationRoster",
                                   "message": "The bot is not part of the conversation roster."}}
        for member in self.members[conversation_id]:
            if member_id in (member["id"], member["objectId"]):
                return 200, member
        return 404, {"error": {"code": "MemberNotFoundInConversation",
                               "message": "The member was not found in the conversation."}}

    # ---- tokens ------------------------------------------------------------------------------
    def jwks(self) -> dict[str, Any]:
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        public.update({"kid": KEY_ID, "use": "sig", "alg": "RS256"})
        return {"keys": [public]}

    def sign(self, audience: str, service_url: str | None = None, *, issuer: str | None = BOT_FRAMEWORK_ISSUER,
             lifetime: int | None = 3600, **claims: Any) -> str:
        """A Bot Framework-style token for `audience` (our app id), signed with the fake's key.
        `issuer=None` / `lifetime=None` leave out `iss` / `exp` (forged tokens for the auth tests)."""
        now = int(time.time())
        payload = {"iss": issuer, "aud": audience, "iat": now, "nbf": now,
                   "exp": None if lifetime is None else now + lifetime,
                   "serviceurl": service_url or self.service_url, **claims}
        payload = {name: value for name, value in payload.items() if value is not None}
        return jwt.encode(payload, self.key, algorithm="RS256", headers={"kid": KEY_ID})


@pytest.fixture
def bot_connector() -> Iterator[FakeBotConnector]:
    with FakeBotConnector() as fake:
        yield fake
