"""Activities shaped exactly as Microsoft Teams posts them to a bot's messaging endpoint."""

from __future__ import annotations

import itertools
from typing import Any

APP_ID = "00000000-0000-4000-8000-0000000000b0"
BOT_ID = f"28:{APP_ID}"
BOT_NAME = "Broker bot"
TENANT = "72f988bf-0000-4000-8000-00000000000a"
CHANNEL = "19:3a7c1e0e5b1d4c8f9a4f0b6d2e7c9a11@thread.tacv2"
TEAM = "19:team0000000000000000000000000000@thread.tacv2"
GROUP_CHAT = "19:meeting_MjAwYTk3ZDMtZmQ0ZC00@thread.v2"
PERSONAL = "a:1x2Y3zPersonalChatWithDanaDirector_abcdefghijklmnop"
USER_AAD = "aad-dana-0001"
USER_ID = "29:1DanaDirectorBotFrameworkId"

_ids = itertools.count(1732440000000)


def _base(service_url: str, conversation: dict[str, Any], **extra: Any) -> dict[str, Any]:
    activity = {
        "id": str(next(_ids)),
        "timestamp": "2026-11-24T09:00:00.000Z",
        "localTimestamp": "2026-11-24T09:00:00.000+00:00",
        "serviceUrl": service_url,
        "channelId": "msteams",
        "from": {"id": USER_ID, "name": "Dana Director", "aadObjectId": USER_AAD},
        "conversation": {"tenantId": TENANT, **conversation},
        "recipient": {"id": BOT_ID, "name": BOT_NAME},
        "locale": "en-GB",
        "channelData": {"tenant": {"id": TENANT}},
    }
    activity.update(extra)
    return activity


def personal_message(service_url: str, text: str, **extra: Any) -> dict[str, Any]:
    return _base(
        service_url, {"conversationType": "personal", "id": PERSONAL},
        type="message", text=text, textFormat="plain",
        entities=[{"type": "clientInfo", "locale": "en-GB", "country": "GB", "platform": "Web",
                   "timezone": "Europe/London"}],
        **extra,
    )


def channel_mention(service_url: str, text: str, *, reply_chain: str | None = None) -> dict[str, Any]:
    """`@Broker bot <text>` posted in a channel (a new post, or in a reply chain)."""
    chain = reply_chain or str(next(_ids))
    return _base(
        service_url,
        {"isGroup": True, "conversationType": "channel", "id": f"{CHANNEL};messageid={chain}",
         "name": "Children's services"},
        type="message", textFormat="plain",
        text=f"<at>{BOT_NAME}</at> {text}",
        entities=[{"type": "mention", "text": f"<at>{BOT_NAME}</at>",
                   "mentioned": {"id": BOT_ID, "name": BOT_NAME}}],
        channelData={"teamsChannelId": CHANNEL, "teamsTeamId": TEAM, "channel": {"id": CHANNEL},
                     "team": {"id": TEAM}, "tenant": {"id": TENANT}},
    )


def group_chat_mention(service_url: str, text: str) -> dict[str, Any]:
    return _base(
        service_url, {"isGroup": True, "conversationType": "groupChat", "id": GROUP_CHAT},
        type="message", textFormat="plain", text=f"<at>{BOT_NAME}</at> {text}",
        entities=[{"type": "mention", "text": f"<at>{BOT_NAME}</at>",
                   "mentioned": {"id": BOT_ID, "name": BOT_NAME}}],
    )


def installed_in_channel(service_url: str) -> dict[str, Any]:
    """conversationUpdate sent when the app is added to a team (the bot is in membersAdded)."""
    return _base(
        service_url, {"isGroup": True, "conversationType": "channel", "id": CHANNEL},
        type="conversationUpdate", membersAdded=[{"id": BOT_ID}],
        channelData={"team": {"id": TEAM, "name": "Regional improvement", "aadGroupId": "grp-1"},
                     "eventType": "teamMemberAdded", "tenant": {"id": TENANT}},
    )


def installation_update(service_url: str, action: str, conversation: str = PERSONAL) -> dict[str, Any]:
    return _base(service_url, {"conversationType": "personal", "id": conversation},
                 type="installationUpdate", action=action)


def submit_press(service_url: str, command: str, *, conversation: str = PERSONAL) -> dict[str, Any]:
    """Action.Submit pressed: a message with no text whose value is the button's data."""
    activity = _base(service_url, {"conversationType": "personal", "id": conversation},
                     type="message", value={"command": command})
    activity["replyToId"] = "1732439999999"
    return activity


def execute_press(service_url: str, command: str) -> dict[str, Any]:
    """Action.Execute pressed: an adaptiveCard/action invoke."""
    return _base(
        service_url, {"conversationType": "personal", "id": PERSONAL},
        type="invoke", name="adaptiveCard/action",
        value={"action": {"type": "Action.Execute", "verb": "run_command", "data": {"command": command}},
               "trigger": "manual"},
        replyToId="1732439999999",
    )
