"""The Slack app factory: a synchronous Bolt App with signature verification on.

One workspace (SLACK_BOT_TOKEN) or many (Slack's OAuth flow, oauth.py: each request is authorized
with its workspace's installation, and answered with that workspace's token through
`SlackClients`). The signing secret comes from settings; the Web API client is ours (base URL from
`SLACK_API_URL`, retry handlers for rate limits and transient failures). Uninstalling the app
from a workspace (`app_uninstalled`, or `tokens_revoked` for its bot token) deletes its
installation and removes its subscriptions (bot/services/slack_workspaces.py). Requests we answer go
into the inbox before they are acknowledged (intake.py) and are answered by the inbox's workers
(worker.py), separate from Bolt's listener pool, so acknowledgements never wait behind slow
answers; the caller starts the workers and stops them (draining) on exit.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.context import BoltContext
from slack_bolt.error import BoltUnhandledRequestError
from slack_bolt.listener.builtins import TokenRevocationListeners
from slack_bolt.middleware.request_verification import RequestVerification
from slack_sdk import WebClient

from bot.adapters.slack.installations import slack_clients
from bot.adapters.slack.intake import inbox_intake
from bot.adapters.slack.listeners import SlackListeners
from bot.adapters.slack.oauth import oauth_settings
from bot.adapters.slack.worker import InboxWorker
from bot.config import Settings
from bot.router import Router
from bot.services.home import HomeService
from bot.services.slack_workspaces import SlackWorkspaces

log = logging.getLogger(__name__)

LISTENER_THREADS = 16  # Bolt's pool: only the sign-up modal's listeners run there


class _DropEnvTokenWarning(logging.Filter):
    """Bolt warns that SLACK_BOT_TOKEN in the environment is unused when a client is given; it is
    the same token (our client carries it), so the warning is noise on every start."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


logging.getLogger("slack_bolt.App").addFilter(_DropEnvTokenWarning())


class SlackNotConfigured(RuntimeError):
    """Raised when the settings lack what the HTTP app needs (a token or the OAuth settings, and
    the signing secret)."""


def slack_configured(settings: Settings) -> bool:
    tokens = settings.slack_bot_token or settings.slack_oauth
    return bool(tokens and (settings.slack_signing_secret or settings.slack_app_token))


def build_slack_app(settings: Settings, router: Router, *,
                    client: WebClient | None = None) -> tuple[App, InboxWorker]:
    """The Bolt app with the inbox intake and every listener registered, and the inbox's workers
    (not started). With one token, calls auth.test once to learn the bot's identity."""
    if not slack_configured(settings):
        raise SlackNotConfigured(
            "Slack needs SLACK_BOT_TOKEN (or SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET for "
            "many workspaces) and SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN for Socket Mode)."
        )
    if settings.slack_oauth and settings.slack_bot_token:
        log.warning("Slack's OAuth settings are set: SLACK_BOT_TOKEN is not used (each workspace's own token is)")
    engine = router.services.db.engine
    clients = slack_clients(settings, engine)
    client = client or clients.default()  # the bot token (single-token mode); none with OAuth
    # Bolt's built-in signature check is swapped for RequestCheck, the same check made safe
    # against malformed headers and bodies, installed where Bolt's own would run (before authorization).
    options: dict[str, Any] = {"request_verification_enabled": False}
    if settings.slack_signing_secret:
        options["before_authorize"] = RequestCheck(settings.slack_signing_secret)
    if settings.slack_oauth:
        options["oauth_settings"] = oauth_settings(settings, engine)
    # Socket Mode only (no secret): there is no HTTP endpoint to verify (server.py refuses HTTP events then).
    app = App(
        name="broker-bot",
        signing_secret=settings.slack_signing_secret or None,
        client=client,
        process_before_response=False,
        raise_error_for_unhandled_request=True,  # unhandled payloads reach _on_error, which answers 200
        listener_executor=ThreadPoolExecutor(max_workers=LISTENER_THREADS, thread_name_prefix="slack-listener"),
        **options,
    )
    inbox = router.services.slack_inbox
    listeners = SlackListeners(router, clients, HomeService(router.services), inbox)
    worker = InboxWorker(inbox, listeners.process, capacity=settings.slack_work_queue)
    app.use(inbox_intake(inbox, worker))
    listeners.register(app)
    if clients.store is not None:
        Uninstalls(TokenRevocationListeners(clients.store), SlackWorkspaces(router.services.db)).register(app)
    app.error(_on_error)
    return app, worker


