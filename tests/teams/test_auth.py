"""Inbound JWT authentication on /api/messages, and the app token on outbound replies."""

from __future__ import annotations

import dataclasses
import logging

import pytest

from bot.adapters.teams.auth import ANONYMOUS_WARNING, RequestAuthenticator
from bot.config import Settings
from tests.fakes.bot_connector import FakeBotConnector
from tests.teams.activities import APP_ID, personal_message
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
