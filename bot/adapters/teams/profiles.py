"""Teams' answer to "what is this user's email?": the conversation member lookup, for the identity
service.

`GET {serviceUrl}/v3/conversations/{conversation}/members/{user}` (the Agents SDK's
`get_conversation_member`) answers the member's Teams account: `email`, `userPrincipalName`,
`objectId`, `tenantId`. It needs the conversation's service URL and the app's token, so it runs as
a continuation of the conversation the message came from (the agent remembers each conversation's
reference before answering), exactly like a proactive post.
"""

from __future__ import annotations

import logging

from microsoft_agents.activity import ConversationReference
from microsoft_agents.hosting.core import ClaimsIdentity, TurnContext
from microsoft_agents.hosting.core.connector import ConnectorClientBase

from bot.adapters.teams.sender import ProactiveAdapter, run_coroutine
from bot.config import Settings
from bot.core.message import UserRef
from bot.services.identities import ChatProfile
from bot.services.teams_conversations import TeamsConversations

log = logging.getLogger(__name__)


class TeamsProfiles:
    """Implements `bot.services.identities.EmailLookup` for platform "teams"."""

    def __init__(self, settings: Settings, conversations: TeamsConversations) -> None:
        self.settings = settings
        self.conversations = conversations
        self.adapter = ProactiveAdapter(settings)

    def profile_of(self, user: UserRef, conversation: str = "") -> ChatProfile | None:
        """The member's email (or, when Teams gives none, their user principal name, which is
        their sign-in address) and their Bot Framework id. Raises when the connector refuses or
        cannot be reached."""
        stored = self.conversations.get(conversation)
        if stored is None:
            log.info("No Teams conversation reference for %s: cannot look up %s", conversation, user.id)
            return None
        reference = ConversationReference.model_validate(stored.reference)
        found: list[ChatProfile] = []

        async def callback(context: TurnContext) -> None:
            client = context.services.get(ConnectorClientBase)  # type: ignore[type-abstract]
            if client is None:
                raise RuntimeError("no connector client on the turn")
            member = await client.conversations.get_conversation_member(reference.conversation.id, user.id)
            extra = member.model_extra or {}
            address = extra.get("email") or extra.get("userPrincipalName")
            other = tuple(i for i in (member.id,) if i and i != user.id)
            found.append(ChatProfile(str(address).strip() if address else None, other))

        async def lookup() -> None:
            continuation = reference.get_continuation_activity()
            if self.settings.teams_app_id:
                await self.adapter.continue_conversation(self.settings.teams_app_id, continuation, callback)
            else:  # local anonymous mode: no app token to fetch
                await self.adapter.continue_conversation_with_claims(ClaimsIdentity(), continuation, callback)

        run_coroutine(lookup)
        return found[0] if found else None
