"""People known by email, through Slack: Bolt's real dispatch with signed requests, the fake Slack
Web API answering users.info as strictly as Slack (scopes, unknown users)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.core.message import UserRef
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.slack_harness import SlackServer, slack_settings

SIGNUP = ("/signup", "London dcs agreed 20/11/2026")
ADMIN = "U0ADMIN01"


@pytest.fixture
def server(db_path: Path, slack_api: FakeSlackApi) -> Iterator[SlackServer]:
    slack_api.add_user(ADMIN, email="ops@example.org", name="Olu Operator")
    server = SlackServer(slack_settings(db_path, slack_api, admins=frozenset({f"slack:{ADMIN}"}))).start()
    yield server
    server.stop()


def answer(server: SlackServer, api: FakeSlackApi, command: str, text: str, user: str) -> str:
    api.calls[:] = [c for c in api.calls if c.method != "response_url"]
    server.command(api, command, text, user=user)
    return str(api.wait_for("response_url")[0].payload["text"])


def test_a_broker_whose_slack_email_is_on_the_roster_logs_the_agreement_on_first_contact(
    server: SlackServer, slack_api: FakeSlackApi
) -> None:
    slack_api.add_user("U0PAUL001", email="Curran56@Yahoo.co.uk", name="Paul Curran")  # case differs
    text = answer(server, slack_api, *SIGNUP, user="U0PAUL001")
    assert text.startswith("You are linked as Paul Curran, lead broker for London.")
    assert "Logged: London, director of children's services agreed on 20 November 2026" in text
    [lookup] = slack_api.calls_for("users.info")
    assert lookup.payload["user"] == "U0PAUL001" and lookup.token == "xoxb-test-token"
    services = server.services
    actor = services.actors.actor_for(UserRef("slack", "U0PAUL001"))
    assert (actor.name, actor.access) == ("Paul Curran", "broker")
    link = services.audit.history("person", "Paul Curran")[0]
    assert link.actor == "the bot, by email match" and "email Curran56@Yahoo.co.uk matched" in link.summary

    # Told once; a linked user is never looked up again.
    again = answer(server, slack_api, "/signup", "London ce agreed 21/11/2026", user="U0PAUL001")
    assert not again.startswith("You are linked") and "Logged: London" in again
    assert len(slack_api.calls_for("users.info")) == 1


def test_someone_else_is_a_reader_told_which_admins_can_link_them(
    server: SlackServer, slack_api: FakeSlackApi
) -> None:
    services = server.services
    services.roster_edits.link(services.actors.actor_for(UserRef("console", "local")), "Alison Miller",
                               "slack", ADMIN)
    slack_api.add_user("U0STRANGE", email="someone@elsewhere.example", name="Sam Stranger")
    text = answer(server, slack_api, *SIGNUP, user="U0STRANGE")
    assert text.startswith("Only lead brokers and admins can ")
    assert "an admin (Alison Miller)" in text and "/brokerbot people link YOUR NAME @you" in text
    assert "--slack-user" not in text
    assert answer(server, slack_api, "/council", "Harrow", user="U0STRANGE").startswith("Harrow")  # may read
    # The miss is remembered: one users.info call for two messages.
    assert len(slack_api.calls_for("users.info")) == 1
    # A user Slack does not know (user_not_found) is a reader too, not an error.
    assert answer(server, slack_api, *SIGNUP, user="U0GHOST01").startswith("Only lead brokers and admins")


def test_without_the_email_scope_nobody_is_linked_and_nothing_fails(
    server: SlackServer, slack_api: FakeSlackApi
) -> None:
    slack_api.scopes.discard("users:read.email")
    slack_api.add_user("U0PAUL001", email="curran56@yahoo.co.uk")
    assert answer(server, slack_api, *SIGNUP, user="U0PAUL001").startswith("Only lead brokers and admins")
    assert len(slack_api.calls_for("users.info")) == 1
    assert server.services.actors.actor_for(UserRef("slack", "U0PAUL001")).person_id is None


def test_a_slow_lookup_degrades_to_reader(server: SlackServer, slack_api: FakeSlackApi) -> None:
    slack_api.add_user("U0PAUL001", email="curran56@yahoo.co.uk")
    slack_api.hold("users.info")
    try:
        text = answer(server, slack_api, "/council", "Harrow", user="U0PAUL001")
    finally:
        slack_api.release()
    assert text.startswith("Harrow")
    assert server.services.actors.actor_for(UserRef("slack", "U0PAUL001")).person_id is None


def test_a_director_is_recognised_once_their_council_is_set(
    server: SlackServer, slack_api: FakeSlackApi
) -> None:
    slack_api.add_user("U0DANA001", email="dana.director@harrow.gov.uk", name="Dana Director")
    answer(server, slack_api, "/brokerbot", "people add Dana Director, director, email dana.director@harrow.gov.uk",
           user=ADMIN)
    assert "Harrow" in answer(server, slack_api, "/council", "Harrow", user="U0DANA001")
    assert server.services.actors.actor_for(UserRef("slack", "U0DANA001")).person_id is None  # no council yet
    set_council = answer(server, slack_api, "/brokerbot", "people council Dana Director Harrow", user=ADMIN)
    assert set_council.startswith("Dana Director works for Harrow")
    lookups = len(slack_api.calls_for("users.info"))
    text = answer(server, slack_api, "/council", "Harrow", user="U0DANA001")
    assert text.startswith("You are linked as Dana Director, director of children's services at Harrow.")
    assert len(slack_api.calls_for("users.info")) == lookups  # the email seen before was matched again


def test_an_admin_links_a_new_director_from_chat_and_undoes_it(
    server: SlackServer, slack_api: FakeSlackApi
) -> None:
    added = answer(server, slack_api, "/brokerbot", "people add Jo Bloggs, director, council Harrow", user=ADMIN)
    assert added.startswith("Added Jo Bloggs (director, viewer), Harrow")
    # With should_escape, Slack sends the mention as <@ID|name>.
    linked = answer(server, slack_api, "/brokerbot", "people link Jo Bloggs <@U0JOBLOG1|jo>", user=ADMIN)
    assert linked.startswith("Linked Jo Bloggs to Slack U0JOBLOG1")
    assert server.services.actors.actor_for(UserRef("slack", "U0JOBLOG1")).name == "Jo Bloggs"
    assert server.services.audit.history("person", "Jo Bloggs")[0].actor == ADMIN  # who linked them
    assert answer(server, slack_api, "/brokerbot", "undo", user=ADMIN).startswith("Undone: Linked Jo Bloggs")
    assert server.services.actors.actor_for(UserRef("slack", "U0JOBLOG1")).person_id is None


def test_chat_administration_is_for_admins_only(server: SlackServer, slack_api: FakeSlackApi) -> None:
    slack_api.add_user("U0PAUL001", email="curran56@yahoo.co.uk")
    text = answer(server, slack_api, "/brokerbot", "people link Liz Cole <@U0LIZ0001>", user="U0PAUL001")
    assert "Only admins can link chat accounts to people" in text
    assert server.services.actors.actor_for(UserRef("slack", "U0LIZ0001")).person_id is None


def test_unlinking_asks_first_and_is_not_undone_by_the_email_match(
    server: SlackServer, slack_api: FakeSlackApi
) -> None:
    slack_api.add_user("U0PAUL001", email="curran56@yahoo.co.uk")
    answer(server, slack_api, "/council", "Harrow", user="U0PAUL001")  # linked by email
    question = answer(server, slack_api, "/brokerbot", "people unlink Paul Curran", user=ADMIN)
    assert question.startswith("Unlink Paul Curran from Slack U0PAUL001?")
    assert server.services.actors.actor_for(UserRef("slack", "U0PAUL001")).name == "Paul Curran"
    done = answer(server, slack_api, "/brokerbot", "people unlink Paul Curran --confirm", user=ADMIN)
    assert done.startswith("Unlinked Paul Curran from Slack U0PAUL001")
    refused = answer(server, slack_api, *SIGNUP, user="U0PAUL001")
    assert refused.startswith("Only lead brokers and admins")  # not linked again by email
