"""Bolt listeners: each acknowledges at once, converts the payload and hands over; no business logic.

Slash commands and buttons are acknowledged with an empty 200 straight away (Slack's limit is
3 seconds); the answer is worked out afterwards on our own worker pool and sent through the
`response_url` or the Web API. Events are acknowledged by Bolt before their listener runs, and
their listeners also only hand the work over. Keeping the work off Bolt's listener pool means an
acknowledgement never queues behind slow answers. Every slash command name is routed, so commands
that features add to the registry work in Slack without touching this file.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor
from datetime import datetime
from functools import partial
from typing import Any

from slack_bolt import Ack, App, BoltContext

from bot.adapters.slack import convert
from bot.adapters.slack.blocks import ACTION_PREFIX, MODAL_PREFIX, clip
from bot.adapters.slack.deliver import Delivery
from bot.adapters.slack.home_view import home_view
from bot.adapters.slack.modals import SIGNUP_CALLBACK, ModalOrigin, signup_command, signup_view
from bot.core.message import Message
from bot.core.reply import Reply
from bot.router import Router
from bot.services.home import HomeService

log = logging.getLogger(__name__)

ANY_COMMAND = re.compile(r"^/.+")
ANY_BUTTON = re.compile(rf"^{ACTION_PREFIX}:\d+$")
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
    """The listeners of one Bolt app; `register` wires them."""

    def __init__(self, router: Router, delivery: Delivery, home: HomeService, worker: Executor) -> None:
        self.router = router
        self.delivery = delivery
        self.home = home
        self.worker = worker
        self.presses = PressGuard()
        self._compute = threading.BoundedSemaphore(COMPUTE_SLOTS)

    def register(self, app: App) -> None:
        app.command(ANY_COMMAND)(self.on_command)
        app.action(ANY_BUTTON)(self.on_button)
        app.event("app_mention")(self.on_mention)
        app.event("message")(self.on_message)
        app.event("app_home_opened")(self.on_home_opened)
        app.action(SIGNUP_BUTTON)(self.on_open_signup)
        app.view(SIGNUP_CALLBACK)(self.on_signup_submitted)

    # --- listeners: acknowledge, hand over -----------------------------------------------------

    def on_command(self, ack: Ack, body: dict[str, Any]) -> None:
        ack()  # empty 200 at once; the answer follows at the response_url
        self._later(self.answer_command, body)

    def on_button(self, ack: Ack, body: dict[str, Any]) -> None:
        ack()
        self._later(self.answer_button, body)

    def on_mention(self, event: dict[str, Any], context: BoltContext) -> None:
        self._later(self.answer_mention, event, context.bot_user_id)

    def on_message(self, event: dict[str, Any], context: BoltContext) -> None:
        if convert.is_user_dm(event):
            self._later(self.answer_mention, event, context.bot_user_id)

    def on_home_opened(self, event: dict[str, Any]) -> None:
        self._later(self.publish_home, event)

    def on_open_signup(self, ack: Ack, body: dict[str, Any]) -> None:
        """A trigger_id lives three seconds, so the modal opens here rather than on the worker."""
        ack()
        message = convert.from_action(body)
        origin = ModalOrigin(region=message.text, channel=message.conversation, thread_ts=message.thread or "")
        today = datetime.now(self.router.services.settings.tz).date()
        self.delivery.open_view(str(body.get("trigger_id") or ""), signup_view(origin, today), user=message.user.id)

    def on_signup_submitted(self, ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        """Run the form as the typed command; an error keeps the modal open and shows it there."""
        user = str((body.get("user") or {}).get("id") or "")
        origin = ModalOrigin.loads(str(view.get("private_metadata") or ""))
        channel = origin.channel or user
        reply = self.router.handle(Message(text=signup_command(view), user=convert.user_ref(user),
                                           conversation=channel, thread=origin.thread_ts or None))
        if reply.kind == "error":
            block = "day" if reply.entities.get("reason") == "bad_date" else "status"
            ack(response_action="errors", errors={block: clip(reply.text, MODAL_ERROR_LENGTH)})
            return
        ack()
        self._later(partial(self.delivery.post, reply, channel=channel, user=user, thread_ts=origin.thread_ts or None))

    def _answer(self, message: Message) -> Reply:
        with self._compute:
            return self.router.handle(message)

    def _later(self, work: Callable[..., Any], *args: Any) -> None:
        def run() -> None:
            try:
                work(*args)
            except Exception:
                log.exception("Slack work %s failed", getattr(work, "__name__", work))

        self.worker.submit(run)

    # --- the work -------------------------------------------------------------------------------

    def answer_command(self, body: dict[str, Any]) -> None:
        message = convert.from_command(body)
        reply = self._answer(message)
        self.delivery.respond(str(body.get("response_url") or ""), reply,
                              channel=message.conversation, user=message.user.id)

    def answer_mention(self, event: dict[str, Any], bot_user_id: str | None) -> None:
        """An app_mention or a DM: answered in its thread."""
        message = convert.from_event(event, bot_user_id)
        reply = self._answer(message)
        self.delivery.post(reply, channel=message.conversation, user=message.user.id,
                           thread_ts=convert.thread_of(event))

    def answer_button(self, body: dict[str, Any]) -> None:
        message = convert.from_action(body)
        container = body.get("container") or {}
        where = str(container.get("message_ts") or container.get("view_id") or message.conversation)
        if not message.text or not self.presses.first(message.user.id, where, message.text):
            log.info("Ignoring a repeated press of %r by %s", message.text, message.user.id)
            return
        reply = self._answer(message)
        user = message.user.id
        response_url = body.get("response_url")
        if container.get("type") == "view" or not message.conversation:
            self.delivery.post(reply, channel=user, user=user)  # from App Home: answer in the bot's DM
        elif (reply.ephemeral or container.get("is_ephemeral")) and response_url:
            self.delivery.respond(str(response_url), reply, channel=message.conversation, user=user)
        else:
            self.delivery.post(reply, channel=message.conversation, user=user, thread_ts=message.thread)

    def publish_home(self, event: dict[str, Any]) -> None:
        if event.get("tab", "home") != "home" or not event.get("user"):
            return
        today = datetime.now(self.router.services.settings.tz).date()
        with self._compute:
            summary = self.home.summary(convert.PLATFORM, str(event["user"]), today)
            view = home_view(summary, today)
        self.delivery.publish_home(str(event["user"]), view)
