"""POST /api/messages on our Starlette server, through the Microsoft 365 Agents SDK's pipeline.

The SDK ships aiohttp and FastAPI hosts; both are thin shells around its framework-neutral
:class:`HttpAdapterBase` (activity parsing and validation, turn context, connector client for the
activity's serviceUrl, invoke responses). This module is the same thin shell for plain Starlette,
so Teams shares the `python -m bot serve` process with Slack instead of needing a second server.

Tenants: with TEAMS_TENANT_ID set (a single-tenant registration) an activity from any other
tenant's conversation is refused with 403 before anything is read or stored; without it
(multi-tenant) every tenant that installed the app is answered, and each conversation is kept with
its tenant id (bot/services/teams_conversations.py).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from microsoft_agents.activity import Activity, ActivityTypes
from microsoft_agents.hosting.core import ClaimsIdentity, HttpAdapterBase, OutboundHostValidator, TurnContext
from microsoft_agents.hosting.core.http import HttpResponse
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from bot.adapters.teams.activity import tenant_of, text_activity
from bot.adapters.teams.agent import BrokerTeamsAgent
from bot.adapters.teams.auth import AuthRefused, RequestAuthenticator, connections
from bot.adapters.teams.token_validation import TokenRejected, check_service_url
from bot.config import Settings
from bot.router import APOLOGY, Router
from bot.services import Services
from bot.services.teams_conversations import TeamsConversations

log = logging.getLogger(__name__)

MESSAGES_PATH = "/api/messages"  # bodies over MAX_REQUEST_BYTES never get here (bot.adapters.http_limits)


class MalformedActivity(ValueError):
    """The body is not an activity we can process (answered with HTTP 400)."""


class _DropActivityValidationTraceback(logging.Filter):
    """The SDK logs every failed Activity validation at ERROR with a traceback; a malformed body
    from outside is not our error, and :func:`read_activity` already logs it in one line."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("Validation error for Activity")


logging.getLogger("microsoft_agents.activity.activity").addFilter(_DropActivityValidationTraceback())


class StarletteRequestAdapter:
    """Starlette's Request seen through the SDK's `HttpRequestProtocol`."""

    def __init__(self, request: Request, claims: ClaimsIdentity) -> None:
        self._request = request
        self._claims = claims

    @property
    def method(self) -> str:
        return self._request.method

    @property
    def headers(self) -> Mapping[str, str]:
        return self._request.headers

    async def json(self) -> dict[str, Any]:
        body = await self._request.json()
        if not isinstance(body, dict):
            raise ValueError("an activity is a JSON object")
        return body

    def get_claims_identity(self) -> ClaimsIdentity:
        return self._claims

    def get_path_param(self, name: str) -> str:
        return str(self._request.path_params.get(name, ""))


def _bot_was_removed(activity: Activity) -> bool:
    """Nobody is left to read an apology once the bot was taken out of the conversation."""
    if activity.type == ActivityTypes.installation_update:
        return (activity.action or "").lower().startswith("remove")
    bot_id = activity.recipient.id if activity.recipient else None
    return bool(bot_id) and any(member.id == bot_id for member in activity.members_removed or [])


async def _apologise(context: TurnContext, error: Exception) -> None:
    """Replaces the SDK's default, which would post the exception text into the chat.

    Every failed turn in a conversation the bot is still part of (a message, a button press, an
    install whose welcome could not be built) gets the apology, so a failure is never silent."""
    log.error("Teams turn failed", exc_info=error)
    activity = context.activity
    if activity.conversation is None or not activity.service_url or _bot_was_removed(activity):
        return
    try:
        await context.send_activity(text_activity(APOLOGY))
    except Exception:  # the apology itself could not be delivered: the log above is all we have
        log.exception("Teams apology could not be sent")


class StarletteCloudAdapter(HttpAdapterBase):
    """The SDK's HTTP adapter, answering Starlette requests."""

    def __init__(self, settings: Settings) -> None:
        super().__init__(connection_manager=connections(settings), host_validator=service_url_check(settings))
        self.on_turn_error = _apologise

    async def process(self, request: Request, claims: ClaimsIdentity, agent: BrokerTeamsAgent) -> Response:
        result = await self.process_request(StarletteRequestAdapter(request, claims), agent)
        return to_starlette(result)


