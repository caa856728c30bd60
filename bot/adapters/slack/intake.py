"""Bolt middleware that writes each slash command, button press and event we answer to the inbox
BEFORE Slack gets its 200, then acknowledges it; the inbox's workers do the rest.

It runs after the signature check, so only genuine Slack requests get in. A redelivery of a
request already in the inbox (Slack's retry of an event, carrying `X-Slack-Retry-Num`; a
captured signed request replayed within Slack's five-minute window) is acknowledged with an
empty 200 and not run again. When the workers' queue is full a slash command is refused in its
acknowledgement ("busy", shown only to the person) and is not recorded at all.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable
from typing import Any

from slack_bolt import BoltContext, BoltRequest, BoltResponse

from bot.adapters.slack import convert
from bot.adapters.slack.blocks import ACTION_PREFIX
from bot.adapters.slack.worker import InboxWorker
from bot.services.slack_inbox import Kind, SlackInbox

log = logging.getLogger(__name__)

ANY_BUTTON = re.compile(rf"^{ACTION_PREFIX}:\d+$")
BUSY = "I'm busy right now: try again in a minute."
ANSWERED_EVENTS = frozenset({"app_mention", "message", "app_home_opened"})


def request_kind(body: dict[str, Any]) -> Kind | None:
    """Which requests go through the inbox: every slash command, our command buttons, and the
    events we answer (mentions, direct messages, Home tab opens); None for anything else."""
    if isinstance(body.get("command"), str) and body["command"]:
        return "command"
    if body.get("type") == "block_actions":
        actions = body.get("actions")
        ours = isinstance(actions, list) and any(
            isinstance(a, dict) and ANY_BUTTON.match(str(a.get("action_id") or "")) for a in actions)
        return "action" if ours else None
    if body.get("type") == "event_callback":
        event = body.get("event")
        if not isinstance(event, dict):
            return None
        kind = event.get("type")
        if kind == "message" and not convert.is_user_dm(event):
            return None
        if kind == "app_home_opened" and (event.get("tab", "home") != "home" or not event.get("user")):
            return None
        return "event" if kind in ANSWERED_EVENTS else None
    return None


def request_key(kind: Kind, body: dict[str, Any], raw_body: str) -> str:
    """The same request delivered again has the same key: its `event_id` (events), its
    `trigger_id` (commands and buttons), or else the hash of its signed body."""
    if kind == "event" and body.get("event_id"):
        return f"event:{body['event_id']}"
    if kind != "event" and body.get("trigger_id"):
        return f"trigger:{body['trigger_id']}"
    return "body:" + hashlib.sha256(raw_body.encode("utf-8")).hexdigest()


def busy_acknowledgement() -> BoltResponse:
    return BoltResponse(status=200, body={"response_type": "ephemeral", "text": BUSY})


def inbox_intake(inbox: SlackInbox, worker: InboxWorker) -> Callable[..., BoltResponse]:
    def intake(req: BoltRequest, body: dict[str, Any], context: BoltContext,
               next: Callable[[], BoltResponse]) -> BoltResponse:
        kind = request_kind(body)
        if kind is None:
            return next()
        reserved = kind == "command"  # events and buttons cannot be told "busy": they may wait
        if reserved and not worker.reserve():
            log.info("Busy: refused %s from %s in its acknowledgement", body.get("command"), body.get("user_id"))
            return busy_acknowledgement()
        key = request_key(kind, body, req.raw_body)
        try:
            taken = inbox.accept(key, kind, {"body": body, "bot_user_id": context.bot_user_id or ""})
        except BaseException:
            if reserved:
                worker.unreserve()
            raise
        if taken.new:
            worker.offer(taken.item_id, reserved=reserved)
        else:
            if reserved:
                worker.unreserve()
            retry = (req.headers.get("x-slack-retry-num") or ["0"])[0]
            log.info("Repeated delivery of %s (%s, retry %s): not run again", key, taken.status, retry)
        return BoltResponse(status=200, body="")

    return intake
