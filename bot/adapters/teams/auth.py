"""Authentication for Teams, in both directions, built from our Settings.

Inbound: every POST /api/messages must carry a Bot Framework / Entra JWT (`Authorization: Bearer`);
:mod:`bot.adapters.teams.token_validation` checks issuer, signature, audience (our app id) and
expiry, and the endpoint then checks the token's service URL against the activity's.
`TEAMS_ALLOW_ANONYMOUS=true` lets requests without a header through (local testing with a Bot
Framework emulator only) and we log a loud warning.

Outbound: replies and proactive messages go to the Bot Connector with an app token. In production
the SDK's MSAL provider gets it (client credentials for TEAMS_APP_ID / TEAMS_APP_PASSWORD), from
TEAMS_TENANT_ID's authority, or from `botframework.com` for a multi-tenant registration.
MSAL only talks to https authorities, so `TEAMS_TOKEN_URL` swaps in a tiny client-credentials
provider that posts to that URL instead (tests point it at the fake connector's token endpoint).
"""

from __future__ import annotations

import logging
import time
from typing import Any

import httpx
from azure.core.credentials import AccessToken
from microsoft_agents.authentication.msal import MsalAuth
from microsoft_agents.hosting.core import (
    AccessTokenProviderBase,
    AgentAuthConfiguration,
    AnonymousTokenProvider,
    ClaimsIdentity,
    Connections,
)
from microsoft_agents.hosting.core.authorization.connection_manager import ConnectionManager

from bot.adapters.teams.token_validation import InboundTokenValidator, TokenPolicy, TokenRejected
from bot.config import Settings

log = logging.getLogger(__name__)

ANONYMOUS_WARNING = (
    "TEAMS_ALLOW_ANONYMOUS=true: /api/messages accepts UNAUTHENTICATED activities. "
    "Use this only for local testing; anyone who can reach this server can talk as any Teams user."
)


MULTI_TENANT_AUTHORITY = "botframework.com"  # the tenant that issues a multi-tenant bot's app tokens


class AuthRefused(Exception):
    """The request's token is missing or invalid (answered with HTTP 401)."""


def auth_configuration(settings: Settings) -> AgentAuthConfiguration:
    """Outbound tokens come from TEAMS_TENANT_ID's authority (single-tenant), or from Bot
    Framework's own tenant, `botframework.com`, for a multi-tenant registration."""
    return AgentAuthConfiguration(
        client_id=settings.teams_app_id or None,
        tenant_id=settings.teams_tenant_id or MULTI_TENANT_AUTHORITY,
        client_secret=settings.teams_app_password or None,
        anonymous_allowed=settings.teams_allow_anonymous,
    )


class RequestAuthenticator:
    """Turns an Authorization header into the SDK's ClaimsIdentity, or refuses it."""

    def __init__(self, settings: Settings) -> None:
        self.validator = (
            InboundTokenValidator(TokenPolicy.from_settings(settings)) if settings.teams_app_id else None
        )
        self.allow_anonymous = settings.teams_allow_anonymous
        if self.allow_anonymous:
            log.warning(ANONYMOUS_WARNING)
        elif not settings.teams_app_id:
            log.warning("TEAMS_APP_ID is not set: every Teams request will be refused (401).")

    async def authenticate(self, authorization: str | None) -> ClaimsIdentity:
        if not authorization:
            if self.allow_anonymous:
                log.warning("Accepting an unauthenticated Teams activity (TEAMS_ALLOW_ANONYMOUS=true).")
                return ClaimsIdentity()
            raise AuthRefused("Authorization header not found")
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise AuthRefused("Invalid authorization header format")
        if self.validator is None:
            raise AuthRefused("Tokens cannot be checked: TEAMS_APP_ID is not set")
        try:
            claims = await self.validator.validate(token.strip())
        except TokenRejected as exc:
            log.warning("Refused a Teams request: %s", exc)
            raise AuthRefused("Invalid token or authentication failed.") from exc
        except Exception as exc:  # the key set could not be fetched or read: still "not trusted"
            log.warning("Refused a Teams request: could not check its token (%s: %s)", type(exc).__name__, exc)
            raise AuthRefused("Invalid token or authentication failed.") from exc
        return ClaimsIdentity(claims, security_token=token.strip())


class ClientCredentialsProvider(AccessTokenProviderBase):
    """OAuth2 client-credentials against an explicit token URL (TEAMS_TOKEN_URL), with caching."""

    def __init__(self, config: AgentAuthConfiguration, token_url: str) -> None:
        self._config = config
        self.token_url = token_url
        self._cache: dict[str, tuple[str, float]] = {}

    @property
    def configuration(self) -> AgentAuthConfiguration:
        return self._config

    async def get_access_token(self, resource_url: str, scopes: list[str], force_refresh: bool = False) -> str:
        scope = " ".join(scopes) if scopes else f"{resource_url.rstrip('/')}/.default"
        cached = self._cache.get(scope)
        if cached and not force_refresh and cached[1] - 60 > time.time():
            return cached[0]
        async with httpx.AsyncClient(timeout=10) as client:
            response = await client.post(
                self.token_url,
                data={
                    "grant_type": "client_credentials",
                    "client_id": self._config.CLIENT_ID or "",
                    "client_secret": self._config.CLIENT_SECRET or "",
                    "scope": scope,
                },
            )
        response.raise_for_status()
        body = response.json()
        token = str(body["access_token"])
        self._cache[scope] = (token, time.time() + float(body.get("expires_in", 3600)))
        return token

    def get_token_credential(self) -> Any:
        provider = self

        class _Credential:
            async def get_token(self, *scopes: str, **_kwargs: Any) -> AccessToken:
                token = await provider.get_access_token("", list(scopes))
                return AccessToken(token, int(time.time()) + 300)

        return _Credential()

    # Not used by a bot that only answers and posts (no user sign-in, no agentic identities).
    async def acquire_token_on_behalf_of(self, scopes: list[str], user_assertion: str) -> str:
        raise NotImplementedError("on-behalf-of tokens need MSAL (unset TEAMS_TOKEN_URL)")

    async def get_agentic_application_token(self, tenant_id: str, agent_app_instance_id: str) -> str | None:
        raise NotImplementedError("agentic identities are not used")

    async def get_agentic_instance_token(self, tenant_id: str, agent_app_instance_id: str) -> tuple[str, str]:
        raise NotImplementedError("agentic identities are not used")

    async def get_agentic_user_token(
        self, tenant_id: str, agent_app_instance_id: str, agentic_user_id: str, scopes: list[str]
    ) -> str | None:
        raise NotImplementedError("agentic identities are not used")


def connections(settings: Settings) -> Connections:
    """The SDK connection manager that hands out outbound token providers."""
    config = auth_configuration(settings)

    def provider(cfg: AgentAuthConfiguration) -> AccessTokenProviderBase:
        if not settings.teams_app_id:
            return AnonymousTokenProvider()
        if settings.teams_token_url:
            return ClientCredentialsProvider(cfg, settings.teams_token_url)
        return MsalAuth(cfg)

    return ConnectionManager(provider, connections_configurations={"SERVICE_CONNECTION": config})