def service_url_check(settings: Settings) -> OutboundHostValidator:
    """Refuse activities whose serviceUrl is not https on a Microsoft host (the SDK's list:
    smba.trafficmanager.net, botframework.com, ...), so a leaked token cannot make us post elsewhere.
    Off with TEAMS_CHECK_SERVICE_URL=false, and in anonymous mode without an app password (the
    emulator uses http://localhost). With a password it stays on even in anonymous mode: an
    unauthenticated activity naming any host would otherwise be sent the app's own token."""
    anonymous_without_secret = settings.teams_allow_anonymous and not settings.teams_app_password
    return OutboundHostValidator(enabled=settings.teams_check_service_url and not anonymous_without_secret)


def to_starlette(result: HttpResponse) -> Response:
    if result.body is not None:
        return JSONResponse(result.body, status_code=result.status_code, headers=result.headers)
    return Response(status_code=result.status_code, headers=result.headers)


class TeamsEndpoint:
    """The `/api/messages` handler: authenticate, then hand the request to the SDK adapter."""

    def __init__(self, settings: Settings, services: Services, router: Router) -> None:
        self.authenticator = RequestAuthenticator(settings)
        self.tenant = settings.teams_tenant_id.strip()  # "" = multi-tenant
        self.anonymous = settings.teams_allow_anonymous
        self.adapter = StarletteCloudAdapter(settings)
        self.agent = BrokerTeamsAgent(router, TeamsConversations(services.db))

    async def handle(self, request: Request) -> Response:
        try:
            claims = await self.authenticator.authenticate(request.headers.get("authorization"))
        except AuthRefused as refused:
            return JSONResponse({"error": str(refused)}, status_code=401)
        try:
            activity = await read_activity(request)
        except MalformedActivity as malformed:
            return JSONResponse({"error": str(malformed)}, status_code=400)
        try:
            check_service_url(claims.claims, activity.service_url)
        except TokenRejected as refused:
            log.warning("Refused a Teams request: %s", refused)
            return JSONResponse({"error": "Invalid token or authentication failed."}, status_code=401)
        if not self.tenant_allowed(activity):
            log.warning("Refused a Teams activity from tenant %r: this bot serves only TEAMS_TENANT_ID %s",
                        tenant_of(activity), self.tenant)
            return JSONResponse({"error": "This bot serves another tenant."}, status_code=403)
        return await self.adapter.process(request, claims, self.agent)

    def tenant_allowed(self, activity: Activity) -> bool:
        """Multi-tenant: any tenant. Single-tenant: only TEAMS_TENANT_ID's conversations (an
        activity naming no tenant only in anonymous mode, where the emulator sends none)."""
        if not self.tenant:
            return True
        tenant = tenant_of(activity)
        return tenant.lower() == self.tenant.lower() if tenant else self.anonymous


async def read_activity(request: Request) -> Activity:
    """The request's activity, checked before the SDK sees it: the SDK answers 500 to a body whose
    fields have the wrong types. Starlette keeps the parsed body, so the SDK does not parse it twice."""
    try:
        body = await request.json()
    except (ValueError, RecursionError):  # JSONDecodeError, UnicodeDecodeError; nested too deep
        raise _refused("the body is not JSON") from None
    if not isinstance(body, dict):
        raise _refused("an activity is a JSON object")
    try:
        activity = Activity.model_validate(body)
    except ValueError as exc:  # pydantic's ValidationError
        fields = sorted({".".join(str(p) for p in error["loc"]) for error in getattr(exc, "errors", list)()})
        raise _refused(f"not a valid activity (fields: {', '.join(fields) or 'unknown'})") from None
    if not activity.type or not activity.conversation or not activity.conversation.id:
        raise _refused("an activity needs a type and a conversation id")
    return activity


def _refused(why: str) -> MalformedActivity:
    log.info("Refused a malformed Teams activity: %s", why)
    return MalformedActivity(why)


def teams_routes(settings: Settings, services: Services, router: Router) -> list[BaseRoute]:
    """POST /api/messages, mounted on the shared server by bot.bootstrap.build_http_app."""
    endpoint = TeamsEndpoint(settings, services, router)
    return [Route(MESSAGES_PATH, endpoint.handle, methods=["POST"], name="teams_messages")]
