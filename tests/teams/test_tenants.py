"""Many Teams tenants (a multi-tenant registration) and one (TEAMS_TENANT_ID), through the real
/api/messages pipeline and the fake Bot Connector: which conversations are answered, the tenant kept
with each conversation and subscription, and where outbound app tokens come from."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
from microsoft_agents.authentication.msal import MsalAuth

from bot.adapters.teams.auth import connections
from bot.config import Settings
from bot.services import Services
from bot.services.teams_conversations import TeamsConversations
from tests.conftest import make_settings
from tests.fakes.bot_connector import FakeBotConnector
from tests.teams.activities import APP_ID, PERSONAL, TENANT, USER_AAD, personal_message
from tests.teams.conftest import build_app, post, running

OTHER_TENANT = "0badc0de-0000-4000-8000-0000000000ff"


def from_tenant(service_url: str, text: str, tenant: str) -> dict:  # type: ignore[type-arg]
    """A personal-chat message from a person in `tenant` (Teams names it twice)."""
    activity = personal_message(service_url, text)
    activity["conversation"]["tenantId"] = tenant
    activity["channelData"] = {"tenant": {"id": tenant}}
    return activity


@pytest.fixture
def settings(db_path: Path) -> Settings:
    """The Teams user is an admin (subscribing a conversation is a write)."""
    return make_settings(f"sqlite:///{db_path}", admins=frozenset({f"teams:{USER_AAD}"}))


@pytest.fixture
def admin_settings(teams_settings: Settings) -> Settings:
    return teams_settings


@pytest.fixture
def multi_tenant_url(admin_settings: Settings, services: Services, router) -> Iterator[str]:  # type: ignore[no-untyped-def]
    services.settings = admin_settings
    with running(build_app(admin_settings, services, router)) as url:
        yield url


@pytest.fixture
def single_tenant_url(admin_settings: Settings, services: Services, router) -> Iterator[str]:  # type: ignore[no-untyped-def]
    single = dataclasses.replace(admin_settings, teams_tenant_id=TENANT)
    services.settings = single
    with running(build_app(single, services, router)) as url:
        yield url


def test_multi_tenant_answers_every_tenant_and_keeps_each_conversations_tenant(
    multi_tenant_url: str, bot_connector: FakeBotConnector, services: Services
) -> None:
    token = bot_connector.sign(audience=APP_ID)  # Bot Framework's token: the same for every tenant
    response = post(multi_tenant_url, from_tenant(bot_connector.service_url, "/digest subscribe London", OTHER_TENANT),
                    token)
    assert response.status_code == 202
    assert "Subscribed" in str(bot_connector.wait_for(1)[0].activity)
    [stored] = TeamsConversations(services.db).all(active_only=False)
    assert stored.conversation_id == PERSONAL and stored.tenant_id == OTHER_TENANT
    [subscription] = services.scheduling.subscriptions.all()
    assert (subscription.platform, subscription.destination, subscription.workspace) == ("teams", PERSONAL,
                                                                                          OTHER_TENANT)


def test_multi_tenant_still_refuses_forged_issuers_and_audiences(
    multi_tenant_url: str, bot_connector: FakeBotConnector
) -> None:
    activity = from_tenant(bot_connector.service_url, "council Harrow", OTHER_TENANT)
    for forged in (bot_connector.sign(audience=APP_ID, issuer=f"https://login.microsoftonline.com/{OTHER_TENANT}/v2.0"),
                   bot_connector.sign(audience=APP_ID, issuer="https://evil.example.com"),
                   bot_connector.sign(audience="another-app-id")):
        assert post(multi_tenant_url, activity, forged).status_code == 401
    assert bot_connector.sent == []


def test_single_tenant_answers_only_its_own_tenant(
    single_tenant_url: str, bot_connector: FakeBotConnector, services: Services
) -> None:
    token = bot_connector.sign(audience=APP_ID)
    refused = post(single_tenant_url, from_tenant(bot_connector.service_url, "council Harrow", OTHER_TENANT), token)
    assert refused.status_code == 403
    assert bot_connector.sent == [] and TeamsConversations(services.db).all(active_only=False) == []
    accepted = post(single_tenant_url, from_tenant(bot_connector.service_url, "council Harrow", TENANT), token)
    assert accepted.status_code == 202
    assert len(bot_connector.wait_for(1)) == 1
    assert [c.tenant_id for c in TeamsConversations(services.db).all(active_only=False)] == [TENANT]


def test_outbound_tokens_come_from_bot_frameworks_tenant_unless_one_tenant_is_set(settings: Settings) -> None:
    production = dataclasses.replace(settings, teams_app_id=APP_ID, teams_app_password="s")
    multi = connections(production).get_default_connection()
    assert isinstance(multi, MsalAuth)
    assert MsalAuth._resolve_authority(multi.configuration) == "https://login.microsoftonline.com/botframework.com"
    single = connections(dataclasses.replace(production, teams_tenant_id=TENANT)).get_default_connection()
    assert isinstance(single, MsalAuth)
    assert MsalAuth._resolve_authority(single.configuration) == f"https://login.microsoftonline.com/{TENANT}"
