"""Inbound JWT authentication on /api/messages, and the app token on outbound replies."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterator

import pytest

from bot.adapters.teams.auth import ANONYMOUS_WARNING, RequestAuthenticator
from bot.config import Settings
from tests.fakes.bot_connector import FakeBotConnector
from tests.teams.activities import APP_ID, TENANT, personal_message
from tests.teams.conftest import post


def test_request_without_a_token_is_refused(teams_url: str, bot_connector: FakeBotConnector) -> None:
    response = post(teams_url, personal_message(bot_connector.service_url, "council Harrow"))
    assert response.status_code == 401
    assert bot_connector.sent == []


@pytest.mark.parametrize("header", ["Basic dXNlcjpwYXNz", "Bearer not-a-jwt", "Bearer"])
def test_malformed_authorization_is_refused(teams_url: str, bot_connector: FakeBotConnector, header: str) -> None:
    import httpx

    response = httpx.post(teams_url + "/api/messages", headers={"Authorization": header},
                          json=personal_message(bot_connector.service_url, "council Harrow"))
    assert response.status_code == 401


def test_token_for_another_app_is_refused(teams_url: str, bot_connector: FakeBotConnector) -> None:
    token = bot_connector.sign(audience="someone-elses-app-id")
    response = post(teams_url, personal_message(bot_connector.service_url, "council Harrow"), token)
    assert response.status_code == 401


def test_expired_token_is_refused(teams_url: str, bot_connector: FakeBotConnector) -> None:
    token = bot_connector.sign(audience=APP_ID, lifetime=-3600)  # expired an hour ago (beyond the leeway)
    response = post(teams_url, personal_message(bot_connector.service_url, "council Harrow"), token)
    assert response.status_code == 401


def test_token_signed_by_an_unknown_key_is_refused(teams_url: str, bot_connector: FakeBotConnector) -> None:
    with FakeBotConnector() as impostor:  # same kid, different RSA key
        token = impostor.sign(audience=APP_ID, service_url=bot_connector.service_url)
    response = post(teams_url, personal_message(bot_connector.service_url, "council Harrow"), token)
    assert response.status_code == 401


def test_valid_signed_token_is_accepted_and_replies_carry_an_app_token(
    teams_url: str, bot_connector: FakeBotConnector
) -> None:
    token = bot_connector.sign(audience=APP_ID)
    response = post(teams_url, personal_message(bot_connector.service_url, "council Harrow"), token)
    assert response.status_code == 202
    [sent] = bot_connector.wait_for(1)
    assert sent.token and sent.token.startswith("fake-app-token-")
    grant = bot_connector.token_requests[0]
    assert grant["grant_type"] == "client_credentials"
    assert grant["client_id"] == APP_ID
    assert grant["scope"] == "https://api.botframework.com/.default"


def test_anonymous_mode_accepts_unsigned_activities_and_warns(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="bot.adapters.teams.auth"):
        RequestAuthenticator(dataclasses.replace(settings, teams_allow_anonymous=True))
    assert ANONYMOUS_WARNING in caplog.text
    assert "UNAUTHENTICATED" in caplog.text


def test_anonymous_server_answers_without_a_token(anonymous_url: str, bot_connector: FakeBotConnector) -> None:
    assert post(anonymous_url, personal_message(bot_connector.service_url, "help")).status_code == 202
    [sent] = bot_connector.wait_for(1)
    assert sent.token is None  # nothing to sign with in local anonymous mode


def test_service_url_outside_microsoft_is_refused_by_default(
    teams_settings: Settings, services, router, bot_connector: FakeBotConnector  # type: ignore[no-untyped-def]
) -> None:
    from tests.teams.conftest import build_app, running

    checked = dataclasses.replace(teams_settings, teams_check_service_url=True)
    services.settings = checked
    with running(build_app(checked, services, router)) as url:
        token = bot_connector.sign(audience=APP_ID)  # a valid token, but the activity points elsewhere
        response = post(url, personal_message(bot_connector.service_url, "council Harrow"), token)
    assert response.status_code == 401
    assert bot_connector.sent == []


def test_anonymous_mode_with_an_app_password_still_refuses_hosts_outside_microsoft(
    teams_settings: Settings, services, router, bot_connector: FakeBotConnector  # type: ignore[no-untyped-def]
) -> None:
    """Anonymous mode turns the serviceUrl check off for the emulator's localhost, but not when an
    app password is set: an unauthenticated activity could then have the app's token sent to any
    host it names."""
    from tests.teams.conftest import build_app, running

    risky = dataclasses.replace(teams_settings, teams_allow_anonymous=True, teams_app_password="secret",
                                teams_check_service_url=True)
    services.settings = risky
    with running(build_app(risky, services, router)) as url:
        response = post(url, personal_message(bot_connector.service_url, "council Harrow"))  # no token
    assert response.status_code == 401
    assert bot_connector.sent == [] and bot_connector.token_requests == []


def test_production_outbound_tokens_come_from_msal(settings: Settings) -> None:
    from microsoft_agents.authentication.msal import MsalAuth
    from microsoft_agents.hosting.core import AnonymousTokenProvider

    from bot.adapters.teams.auth import ClientCredentialsProvider, connections

    production = dataclasses.replace(settings, teams_app_id=APP_ID, teams_app_password="s", teams_tenant_id="t")
    provider = connections(production).get_default_connection()
    assert isinstance(provider, MsalAuth)
    assert provider.configuration.CLIENT_ID == APP_ID and provider.configuration.TENANT_ID == "t"
    overridden = dataclasses.replace(production, teams_token_url="https://proxy.example/token")
    assert isinstance(connections(overridden).get_default_connection(), ClientCredentialsProvider)
    assert isinstance(connections(settings).get_default_connection(), AnonymousTokenProvider)


# ---- forged tokens: every check (issuer, expiry, audience, signature, service URL) ---------------

OTHER_TENANT = "0badc0de-0000-4000-8000-0000000000ff"


def forged_tokens(fake: FakeBotConnector) -> dict[str, str]:
    """Tokens that must each be refused; all are signed with the key the server trusts unless the
    case is about the signature."""
    with FakeBotConnector() as impostor:  # same key id, another RSA key
        wrong_key = impostor.sign(audience=APP_ID, service_url=fake.service_url)
    good = fake.sign(audience=APP_ID)
    header, payload, signature = good.split(".")
    return {
        "evil issuer": fake.sign(audience=APP_ID, issuer="https://evil.example.com"),
        "no issuer": fake.sign(audience=APP_ID, issuer=None),
        "another tenant's Entra issuer": fake.sign(audience=APP_ID,
                                                   issuer=f"https://login.microsoftonline.com/{OTHER_TENANT}/v2.0"),
        "another tenant's v1 issuer": fake.sign(audience=APP_ID, issuer=f"https://sts.windows.net/{OTHER_TENANT}/"),
        "issuer with different case and slash": fake.sign(audience=APP_ID, issuer="https://API.botframework.com/"),
        "no exp": fake.sign(audience=APP_ID, lifetime=None),
        "expired": fake.sign(audience=APP_ID, lifetime=-3600),
        "not yet valid": fake.sign(audience=APP_ID, nbf=2_000_000_000 + 10**9),
        "wrong audience": fake.sign(audience="someone-elses-app-id"),
        "audience list without us": fake.sign(audience=["a", "b"]),  # type: ignore[arg-type]
        "signed by another key": wrong_key,
        "tampered payload": ".".join([header, fake.sign(audience=APP_ID, role="admin").split(".")[1], signature]),
        "alg none": ".".join(["eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0", payload, ""]),
        "HS256 with the public key as secret": _hs256_with_public_key(fake),
        "wrong service URL": fake.sign(audience=APP_ID, service_url="https://smba.evil.example.com/amer/"),
        # Any app in the tenant can get a token whose audience is our app id: issued to itself.
        "the tenant's v2 token issued to another app": fake.sign(
            audience=APP_ID, issuer=f"https://login.microsoftonline.com/{TENANT}/v2.0",
            ver="2.0", azp="another-app-in-the-tenant"),
        "the tenant's v1 token issued to another app": fake.sign(
            audience=APP_ID, issuer=f"https://sts.windows.net/{TENANT}/",
            ver="1.0", appid="another-app-in-the-tenant"),
    }


def _hs256_with_public_key(fake: FakeBotConnector) -> str:
    """The classic algorithm-confusion forgery: HMAC-sign with the (public) RSA key's PEM."""
    import hmac
    from base64 import urlsafe_b64encode
    from hashlib import sha256
    from json import dumps

    from cryptography.hazmat.primitives import serialization

    def b64(data: bytes) -> str:
        return urlsafe_b64encode(data).rstrip(b"=").decode()

    pem = fake.key.public_key().public_bytes(serialization.Encoding.PEM,
                                             serialization.PublicFormat.SubjectPublicKeyInfo)
    good_payload = fake.sign(audience=APP_ID).split(".")[1]
    signing_input = f"{b64(dumps({'alg': 'HS256', 'kid': 'fake-key-1', 'typ': 'JWT'}).encode())}.{good_payload}"
    return f"{signing_input}.{b64(hmac.new(pem, signing_input.encode(), sha256).digest())}"


