"""Slack payloads -> neutral Messages.

Slack sends message text in its own markup: `&amp;`/`&lt;`/`&gt;` for the three control
characters, `<@U123>` for user mentions, `<!channel>` for broadcasts, `<#C1|name>` for channels and
`<url|label>` for links. The router wants what the person typed, so the markup is turned back into
plain words here (a broadcast becomes the harmless word "@channel"); replies are escaped again on
the way out by :mod:`bot.adapters.slack.blocks`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from bot.core.message import Message, UserRef

PLATFORM = "slack"
_TOKEN = re.compile(r"<([^<>]*)>")
_USER_ID = re.compile(r"[UW][A-Z0-9]{2,}")
_LEADING_MENTION = re.compile(r"^\s*<@[UW][A-Z0-9]+(?:\|[^>]*)?>[\s,:]*")


def _token_words(match: re.Match[str]) -> str:
    inner = match.group(1)
    target, _, label = inner.partition("|")
    if target.startswith("@"):
        # A user mention keeps the user's id (`@U0123ABC`): `/brokerbot people link NAME @someone`
        # needs to know who was meant, and a display name is neither unique nor stable.
        return "@" + target[1:] if _USER_ID.fullmatch(target[1:]) else "@" + (label or target[1:])
    if target.startswith("#"):
        return "#" + (label or target[1:])
    if target.startswith("!"):
        name = target[1:].split("^")[0]
        return label or ("@" + name if name in {"channel", "here", "everyone"} else name)
    return label or target


def unescape(text: str) -> str:
    """Slack markup -> plain text: `<@U1>` -> `@U1`, `<!here>` -> `@here`, `&amp;` -> `&`."""
    text = _TOKEN.sub(_token_words, text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def strip_bot_mention(text: str, bot_user_id: str | None = None) -> str:
    """Drop the leading `<@BOT>` of an app_mention (and any other mention of the bot)."""
    text = _LEADING_MENTION.sub("", text, count=1)
    if bot_user_id:
        text = re.sub(rf"<@{re.escape(bot_user_id)}(?:\|[^>]*)?>", "", text)
    return text.strip()


def user_ref(user_id: str, team_id: str = "") -> UserRef:
    return UserRef(PLATFORM, user_id, team_id)


def from_command(body: Mapping[str, Any]) -> Message:
    """A slash command (`command`, `text`, `user_id`, `channel_id`) as `/name args` for the router."""
    command = str(body.get("command") or "/help").strip()
    text = unescape(str(body.get("text") or "")).strip()
    return Message(
        text=f"{command} {text}".strip(),
        user=user_ref(str(body.get("user_id") or ""), str(body.get("team_id") or "")),
        conversation=str(body.get("channel_id") or ""),
    )


def thread_of(event: Mapping[str, Any]) -> str:
    """Answers go in the event's thread, starting one on the message itself if needed."""
    return str(event.get("thread_ts") or event.get("ts") or "")


def context_thread(event: Mapping[str, Any]) -> str | None:
    """The thread a question belongs to, for follow-ups ("and Knowsley?"). The top level of a DM
    is one conversation; a top-level channel mention starts its own thread."""
    if event.get("thread_ts"):
        return str(event["thread_ts"])
    if event.get("channel_type") == "im":
        return None
    return str(event.get("ts") or "") or None


def from_event(event: Mapping[str, Any], bot_user_id: str | None = None) -> Message:
    """An app_mention or a direct message; the mention of the bot is not part of the question."""
    text = unescape(strip_bot_mention(str(event.get("text") or ""), bot_user_id))
    return Message(
        text=text,
        user=user_ref(str(event.get("user") or ""), str(event.get("user_team") or event.get("team") or "")),
        conversation=str(event.get("channel") or ""),
        thread=context_thread(event),
    )


def from_action(body: Mapping[str, Any]) -> Message:
    """A button press: the button's value is the command to run, as the presser."""
    action = (body.get("actions") or [{}])[0]
    container = body.get("container") or {}
    message = body.get("message") or {}
    channel = (body.get("channel") or {}).get("id") or container.get("channel_id") or ""
    thread = message.get("thread_ts") or container.get("thread_ts") or message.get("ts") or container.get("message_ts")
    return Message(
        text=str(action.get("value") or ""),
        user=user_ref(
            str((body.get("user") or {}).get("id") or ""),
            str((body.get("user") or {}).get("team_id") or (body.get("team") or {}).get("id") or ""),
        ),
        conversation=str(channel),
        thread=str(thread) if thread else None,
        display_name=str((body.get("user") or {}).get("name") or (body.get("user") or {}).get("username") or "")
        or None,
    )


def sender_of(kind: str, body: Mapping[str, Any], bot_user_id: str | None = None) -> Message:
    """The message an inbox row carries (`kind`: command, action or event), to know who sent it."""
    if kind == "command":
        return from_command(body)
    if kind == "action":
        return from_action(body)
    return from_event(body.get("event") or {}, bot_user_id)


def is_user_dm(event: Mapping[str, Any]) -> bool:
    """A plain message a person sent to the bot in its DM (not an edit, join or bot message)."""
    return (
        event.get("channel_type") == "im"
        and not event.get("subtype")
        and not event.get("bot_id")
        and bool(event.get("user"))
    )
