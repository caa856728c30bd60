"""Teams activities <-> our neutral message and reply, with no I/O.

Incoming: a Teams message (personal chat, or a channel / group-chat post that @mentions the bot)
becomes a :class:`~bot.core.message.Message`: the bot's ``<at>…</at>`` mention is stripped,
HTML entities and tags Teams adds are removed, the user is the person's Entra object id
(``aadObjectId``; the Bot Framework id when Teams omits it), the conversation is the channel or
chat id and the thread is the reply chain (Teams writes it as ``;messageid=N`` on the id).
A pressed button arrives either as a message whose ``value`` carries our data (Action.Submit) or
as an ``adaptiveCard/action`` invoke (Action.Execute); both carry the command to run.

Outgoing: a reply becomes a message activity with one Adaptive Card attachment, or plain text when
there is nothing a card would add.
"""

from __future__ import annotations

import html
import re
from typing import Any

from microsoft_agents.activity import Activity, ActivityTypes, Attachment, ChannelAccount

from bot.core.message import Message, UserRef
from bot.core.reply import Reply
from bot.render.adaptive_card import COMMAND_KEY, CONTENT_TYPE, ActionMode, render_adaptive_card

THREAD_MARKER = ";messageid="
ADAPTIVE_CARD_ACTION = "adaptiveCard/action"
MAX_SUMMARY = 500
_TAG = re.compile(r"<[^>]+>")


def split_conversation_id(conversation_id: str) -> tuple[str, str | None]:
    """`19:abc@thread.tacv2;messageid=170` -> ("19:abc@thread.tacv2", "170")."""
    base, marker, thread = conversation_id.partition(THREAD_MARKER)
    return base, (thread or None) if marker else None


def clean_text(activity: Activity) -> str:
    """The message text without the bot's mention, tags or HTML entities. Another person's mention
    becomes `@` and their id (`@<Entra object id>`, or the Bot Framework id when Teams gives no
    object id), so `people link NAME @someone` knows who was meant."""
    text = activity.remove_recipient_mention() if activity.recipient else (activity.text or "")
    bot_id = activity.recipient.id if activity.recipient else None
    for entity in activity.entities or []:
        mentioned = getattr(entity, "mentioned", None)
        written = getattr(entity, "text", None)
        if entity.type != "mention" or not isinstance(mentioned, ChannelAccount) or not written:
            continue
        if mentioned.id == bot_id:
            continue
        person = mentioned.aad_object_id or mentioned.id
        if person:
            text = text.replace(written, f"@{person}")
    # Other mentions keep the person's name, without the <at> tags.
    text = _TAG.sub("", text)
    return " ".join(html.unescape(text).replace("\xa0", " ").split())


def user_of(activity: Activity) -> UserRef:
    sender = activity.from_property
    user_id = (sender.aad_object_id or sender.id) if sender else None
    return UserRef("teams", user_id or "unknown", workspace=tenant_of(activity))


def tenant_of(activity: Activity) -> str:
    """The Entra tenant the conversation belongs to: `conversation.tenantId`, or Teams'
    `channelData.tenant.id`; "" when neither is sent (the emulator)."""
    if activity.conversation is not None and activity.conversation.tenant_id:
        return str(activity.conversation.tenant_id)
    data = activity.channel_data
    tenant = data.get("tenant") if isinstance(data, dict) else getattr(data, "tenant", None)
    found = tenant.get("id") if isinstance(tenant, dict) else getattr(tenant, "id", None)
    return str(found or "")


def command_in(value: Any) -> str | None:
    """The command carried by a button's data, however Teams wrapped it."""
    if not isinstance(value, dict):
        return None
    command = value.get(COMMAND_KEY)
    if isinstance(command, str) and command.strip():
        return command.strip()
    action = value.get("action")
    if isinstance(action, dict):  # adaptiveCard/action invoke: {"action": {"type", "verb", "data"}}
        return command_in(action.get("data"))
    return None


def to_message(activity: Activity, text: str) -> Message:
    base, thread = split_conversation_id(activity.conversation.id if activity.conversation else "")
    name = activity.from_property.name if activity.from_property else None
    return Message(text=text, user=user_of(activity), conversation=base, thread=thread, display_name=name or None)


def message_from(activity: Activity) -> Message | None:
    """The Message for a message activity (typed text or an Action.Submit press), or None to ignore it."""
    command = command_in(activity.value)
    if command is not None:
        return to_message(activity, command)
    text = clean_text(activity)
    return to_message(activity, text) if text else None


def card_action_message(activity: Activity) -> Message | None:
    """The Message for an `adaptiveCard/action` invoke (Action.Execute), or None if it carries no command."""
    command = command_in(activity.value)
    return to_message(activity, command) if command else None


class OutgoingActivity(Activity):
    """An activity that never serialises a null field.

    The SDK's `send_activities` sets `id = None` on every outgoing activity (and copies a `None`
    requestId from the reference), and its `send_to_conversation` dumps with `exclude_unset` only,
    so a plain Activity goes out with `"id": null`, which the Bot Connector refuses with
    400 BadArgument. Dropping None on every dump keeps proactive posts and replies valid.
    """

    def model_dump(self, **kwargs: Any) -> dict[str, Any]:
        kwargs["exclude_none"] = True
        return super().model_dump(**kwargs)

    def model_dump_json(self, **kwargs: Any) -> str:
        kwargs["exclude_none"] = True
        return super().model_dump_json(**kwargs)


def text_activity(text: str) -> OutgoingActivity:
    return OutgoingActivity(type=ActivityTypes.message, text=text, text_format="markdown")


def needs_card(reply: Reply) -> bool:
    return bool(reply.title or reply.facts or reply.sections or reply.actions or reply.footer)


def card_attachment(reply: Reply, mode: ActionMode = "submit") -> Attachment:
    return Attachment(content_type=CONTENT_TYPE, content=render_adaptive_card(reply, mode=mode))


def reply_activity(reply: Reply, mode: ActionMode = "submit") -> OutgoingActivity:
    """A message activity for the reply: an Adaptive Card (text as the notification summary), or text."""
    if not needs_card(reply):
        return text_activity(reply.text)
    return OutgoingActivity(
        type=ActivityTypes.message,
        summary=reply.text[:MAX_SUMMARY],
        attachments=[card_attachment(reply, mode)],
    )


def card_invoke_body(reply: Reply) -> dict[str, Any]:
    """The adaptiveCard/action invoke response: the pressed card is replaced by the reply's card."""
    return {
        "statusCode": 200,
        "type": CONTENT_TYPE,
        "value": render_adaptive_card(reply, mode="execute"),
    }
