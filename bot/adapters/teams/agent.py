"""The Teams turn handler: one activity in, the core's reply out. No business logic here.

It runs inside the SDK's pipeline (the adapter has already authenticated the request, parsed the
activity and built a TurnContext whose connector client posts to the activity's serviceUrl):

- message: typed text or an Action.Submit press -> router -> Adaptive Card reply in the same
  conversation / reply chain; the conversation reference is remembered for proactive messages.
- adaptiveCard/action invoke (Action.Execute): the command runs as the presser and the pressed card
  is replaced by the reply's card (the invoke response).
- conversationUpdate / installationUpdate: the bot was added (remember the conversation, say hello
  with /help) or removed (stop proactive sends there).

The router is synchronous and touches the database, so it runs in a worker thread.
"""

from __future__ import annotations

import asyncio
import logging

from microsoft_agents.activity import Activity, ActivityTypes, ChannelAccount, InvokeResponse
from microsoft_agents.hosting.core import TurnContext

from bot.adapters.teams.activity import (
    ADAPTIVE_CARD_ACTION,
    card_action_message,
    card_invoke_body,
    message_from,
    reply_activity,
    split_conversation_id,
    tenant_of,
    to_message,
)
from bot.core.message import Message
from bot.core.reply import Reply
from bot.router import Router
from bot.services.teams_conversations import TeamsConversations

log = logging.getLogger(__name__)

INSTALL_ACTIONS = {"add", "add-upgrade"}
REMOVE_ACTIONS = {"remove", "remove-upgrade"}


def reference_of(activity: Activity) -> dict[str, object]:
    """The conversation reference to keep: the base conversation (no reply chain), no activity id."""
    reference = activity.get_conversation_reference()
    base, _thread = split_conversation_id(reference.conversation.id)
    conversation = reference.conversation.model_copy(update={"id": base})
    reference = reference.model_copy(update={"conversation": conversation, "activity_id": None})
    return reference.model_dump(by_alias=True, exclude_none=True, mode="json")


class BrokerTeamsAgent:
    """Implements the SDK's `Agent` protocol (`on_turn`)."""

    def __init__(self, router: Router, conversations: TeamsConversations) -> None:
        self.router = router
        self.conversations = conversations

    async def on_turn(self, context: TurnContext) -> None:
        activity = context.activity
        if activity.type == ActivityTypes.message:
            await self.on_message(context)
        elif activity.type == ActivityTypes.invoke and activity.name == ADAPTIVE_CARD_ACTION:
            await self.on_card_action(context)
        elif activity.type == ActivityTypes.conversation_update:
            await self.on_conversation_update(context)
        elif activity.type == ActivityTypes.installation_update:
            await self.on_installation_update(context)

    async def answer(self, message: Message) -> Reply:
        return await asyncio.to_thread(self.router.handle, message)

    async def remember(self, activity: Activity, source: str) -> None:
        conversation = activity.conversation
        if conversation is None or not activity.service_url:
            return
        base, _thread = split_conversation_id(conversation.id)
        created = await asyncio.to_thread(
            self.conversations.remember,
            base,
            reference_of(activity),
            service_url=activity.service_url,
            conversation_type=conversation.conversation_type or "",
            tenant_id=tenant_of(activity),
            bot_id=activity.recipient.id if activity.recipient and activity.recipient.id else "",
            name=conversation.name or "",
            source=source,
        )
        if created:
            log.info("Teams conversation %s remembered (%s)", base, source)

    async def on_message(self, context: TurnContext) -> None:
        activity = context.activity
        await self.remember(activity, "message")
        message = message_from(activity)
        if message is None:
            return
        reply = await self.answer(message)
        await context.send_activity(reply_activity(reply))

    async def on_card_action(self, context: TurnContext) -> None:
        activity = context.activity
        message = card_action_message(activity)
        if message is None:
            body: dict[str, object] = {
                "statusCode": 400, "type": "application/vnd.microsoft.error",
                "value": {"code": "BadRequest", "message": "This button carries no command."},
            }
        else:
            body = card_invoke_body(await self.answer(message))
        await context.send_activity(
            Activity(type=ActivityTypes.invoke_response, value=InvokeResponse(status=200, body=body))
        )

    def _bot_in(self, activity: Activity, members: list[ChannelAccount] | None) -> bool:
        bot_id = activity.recipient.id if activity.recipient else None
        return bool(bot_id) and any(m.id == bot_id for m in members or [])

    async def on_conversation_update(self, context: TurnContext) -> None:
        activity = context.activity
        if self._bot_in(activity, activity.members_added):
            await self.installed(context)
        elif self._bot_in(activity, activity.members_removed):
            await self.removed(activity)

    async def on_installation_update(self, context: TurnContext) -> None:
        action = (context.activity.action or "").lower()
        if action in INSTALL_ACTIONS:
            await self.remember(context.activity, "install")
        elif action in REMOVE_ACTIONS:
            await self.removed(context.activity)

    async def installed(self, context: TurnContext) -> None:
        await self.remember(context.activity, "install")
        welcome = await self.answer(to_message(context.activity, "/help"))
        await context.send_activity(reply_activity(welcome))

    async def removed(self, activity: Activity) -> None:
        if activity.conversation is not None:
            base, _thread = split_conversation_id(activity.conversation.id)
            await asyncio.to_thread(self.conversations.deactivate, base)
