"""The sign-up modal: `/signup REGION` offers it, it opens with the form, and a submission runs as
the typed command would, as the submitter (permissions, validation and audit included)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.fakes.slack_api import FakeSlackApi
from tests.slack.conftest import CHANNEL, USER, SlackServer, slack_settings
from tests.slack.test_buttons_and_home import link_slack_user


def form(party: str, status: str, day: str, note: str | None = None) -> dict[str, Any]:
    return {
        "party": {"value": {"type": "static_select", "selected_option": {"value": party}}},
        "status": {"value": {"type": "static_select", "selected_option": {"value": status}}},
        "day": {"value": {"type": "datepicker", "selected_date": day}},
        "note": {"value": {"type": "plain_text_input", "value": note}},
    }


@pytest.fixture
def broker_server(db_path: Path, slack_api: FakeSlackApi) -> Any:
    link_slack_user(db_path, "Paul Curran", USER)  # a London lead broker may log London's progress
    server = SlackServer(slack_settings(db_path, slack_api)).start()
    yield server
    server.stop()


def open_modal(server: SlackServer, api: FakeSlackApi) -> dict[str, Any]:
    server.command(api, "/signup", "London")
    card = api.wait_for("response_url")[0].payload
    (button,) = [e for b in card["blocks"] if b["type"] == "actions" for e in b["elements"]
                 if e["action_id"].startswith("open_modal:")]
    assert button["value"] == "London" and button["text"]["text"] == "Log progress…"
    server.action(button["value"], action_id=button["action_id"], message_ts="1700000200.000100")
    call = api.wait_for("views.open")[0].payload
    assert call["trigger_id"]
    return call["view"]


def test_signup_region_card_opens_the_modal(broker_server: SlackServer, slack_api: FakeSlackApi) -> None:
    view = open_modal(broker_server, slack_api)
    assert view["type"] == "modal" and view["callback_id"] == "signup_modal"
    assert [b.get("block_id") for b in view["blocks"] if b["type"] == "input"] == ["party", "status", "day", "note"]
    parties = [o["value"] for g in view["blocks"][1]["element"]["option_groups"] for o in g["options"]]
    assert {"ce", "dcs", "member", "challenge", "lga"} <= set(parties)
    assert json.loads(view["private_metadata"])["region"] == "London"


def test_submission_logs_progress_as_the_submitter(broker_server: SlackServer, slack_api: FakeSlackApi) -> None:
    view = open_modal(broker_server, slack_api)
    response = broker_server.view_submission("signup_modal", view["private_metadata"],
                                             form("dcs", "agreed", "2026-11-20", "Agreed at the  board"))
    assert response.status_code == 200 and response.content == b""  # closes the modal
    post = slack_api.wait_for("chat.postMessage")[0].payload
    assert post["channel"] == CHANNEL and post["thread_ts"] == "1700000200.000100"
    assert post["text"].startswith("Logged: London") and "20 November 2026" in post["text"]
    broker_server.command(slack_api, "/audit", "London")
    audit = slack_api.wait_for("response_url", count=2)[1].payload
    assert "Paul Curran" in json.dumps(audit)


def test_invalid_submission_keeps_the_modal_open_with_the_error(broker_server: SlackServer,
                                                                slack_api: FakeSlackApi) -> None:
    view = open_modal(broker_server, slack_api)
    response = broker_server.view_submission("signup_modal", view["private_metadata"],
                                             form("dcs", "met", "2026-11-20"))
    answer = response.json()
    assert answer["response_action"] == "errors" and "status" in answer["errors"]
    assert "agreed" in answer["errors"]["status"]
    assert slack_api.calls_for("chat.postMessage") == []


def test_reader_cannot_log_through_the_modal(db_path: Path, slack_api: FakeSlackApi) -> None:
    server = SlackServer(slack_settings(db_path, slack_api)).start()
    try:
        metadata = json.dumps({"region": "London", "channel": CHANNEL, "thread_ts": ""})
        answer = server.view_submission("signup_modal", metadata, form("dcs", "agreed", "2026-11-20")).json()
    finally:
        server.stop()
    assert answer["response_action"] == "errors" and "Only lead brokers and admins" in answer["errors"]["status"]
