"""Install and uninstall events: conversation references stored for proactive messages, a welcome."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from bot.router import APOLOGY
from bot.services import Services
from bot.services.teams_conversations import TeamsConversations
from tests.fakes.bot_connector import FakeBotConnector
from tests.teams.activities import BOT_ID, CHANNEL, PERSONAL, installation_update, installed_in_channel
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


def installed_in_personal_chat(service_url: str, conversation: str) -> dict[str, Any]:
    """conversationUpdate that Teams sends with installationUpdate when a person adds the app."""
    activity = installation_update(service_url, "add", conversation)
    del activity["action"]
    activity.update(type="conversationUpdate", membersAdded=[{"id": BOT_ID}])
    return activity


def test_concurrent_remembers_of_one_conversation_insert_once_and_never_fail(services: Services) -> None:
    conversations = TeamsConversations(services.db)
    for round_number in range(10):
        conversation = f"a:race-{round_number}"
        start = threading.Barrier(4)

        def remember(source: str, conversation: str = conversation, start: threading.Barrier = start) -> bool:
            start.wait()
            return conversations.remember(conversation, {"conversation": {"id": conversation}},
                                          service_url="https://smba.example/", source=source)

        with ThreadPoolExecutor(max_workers=4) as pool:
            created = list(pool.map(remember, ["install", "install", "message", "install"]))
        assert created.count(True) == 1, created  # exactly one insert won; the rest refreshed the row
        assert conversations.get(conversation) is not None


def test_install_events_arriving_together_always_welcome(
    anonymous_url: str, bot_connector: FakeBotConnector, services: Services
) -> None:
    """Teams sends installationUpdate and conversationUpdate for one install at the same moment."""
    rounds = 6
    for round_number in range(rounds):
        conversation = f"a:together-{round_number}"
        events = [installation_update(bot_connector.service_url, "add", conversation),
                  installed_in_personal_chat(bot_connector.service_url, conversation)]
        with ThreadPoolExecutor(max_workers=2) as pool:
            statuses = [r.status_code for r in pool.map(lambda a: post(anonymous_url, a), events)]
        assert statuses == [202, 202]
    welcomes = bot_connector.wait_for(rounds)
    assert sorted(w.conversation_id for w in welcomes) == sorted(f"a:together-{n}" for n in range(rounds))
    assert all(w.card is not None for w in welcomes)  # the help card, never the apology
    stored = TeamsConversations(services.db).all()
    assert sorted(s.conversation_id for s in stored) == sorted(f"a:together-{n}" for n in range(rounds))


def test_a_failed_install_turn_is_answered_with_an_apology(
    anonymous_url: str, bot_connector: FakeBotConnector, monkeypatch: pytest.MonkeyPatch
) -> None:
    def database_down(*_args: object, **_kwargs: object) -> bool:
        raise OSError("database unavailable")

    monkeypatch.setattr(TeamsConversations, "remember", database_down)
    assert post(anonymous_url, installed_in_channel(bot_connector.service_url)).status_code in {202, 500}
    [apology] = bot_connector.wait_for(1)
    assert apology.conversation_id == CHANNEL
    assert apology.text == APOLOGY
    assert bot_connector.refused == []


def test_no_apology_into_a_conversation_the_bot_was_removed_from(
    anonymous_url: str, bot_connector: FakeBotConnector, monkeypatch: pytest.MonkeyPatch
) -> None:
    def database_down(*_args: object, **_kwargs: object) -> bool:
        raise OSError("database unavailable")

    monkeypatch.setattr(TeamsConversations, "deactivate", database_down)
    post(anonymous_url, installation_update(bot_connector.service_url, "remove"))
    assert bot_connector.wait_for(1, timeout=1.0) == []