@pytest.fixture
def single_tenant_url(teams_settings: Settings, services, router) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """A server configured for one Entra tenant (TEAMS_TENANT_ID=TENANT)."""
    from tests.teams.conftest import build_app, running

    single = dataclasses.replace(teams_settings, teams_tenant_id=TENANT)
    services.settings = single
    with running(build_app(single, services, router)) as url:
        yield url


def stored_conversations(services) -> list:  # type: ignore[no-untyped-def]
    from bot.services.teams_conversations import TeamsConversations

    return TeamsConversations(services.db).all(active_only=False)


def test_forged_tokens_are_all_refused_and_nothing_is_written(
    single_tenant_url: str, bot_connector: FakeBotConnector, services  # type: ignore[no-untyped-def]
) -> None:
    forged = forged_tokens(bot_connector)
    statuses = {case: post(single_tenant_url, personal_message(bot_connector.service_url, "council Harrow"),
                           token).status_code for case, token in forged.items()}
    assert statuses == dict.fromkeys(forged, 401)
    assert bot_connector.sent == [] and bot_connector.token_requests == []
    assert stored_conversations(services) == []
    # the same request with a good token is accepted and recorded, so the checks above could fail
    good = post(single_tenant_url, personal_message(bot_connector.service_url, "council Harrow"),
                bot_connector.sign(audience=APP_ID))
    assert good.status_code == 202
    assert len(bot_connector.wait_for(1)) == 1
    assert len(stored_conversations(services)) == 1


