"""Slack over HTTP and Socket Mode: the POST /slack/events endpoint and the Socket Mode connection.

Bolt's dispatch is synchronous, so it runs in Starlette's thread pool: the event loop keeps
accepting requests while a listener works. With SLACK_APP_TOKEN set the Slack app also connects by
Socket Mode, so no public URL is needed (the HTTP routes and /healthz keep running).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from bot.adapters.slack.app import SlackNotConfigured, build_slack_app
from bot.adapters.slack.worker import InboxWorker
from bot.config import Settings
from bot.router import Router

log = logging.getLogger(__name__)

SLACK_EVENTS_PATH = "/slack/events"


def slack_endpoint(bolt_app: App | None, reason: str = "") -> Callable[[Request], Any]:
    """POST /slack/events: hand the raw body and headers to Bolt (which verifies the signature)."""

    async def slack_events(request: Request) -> Response:
        if bolt_app is None:
            return JSONResponse({"ok": False, "error": reason or "Slack is not configured"}, status_code=503)
        body = await request.body()  # at most MAX_REQUEST_BYTES: RequestSizeLimit refused anything larger
        try:
            bolt_request = to_bolt_request(request, body)
        # Not UTF-8, not parseable, not a JSON object, or nested too deep to parse (RecursionError):
        # the body is read before the signature is checked, so anyone can send one.
        except (ValueError, TypeError, AttributeError, RecursionError):
            return JSONResponse({"ok": False, "error": "malformed request body"}, status_code=400)
        bolt_response = await run_in_threadpool(bolt_app.dispatch, bolt_request)
        return to_starlette_response(bolt_response)

    return slack_events


def make_bolt_app(settings: Settings, router: Router) -> tuple[App | None, InboxWorker | None, str]:
    """The Bolt app and its inbox workers, or None and why (Slack not configured, or Slack
    refused the token)."""
    try:
        app, worker = build_slack_app(settings, router)
        return app, worker, ""
    except SlackNotConfigured as exc:
        log.warning("Slack disabled: %s", exc)
        return None, None, str(exc)
    except Exception as exc:
        log.error("Slack disabled: could not start the Slack app (is SLACK_BOT_TOKEN right?): %s", exc)
        return None, None, "Slack app failed to start; see the server log"


def slack_routes(settings: Settings, bolt_app: App | None, reason: str) -> list[BaseRoute]:
    """POST /slack/events; answers 503 with the reason when HTTP events are off."""
    http_app = bolt_app if settings.slack_signing_secret else None
    if bolt_app is not None and http_app is None:
        reason = "HTTP events are off: SLACK_SIGNING_SECRET is not set (Socket Mode only)"
    return [Route(SLACK_EVENTS_PATH, slack_endpoint(http_app, reason), methods=["POST"])]


@contextlib.contextmanager
def socket_mode(settings: Settings, bolt_app: App | None) -> Iterator[None]:
    """Connect by Socket Mode while the server runs, when SLACK_APP_TOKEN is set."""
    if not settings.slack_app_token or bolt_app is None:
        yield
        return
    handler = SocketModeHandler(bolt_app, settings.slack_app_token)
    handler.connect()
    log.info("Slack connected by Socket Mode")
    try:
        yield
    finally:
        handler.close()
