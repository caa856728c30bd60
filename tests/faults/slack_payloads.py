"""Interactivity payloads and Events API envelopes copied from slack-bolt's own scenario tests
(slackapi/bolt-python, tests/scenario_tests/*.py), trimmed of fields no matcher reads. None of them
is one our app listens for, so each must be acknowledged with 200 and ignored."""

from __future__ import annotations

from typing import Any

TEAM = {"id": "T111", "domain": "workspace-domain", "enterprise_id": "E111", "enterprise_name": "Sandbox Org"}
USER = {"id": "W111", "username": "primary-owner", "name": "primary-owner", "team_id": "T111"}
CHANNEL = {"id": "C111", "name": "test-channel"}

# test_attachment_actions.py: the legacy `interactive_message` (attachment buttons and menus)
INTERACTIVE_MESSAGE: dict[str, Any] = {
    "type": "interactive_message",
    "actions": [{"name": "channel_list", "type": "select", "selected_options": [{"value": "C111"}]}],
    "callback_id": "pick_channel_for_fun",
    "team": {"id": "T111", "domain": "hooli-hq"},
    "channel": {"id": "C222", "name": "triage-random"},
    "user": {"id": "U111", "name": "gbelson"},
    "action_ts": "1520966872.245369",
    "message_ts": "1520965348.000538",
    "attachment_id": "1",
    "token": "verification_token",
    "is_app_unfurl": True,
    "original_message": {
        "text": "", "username": "Belson Bot", "bot_id": "B111", "type": "message", "subtype": "bot_message",
        "ts": "1520965348.000538",
        "attachments": [{"callback_id": "pick_channel_for_fun", "text": "Choose a channel", "id": 1,
                         "actions": [{"id": "1", "name": "channel_list", "text": "Public channels",
                                      "type": "select", "data_source": "channels"}],
                         "fallback": "Choose a channel"}],
    },
    "response_url": "https://hooks.slack.com/actions/T111/111/xxxx",
    "trigger_id": "111.222.valid",
}

INTERACTIVITY: dict[str, dict[str, Any]] = {
    "interactive_message": INTERACTIVE_MESSAGE,
    # test_dialogs.py
    "dialog_suggestion": {"type": "dialog_suggestion", "token": "verification_token", "action_ts": "1596603332.676855",
                          "team": TEAM, "user": USER, "channel": CHANNEL, "name": "types",
                          "value": "search keyword", "callback_id": "dialog-callback-id", "state": "Limo"},
    "dialog_submission": {"type": "dialog_submission", "token": "verification_token",
                          "action_ts": "1596603334.328193", "team": TEAM, "user": USER, "channel": CHANNEL,
                          "submission": {"loc_origin": "Tokyo", "loc_destination": "Osaka", "types": "FE-459"},
                          "callback_id": "dialog-callback-id",
                          "response_url": "https://hooks.slack.com/app/T111/111/xxx", "state": "Limo"},
    "dialog_cancellation": {"type": "dialog_cancellation", "token": "verification_token",
                            "action_ts": "1596603453.047897", "team": TEAM, "user": USER, "channel": CHANNEL,
                            "callback_id": "dialog-callback-id",
                            "response_url": "https://hooks.slack.com/app/T111/111/xxx", "state": "Limo"},
    # test_shortcut.py
    "shortcut": {"type": "shortcut", "token": "verification_token", "action_ts": "111.111", "team": TEAM,
                 "user": USER, "callback_id": "test-shortcut", "trigger_id": "111.111.xxxxxx"},
    "message_action": {"type": "message_action", "token": "verification_token", "action_ts": "1583637157.207593",
                       "team": TEAM, "user": {"id": "W111", "name": "test-test"}, "channel": CHANNEL,
                       "callback_id": "test-shortcut", "trigger_id": "111.222.xxx",
                       "message_ts": "1583636382.000300",
                       "message": {"type": "message", "text": "<@W222> test", "user": "W111",
                                   "ts": "1583636382.000300", "team": "T111"},
                       "response_url": "https://hooks.slack.com/app/T111/111/xxx"},
    # test_view_closed.py
    "view_closed": {"type": "view_closed", "team": TEAM, "user": USER, "api_app_id": "A111",
                    "token": "verification_token",
                    "view": {"id": "V111", "team_id": "T111", "type": "modal", "blocks": [],
                             "private_metadata": "This is for you!", "callback_id": "view-id",
                             "state": {"values": {}}, "hash": "1596530361.3wRYuk3R", "app_id": "A111",
                             "bot_id": "B111"},
                    "response_urls": []},
    # test_block_suggestion.py
    "block_suggestion": {"type": "block_suggestion", "user": USER, "container": {"type": "view", "view_id": "V111"},
                         "api_app_id": "A111", "token": "verification_token", "action_id": "es_a",
                         "block_id": "es_b", "value": "search word", "team": TEAM,
                         "view": {"id": "V111", "team_id": "T111", "type": "modal", "blocks": [],
                                  "callback_id": "view-id", "state": {"values": {}}, "hash": "111.xxx"}},
    # test_workflow_steps.py
    "workflow_step_edit": {"type": "workflow_step_edit", "token": "verification-token",
                           "action_ts": "1601541356.268786", "team": TEAM, "user": USER,
                           "callback_id": "copy_review", "trigger_id": "111.222.xxx",
                           "workflow_step": {"workflow_id": "12345", "step_id": "111-222-333-444-555",
                                             "inputs": {}, "outputs": []}},
    # test_block_actions.py, an action id from another app's message (not one of our buttons)
    "block_actions": {"type": "block_actions", "user": USER, "api_app_id": "A111", "token": "verification_token",
                      "container": {"type": "message", "message_ts": "111.222", "channel_id": "C111",
                                    "is_ephemeral": True},
                      "trigger_id": "111.222.valid", "team": TEAM, "channel": CHANNEL,
                      "response_url": "https://hooks.slack.com/actions/T111/111/random-value",
                      "actions": [{"action_id": "a", "block_id": "b", "text": {"type": "plain_text", "text": "Button"},
                                   "value": "click_me_123", "type": "button", "action_ts": "1596530385.194939"}]},
}

# test_events.py, test_events_token_revocations.py
EVENTS: dict[str, dict[str, Any]] = {
    "reaction_added": {"type": "reaction_added", "user": "W111", "reaction": "tada",
                       "item": {"type": "message", "channel": "C111", "ts": "1599529504.000400"},
                       "item_user": "W111", "event_ts": "1599529508.000500"},
    "member_joined_channel": {"type": "member_joined_channel", "user": "W111", "channel": "C111",
                              "channel_type": "C", "team": "T111", "inviter": "U222",
                              "event_ts": "1599529508.000500"},
    "member_left_channel": {"type": "member_left_channel", "user": "W111", "channel": "C111",
                            "channel_type": "C", "team": "T111", "event_ts": "1599529508.000500"},
    "app_uninstalled": {"type": "app_uninstalled"},
    "tokens_revoked": {"type": "tokens_revoked", "tokens": {"oauth": ["UXXXXXXXX"], "bot": ["UXXXXXXXX"]}},
}
