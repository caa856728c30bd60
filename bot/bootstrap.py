"""The one wiring point: settings -> database -> services -> router -> senders -> HTTP app.

Everything that always ships is named here, top to bottom; nothing registers itself on import.
The CLI and the server call these functions; tests call them with their own settings. The
platform SDKs, Starlette, uvicorn and the scheduler are imported by the functions that use them,
so `python -m bot ask` wires the router alone and starts quickly; `serve` builds the HTTP app (and
the scheduler its senders) at start, so a missing dependency still fails at start, not when a
message arrives.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import OperationalError

from bot.config import Settings, load_settings
from bot.router import Router
from bot.scheduler.senders import Sender
from bot.scheduler.updates import SeriesCopies
from bot.services import Services
from bot.services.channel_access import AnyChannel, ByPlatform, ChannelAccess
from bot.services.identities import ChatProfile, EmailLookup
from storage.db import Database, DatabaseUnavailable, describe_url
from storage.migrate import upgrade_if_needed

if TYPE_CHECKING:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response

    from bot.adapters.slack.installations import SlackClients
    from bot.core.message import UserRef

log = logging.getLogger(__name__)


def open_database(settings: Settings, *, migrate: bool = True, seed: bool | None = None) -> Database:
    """Open the configured database, upgrade its schema and seed it on first start.

    Raises DatabaseUnavailable (one printable line, no password) when it cannot be reached, so
    entry points can say so instead of showing a driver traceback."""
    db = Database(settings.database_url)
    try:
        if migrate:
            upgrade_if_needed(db.engine)
        _seed(db, settings, seed)
    except OperationalError as exc:
        db.dispose()
        reason = next(iter(str(exc.orig or exc).strip().splitlines()), "no reason given")
        raise DatabaseUnavailable(
            f"Cannot reach the database: {describe_url(settings.database_url)} ({reason})"
        ) from exc
    return db


def _seed(db: Database, settings: Settings, seed: bool | None) -> None:
    if settings.auto_seed if seed is None else seed:
        from bot.services.seeding import seed_if_needed

        outcome = seed_if_needed(db, settings.inadequate_improvement_months)
        if outcome is not None:
            log.info(
                "Loaded the bundled data: %d rows written, %d escalations opened",
                outcome.report.total_written,
                outcome.escalations_opened,
            )


def open_services(settings: Settings | None = None) -> Services:
    settings = settings or load_settings()
    return Services.create(settings, open_database(settings))


def slack_clients_for(services: Services, *, retries: bool = True) -> SlackClients | None:
    """Each Slack workspace's Web API client (one token, or each installation's); None when
    Slack is not configured."""
    settings = services.settings
    if not (settings.slack_bot_token or settings.slack_oauth):
        return None
    from bot.adapters.slack.installations import slack_clients

    return slack_clients(settings, services.db.engine, retries=retries)


class SlackChannelCheck:
    """Slack's check that the bot can post in a channel, built when first asked: most runs of the
    CLI never subscribe a channel, so they start without importing the Slack SDK."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self._check: ChannelAccess | None = None

    def problem(self, platform: str, destination: str, *, workspace: str = "") -> str | None:
        if self._check is None:
            from bot.adapters.slack.channel_access import make_channel_access

            self._check = make_channel_access(slack_clients_for(self.services)) or AnyChannel()
        return self._check.problem(platform, destination, workspace=workspace)


def channel_access(services: Services) -> ByPlatform:
    """Each platform's check that the bot can post in a channel being subscribed (Slack's, when
    Slack is configured)."""
    settings = services.settings
    configured = settings.slack_bot_token or settings.slack_oauth
    return ByPlatform({"slack": SlackChannelCheck(services)} if configured else {})


class SlackEmailLookup:
    """Slack's `users.info`, asked with the workspace's own client (its installation's token, or the
    one configured token); built when first asked, like the channel check."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self._lookup: EmailLookup | None = None

    def profile_of(self, user: UserRef, conversation: str = "") -> ChatProfile | None:
        if self._lookup is None:
            from bot.adapters.slack.profiles import SlackProfiles

            clients = slack_clients_for(self.services)
            assert clients is not None  # only built when Slack is configured
            self._lookup = SlackProfiles(clients.client_for)
        return self._lookup.profile_of(user, conversation)


class TeamsEmailLookup:
    """The Teams connector's conversation member lookup (email or user principal name), built when
    first asked."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self._lookup: EmailLookup | None = None

    def profile_of(self, user: UserRef, conversation: str = "") -> ChatProfile | None:
        if self._lookup is None:
            from bot.adapters.teams.profiles import TeamsProfiles
            from bot.services.teams_conversations import TeamsConversations

            self._lookup = TeamsProfiles(self.services.settings, TeamsConversations(self.services.db))
        return self._lookup.profile_of(user, conversation)


