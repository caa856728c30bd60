"""Checks the Bearer token on every inbound Teams activity (PyJWT, keys from the issuer's JWKS).

Why not the Agents SDK's JwtTokenValidator: it checks the issuer only when VALIDATE_ISSUER is
turned on, and even then always trusts Microsoft's own first-party tenants; it does not require
`exp`; and pinning its key location (TEAMS_JWKS_URL) means reaching into a private class. This
module states the whole policy in one place:

- issuer: Bot Framework's `https://api.botframework.com`, plus, when TEAMS_TENANT_ID is set
  (single-tenant bot), that tenant's Entra issuers (`https://login.microsoftonline.com/{tenant}/v2.0`
  and `https://sts.windows.net/{tenant}/`); any other issuer, or none, is refused before a key is
  fetched;
- signature: RS256 with a key from the issuer's JWKS (TEAMS_JWKS_URL replaces every issuer's key
  location, for sovereign clouds and local testing);
- audience: our app id (TEAMS_APP_ID);
- expiry: `exp` is required, with five minutes' clock skew (Bot Framework's documented tolerance);
- calling app: a tenant-issued token must have been issued to this bot itself (`appid` or `azp`
  equal to the audience), as Bot Framework's skill check reads them: any app in the tenant can
  get a token for our app id, and must not speak for a user (:func:`issued_to`);
- service URL: when the token names one (`serviceurl`), the activity's serviceUrl must be the
  same, so a token minted for one Bot Connector cannot make us post to another
  (:func:`check_service_url`, called once the body is parsed).
"""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import jwt

from bot.config import Settings

BOT_FRAMEWORK_ISSUER = "https://api.botframework.com"
BOT_FRAMEWORK_JWKS_URL = "https://login.botframework.com/v1/.well-known/keys"
ENTRA_JWKS_URL = "https://login.microsoftonline.com/{tenant}/discovery/v2.0/keys"
ENTRA_ISSUERS = ("https://login.microsoftonline.com/{tenant}/v2.0", "https://sts.windows.net/{tenant}/")
CLOCK_SKEW_SECONDS = 300
ALGORITHMS = ["RS256"]
REQUIRED_CLAIMS = ["iss", "aud", "exp"]
SERVICE_URL_CLAIM = "serviceurl"


class TokenRejected(Exception):
    """The token is not one we trust; the message says which check failed (for the log only)."""


@dataclass(frozen=True)
class TokenPolicy:
    """Who may call us: our app id as audience, and each trusted issuer with its key location."""

    audience: str
    jwks_by_issuer: dict[str, str]

    @classmethod
    def from_settings(cls, settings: Settings) -> TokenPolicy:
        override = settings.teams_jwks_url
        jwks = {BOT_FRAMEWORK_ISSUER: override or BOT_FRAMEWORK_JWKS_URL}
        tenant = settings.teams_tenant_id.strip()
        if tenant:
            for template in ENTRA_ISSUERS:
                jwks[template.format(tenant=tenant)] = override or ENTRA_JWKS_URL.format(tenant=tenant)
        return cls(audience=settings.teams_app_id, jwks_by_issuer=jwks)


class InboundTokenValidator:
    """Validates tokens against a :class:`TokenPolicy`. Keys are cached per JWKS URL by PyJWKClient
    (which refetches the set when it meets an unknown key id, so key rotation needs no restart)."""

    def __init__(self, policy: TokenPolicy) -> None:
        if not policy.audience:
            raise ValueError("an audience (TEAMS_APP_ID) is needed to validate tokens")
        self.policy = policy
        self._clients: dict[str, jwt.PyJWKClient] = {}
        self._lock = threading.Lock()

    async def validate(self, token: str) -> dict[str, Any]:
        """The verified claims, or :class:`TokenRejected`."""
        try:
            unverified = jwt.decode(token, options={"verify_signature": False})
        except jwt.PyJWTError as exc:
            raise TokenRejected(f"not a JWT ({type(exc).__name__})") from exc
        issuer = unverified.get("iss")
        jwks_url = self.policy.jwks_by_issuer.get(issuer) if isinstance(issuer, str) else None
        if jwks_url is None:
            raise TokenRejected("issuer not trusted")
        try:
            key = await asyncio.to_thread(self._signing_key, jwks_url, token)
            claims: dict[str, Any] = jwt.decode(
                token, key, algorithms=ALGORITHMS, audience=self.policy.audience, issuer=issuer,
                leeway=CLOCK_SKEW_SECONDS, options={"require": REQUIRED_CLAIMS},
            )
        except jwt.PyJWTError as exc:
            raise TokenRejected(f"{type(exc).__name__}: {exc}") from exc
        if issuer != BOT_FRAMEWORK_ISSUER:
            calling_app = issued_to(claims)
            if calling_app is not None and calling_app != self.policy.audience:
                # Any app in the tenant can get a token whose audience is our app id; only the
                # tenant's tokens issued to the bot itself speak for the Bot Connector.
                raise TokenRejected(f"issued to another app ({calling_app})")
        return claims

    def _signing_key(self, jwks_url: str, token: str) -> Any:
        with self._lock:  # PyJWKClient's caches are not thread-safe; this also avoids duplicate fetches
            client = self._clients.get(jwks_url)
            if client is None:
                client = self._clients[jwks_url] = jwt.PyJWKClient(jwks_url, cache_keys=True, timeout=10)
            return client.get_signing_key_from_jwt(token).key


def issued_to(claims: dict[str, Any]) -> str | None:
    """The app an Entra token was issued to, read as Bot Framework reads it: `appid` in version 1.0
    tokens, `azp` in version 2.0; None when the token names no version or no app. A token issued
    to an app other than its audience is another app calling (a "skill" call), which we refuse."""
    version = claims.get("ver")
    if version is None:
        return None
    app = claims.get("appid") if version == "1.0" else claims.get("azp")
    return app if isinstance(app, str) and app else None


def check_service_url(claims: dict[str, Any], service_url: str | None) -> None:
    """Refuse an activity whose serviceUrl differs from the one its token was issued for."""
    claimed = claims.get(SERVICE_URL_CLAIM)
    if claimed is None:
        return
    if not isinstance(claimed, str) or not isinstance(service_url, str) or _url_key(claimed) != _url_key(service_url):
        raise TokenRejected("the activity's serviceUrl is not the one the token was issued for")


def _url_key(url: str) -> tuple[str, str, str]:
    """Scheme and host compare without case (as DNS does), the path exactly, a final slash aside."""
    parts = urlsplit(url.strip())
    return parts.scheme.lower(), parts.netloc.lower(), parts.path.rstrip("/")
