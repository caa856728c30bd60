"""Install and uninstall events: conversation references stored for proactive messages, a welcome."""

from __future__ import annotations

from bot.services import Services
from bot.services.teams_conversations import TeamsConversations
from tests.fakes.bot_connector import FakeBotConnector
from tests.teams.activities import CHANNEL, PERSONAL, installation_update, installed_in_channel
from tests.teams.conftest import post


def test_added_to_a_team_stores_the_channel_reference_and_says_hello(
    anonymous_url: str, bot_connector: FakeBotConnector, services: Services
) -> None:
    assert post(anonymous_url, installed_in_channel(bot_connector.service_url)).status_code == 202
    [welcome] = bot_connector.wait_for(1)
    assert welcome.conversation_id == CHANNEL
    assert welcome.card is not None  # the /help card
    stored = TeamsConversations(services.db).get(CHANNEL)
    assert stored is not None
    assert stored.source == "install"
    assert stored.conversation_type == "channel"
    assert stored.reference["serviceUrl"] == bot_connector.service_url


def test_installation_update_add_and_remove(
    anonymous_url: str, bot_connector: FakeBotConnector, services: Services
) -> None:
    conversations = TeamsConversations(services.db)
    post(anonymous_url, installation_update(bot_connector.service_url, "add"))
    stored = conversations.get(PERSONAL)
    assert stored is not None and stored.active and stored.source == "install"
    post(anonymous_url, installation_update(bot_connector.service_url, "remove"))
    stored = conversations.get(PERSONAL)
    assert stored is not None and not stored.active


def test_someone_else_joining_is_not_an_install(
    anonymous_url: str, bot_connector: FakeBotConnector, services: Services
) -> None:
    activity = installed_in_channel(bot_connector.service_url)
    activity["membersAdded"] = [{"id": "29:someone-else"}]
    assert post(anonymous_url, activity).status_code == 202
    assert bot_connector.sent == []
    assert TeamsConversations(services.db).get(CHANNEL) is None
