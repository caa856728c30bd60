"""Slack's answer to "what is this user's email?": `users.info`, for the identity service.

Slack includes `user.profile.email` only when the app has the `users:read.email` scope (and
`users:read` to call the method at all); both are in the manifests. The client comes from
`client_for(team_id)`, so each workspace is asked with its own token once the app is installed
in several; with one `SLACK_BOT_TOKEN` it is the same client for every team.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.core.message import UserRef
from bot.services.identities import ChatProfile

log = logging.getLogger(__name__)

ClientFor = Callable[[str], WebClient]


class SlackProfiles:
    """Implements `bot.services.identities.EmailLookup` for platform "slack"."""

    def __init__(self, client_for: ClientFor) -> None:
        self.client_for = client_for

    def profile_of(self, user: UserRef, conversation: str = "") -> ChatProfile | None:
        """The user's verified email, or None for a bot, a deleted user or a profile without one.
        Raises SlackApiError when Slack refuses (e.g. `missing_scope`: add users:read.email)."""
        try:
            response = self.client_for(user.workspace).users_info(user=user.id)
        except SlackApiError as exc:
            if exc.response.get("error") == "missing_scope":
                log.warning("Slack users.info needs the users:read.email scope (needed: %s); reinstall the app",
                            exc.response.get("needed"))
            elif exc.response.get("error") == "user_not_found":
                return None
            raise
        member = response.get("user") or {}
        if member.get("is_bot") or member.get("deleted"):
            return None
        email = (member.get("profile") or {}).get("email")
        return ChatProfile(str(email).strip() if email else None)
