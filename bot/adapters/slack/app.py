"""The Slack app factory: a synchronous Bolt App with signature verification on.

The token and signing secret come from settings; the Web API client is ours (base URL from
`SLACK_API_URL`, retry handlers for rate limits and transient failures). Requests we answer go
into the inbox before they are acknowledged (intake.py) and are answered by the inbox's workers
(worker.py), separate from Bolt's listener pool, so acknowledgements never wait behind slow
answers; the caller starts the workers and stops them (draining) on exit.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.error import BoltUnhandledRequestError
from slack_bolt.middleware.request_verification import RequestVerification
from slack_sdk import WebClient

from bot.adapters.slack.client import make_web_client
from bot.adapters.slack.deliver import Delivery
from bot.adapters.slack.intake import inbox_intake
from bot.adapters.slack.listeners import SlackListeners
from bot.adapters.slack.worker import InboxWorker
from bot.config import Settings
from bot.router import Router
from bot.services.home import HomeService

log = logging.getLogger(__name__)

LISTENER_THREADS = 16  # Bolt's pool: only the sign-up modal's listeners run there


class _DropEnvTokenWarning(logging.Filter):
    """Bolt warns that SLACK_BOT_TOKEN in the environment is unused when a client is given; it is
    the same token (our client carries it), so the warning is noise on every start."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


logging.getLogger("slack_bolt.App").addFilter(_DropEnvTokenWarning())


class SlackNotConfigured(RuntimeError):
    """Raised when the settings lack what the HTTP app needs (token and signing secret)."""


def slack_configured(settings: Settings) -> bool:
    return bool(settings.slack_bot_token and (settings.slack_signing_secret or settings.slack_app_token))


def build_slack_app(settings: Settings, router: Router, *,
                    client: WebClient | None = None) -> tuple[App, InboxWorker]:
    """The Bolt app with the inbox intake and every listener registered, and the inbox's workers
    (not started). Calls auth.test once to learn the bot's identity."""
    if not slack_configured(settings):
        raise SlackNotConfigured(
            "Slack needs SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN for Socket Mode)."
        )
    client = client or make_web_client(settings)  # carries the bot token
    # Bolt's built-in signature check is swapped for RequestCheck, the same check made safe
    # against malformed headers and bodies, installed where Bolt's own would run (before authorization).
    options: dict[str, Any] = {"request_verification_enabled": False}
    if settings.slack_signing_secret:
        options["before_authorize"] = RequestCheck(settings.slack_signing_secret)
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
    listeners = SlackListeners(router, Delivery(client), HomeService(router.services), inbox)
    worker = InboxWorker(inbox, listeners.process, capacity=settings.slack_work_queue)
    app.use(inbox_intake(inbox, worker))
    listeners.register(app)
    app.error(_on_error)
    return app, worker


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