class Uninstalls:
    """`app_uninstalled` and `tokens_revoked` (the bot's token): Bolt's own listeners delete the
    workspace's installation, then its subscriptions are removed and their pending posts
    cancelled, so nothing more is sent there."""

    def __init__(self, revocations: TokenRevocationListeners, workspaces: SlackWorkspaces) -> None:
        self.revocations = revocations
        self.workspaces = workspaces

    def register(self, app: App) -> None:
        app.event("app_uninstalled")(self.on_uninstalled)
        app.event("tokens_revoked")(self.on_tokens_revoked)

    def on_uninstalled(self, context: BoltContext) -> None:
        self.revocations.handle_app_uninstalled_events(context)
        self._stop_posting(str(context.team_id or ""), "uninstalled the app")

    def on_tokens_revoked(self, event: dict[str, Any], context: BoltContext) -> None:
        self.revocations.handle_tokens_revoked_events(event, context)
        if (event.get("tokens") or {}).get("bot"):
            self._stop_posting(str(context.team_id or ""), "revoked the bot's token")

    def _stop_posting(self, team_id: str, what: str) -> None:
        if not team_id:
            return
        removed = self.workspaces.uninstalled(team_id)
        log.warning("Slack workspace %s %s: installation deleted, %d subscription(s) removed, "
                    "%d pending post(s) cancelled", team_id, what, removed.subscriptions, removed.cancelled)


class RequestCheck(RequestVerification):
    """Bolt's request signature check, plus what Bolt's own middleware assumes without checking.

    Refuses with 401 (instead of a 500 and a traceback) a request whose `X-Slack-Request-Timestamp`
    is not a number or whose signature header is not ASCII, and with 400 a correctly signed body
    Bolt cannot route (an Events API `event` that is not an object)."""

    def process(self, *, req: BoltRequest, resp: BoltResponse, next: Any) -> BoltResponse:
        try:
            outcome = super().process(req=req, resp=resp, next=lambda: _VERIFIED)
        except (ValueError, TypeError):
            log.info("Refused a Slack request with a malformed signature or timestamp header")
            return self._build_error_response()
        if outcome is not _VERIFIED:
            return outcome
        if not isinstance(req.body.get("event", {}), dict):
            log.info("Refused a signed Slack request whose event is not an object")
            return BoltResponse(status=400, body={"error": "malformed payload"})
        return next()


_VERIFIED = BoltResponse(status=200)  # marker: Bolt's check passed the request on


def _on_error(error: Exception, body: dict[str, Any]) -> BoltResponse | None:
    """Bolt's global error handler. A payload no listener handles (a legacy attachment button, a
    dialog, a shortcut, an event we did not subscribe to...) is acknowledged with 200 and ignored,
    so Slack neither shows the user an error nor retries it; anything else is a real failure."""
    if isinstance(error, BoltUnhandledRequestError):
        log.debug("Ignored an unhandled Slack payload (type=%s, command=%s, event=%s)",
                  body.get("type"), body.get("command"), _event_type(body))
        return BoltResponse(status=200, body="")
    _log_listener_error(error, body)
    return None


def _log_listener_error(error: Exception, body: dict[str, Any]) -> None:
    log.error(
        "Slack listener failed (type=%s, command=%s, event=%s): %s",
        body.get("type"), body.get("command"), _event_type(body), error,
        exc_info=error,
    )


def _event_type(body: dict[str, Any]) -> object:
    event = body.get("event")
    return event.get("type") if isinstance(event, dict) else None
