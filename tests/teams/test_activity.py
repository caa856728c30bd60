"""Converting Teams activities to our Message: mentions, HTML, users, reply chains, button data."""

from __future__ import annotations

from microsoft_agents.activity import Activity

from bot.adapters.teams.activity import card_action_message, message_from, reply_activity, split_conversation_id
from bot.core.reply import Reply
from bot.render.adaptive_card import CONTENT_TYPE
from tests.teams.activities import (
    CHANNEL,
    PERSONAL,
    USER_AAD,
    USER_ID,
    channel_mention,
    execute_press,
    personal_message,
    submit_press,
)

SERVICE = "https://smba.trafficmanager.net/emea/"


def test_channel_mention_becomes_the_command_in_the_reply_chain() -> None:
    message = message_from(Activity.model_validate(channel_mention(SERVICE, "/council Harrow", reply_chain="77")))
    assert message is not None
    assert message.text == "/council Harrow"
    assert message.conversation == CHANNEL
    assert message.thread == "77"
    assert message.user.platform == "teams" and message.user.id == USER_AAD


def test_html_and_other_mentions_are_cleaned() -> None:
    raw = personal_message(SERVICE, "<p>who brokers&nbsp;<at>Alex Walters</at>\xa0for Essex?</p>")
    message = message_from(Activity.model_validate(raw))
    assert message is not None
    assert message.text == "who brokers Alex Walters for Essex?"


def test_user_without_an_entra_id_falls_back_to_the_bot_framework_id() -> None:
    raw = personal_message(SERVICE, "help")
    del raw["from"]["aadObjectId"]
    message = message_from(Activity.model_validate(raw))
    assert message is not None and message.user.id == USER_ID
    assert message.conversation == PERSONAL and message.thread is None


def test_a_bare_mention_is_ignored() -> None:
    assert message_from(Activity.model_validate(channel_mention(SERVICE, ""))) is None


def test_button_data_is_the_command() -> None:
    submitted = message_from(Activity.model_validate(submit_press(SERVICE, "/contacts")))
    executed = card_action_message(Activity.model_validate(execute_press(SERVICE, "/broker Leeds")))
    assert submitted is not None and submitted.text == "/contacts"
    assert executed is not None and executed.text == "/broker Leeds"


def test_split_conversation_id() -> None:
    assert split_conversation_id("19:a@thread.tacv2;messageid=12") == ("19:a@thread.tacv2", "12")
    assert split_conversation_id("a:personal") == ("a:personal", None)


def test_plain_answers_go_as_text_and_rich_ones_as_a_card() -> None:
    plain = reply_activity(Reply(text="Done."))
    assert plain.text == "Done." and not plain.attachments
    rich = reply_activity(Reply(text="Harrow is inadequate.", title="Harrow"))
    assert rich.summary == "Harrow is inadequate."
    assert rich.attachments[0].content_type == CONTENT_TYPE