@pytest.mark.parametrize(("issuer", "issued_to"), [
    (f"https://login.microsoftonline.com/{TENANT}/v2.0", {"ver": "2.0", "azp": APP_ID}),
    (f"https://sts.windows.net/{TENANT}/", {"ver": "1.0", "appid": APP_ID}),
    (f"https://sts.windows.net/{TENANT}/", {}),
])
def test_single_tenant_accepts_its_own_entra_issuers(
    single_tenant_url: str, bot_connector: FakeBotConnector, issuer: str, issued_to: dict[str, str]
) -> None:
    token = bot_connector.sign(audience=APP_ID, issuer=issuer, **issued_to)
    response = post(single_tenant_url, personal_message(bot_connector.service_url, "council Harrow"), token)
    assert response.status_code == 202
    assert len(bot_connector.wait_for(1)) == 1


def test_multi_tenant_refuses_entra_tenant_issuers(teams_url: str, bot_connector: FakeBotConnector) -> None:
    """Without TEAMS_TENANT_ID only Bot Framework's issuer is trusted: any tenant's token is refused."""
    token = bot_connector.sign(audience=APP_ID, issuer=f"https://login.microsoftonline.com/{TENANT}/v2.0")
    response = post(teams_url, personal_message(bot_connector.service_url, "council Harrow"), token)
    assert response.status_code == 401
    assert bot_connector.sent == []


def test_service_url_claim_must_match_the_activity(teams_url: str, bot_connector: FakeBotConnector) -> None:
    activity = personal_message(bot_connector.service_url, "council Harrow")
    elsewhere = bot_connector.sign(audience=APP_ID, service_url=bot_connector.root + "/emea/")
    assert post(teams_url, activity, elsewhere).status_code == 401
    other_path = bot_connector.sign(audience=APP_ID, service_url=bot_connector.service_url.replace("/amer/", "/AMER/"))
    assert post(teams_url, activity, other_path).status_code == 401
    scheme_case_and_slash = bot_connector.sign(
        audience=APP_ID, service_url=bot_connector.service_url.replace("http:", "HTTP:").rstrip("/"))
    assert post(teams_url, activity, scheme_case_and_slash).status_code == 202
    assert len(bot_connector.wait_for(1)) == 1


def test_policy_lists_only_bot_framework_and_the_configured_tenant(settings: Settings) -> None:
    from bot.adapters.teams.token_validation import TokenPolicy

    multi = TokenPolicy.from_settings(dataclasses.replace(settings, teams_app_id=APP_ID))
    assert multi.jwks_by_issuer == {"https://api.botframework.com": "https://login.botframework.com/v1/.well-known/keys"}
    single = TokenPolicy.from_settings(dataclasses.replace(settings, teams_app_id=APP_ID, teams_tenant_id=TENANT))
    assert set(single.jwks_by_issuer) == {"https://api.botframework.com",
                                          f"https://login.microsoftonline.com/{TENANT}/v2.0",
                                          f"https://sts.windows.net/{TENANT}/"}
    assert single.jwks_by_issuer[f"https://sts.windows.net/{TENANT}/"] == (
        f"https://login.microsoftonline.com/{TENANT}/discovery/v2.0/keys")
    pinned = TokenPolicy.from_settings(dataclasses.replace(settings, teams_app_id=APP_ID, teams_tenant_id=TENANT,
                                                           teams_jwks_url="http://127.0.0.1:9/jwks"))
    assert set(pinned.jwks_by_issuer.values()) == {"http://127.0.0.1:9/jwks"}
