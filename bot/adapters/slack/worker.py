"""The workers that answer Slack requests from the inbox, with a bound on what they hold.

At most `capacity` requests are queued for (or being worked by) the worker threads, and no more
than the workers can start within `wait_budget` at the pace they have kept over the last few
seconds: an acknowledgement that finds no room tells a slash command "busy" at once rather than
queueing an answer that would arrive half a minute later. (A count alone cannot keep answers
prompt: how many answers a second the workers manage depends on what else the machine is doing.)
A poller picks up, on start and then every `poll_seconds`, rows nobody is working on: left
behind by a process that died (their lease has passed), or accepted while the queue was full
(events and buttons are never refused: Slack cannot show a "busy" for them, so they wait in the
database instead).
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from datetime import timedelta

from bot.services.slack_inbox import Claim, SlackInbox

log = logging.getLogger(__name__)

WORKER_THREADS = 8  # sending and Retry-After waits overlap; computing is gated (listeners.py)
POLL_SECONDS = 1.0
PENDING_GRACE = timedelta(seconds=1)  # a fresh row is its acknowledging process's to queue first
PRUNE_EVERY_POLLS = 3600
WAIT_BUDGET_SECONDS = 2.0  # longest a new request should queue before a worker starts it
PACE_WINDOW_SECONDS = 5.0  # the workers' pace is measured over this much recent history
_STOP = -1


class InboxWorker:
    """Bounded queue of inbox row ids + worker threads + the poller; see the module docstring."""

    def __init__(self, inbox: SlackInbox, process: Callable[[Claim], None], *, capacity: int,
                 threads: int = WORKER_THREADS, poll_seconds: float = POLL_SECONDS,
                 wait_budget: float = WAIT_BUDGET_SECONDS, clock: Callable[[], float] = time.monotonic) -> None:
        self.inbox = inbox
        self.process = process
        self.capacity = max(1, capacity)
        self.threads = threads
        self.poll_seconds = poll_seconds
        self.wait_budget = wait_budget
        self.clock = clock
        self._queue: queue.Queue[int] = queue.Queue()
        self._held: dict[int, float] = {}  # queued or being worked, in this process -> when queued
        self._finished: deque[float] = deque()  # when recent items finished (the workers' pace)
        self._reserved = 0  # places promised to requests being written to the inbox right now
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._running: list[threading.Thread] = []

    # --- the acknowledging side ----------------------------------------------------------------

    def reserve(self) -> bool:
        """Promise a place to a request about to be written to the inbox, or False (busy) when it
        would wait longer than the budget or the queue is full. Check and promise are one step,
        so concurrent acknowledgements cannot all take the last place."""
        now = self.clock()
        with self._lock:
            if self._busy(now):
                return False
            self._reserved += 1
            return True

    def unreserve(self) -> None:
        """Give back a place promised by `reserve` that is not needed after all."""
        with self._lock:
            self._reserved = max(0, self._reserved - 1)

    def _busy(self, now: float) -> bool:
        held = len(self._held) + self._reserved
        if held >= self.capacity:
            return True
        if held < self.threads:
            return False  # a worker is free
        while self._finished and self._finished[0] < now - PACE_WINDOW_SECONDS:
            self._finished.popleft()
        pace = len(self._finished) / PACE_WINDOW_SECONDS
        if pace == 0:  # nothing finished lately: busy once the oldest has waited the budget out
            return bool(self._held) and now - min(self._held.values()) > self.wait_budget
        return (held - self.threads + 1) / pace > self.wait_budget

    def offer(self, item_id: int, *, reserved: bool = False) -> bool:
        """Queue a row for the workers (in the place `reserve` promised, if `reserved`); False when
        the queue is full (the poller takes it later)."""
        with self._lock:
            if reserved:
                self._reserved = max(0, self._reserved - 1)
            full = len(self._held) + self._reserved >= self.capacity and not reserved
            if item_id in self._held or full or self._stopping.is_set():
                return False
            self._held[item_id] = self.clock()
        self._queue.put(item_id)
        return True

    # --- lifecycle ----------------------------------------------------------------------------

    @contextlib.contextmanager
    def running(self) -> Iterator[InboxWorker]:
        """Work while the context is open; on exit finish what is queued, then stop."""
        self.start()
        try:
            yield self
        finally:
            self.stop()

    def start(self) -> None:
        self._stopping.clear()
        for n in range(self.threads):
            thread = threading.Thread(target=self._work, name=f"slack-work-{n}", daemon=True)
            thread.start()
            self._running.append(thread)
        poller = threading.Thread(target=self._poll, name="slack-inbox-poll", daemon=True)
        poller.start()
        self._running.append(poller)

    def stop(self, timeout: float = 30.0) -> None:
        self._stopping.set()
        for _ in range(self.threads):
            self._queue.put(_STOP)  # after everything already queued
        for thread in self._running:
            thread.join(timeout=timeout)
        self._running.clear()

    # --- threads --------------------------------------------------------------------------------

    def _work(self) -> None:
        while (item_id := self._queue.get()) != _STOP:
            try:
                claim = self.inbox.claim(item_id)
                if claim is not None:
                    self.process(claim)
            except Exception:
                log.exception("Slack request %s failed; it will be tried again when its claim lapses", item_id)
            finally:
                with self._lock:
                    self._held.pop(item_id, None)
                    now = self.clock()
                    self._finished.append(now)
                    while self._finished[0] < now - PACE_WINDOW_SECONDS:
                        self._finished.popleft()

    def _poll(self) -> None:
        polls = 0
        while not self._stopping.is_set():
            try:
                if polls % PRUNE_EVERY_POLLS == 0:
                    self.inbox.prune()
                self._pick_up()
            except Exception as exc:  # the database away for a moment: try again next time
                log.warning("Could not look for unfinished Slack requests: %s", exc)
            polls += 1
            self._stopping.wait(self.poll_seconds)

    def _pick_up(self) -> None:
        with self._lock:
            room = self.capacity - len(self._held) - self._reserved
            held = set(self._held)
        if room <= 0:
            return
        found = [i for i in self.inbox.due(room + len(held), pending_for=PENDING_GRACE) if i not in held]
        taken = sum(self.offer(item_id) for item_id in found[:room])
        if taken:
            log.info("Picked up %d unfinished Slack request(s) from the inbox", taken)
