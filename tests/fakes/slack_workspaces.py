"""Many Slack workspaces behind the fake Web API: Slack's OAuth code exchange and a bot token per
workspace, as strict as Slack.

    workspaces = api.serve_workspaces(client_id="111.222", client_secret="s3cret")
    london = workspaces.add("T0LONDON1", "London brokers")
    code = workspaces.authorize(london, scopes)   # what Slack's authorize page redirects back with

Once workspaces are served, every Web API call needs a token: none is `not_authed`, an unknown one
`invalid_auth`, a workspace's token after it uninstalled the app `token_revoked`; `auth.test`
answers for the token's own workspace. `oauth.v2.access` checks the client id and secret (HTTP
Basic, as slack_sdk sends them, or form fields) and takes each code once, answering Slack's own
errors (`invalid_client_id`, `bad_client_secret`, `invalid_code`) as HTTP 200 `{"ok": false}`.
"""

from __future__ import annotations

import base64
import itertools
import secrets
import threading
from dataclasses import dataclass, field
from typing import Any

APP_ID = "A0BROKER1"


@dataclass
class FakeWorkspace:
    team_id: str
    name: str
    bot_user_id: str
    bot_id: str
    bot_token: str = ""  # issued by the code exchange
    scopes: list[str] = field(default_factory=list)
    revoked: bool = False


class FakeWorkspaces:
    def __init__(self, client_id: str, client_secret: str) -> None:
        self.client_id = client_id
        self.client_secret = client_secret
        self.teams: dict[str, FakeWorkspace] = {}
        self._codes: dict[str, tuple[FakeWorkspace, list[str]]] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def add(self, team_id: str, name: str) -> FakeWorkspace:
        n = next(self._ids)
        workspace = FakeWorkspace(team_id, name, bot_user_id=f"UBOT{n:05d}", bot_id=f"BBOT{n:05d}")
        self.teams[team_id] = workspace
        return workspace

    def authorize(self, workspace: FakeWorkspace, scopes: list[str]) -> str:
        """An admin approved the app in `workspace`: the one-use code Slack redirects back with."""
        code = f"{workspace.team_id}.{secrets.token_hex(8)}"
        with self._lock:
            self._codes[code] = (workspace, list(scopes))
        return code

    def uninstall(self, workspace: FakeWorkspace) -> None:
        """The workspace removed the app: Slack revokes its token (then sends app_uninstalled)."""
        workspace.revoked = True

    def by_token(self, token: str | None) -> FakeWorkspace | None:
        return next((w for w in self.teams.values() if token and w.bot_token == token), None)

    # --- the server side ---------------------------------------------------------------------

    def answer(self, method: str, payload: dict[str, Any], headers: dict[str, str]) -> dict[str, Any] | None:
        """Slack's answer when it depends on the workspace, or None to answer as usual (always
        for a slash command's response_url, which needs no token)."""
        if method == "response_url":
            return None
        if method == "oauth.v2.access":
            return self._exchange(payload, headers)
        auth = headers.get("authorization", "")
        token = auth.removeprefix("Bearer ") if auth.startswith("Bearer ") else payload.get("token")
        if not token:
            return {"ok": False, "error": "not_authed"}
        workspace = self.by_token(str(token))
        if workspace is None:
            return {"ok": False, "error": "invalid_auth"}
        if workspace.revoked:
            return {"ok": False, "error": "token_revoked"}
        if method == "auth.test":
            return {"ok": True, "url": f"https://{workspace.team_id.lower()}.slack.test/", "team": workspace.name,
                    "user": "brokerbot", "team_id": workspace.team_id, "user_id": workspace.bot_user_id,
                    "bot_id": workspace.bot_id, "is_enterprise_install": False}
        return None

    def _exchange(self, payload: dict[str, Any], headers: dict[str, str]) -> dict[str, Any]:
        client_id, client_secret = str(payload.get("client_id") or ""), str(payload.get("client_secret") or "")
        auth = headers.get("authorization", "")
        if auth.startswith("Basic "):
            client_id, _, client_secret = base64.b64decode(auth[6:]).decode("utf-8").partition(":")
        if client_id != self.client_id:
            return {"ok": False, "error": "invalid_client_id"}
        if client_secret != self.client_secret:
            return {"ok": False, "error": "bad_client_secret"}
        with self._lock:
            found = self._codes.pop(str(payload.get("code") or ""), None)
        if found is None:
            return {"ok": False, "error": "invalid_code"}
        workspace, scopes = found
        workspace.bot_token = f"xoxb-{workspace.team_id}-{secrets.token_hex(6)}"
        workspace.scopes, workspace.revoked = scopes, False
        return {
            "ok": True, "app_id": APP_ID, "access_token": workspace.bot_token, "token_type": "bot",
            "scope": ",".join(scopes), "bot_user_id": workspace.bot_user_id,
            "team": {"id": workspace.team_id, "name": workspace.name}, "enterprise": None,
            "is_enterprise_install": False, "authed_user": {"id": "U0INSTALL1"},
        }
