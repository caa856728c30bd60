"""People known by email, through Teams: the SDK's real pipeline on our server, the member lookup
through the SDK's connector client to the fake Bot Connector (which answers it as strictly as
Teams: the app's token, the bot's conversations, members only)."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator

import pytest

from bot.bootstrap import email_lookups
from bot.config import Settings
from bot.core.message import UserRef
from bot.router import Router
from bot.services import Services
from storage.tables import Person
from tests.fakes.bot_connector import FakeBotConnector
from tests.teams.activities import APP_ID, PERSONAL, TENANT, USER_AAD, USER_ID, personal_message
from tests.teams.conftest import build_app, post, running


@pytest.fixture
def teams_server(teams_settings: Settings, services: Services, router: Router) -> Iterator[str]:
    """The served app with Teams credentials, so the member lookup is wired as in production."""
    services.settings = teams_settings
    services.identities.lookups = email_lookups(services)
    with running(build_app(teams_settings, services, router)) as url:
        yield url


def say(url: str, connector: FakeBotConnector, text: str) -> str:
    before = len(connector.sent)
    activity = personal_message(connector.service_url, text)
    response = post(url, activity, connector.sign(audience=APP_ID))
    assert response.status_code in {200, 202}
    sent = connector.wait_for(before + 1)[before]
    return str(sent.activity.get("summary") or sent.activity.get("text") or "")


def test_a_broker_whose_teams_email_is_on_the_roster_logs_the_agreement_on_first_contact(
    teams_server: str, bot_connector: FakeBotConnector, services: Services
) -> None:
    bot_connector.add_member(PERSONAL, member_id=USER_ID, object_id=USER_AAD, name="Paul Curran",
                             email="CURRAN56@yahoo.co.uk", tenant_id=TENANT)
    text = say(teams_server, bot_connector, "/signup London dcs agreed 20/11/2026")
    assert text.startswith("You are linked as Paul Curran, lead broker for London.")
    assert "Logged: London, director of children's services agreed on 20 November 2026" in text
    assert bot_connector.member_lookups == [(PERSONAL, USER_AAD)]
    with services.db.session() as session:
        paul = session.get(Person, services.actors.actor_for(UserRef("teams", USER_AAD)).person_id)
        assert paul is not None and (paul.teams_user_id, paul.teams_tenant_id) == (USER_AAD, TENANT)
    say(teams_server, bot_connector, "/people Paul Curran")
    assert f"Teams {USER_AAD} (tenant {TENANT})" in json.dumps(bot_connector.sent[-1].card)
    assert len(bot_connector.member_lookups) == 1  # linked: never looked up again


def test_the_user_principal_name_counts_when_teams_has_no_email(
    teams_server: str, bot_connector: FakeBotConnector, services: Services
) -> None:
    bot_connector.add_member(PERSONAL, member_id=USER_ID, object_id=USER_AAD, name="Liz Cole", email=None,
                             upn="liz.cole@local.gov.uk", tenant_id=TENANT)
    assert say(teams_server, bot_connector, "/council Harrow").startswith(
        "You are linked as Liz Cole, central contact.")


def test_a_teams_user_not_on_the_roster_is_told_how_to_get_linked(
    teams_server: str, bot_connector: FakeBotConnector
) -> None:
    bot_connector.add_member(PERSONAL, member_id=USER_ID, object_id=USER_AAD, name="Dana Director",
                             email="dana@example.org", tenant_id=TENANT)
    text = say(teams_server, bot_connector, "/signup London dcs agreed 20/11/2026")
    assert text.startswith("Only lead brokers and admins can ")
    assert "--slack-user" not in text and "people link YOUR NAME @you" in text
    say(teams_server, bot_connector, "/signup London dcs agreed 20/11/2026")
    assert len(bot_connector.member_lookups) == 1  # the miss is remembered


def test_a_refused_lookup_leaves_a_reader(
    teams_server: str, bot_connector: FakeBotConnector
) -> None:
    # The connector does not know this conversation's members: 403 from Teams, a reader here.
    assert say(teams_server, bot_connector, "/council Harrow").startswith("Harrow")
    assert bot_connector.member_lookups == [(PERSONAL, USER_AAD)]


def test_an_admin_links_a_teams_user_by_mention_with_their_tenant(
    teams_settings: Settings, services: Services, router: Router, bot_connector: FakeBotConnector
) -> None:
    admin = dataclasses.replace(teams_settings, admins=frozenset({f"teams:{USER_AAD}"}))
    services.settings = admin
    services.actors.settings = admin
    services.identities.lookups = email_lookups(services)
    with running(build_app(admin, services, router)) as url:
        activity = personal_message(bot_connector.service_url, "people link Liz Cole <at>Liz Cole</at>")
        activity["entities"] = [{"type": "mention", "text": "<at>Liz Cole</at>",
                                 "mentioned": {"id": "29:1LizColeBotFrameworkId", "name": "Liz Cole"}}]
        post(url, activity, bot_connector.sign(audience=APP_ID))
        text = str(bot_connector.wait_for(1)[0].activity.get("summary") or "")
        assert text.startswith("Linked Liz Cole to Teams 29:1LizColeBotFrameworkId")
        row = next(r for r in services.roster.people() if r.name == "Liz Cole")
        assert (row.teams_user_id, row.teams_tenant_id) == ("29:1LizColeBotFrameworkId", TENANT)

        # Liz's own messages carry her Entra object id; the member lookup says both are her
        # (she has no email on file, so only the id can tell), and the link moves to the object id.
        bot_connector.add_member(PERSONAL, member_id="29:1LizColeBotFrameworkId", object_id="aad-liz-0001",
                                 name="Liz Cole", email=None, upn="lcole@tenant.example", tenant_id=TENANT)
        from_liz = personal_message(bot_connector.service_url, "/council Harrow")
        from_liz["from"] = {"id": "29:1LizColeBotFrameworkId", "name": "Liz Cole", "aadObjectId": "aad-liz-0001"}
        post(url, from_liz, bot_connector.sign(audience=APP_ID))
        bot_connector.wait_for(2)
    assert services.actors.actor_for(UserRef("teams", "aad-liz-0001")).name == "Liz Cole"
    assert services.audit.history("person", "Liz Cole")[0].actor == "the bot, by Teams account"
