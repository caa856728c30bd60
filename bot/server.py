"""`python -m bot serve`: one uvicorn process serving Slack, other platforms' routes and /healthz.

Routes:
  POST /slack/events  Slack events, slash commands and interactivity on one URL (signed requests)
  GET  /healthz       200 {"ok": true} when the database answers, else 503
  ...                 routes other features add through EXTRA_ROUTE_FACTORIES (Teams: POST /api/messages)

Bolt's dispatch is synchronous, so it runs in Starlette's thread pool: the event loop keeps
accepting requests while a listener works. With SLACK_APP_TOKEN set the Slack app also connects by
Socket Mode, so no public URL is needed (the HTTP routes and /healthz keep running).

Extension points (features register by being imported from bot/server_plugins.py):
  EXTRA_ROUTE_FACTORIES  (settings, services, router) -> list of Starlette routes
  LIFESPAN_HOOKS         (settings, services, router) -> context manager entered while the server runs
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from concurrent.futures import Executor
from typing import Any

import uvicorn
from slack_bolt import App
from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from bot.adapters.http_limits import RequestSizeLimit
from bot.config import Settings
from bot.core.router import Router
from bot.services import Services

log = logging.getLogger(__name__)

RouteFactory = Callable[[Settings, Services, Router], list[BaseRoute]]
LifespanHook = Callable[[Settings, Services, Router], contextlib.AbstractContextManager[None]]

EXTRA_ROUTE_FACTORIES: list[RouteFactory] = []
LIFESPAN_HOOKS: list[LifespanHook] = []

SLACK_EVENTS_PATH = "/slack/events"


def load_plugins() -> None:
    """Import bot.server_plugins, whose imports append to the lists above."""
    import bot.server_plugins  # noqa: F401


def build_router(services: Services) -> Router:
    from bot.nlu_hook import install_understander

    router = Router(services)
    install_understander(router)
    return router


def slack_endpoint(bolt_app: App | None, reason: str = "") -> Callable[[Request], Any]:
    """POST /slack/events: hand the raw body and headers to Bolt (which verifies the signature)."""

    async def slack_events(request: Request) -> Response:
        if bolt_app is None:
            return JSONResponse({"ok": False, "error": reason or "Slack is not configured"}, status_code=503)
        body = await request.body()  # at most MAX_REQUEST_BYTES: RequestSizeLimit refused anything larger
        try:
            bolt_request = to_bolt_request(request, body)
        except (ValueError, TypeError, AttributeError):  # not UTF-8, not parseable, or not a JSON object
            return JSONResponse({"ok": False, "error": "malformed request body"}, status_code=400)
        bolt_response = await run_in_threadpool(bolt_app.dispatch, bolt_request)
        return to_starlette_response(bolt_response)

    return slack_events


def health_endpoint(services: Services) -> Callable[[Request], Any]:
    async def healthz(_request: Request) -> Response:
        ok = await run_in_threadpool(services.db.ping)
        return JSONResponse({"ok": ok}, status_code=200 if ok else 503)

    return healthz


def make_bolt_app(settings: Settings, router: Router, worker: Executor) -> tuple[App | None, str]:
    """The Bolt app, or None and why (Slack not configured, or Slack refused the token)."""
    from bot.adapters.slack.app import SlackNotConfigured, build_slack_app

    try:
        return build_slack_app(settings, router, worker), ""
    except SlackNotConfigured as exc:
        log.warning("Slack disabled: %s", exc)
        return None, str(exc)
    except Exception as exc:
        log.error("Slack disabled: could not start the Slack app (is SLACK_BOT_TOKEN right?): %s", exc)
        return None, "Slack app failed to start; see the server log"


@contextlib.contextmanager
def socket_mode(settings: Settings, bolt_app: App | None) -> Iterator[None]:
    """Connect by Socket Mode while the server runs, when SLACK_APP_TOKEN is set."""
    if not settings.slack_app_token or bolt_app is None:
        yield
        return
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    handler = SocketModeHandler(bolt_app, settings.slack_app_token)
    handler.connect()
    log.info("Slack connected by Socket Mode")
    try:
        yield
    finally:
        handler.close()


def build_app(
    settings: Settings,
    services: Services,
    router: Router,
    *,
    lifespan_hooks: Sequence[LifespanHook] | None = None,
    route_factories: Sequence[RouteFactory] | None = None,
) -> Starlette:
    """The ASGI app. Hooks and route factories default to the registered plugins."""
    load_plugins()
    hooks = list(LIFESPAN_HOOKS if lifespan_hooks is None else lifespan_hooks)
    factories = list(EXTRA_ROUTE_FACTORIES if route_factories is None else route_factories)
    from bot.adapters.slack.app import make_worker

    worker = make_worker()
    bolt_app, reason = make_bolt_app(settings, router, worker)
    http_app = bolt_app if settings.slack_signing_secret else None
    if bolt_app is not None and http_app is None:
        reason = "HTTP events are off: SLACK_SIGNING_SECRET is not set (Socket Mode only)"
    routes: list[BaseRoute] = [
        Route(SLACK_EVENTS_PATH, slack_endpoint(http_app, reason), methods=["POST"]),
        Route("/healthz", health_endpoint(services), methods=["GET"]),
    ]
    for factory in factories:
        routes.extend(factory(settings, services, router))

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        with contextlib.ExitStack() as stack:
            stack.callback(worker.shutdown, wait=True)  # runs last: finish answers already acknowledged
            stack.enter_context(socket_mode(settings, bolt_app))
            for hook in hooks:
                stack.enter_context(hook(settings, services, router))
            yield

    app = Starlette(routes=routes, lifespan=lifespan)
    app.add_middleware(RequestSizeLimit, max_bytes=settings.max_request_bytes)
    app.state.bolt_app = bolt_app
    return app


def uvicorn_config(app: Starlette, settings: Settings) -> uvicorn.Config:
    return uvicorn.Config(
        app,
        host=os.environ.get("HOST", "0.0.0.0"),
        port=settings.port,
        log_level="info",
        proxy_headers=True,
        forwarded_allow_ips=os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
        timeout_keep_alive=30,
        timeout_graceful_shutdown=10,
        access_log=True,
    )


def serve(settings: Settings) -> int:
    """Open the database (migrated, seeded), build the router and serve until interrupted."""
    from bot.bootstrap import open_database

    logging.getLogger().setLevel(logging.INFO)
    services = Services.create(settings, open_database(settings))
    router = build_router(services)
    app = build_app(settings, services, router)
    server = uvicorn.Server(uvicorn_config(app, settings))
    try:
        server.run()
    finally:
        services.db.dispose()
    return 0
