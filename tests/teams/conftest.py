"""Teams test fixtures: our Starlette app on real uvicorn (loopback) and the fake Bot Connector."""

from __future__ import annotations

import dataclasses
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette

from bot.config import Settings
from bot.router import Router
from bot.services import Services
from tests.fakes.bot_connector import FakeBotConnector, bot_connector  # noqa: F401
from tests.teams.activities import APP_ID


@contextmanager
def running(app: Starlette) -> Iterator[str]:
    """Serve `app` with uvicorn on 127.0.0.1 (a free port) in a thread; yields the base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def build_app(settings: Settings, services: Services, router: Router) -> Starlette:
    """The real `python -m bot serve` app, without the background scheduler."""
    from bot.bootstrap import build_http_app

    return build_http_app(settings, services, router, run_scheduler=False)


@pytest.fixture
def teams_settings(settings: Settings, bot_connector: FakeBotConnector) -> Settings:  # noqa: F811
    """Credentials set, tokens verified against the fake's JWKS and fetched from its token URL."""
    return dataclasses.replace(
        settings, teams_app_id=APP_ID, teams_app_password="secret-for-tests",
        teams_token_url=bot_connector.token_url, teams_jwks_url=bot_connector.jwks_url,
        teams_check_service_url=False,  # the fake connector is plain http on loopback
    )


@pytest.fixture
def teams_url(teams_settings: Settings, services: Services, router: Router) -> Iterator[str]:
    """Base URL of the running server (authenticated mode)."""
    services.settings = teams_settings
    with running(build_app(teams_settings, services, router)) as url:
        yield url


@pytest.fixture
def anonymous_url(settings: Settings, services: Services, router: Router) -> Iterator[str]:
    """Base URL of a server with TEAMS_ALLOW_ANONYMOUS=true and no credentials."""
    anonymous = dataclasses.replace(settings, teams_allow_anonymous=True)
    services.settings = anonymous
    with running(build_app(anonymous, services, router)) as url:
        yield url


def post(url: str, activity: dict, token: str | None = None) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.post(url + "/api/messages", json=activity, headers=headers, timeout=30)