def email_lookups(services: Services) -> dict[str, EmailLookup]:
    """Each configured platform's lookup of a chat user's verified email (people known by email)."""
    settings = services.settings
    lookups: dict[str, EmailLookup] = {}
    if settings.slack_bot_token or settings.slack_oauth:
        lookups["slack"] = SlackEmailLookup(services)
    if settings.teams_app_id or settings.teams_allow_anonymous:
        lookups["teams"] = TeamsEmailLookup(services)
    return lookups


def build_router(services: Services) -> Router:
    """Commands and the natural-language engine on one set of services; subscriptions check the
    platforms can be posted to; unlinked chat users are recognised by email where the platform can
    say it; a settled reminder's answer replaces its posted copies through the senders (built on
    first use)."""
    services.channel_access = channel_access(services)
    services.identities.lookups = email_lookups(services)
    return Router(services, after_reply=SeriesCopies(services, lambda: build_senders(services)))


def slack_sender(services: Services) -> Sender:
    from bot.adapters.slack.sender import make_slack_sender
    from bot.services.slack_workspaces import SlackWorkspaces

    return make_slack_sender(services.settings, clients=slack_clients_for(services, retries=False),
                             workspace_of=SlackWorkspaces(services.db).workspace_of)


def teams_sender(services: Services) -> Sender:
    from bot.adapters.teams.sender import teams_sender_factory
    from bot.services.teams_conversations import TeamsConversations

    return teams_sender_factory(services.settings, TeamsConversations(services.db))


# Platform -> factory for the sender that posts scheduled notifications there. A factory raises
# ValueError when its platform is not configured (no token): those rows stay pending until it is.
SENDER_FACTORIES: dict[str, Callable[[Services], Sender]] = {
    "slack": slack_sender,
    "teams": teams_sender,
}


def build_senders(services: Services) -> dict[str, Sender]:
    """Platform -> sender, for every platform whose settings are complete."""
    senders: dict[str, Sender] = {}
    for platform, factory in SENDER_FACTORIES.items():
        try:
            senders[platform] = factory(services)
        except ValueError as exc:
            log.info("Not sending %s notifications: %s", platform, exc)
    return senders


def health_endpoint(services: Services) -> Callable[[Request], Any]:
    """GET /healthz: 200 {"ok": true} when the database answers, else 503."""
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import JSONResponse

    async def healthz(_request: Request) -> Response:
        ok = await run_in_threadpool(services.db.ping)
        return JSONResponse({"ok": ok}, status_code=200 if ok else 503)

    return healthz


def build_http_app(settings: Settings, services: Services, router: Router, *, run_scheduler: bool = True) -> Starlette:
    """The ASGI app of `python -m bot serve`.

    Routes: POST /slack/events (Slack), GET /slack/install and /slack/oauth_redirect (Slack's OAuth
    flow, when configured), POST /api/messages (Teams), GET /healthz.
    While it runs: the workers answering Slack requests from the inbox, Slack's Socket Mode
    connection (when SLACK_APP_TOKEN is set) and the scheduler
    (unless SCHEDULER_ENABLED=false, or `run_scheduler` is off, as tests that drive passes do).
    """
    from starlette.applications import Starlette
    from starlette.routing import BaseRoute, Route

    from bot.adapters.http_limits import RequestSizeLimit
    from bot.adapters.slack.http import make_bolt_app, slack_routes, socket_mode
    from bot.adapters.slack.oauth import slack_oauth_routes
    from bot.adapters.teams.hosting import teams_routes
    from bot.scheduler.runtime import scheduler_lifespan

    bolt_app, slack_worker, reason = make_bolt_app(settings, router)
    routes: list[BaseRoute] = [
        *slack_routes(settings, bolt_app, reason),
        *slack_oauth_routes(bolt_app),
        *teams_routes(settings, services, router),
        Route("/healthz", health_endpoint(services), methods=["GET"]),
    ]

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        with contextlib.ExitStack() as stack:
            if slack_worker is not None:  # stops last: finishes answers already acknowledged
                stack.enter_context(slack_worker.running())  # first picks up what a crash left
            stack.enter_context(socket_mode(settings, bolt_app))
            if run_scheduler:
                stack.enter_context(scheduler_lifespan(settings, services, build_senders(services)))
            yield

    app = Starlette(routes=routes, lifespan=lifespan)
    app.add_middleware(RequestSizeLimit, max_bytes=settings.max_request_bytes)  # before any parsing
    app.state.bolt_app = bolt_app
    return app
