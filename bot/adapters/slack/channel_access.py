"""Before a Slack channel is subscribed: is the bot a member, and if not, can it join?

`conversations.info` says whether the bot is a member (scopes channels:read and groups:read). A
public channel it is not in is joined with `conversations.join` (scope channels:join), as Slack
lets any app do; a private channel needs a person to invite it. A direct message with the bot is
always reachable. Anything else Slack says is passed on in plain words, and nothing is subscribed.
"""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError

from bot.adapters.slack.installations import NotInstalled, SlackClients

log = logging.getLogger(__name__)

INVITE = "invite me first with `/invite @Broker bot` in that channel, then subscribe again"


class SlackChannelAccess:
    def __init__(self, clients: SlackClients) -> None:
        self.clients = clients

    def problem(self, platform: str, destination: str, *, workspace: str = "") -> str | None:
        try:
            client = self.clients.client_for(workspace)
        except NotInstalled:
            return "the Slack app is not installed in this workspace any more; reinstall it, then subscribe again."
        return self._problem(client, destination)

    def _problem(self, client: WebClient, destination: str) -> str | None:
        try:
            info = client.conversations_info(channel=destination)
        except SlackApiError as exc:
            return _explain(_error(exc))
        except (SlackRequestError, OSError) as exc:
            log.warning("Could not ask Slack about channel %s: %s", destination, exc)
            return "I could not reach Slack to check that I can post in this channel; please try again shortly."
        channel = info.get("channel") or {}
        if channel.get("is_im") or channel.get("is_member"):
            return None
        if channel.get("is_private") or channel.get("is_group") or channel.get("is_mpim"):
            return f"I'm not a member of this private channel, so my posts would fail: {INVITE}."
        try:
            client.conversations_join(channel=destination)
        except SlackApiError as exc:
            error = _error(exc)
            log.info("Could not join channel %s: %s", destination, error)
            if error == "missing_scope":
                return f"I'm not in this channel and this app may not join channels by itself: {INVITE}."
            return f"I'm not in this channel and could not join it ({error}): {INVITE}."
        except (SlackRequestError, OSError) as exc:
            log.warning("Could not join channel %s: %s", destination, exc)
            return "I could not reach Slack to join this channel; please try again shortly."
        return None


def _error(exc: SlackApiError) -> str:
    data = exc.response.data if isinstance(exc.response.data, dict) else {}
    return str(data.get("error") or exc.response.status_code)


def _explain(error: str) -> str:
    if error == "channel_not_found":  # a private channel the bot is not in looks like this
        return f"I can't see this channel (it is private, or I'm not in it): {INVITE}."
    if error == "missing_scope":
        return "This Slack app lacks the permission to check channels (channels:read); reinstall it from the manifest."
    return f"Slack would not tell me about this channel ({error}), so I have not subscribed it."


def make_channel_access(clients: SlackClients | None) -> SlackChannelAccess | None:
    """None without Slack configured (nothing can be posted to Slack then anyway)."""
    return SlackChannelAccess(clients) if clients is not None else None
