"""Slack's OAuth flow, for installing the app in many workspaces: GET /slack/install and
GET /slack/oauth_redirect, served by Bolt's OAuth flow.

Set up by SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET. The bot scopes asked for
are read from the Slack app manifest in the repository (`slack/manifest.yml`), the one place they
are listed. The code exchange (`oauth.v2.access`) and the `auth.test` after it go through the
bot's Web API client, so SLACK_API_URL applies to them too. Installations and OAuth states are
kept by slack_sdk's SQLAlchemy stores in the bot's own database.

Each state is signed with SLACK_STATE_SECRET (HMAC-SHA256) before Bolt puts it in the installer's
cookie and Slack's authorize URL; a callback whose state is not signed with the secret is refused
before the database is asked, and a signed state is still used once and within ten minutes.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from slack_bolt import App
from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk.oauth.state_store import OAuthStateStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from bot.adapters.slack.installations import installation_store
from bot.config import Settings

MANIFEST = Path(__file__).resolve().parents[3] / "slack" / "manifest.yml"
INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
STATE_SECONDS = 600


def manifest_scopes(path: Path = MANIFEST) -> list[str]:
    """The bot scopes in the Slack app manifest (oauth_config.scopes.bot)."""
    try:
        manifest = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise RuntimeError(f"Slack's OAuth flow reads its scopes from {path}, which cannot be read: {exc}") from exc
    scopes = ((manifest or {}).get("oauth_config") or {}).get("scopes", {}).get("bot")
    if not isinstance(scopes, list) or not scopes:
        raise RuntimeError(f"{path} lists no bot scopes under oauth_config.scopes.bot")
    return [str(scope) for scope in scopes]


class SignedStateStore(OAuthStateStore):
    """OAuth states kept in the database, each signed with SLACK_STATE_SECRET (module docstring)."""

    def __init__(self, secret: str, stored: OAuthStateStore) -> None:
        self.secret = secret.encode("utf-8")
        self.stored = stored

    @property
    def logger(self) -> Any:
        return self.stored.logger

    def issue(self, *args: Any, **kwargs: Any) -> str:
        state = str(self.stored.issue(*args, **kwargs))
        return f"{state}.{self._signature(state)}"

    def consume(self, state: str) -> bool:
        value, _, signature = state.rpartition(".")
        if not value or not hmac.compare_digest(signature, self._signature(value)):
            self.stored.logger.info("Refused a Slack OAuth state not signed with SLACK_STATE_SECRET")
            return False
        return bool(self.stored.consume(value))

    def _signature(self, value: str) -> str:
        return hmac.new(self.secret, value.encode("utf-8"), hashlib.sha256).hexdigest()


def oauth_settings(settings: Settings, engine: Any) -> OAuthSettings:
    """Bolt's OAuth settings on the bot's database (`engine`: its SQLAlchemy engine)."""
    states = SQLAlchemyOAuthStateStore(expiration_seconds=STATE_SECONDS, engine=engine)
    return OAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret,
        scopes=manifest_scopes(),
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        install_page_rendering_enabled=False,  # /slack/install redirects straight to Slack
        installation_store=installation_store(settings, engine),
        installation_store_bot_only=True,
        state_store=SignedStateStore(settings.slack_state_secret, states),
        state_expiration_seconds=STATE_SECONDS,
    )


def oauth_endpoint(bolt_app: App | None) -> Callable[[Request], Any]:
    """GET /slack/install and /slack/oauth_redirect through Bolt's OAuth flow (404 when the
    OAuth flow is not configured)."""

    async def slack_oauth(request: Request) -> Response:
        flow = bolt_app.oauth_flow if bolt_app is not None else None
        if flow is None:
            return JSONResponse({"ok": False, "error": "Slack's OAuth flow is not configured"}, status_code=404)
        bolt_request = to_bolt_request(request, b"")
        handle = flow.handle_installation if request.url.path == INSTALL_PATH else flow.handle_callback
        return to_starlette_response(await run_in_threadpool(handle, bolt_request))

    return slack_oauth


def slack_oauth_routes(bolt_app: App | None) -> list[BaseRoute]:
    endpoint = oauth_endpoint(bolt_app)
    return [Route(INSTALL_PATH, endpoint, methods=["GET"]), Route(REDIRECT_PATH, endpoint, methods=["GET"])]
