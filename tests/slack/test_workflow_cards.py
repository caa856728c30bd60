"""Peer reviews, funding and peer challenge through signed Slack requests to the real server:
refusal for an unlinked user,
a broker booking and cancelling a peer review (slash command, then a button), /funding and
/peerchallenge cards whose Block Kit is validated against the schema at teardown."""

from __future__ import annotations

import json

from tests.fakes.slack_api import FakeSlackApi
from tests.linking import link_broker
from tests.slack.conftest import USER, SlackServer, slack_api, slack_server  # noqa: F401


def test_unlinked_slack_user_is_refused(slack_server: SlackServer, slack_api: FakeSlackApi) -> None:  # noqa: F811
    slack_server.command(slack_api, "/peerreview", "book Harrow 12 Jan 2027")
    answer = slack_api.wait_for("response_url")[0].payload
    assert answer["response_type"] == "ephemeral"
    assert "Only lead brokers and admins can book peer reviews" in answer["text"]
    assert slack_server.services.peer_reviews.get(1) is None


def test_broker_books_then_cancels_with_the_button(slack_server: SlackServer,  # noqa: F811
                                                   slack_api: FakeSlackApi) -> None:  # noqa: F811
    link_broker(slack_server.services, slack_id=USER)
    slack_server.command(slack_api, "/peerreview", "book Harrow 12 Jan 2027 to 14 Jan 2027 team: Liz Cole")
    answer = slack_api.wait_for("response_url")[0].payload
    assert answer["response_type"] == "in_channel"
    assert "Booked peer review #1 for Harrow" in answer["text"]
    values = [e["value"] for b in answer["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert "/peerreview cancel 1" in values
    assert slack_server.action("/peerreview cancel 1").status_code == 200
    post = slack_api.wait_for("chat.postMessage")[0].payload
    assert post["text"].startswith("Cancelled peer review #1 for Harrow.")
    item = slack_server.services.peer_reviews.get(1)
    assert item is not None and item.status == "cancelled"


def test_funding_and_peer_challenge_cards(slack_server: SlackServer, slack_api: FakeSlackApi) -> None:  # noqa: F811
    slack_server.command(slack_api, "/funding", "£2.25m £100k")
    answer = slack_api.wait_for("response_url")[0].payload
    assert "£2,250,000 split between 9 regions" in answer["text"]
    assert "£2,250,000.00" in json.dumps(answer["blocks"], ensure_ascii=False)
    slack_server.command(slack_api, "/peerchallenge", "gaps London")
    gaps = slack_api.wait_for("response_url", count=2)[1].payload
    assert "33 councils in London have given fewer than five days" in gaps["text"]
