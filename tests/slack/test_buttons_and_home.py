"""Buttons run their command as the presser; App Home shows a broker their regions, others the nation."""

from __future__ import annotations

import json
from pathlib import Path

from sqlmodel import Session, create_engine, select

from storage.tables import Person
from tests.fakes.slack_api import FakeSlackApi
from tests.slack.conftest import CHANNEL, USER, SlackServer, slack_settings


def test_button_runs_its_command_and_answers_in_the_thread(slack_server: SlackServer,
                                                           slack_api: FakeSlackApi) -> None:
    response = slack_server.action("/council timeline Harrow", message_ts="1700000000.000100")
    assert response.status_code == 200 and response.content == b""
    post = slack_api.wait_for("chat.postMessage")[0].payload
    assert post["channel"] == CHANNEL and post["thread_ts"] == "1700000000.000100"
    assert "timeline" in post["text"]


def test_button_pressed_twice_answers_once(slack_server: SlackServer, slack_api: FakeSlackApi) -> None:
    slack_server.action("/council timeline Harrow", message_ts="1700000000.000100")
    slack_server.action("/council timeline Harrow", message_ts="1700000000.000100")
    slack_server.action("/council Leeds", message_ts="1700000000.000100")  # a different button still works
    slack_api.wait_for("chat.postMessage", count=2)
    texts = [c.payload["text"] for c in slack_api.calls_for("chat.postMessage")]
    assert sum("timeline" in t for t in texts) == 1


def test_button_with_an_ephemeral_answer_uses_the_response_url(slack_server: SlackServer,
                                                               slack_api: FakeSlackApi) -> None:
    slack_server.action("/council Narnia", response_url=slack_api.response_url("btn"))
    answer = slack_api.wait_for("response_url")[0].payload
    assert answer["response_type"] == "ephemeral" and answer["replace_original"] is False
    assert "Narnia" in answer["text"]


def test_button_on_the_home_tab_answers_in_the_bots_dm(slack_server: SlackServer, slack_api: FakeSlackApi) -> None:
    slack_server.action("/help", home=True)
    post = slack_api.wait_for("chat.postMessage")[0].payload
    assert post["channel"] == USER


def test_home_for_someone_unlinked_is_a_national_summary(slack_server: SlackServer, slack_api: FakeSlackApi) -> None:
    slack_server.event({"type": "app_home_opened", "user": USER, "channel": "D0ASKER01", "tab": "home",
                        "event_ts": "1700000000.1"})
    call = slack_api.wait_for("views.publish")[0].payload
    assert call["user_id"] == USER and call["view"]["type"] == "home"
    text = json.dumps(call["view"]["blocks"])
    assert "England at a glance" in text and "How to ask" in text and "Open escalations" in text


def test_home_messages_tab_is_left_alone(slack_server: SlackServer, slack_api: FakeSlackApi) -> None:
    slack_server.event({"type": "app_home_opened", "user": USER, "channel": "D0ASKER01", "tab": "messages",
                        "event_ts": "1700000000.2"})
    slack_server.event({"type": "app_home_opened", "user": USER, "channel": "D0ASKER01", "tab": "home",
                        "event_ts": "1700000000.3"})
    assert len(slack_api.wait_for("views.publish")) == 1


def link_slack_user(db_path: Path, name: str, slack_user_id: str) -> None:
    engine = create_engine(f"sqlite:///{db_path}")
    with Session(engine) as session:
        person = session.exec(select(Person).where(Person.name == name)).one()
        person.slack_user_id = slack_user_id
        session.add(person)
        session.commit()
    engine.dispose()


def test_home_for_a_linked_broker_shows_their_regions(db_path: Path, slack_api: FakeSlackApi) -> None:
    link_slack_user(db_path, "Paul Curran", "U0CURRAN1")
    server = SlackServer(slack_settings(db_path, slack_api)).start()
    try:
        server.event({"type": "app_home_opened", "user": "U0CURRAN1", "channel": "D0C", "tab": "home",
                      "event_ts": "1700000000.4"})
        view = slack_api.wait_for("views.publish")[0].payload["view"]
    finally:
        server.stop()
    text = json.dumps(view["blocks"])
    assert "Your regions, Paul Curran" in text
    assert "*London*" in text and "*North West*" not in text
    assert "/council list London inadequate" in text
    assert "Sign-up progress" in text and "London: " in text
    assert "Upcoming peer reviews" in text


def test_every_button_on_a_status_card_answers(slack_server: SlackServer, slack_api: FakeSlackApi) -> None:
    slack_server.command(slack_api, "/council", "Harrow")
    card = slack_api.wait_for("response_url")[0].payload
    values = [e["value"] for b in card["blocks"] if b["type"] == "actions" for e in b["elements"]]
    labels = [e["text"]["text"] for b in card["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert labels == ["Timeline", "Contacts", "Who is the broker?"]
    for n, value in enumerate(values):
        slack_server.action(value, message_ts=f"1700000100.00010{n}")
    posts = slack_api.wait_for("chat.postMessage", count=len(values))
    assert {p.payload["thread_ts"] for p in posts} == {f"1700000100.00010{n}" for n in range(len(values))}
    texts = " ".join(p.payload["text"] for p in posts)
    assert "timeline" in texts and "Paul Curran" in texts


def test_press_guard_lets_one_of_a_double_click_through_and_forgets_it_after_the_window() -> None:
    """The end-to-end double-press test above cannot see a late duplicate; this pins the rule down."""
    from bot.adapters.slack.listeners import PressGuard

    now = [100.0]
    guard = PressGuard(window=10.0, clock=lambda: now[0])
    assert guard.first("U1", "1700000000.000100", "/council Harrow") is True
    assert guard.first("U1", "1700000000.000100", "/council Harrow") is False  # the double click
    assert guard.first("U2", "1700000000.000100", "/council Harrow") is True  # someone else
    assert guard.first("U1", "1700000000.000200", "/council Harrow") is True  # another message
    assert guard.first("U1", "1700000000.000100", "/council Leeds") is True  # another button
    now[0] += 10.0
    assert guard.first("U1", "1700000000.000100", "/council Harrow") is True  # a deliberate press later
