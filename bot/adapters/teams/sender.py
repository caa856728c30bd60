"""Proactive Teams messages for the scheduler's outbox: digests and reminders into a conversation.

The outbox hands us (destination = Teams conversation id, neutral Reply). We look up the stored
conversation reference (saved on install and on every message), render the reply as an Adaptive
Card and post it through the SDK's `continue_conversation` (connector client, app token).

Teams throttles bots per conversation (documented: 7 messages a second, 8 in 2 s, 60 in 30 s,
1,800 an hour, per bot per thread). :class:`ConversationRateLimiter` keeps us under that, and
answers the outbox's retry contract when we are not: HTTP 429 / 412 / 502 / 504 (and other 5xx or
a dropped connection) raise RetryableSendError (with Retry-After when Teams gives one) so the
outbox backs off and tries again; 4xx such as 403 (the bot was removed) raise PermanentSendError.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

import aiohttp
from microsoft_agents.activity import ConversationReference
from microsoft_agents.hosting.core import ClaimsIdentity, HttpAdapterBase, TurnContext

from bot.adapters.teams.activity import reply_activity
from bot.adapters.teams.auth import connections
from bot.config import Settings
from bot.core.reply import Reply
from bot.render.adaptive_card import ActionMode
from bot.scheduler.senders import PermanentSendError, PlatformUnreachable, RateLimited, RetryableSendError
from bot.services.teams_conversations import TeamsConversations

log = logging.getLogger(__name__)

RETRYABLE_STATUSES = frozenset({412, 429, 500, 502, 503, 504})
NOT_IN_ROSTER = "BotNotInConversationRoster"  # Teams' 403 code once the bot was removed
# (messages, seconds) per conversation, Teams' published per-thread limits for bots.
TEAMS_LIMITS: tuple[tuple[int, float], ...] = ((7, 1.0), (8, 2.0), (60, 30.0), (1800, 3600.0))
MAX_INLINE_WAIT = 2.0  # wait this long for a free slot; beyond it, hand the row back to the outbox
DEFAULT_RETRY_AFTER = 5.0

T = TypeVar("T")


class ConversationRateLimiter:
    """Sliding-window limits per conversation, plus back-off windows Teams asked for (Retry-After)."""

    def __init__(self, limits: tuple[tuple[int, float], ...] = TEAMS_LIMITS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits
        self.clock = clock
        self._sent: dict[str, deque[float]] = defaultdict(deque)
        self._blocked_until: dict[str, float] = {}
        self._lock = threading.Lock()

    def delay(self, conversation: str) -> float:
        """Seconds until one more message may go to `conversation` (0 = now)."""
        with self._lock:
            now = self.clock()
            sent = self._sent[conversation]
            horizon = max(seconds for _count, seconds in self.limits)
            while sent and now - sent[0] >= horizon:
                sent.popleft()
            wait = max(0.0, self._blocked_until.get(conversation, 0.0) - now)
            for count, seconds in self.limits:
                recent = [t for t in sent if now - t < seconds]
                if len(recent) >= count:
                    wait = max(wait, recent[-count] + seconds - now)
            return wait

    def record(self, conversation: str) -> None:
        with self._lock:
            self._sent[conversation].append(self.clock())

    def back_off(self, conversation: str, seconds: float) -> None:
        with self._lock:
            until = self.clock() + seconds
            self._blocked_until[conversation] = max(until, self._blocked_until.get(conversation, 0.0))


def run_coroutine(factory: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run a coroutine from synchronous code, even when this thread already runs an event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(factory())
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(factory())).result()


def retry_after(headers: Any) -> float | None:
    """Retry-After in seconds (Teams sends delta-seconds), or None."""
    raw = headers.get("Retry-After") if headers is not None else None
    try:
        return max(0.0, float(raw)) if raw is not None else None
    except (TypeError, ValueError):
        return None


class ProactiveAdapter(HttpAdapterBase):
    """The SDK adapter used only to continue conversations; errors propagate to the sender."""

    def __init__(self, settings: Settings) -> None:
        super().__init__(connection_manager=connections(settings))
        self.on_turn_error = None


class TeamsSender:
    """The scheduler's `Sender` for platform "teams": `send(destination, reply) -> message id`."""

    def __init__(self, settings: Settings, conversations: TeamsConversations,
                 limiter: ConversationRateLimiter | None = None,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.settings = settings
        self.conversations = conversations
        self.limiter = limiter or ConversationRateLimiter()
        self.sleep = sleep
        self.adapter = ProactiveAdapter(settings)

    def send(self, destination: str, reply: Reply) -> str | None:
        stored = self.conversations.get(destination)
        if stored is None:
            raise PermanentSendError(
                f"No Teams conversation reference for {destination}: add the app to that conversation first."
            )
        if not stored.active:
            raise PermanentSendError(f"The bot was removed from Teams conversation {destination}.")
        wait = self.limiter.delay(destination)
        if wait > MAX_INLINE_WAIT:
            raise RateLimited(f"Teams rate limit for {destination}: next slot in {wait:.1f}s", wait)
        if wait > 0:
            self.sleep(wait)
        reference = ConversationReference.model_validate(stored.reference)
        try:
            message_id = run_coroutine(lambda: self._post(reference, reply))
        except aiohttp.ClientResponseError as exc:
            raise self._classify(destination, exc) from exc
        except (TimeoutError, aiohttp.ClientConnectorError) as exc:  # no connection could be made
            raise PlatformUnreachable(f"Teams connector unreachable: {exc}", None) from exc
        except aiohttp.ClientConnectionError as exc:  # dropped mid-request
            raise RetryableSendError(f"Teams connection failed: {exc}", None) from exc
        finally:
            self.limiter.record(destination)
        return message_id

    def update(self, destination: str, message_id: str, reply: Reply) -> None:
        """Replace a message the bot posted (PUT .../activities/{id}): a settled reminder's copies."""
        stored = self.conversations.get(destination)
        if stored is None or not stored.active:
            raise PermanentSendError(f"No active Teams conversation {destination} to update a message in.")
        reference = ConversationReference.model_validate(stored.reference)
        try:
            run_coroutine(lambda: self._continue(reference, self._replace(message_id, reply)))
        except aiohttp.ClientResponseError as exc:
            raise self._classify(destination, exc) from exc
        except (TimeoutError, aiohttp.ClientConnectionError) as exc:
            raise RetryableSendError(f"Teams connector unreachable: {exc}", None) from exc

    @staticmethod
    def _replace(message_id: str, reply: Reply) -> Callable[[TurnContext], Coroutine[Any, Any, None]]:
        async def callback(context: TurnContext) -> None:
            activity = reply_activity(reply, mode=card_mode(reply))
            activity.id = message_id
            await context.update_activity(activity)

        return callback

    async def _continue(self, reference: ConversationReference,
                        callback: Callable[[TurnContext], Coroutine[Any, Any, None]]) -> None:
        continuation = reference.get_continuation_activity()
        app_id = self.settings.teams_app_id
        if app_id:
            await self.adapter.continue_conversation(app_id, continuation, callback)
        else:  # local anonymous mode: no app token to fetch
            await self.adapter.continue_conversation_with_claims(ClaimsIdentity(), continuation, callback)

    async def _post(self, reference: ConversationReference, reply: Reply) -> str | None:
        sent: list[str | None] = []

        async def callback(context: TurnContext) -> None:
            # The continuation activity has a made-up id; without this the SDK would post a reply
            # to it (POST .../activities/{id}) instead of a new message in the conversation.
            context.activity.id = None
            response = await context.send_activity(reply_activity(reply, mode=card_mode(reply)))
            sent.append(response.id if response else None)

        await self._continue(reference, callback)
        return sent[0] if sent else None

    def _classify(self, destination: str, exc: aiohttp.ClientResponseError) -> Exception:
        status = exc.status
        after = retry_after(exc.headers)
        if status in RETRYABLE_STATUSES:
            self.limiter.back_off(destination, after if after is not None else DEFAULT_RETRY_AFTER)
            log.warning("Teams answered %s for %s; retrying after %s s", status, destination, after)
            if status == 429:
                return RateLimited(f"Teams answered HTTP 429 for {destination}", after)
            return RetryableSendError(f"Teams answered HTTP {status} for {destination}", after)
        if status == 404 or NOT_IN_ROSTER in (exc.message or ""):
            self.conversations.deactivate(destination)  # removed from the conversation: stop trying
        return PermanentSendError(f"Teams refused the message for {destination}: HTTP {status} {exc.message[:200]}")


def card_mode(reply: Reply) -> ActionMode:
    """Reminders go out with Action.Execute buttons, so a press answers with the settled card in
    place of the pressed one; other posts keep Action.Submit (their answers are new messages)."""
    return "execute" if reply.intent == "reminder" else "submit"


def teams_sender_factory(settings: Settings, conversations: TeamsConversations) -> TeamsSender:
    """ValueError when Teams is not configured: the scheduler then leaves Teams rows pending."""
    if not settings.teams_app_id and not settings.teams_allow_anonymous:
        raise ValueError("TEAMS_APP_ID is not set")
    return TeamsSender(settings, conversations)
