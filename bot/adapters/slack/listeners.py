"""Answering Slack: the work of one inbox row (convert, route, render, send), and the two Bolt
listeners that must answer inside the request (the sign-up modal); no business logic.

Slash commands, command buttons and the events we answer are acknowledged by the inbox intake
(intake.py) once they are in the inbox; `SlackAnswers.process` then works each claimed row on the
inbox's worker threads and sends the answer through the `response_url` or the Web API, with the
token of the workspace the request came from (`SlackClients.client_for`). Every
slash command name is routed, so commands that features add to the registry work in Slack
without touching this file.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from functools import partial
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.adapters.slack import convert
from bot.adapters.slack.blocks import MODAL_PREFIX, clip
from bot.adapters.slack.deliver import Delivery
from bot.adapters.slack.home_view import home_view
from bot.adapters.slack.installations import NotInstalled, SlackClients, team_of
from bot.adapters.slack.modals import SIGNUP_CALLBACK, ModalOrigin, signup_command, signup_view
from bot.core.message import Message
from bot.core.reply import Reply
from bot.router import Router
from bot.services.home import HomeService
from bot.services.slack_inbox import GAVE_UP, Claim, SlackInbox

log = logging.getLogger(__name__)

SIGNUP_BUTTON = f"{MODAL_PREFIX}:signup"
MODAL_ERROR_LENGTH = 150
# Answers are CPU-bound Python (router, database, rendering) and share one GIL with the code that
# acknowledges requests. Letting only this many answers compute at once keeps acknowledgements
# (Slack's 3-second limit) fast under load; sending, and waiting out a Retry-After, is not gated.
COMPUTE_SLOTS = 2
DOUBLE_PRESS_SECONDS = 10.0


class PressGuard:
    """Remembers recent button presses so a double click (same person, message and button) runs once."""

    def __init__(self, window: float = DOUBLE_PRESS_SECONDS, clock: Callable[[], float] = time.monotonic) -> None:
        self.window = window
        self.clock = clock
        self._seen: dict[tuple[str, str, str], float] = {}
        self._lock = threading.Lock()

    def first(self, user: str, where: str, value: str) -> bool:
        now = self.clock()
        key = (user, where, value)
        with self._lock:
            self._seen = {k: t for k, t in self._seen.items() if now - t < self.window}
            if key in self._seen:
                return False
            self._seen[key] = now
            return True


class SlackListeners:
    """The modal listeners of one Bolt app (`register` wires them) and the work of inbox rows."""

    def __init__(self, router: Router, clients: SlackClients, home: HomeService, inbox: SlackInbox) -> None:
        self.router = router
        self.clients = clients
        self.home = home
        self.inbox = inbox
        self.presses = PressGuard()
        self._compute = threading.BoundedSemaphore(COMPUTE_SLOTS)

    def register(self, app: App) -> None:
        app.action(SIGNUP_BUTTON)(self.on_open_signup)
        app.view(SIGNUP_CALLBACK)(self.on_signup_submitted)

    # --- listeners that answer inside the request -------------------------------------------------

    def on_open_signup(self, ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        """A trigger_id lives three seconds, so the modal opens here rather than on the worker.
        (`client` is Bolt's, carrying the token of the request's workspace.)"""
        ack()
        message = convert.from_action(body)
        origin = ModalOrigin(region=message.text, channel=message.conversation, thread_ts=message.thread or "")
        today = datetime.now(self.router.services.settings.tz).date()
        Delivery(client).open_view(str(body.get("trigger_id") or ""), signup_view(origin, today), user=message.user.id)

    def on_signup_submitted(self, ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        """Run the form as the typed command (written before the acknowledgement); an error keeps
        the modal open and shows it there."""
        user = str((body.get("user") or {}).get("id") or "")
        origin = ModalOrigin.loads(str(view.get("private_metadata") or ""))
        channel = origin.channel or user
        sender = replace(convert.user_ref(user), workspace=team_of(body))
        reply = self.router.handle(Message(text=signup_command(view), user=sender,
                                           conversation=channel, thread=origin.thread_ts or None))
        if reply.kind == "error":
            block = "day" if reply.entities.get("reason") == "bad_date" else "status"
            ack(response_action="errors", errors={block: clip(reply.text, MODAL_ERROR_LENGTH)})
            return
        ack()  # Bolt has answered Slack; this listener thread goes on to post the confirmation
        Delivery(client).post(reply, channel=channel, user=user, thread_ts=origin.thread_ts or None)

    # --- the work of one inbox row ------------------------------------------------------------------

    def process(self, claim: Claim) -> None:
        """Work a claimed row: its writes and its completion commit together (the inbox's
        transaction), then the reply is sent and the row finished. A row whose work committed
        before a crash only has its kept reply sent."""
        body = claim.payload.get("body") or {}
        try:
            delivery = self.delivery_for(body)
        except NotInstalled as exc:  # uninstalled between the acknowledgement and now: nobody to answer
            log.warning("Slack request %s not answered: %s", claim.item_id, exc)
            self.inbox.answered(claim)
            return
        if claim.reply is not None:
            self.deliver(claim.kind, body, claim.reply, delivery)
            self.inbox.answered(claim)
            return
        if claim.exhausted:
            log.error("Slack request %s failed %d times; answering with an apology", claim.item_id, claim.attempts - 1)
            if self.inbox.give_up(claim):
                self.deliver(claim.kind, body, GAVE_UP, delivery)
                self.inbox.answered(claim)
            return
        # Who is writing is settled first (an email lookup is a network call, never made holding
        # the inbox's transaction): a broker whose email is on the roster is linked before the work.
        self.router.recognise(convert.sender_of(claim.kind, body))
        committed, reply = self.inbox.run(claim, partial(self.compute, claim.kind, body,
                                                         str(claim.payload.get("bot_user_id") or "")))
        if not committed:
            log.warning("Slack request %s was claimed by another worker meanwhile; left to it", claim.item_id)
            return
        if reply is not None:
            self.deliver(claim.kind, body, reply, delivery)
            self.inbox.answered(claim)

    def compute(self, kind: str, body: dict[str, Any], bot_user_id: str) -> Reply | None:
        """The reply to a request (None: nothing to send), inside the inbox's transaction."""
        team = team_of(body)
        if kind == "command":
            return self._answer(convert.from_command(body), team)
        if kind == "action":
            return self._answer_button(body)
        event = body.get("event") or {}
        if event.get("type") == "app_home_opened":
            self.publish_home(event, team)
            return None
        return self._answer(convert.from_event(event, bot_user_id or None), team)

    def deliver(self, kind: str, body: dict[str, Any], reply: Reply, delivery: Delivery) -> None:
        if kind == "command":
            message = convert.from_command(body)
            delivery.respond(str(body.get("response_url") or ""), reply,
                             channel=message.conversation, user=message.user.id)
        elif kind == "action":
            self._deliver_button(delivery, body, reply)
        else:
            event = body.get("event") or {}
            if event.get("type") == "app_home_opened":
                return
            message = convert.from_event(event, None)
            delivery.post(reply, channel=message.conversation, user=message.user.id,
                          thread_ts=convert.thread_of(event))

    def delivery_for(self, body: dict[str, Any]) -> Delivery:
        """Sending with the token of the workspace the request came from."""
        return Delivery(self.clients.client_for(team_of(body)))

    def _answer(self, message: Message, team: str) -> Reply:
        message = replace(message, user=replace(message.user, workspace=team))
        with self._compute:
            return self.router.handle(message)

    def _answer_button(self, body: dict[str, Any]) -> Reply | None:
        message = convert.from_action(body)
        container = body.get("container") or {}
        where = str(container.get("message_ts") or container.get("view_id") or message.conversation)
        if not message.text or not self.presses.first(message.user.id, where, message.text):
            log.info("Ignoring a repeated press of %r by %s", message.text, message.user.id)
            return None
        return self._answer(message, team_of(body))

    def _deliver_button(self, delivery: Delivery, body: dict[str, Any], reply: Reply) -> None:
        message = convert.from_action(body)
        container = body.get("container") or {}
        user = message.user.id
        response_url = body.get("response_url")
        if container.get("type") == "view" or not message.conversation:
            delivery.post(reply, channel=user, user=user)  # from App Home: answer in the bot's DM
        elif (reply.ephemeral or container.get("is_ephemeral")) and response_url:
            delivery.respond(str(response_url), reply, channel=message.conversation, user=user)
        else:
            delivery.post(reply, channel=message.conversation, user=user, thread_ts=message.thread)

    def publish_home(self, event: dict[str, Any], team: str) -> None:
        today = datetime.now(self.router.services.settings.tz).date()
        with self._compute:
            summary = self.home.summary(convert.PLATFORM, str(event["user"]), today)
            view = home_view(summary, today)
        Delivery(self.clients.client_for(team)).publish_home(str(event["user"]), view)
