"""Sending replies to Slack: in a thread, ephemerally, through a response_url, or to the Home tab.

Every send is wrapped: a failure (after the client's own retries) is logged with its context and
the person gets a short apology by whatever route still works. Nobody is left with silence.
If Slack rejects the blocks themselves, the same answer is sent again as plain text.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.adapters.slack.blocks import fallback_text, message_payload
from bot.adapters.slack.webhook import PooledWebhookClient, connection_pool
from bot.core.reply import Reply

log = logging.getLogger(__name__)

APOLOGY = "Sorry, I couldn't send my answer just now because Slack didn't accept it. Please try again in a moment."
BLOCK_ERRORS = frozenset({"invalid_blocks", "invalid_blocks_format", "msg_blocks_too_long", "too_many_blocks"})


def is_dm(channel: str) -> bool:
    return channel.startswith("D")


def _error_of(exc: Exception) -> str:
    if isinstance(exc, SlackApiError):
        return str(exc.response.get("error") or exc.response.status_code)
    return f"{type(exc).__name__}: {exc}"


class Delivery:
    """Sends neutral replies with a WebClient (for the Web API) and webhook clients (for response_urls,
    sharing one pool of kept-alive connections)."""

    def __init__(self, client: WebClient) -> None:
        self.client = client
        self.webhooks = connection_pool()

    # --- Web API ---------------------------------------------------------------------------

    def post(self, reply: Reply, *, channel: str, user: str, thread_ts: str | None = None) -> bool:
        """Answer in `channel` (in `thread_ts` when given); ephemeral replies only to `user` outside DMs."""
        ephemeral = reply.ephemeral and not is_dm(channel) and channel != user
        method = "chat.postEphemeral" if ephemeral else "chat.postMessage"
        extra: dict[str, Any] = {"channel": channel}
        if thread_ts:
            extra["thread_ts"] = thread_ts
        if ephemeral:
            extra["user"] = user
        else:
            extra.update(unfurl_links=False, unfurl_media=False)

        def send(payload: dict[str, Any]) -> object:
            return self.client.api_call(method, json={**payload, **extra})

        if self._send_with_fallback(send, reply, context=f"{method} channel={channel} user={user}"):
            return True
        self.apologise(channel=channel, user=user, thread_ts=thread_ts)
        return False

    def open_view(self, trigger_id: str, view: dict[str, Any], *, user: str) -> bool:
        """Open a modal; if Slack refuses, say sorry in the bot's DM."""
        try:
            self.client.views_open(trigger_id=trigger_id, view=view)
            return True
        except Exception as exc:
            log.error("views.open failed for user=%s (callback %s): %s", user, view.get("callback_id"),
                      _error_of(exc))
            self.apologise(channel="", user=user)
            return False

    def publish_home(self, user: str, view: dict[str, Any]) -> bool:
        try:
            self.client.views_publish(user_id=user, view=view)
            return True
        except Exception as exc:
            log.error("views.publish failed for user=%s: %s", user, _error_of(exc))
            return False

    # --- response_url ------------------------------------------------------------------------

    def respond(self, response_url: str, reply: Reply, *, channel: str, user: str) -> bool:
        """Answer a slash command or button through its response_url (valid 30 minutes, 5 uses)."""
        response_type = "ephemeral" if reply.ephemeral else "in_channel"
        webhook = PooledWebhookClient(response_url, self.webhooks)

        def send(payload: dict[str, Any]) -> object:
            result = webhook.send_dict({**payload, "response_type": response_type, "replace_original": False})
            if result.status_code != 200:
                raise RuntimeError(f"response_url answered HTTP {result.status_code}: {result.body[:200]}")
            return result

        if self._send_with_fallback(send, reply, context=f"response_url channel={channel} user={user}"):
            return True
        self.apologise(channel=channel, user=user)
        return False

    # --- shared ------------------------------------------------------------------------------

    def _send_with_fallback(self, send: Callable[[dict[str, Any]], object], reply: Reply, *, context: str) -> bool:
        try:
            send(message_payload(reply))
            return True
        except SlackApiError as exc:
            if _error_of(exc) not in BLOCK_ERRORS:
                log.error("Slack %s failed (intent=%s): %s", context, reply.intent, _error_of(exc))
                return False
            log.error("Slack rejected blocks for %s (intent=%s): %s; resending as text", context, reply.intent,
                      _error_of(exc))
        except Exception as exc:
            log.error("Slack %s failed (intent=%s): %s", context, reply.intent, _error_of(exc))
            return False
        try:
            send({"text": fallback_text(reply)})
            return True
        except Exception as exc:
            log.error("Slack %s failed again as text (intent=%s): %s", context, reply.intent, _error_of(exc))
            return False

    def apologise(self, *, channel: str, user: str, thread_ts: str | None = None) -> None:
        """Best effort: tell the person something went wrong, privately, by the first route that works."""
        routes: list[tuple[str, dict[str, Any]]] = []
        if channel and not is_dm(channel) and channel != user:
            routes.append(("chat.postEphemeral", {"channel": channel, "user": user, "thread_ts": thread_ts}))
        if user:
            routes.append(("chat.postMessage", {"channel": user}))
        for method, args in routes:
            payload = {k: v for k, v in args.items() if v} | {"text": APOLOGY}
            try:
                self.client.api_call(method, json=payload)
                return
            except Exception as exc:
                log.error("Could not apologise by %s to user=%s channel=%s: %s", method, user, channel,
                          _error_of(exc))
