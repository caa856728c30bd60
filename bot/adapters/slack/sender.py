"""Posts scheduled notifications (digests, reminders) to Slack channels with chat.postMessage.

Each channel is posted to with the token of the workspace it was subscribed in
(`SlackClients.client_for`, the one SLACK_BOT_TOKEN client in single-token mode); a channel whose
workspace has uninstalled the app is refused permanently, with the reason on the outbox row.

The outbox owns retrying, so these clients have no retry handlers of its own: a 429 surfaces here
with its Retry-After and becomes RateLimited, and the deliverer waits exactly that long without
counting it as a failure; a connection that cannot be made becomes PlatformUnreachable, which
ends the pass for Slack (the rows stay pending for the next one).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError
from slack_sdk.web import SlackResponse

from bot.adapters.slack.blocks import message_payload
from bot.adapters.slack.installations import NotInstalled, SlackClients
from bot.config import Settings
from bot.core.reply import Reply
from bot.scheduler.senders import PermanentSendError, PlatformUnreachable, RateLimited, RetryableSendError, Sender

# Slack errors that will not go away by trying again (the channel or the token is wrong).
PERMANENT_ERRORS = frozenset({
    "channel_not_found", "not_in_channel", "is_archived", "invalid_auth", "not_authed", "account_inactive",
    "token_revoked", "missing_scope", "restricted_action", "msg_too_long", "invalid_blocks", "no_text",
    "too_many_attachments", "channel_is_archived",
})


SDK_LOG = logging.getLogger("bot.adapters.slack.sender.sdk")
SDK_LOG.setLevel(logging.CRITICAL)


class SlackSender:
    def __init__(self, clients: SlackClients, workspace_of: Callable[[str], str]) -> None:
        self.clients = clients
        self.workspace_of = workspace_of  # channel -> the team id it was subscribed in ("" if unknown)

    def client_for(self, destination: str) -> WebClient:
        workspace = self.workspace_of(destination) if self.clients.multi_workspace else ""
        try:
            client = self.clients.client_for(workspace)
        except NotInstalled as exc:
            raise PermanentSendError(f"Not posting to Slack channel {destination}: {exc}") from exc
        # The SDK logs an ERROR for every request it cannot send; the deliverer reports each outcome
        # itself (one line for an unreachable Slack), so the SDK's own lines stay at DEBUG and below.
        client._logger = SDK_LOG
        return client

    def send(self, destination: str, reply: Reply) -> str | None:
        payload = message_payload(reply)
        client = self.client_for(destination)
        response = self._call(destination, lambda: client.chat_postMessage(
            channel=destination, text=payload["text"], blocks=payload["blocks"], unfurl_links=False
        ))
        ts = response.get("ts")
        return str(ts) if ts else None

    def update(self, destination: str, message_id: str, reply: Reply) -> None:
        """Replace a message the bot posted (chat.update with its ts): a settled reminder's copies."""
        payload = message_payload(reply)
        client = self.client_for(destination)
        self._call(destination, lambda: client.chat_update(
            channel=destination, ts=message_id, text=payload["text"], blocks=payload["blocks"]
        ))

    def _call(self, destination: str, call: Callable[[], SlackResponse]) -> SlackResponse:
        try:
            return call()
        except SlackApiError as exc:
            status = exc.response.status_code
            error = str(exc.response.get("error", "")) if isinstance(exc.response.data, dict) else ""
            if status == 429 or error in {"ratelimited", "rate_limited"}:
                raw = exc.response.headers.get("Retry-After") or exc.response.headers.get("retry-after")
                raise RateLimited(f"Slack rate limit on {destination}", _seconds(raw)) from exc
            if status >= 500 or error in {"internal_error", "fatal_error", "service_unavailable", "request_timeout"}:
                raise RetryableSendError(f"Slack answered {status} {error}".strip()) from exc
            if error in PERMANENT_ERRORS or 400 <= status < 500:
                raise PermanentSendError(f"Slack refused the message to {destination}: {error or status}") from exc
            raise RetryableSendError(f"Slack error {error or status}") from exc
        except OSError as exc:  # refused, DNS, timeout (urllib's URLError is an OSError)
            raise PlatformUnreachable(f"Could not reach Slack: {exc}") from exc
        except SlackRequestError as exc:
            raise RetryableSendError(f"Slack request failed: {exc}") from exc


def _seconds(raw: object) -> float | None:
    if isinstance(raw, list | tuple):
        raw = raw[0] if raw else None
    try:
        return float(str(raw)) if raw is not None else None
    except ValueError:
        return None


def single_workspace(_channel: str) -> str:
    return ""


def make_slack_sender(settings: Settings, *, clients: SlackClients | None = None,
                      workspace_of: Callable[[str], str] = single_workspace) -> Sender:
    """The sender for one token (`settings`), or for each workspace's (`clients`, with
    `workspace_of` naming a channel's workspace). No retry handlers: the outbox retries."""
    if clients is None:
        if not settings.slack_bot_token:
            raise ValueError("SLACK_BOT_TOKEN is not set")
        clients = SlackClients(settings, None, retries=False)
    return SlackSender(clients, workspace_of)
