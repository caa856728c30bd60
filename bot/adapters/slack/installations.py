"""Which token answers which Slack workspace: `SlackClients.client_for(team_id) -> WebClient`.

Single-token mode (SLACK_BOT_TOKEN, no OAuth settings): every workspace id gets the one client,
exactly as before. OAuth mode (SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, SLACK_STATE_SECRET): each
workspace's bot token comes from slack_sdk's SQLAlchemy installation store, kept in the bot's own
database (tables created by our migrations, on the bot's engine), and a workspace without an
installation raises NotInstalled. Clients share the base URL (SLACK_API_URL) and retry handlers.
(`engine` is the bot's SQLAlchemy engine, typed Any because adapters do not import SQLAlchemy.)
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

from slack_sdk import WebClient
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore

from bot.adapters.slack.client import TIMEOUT_SECONDS, api_base_url, make_web_client, retry_handlers
from bot.config import Settings


class NotInstalled(LookupError):
    """No installation (or no bot token) is kept for the workspace: the app is not installed
    there, or was uninstalled."""


def installation_store(settings: Settings, engine: Any) -> SQLAlchemyInstallationStore:
    """slack_sdk's installation store on the bot's database (its tables come from our migrations)."""
    return SQLAlchemyInstallationStore(client_id=settings.slack_client_id, engine=engine)


class SlackClients:
    """The Web API client for each workspace; see the module docstring."""

    def __init__(self, settings: Settings, store: SQLAlchemyInstallationStore | None, *,
                 retries: bool = True) -> None:
        self.settings = settings
        self.store = store
        self.retries = retries
        self._default: WebClient | None = None
        self._by_token: dict[str, WebClient] = {}
        self._lock = threading.Lock()

    @property
    def multi_workspace(self) -> bool:
        return self.store is not None

    def client_for(self, team_id: str) -> WebClient:
        """The client carrying `team_id`'s bot token. Raises NotInstalled in OAuth mode when the
        workspace has no installation."""
        if self.store is None:
            return self.default()
        bot = self.store.find_bot(enterprise_id=None, team_id=team_id or None) if team_id else None
        if bot is None or not bot.bot_token:
            raise NotInstalled(f"The Slack app is not installed in workspace {team_id or '(unknown)'}")
        return self._client(bot.bot_token)

    def default(self) -> WebClient:
        """The SLACK_BOT_TOKEN client (no token in OAuth mode: Bolt adds each request's own)."""
        with self._lock:
            if self._default is None:
                client = make_web_client(self.settings)
                if self.store is not None:
                    client.token = None
                if not self.retries:
                    client.retry_handlers = []
                self._default = client
            return self._default

    def _client(self, token: str) -> WebClient:
        with self._lock:
            client = self._by_token.get(token)
            if client is None:
                client = WebClient(token=token, base_url=api_base_url(self.settings),
                                   timeout=TIMEOUT_SECONDS,
                                   retry_handlers=retry_handlers() if self.retries else [])
                self._by_token[token] = client
            return client


def slack_clients(settings: Settings, engine: Any, *, retries: bool = True) -> SlackClients:
    """OAuth mode when its three settings are set, else single-token mode."""
    return SlackClients(settings, installation_store(settings, engine) if settings.slack_oauth else None,
                        retries=retries)


def team_of(body: Mapping[str, Any]) -> str:
    """The workspace a Slack request came from: `team_id` (slash commands, Events API envelopes)
    or `team.id` (buttons, modals); "" when the body names none."""
    team = body.get("team_id")
    if isinstance(team, str) and team:
        return team
    nested = body.get("team")
    if isinstance(nested, Mapping):
        return str(nested.get("id") or "")
    user = body.get("user")
    if isinstance(user, Mapping):
        return str(user.get("team_id") or "")
    return ""
