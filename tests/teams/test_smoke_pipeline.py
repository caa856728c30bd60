from __future__ import annotations

from tests.fakes.bot_connector import FakeBotConnector
from tests.teams.activities import personal_message
from tests.teams.conftest import post


def test_anonymous_personal_message_gets_a_card(anonymous_url: str, bot_connector: FakeBotConnector) -> None:
    response = post(anonymous_url, personal_message(bot_connector.service_url, "council Harrow"))
    assert response.status_code in (200, 202), response.text
    sent = bot_connector.wait_for(1)
    print(sent[0].activity)
    assert "Harrow" in sent[0].text
