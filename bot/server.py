"""`python -m bot serve`: one uvicorn process serving Slack, Teams and /healthz.

The app itself (routes and what runs alongside them) is wired in bot.bootstrap.build_http_app.
"""

from __future__ import annotations

import logging
import os

import uvicorn
from starlette.applications import Starlette

from bot.bootstrap import build_http_app, build_router, open_services
from bot.config import Settings

log = logging.getLogger(__name__)


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
    logging.getLogger().setLevel(logging.INFO)
    services = open_services(settings)
    app = build_http_app(settings, services, build_router(services))
    server = uvicorn.Server(uvicorn_config(app, settings))
    try:
        server.run()
    finally:
        services.db.dispose()
    return 0
