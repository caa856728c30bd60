"""The Slack inbox service on SQLite and PostgreSQL: a redelivery finds its row, one claimer per
row even when claims race, a lapsed claim is taken over, and a command's writes commit together
with the row's completion, or not at all."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import insert
from sqlmodel import func, select

from bot.bootstrap import open_database
from bot.core import reply_codec
from bot.core.message import CONSOLE_USER, Message
from bot.core.reply import Reply
from bot.router import Router
from bot.services import Services
from bot.services.slack_inbox import INBOX, MAX_ATTEMPTS, SlackInbox
from storage.tables import PeerChallengeLog, SlackInboxItem, utc_now
from tests.conftest import TODAY, make_settings

LOG = "/peerchallenge log Hull to Leeds 0.5 12 Nov 2026"


def log_rows(services: Services) -> int:
    with services.db.session() as session:
        return int(session.exec(select(func.count()).select_from(PeerChallengeLog)).one())


def status_of(inbox: SlackInbox, item_id: int) -> SlackInboxItem:
    with inbox.db.session() as session:
        return session.get_one(SlackInboxItem, item_id)


def check_inbox(database_url: str) -> None:
    settings = make_settings(database_url)
    services = Services.create(settings, open_database(settings))
    router = Router(services)
    inbox = SlackInbox(services.db, lease=timedelta(seconds=30))

    def run_log() -> Reply:
        return router.handle(Message(text=LOG, user=CONSOLE_USER, conversation="C1", as_of=TODAY))

    try:
        first = inbox.accept("trigger:1", "command", {"body": {"text": "x"}})
        again = inbox.accept("trigger:1", "command", {"body": {"text": "x"}})
        assert first.new and not again.new and again.item_id == first.item_id
        assert status_of(inbox, first.item_id).deliveries == 2

        # racing claims: exactly one wins
        with ThreadPoolExecutor(8) as pool:
            claims = list(pool.map(lambda _: inbox.claim(first.item_id), range(8)))
        winners = [c for c in claims if c is not None]
        assert len(winners) == 1 and winners[0].attempts == 1
        assert inbox.claim(first.item_id) is None

        # the work and the completion commit together; the reply is kept until sent
        before = log_rows(services)
        committed, reply = inbox.run(winners[0], run_log)
        assert committed and reply is not None and reply.ok, reply
        assert log_rows(services) == before + 1
        assert status_of(inbox, first.item_id).status == "answering"
        inbox.answered(winners[0])
        assert status_of(inbox, first.item_id).status == "done"
        assert inbox.claim(first.item_id) is None  # finished: nobody runs it again

        # a worker that dies mid-work keeps nothing; after its lease another runs it, once
        crashed = inbox.accept("trigger:2", "command", {"body": {}})
        doomed = inbox.claim(crashed.item_id)
        assert doomed is not None

        def crash() -> Reply:
            run_log()
            raise RuntimeError("the process died here")

        with pytest.raises(RuntimeError):
            inbox.run(doomed, crash)
        assert log_rows(services) == before + 1
        assert inbox.due(10, pending_for=timedelta(0)) == []  # still under the dead worker's lease
        later = utc_now() + timedelta(seconds=31)
        assert inbox.due(10, pending_for=timedelta(0), now=later) == [crashed.item_id]
        retaken = inbox.claim(crashed.item_id, now=later)
        assert retaken is not None and retaken.attempts == 2 and retaken.reply is None
        # ... and the first worker, were it still alive, can no longer complete it
        assert inbox.run(doomed, run_log) == (False, None)
        assert log_rows(services) == before + 1
        assert inbox.run(retaken, run_log)[0]
        assert log_rows(services) == before + 2

        # a reply committed but never sent is sent after the lease lapses, without running again
        resend = inbox.claim(crashed.item_id, now=utc_now() + timedelta(seconds=61))
        assert resend is not None and resend.reply is not None and resend.reply.intent == reply.intent

        # an error reply keeps none of the work's writes
        refused = inbox.accept("trigger:3", "command", {"body": {}})
        claim = inbox.claim(refused.item_id)
        assert claim is not None

        def write_then_refuse() -> Reply:
            run_log()
            return router.handle(Message(text="/peerchallenge log Hull to Hull 1", user=CONSOLE_USER,
                                         conversation="C1", as_of=TODAY))

        committed, refusal = inbox.run(claim, write_then_refuse)
        assert committed and refusal is not None and refusal.kind == "error"
        assert log_rows(services) == before + 2

        # a step that failed half-way and was recovered from: its half-done write is rolled back to
        # its savepoint, and the rest of the work is kept, once
        recovered = inbox.accept("trigger:5", "command", {"body": {}})
        claim = inbox.claim(recovered.item_id)
        assert claim is not None
        runs = []

        def half_done_then_recovered() -> Reply:
            runs.append(1)
            try:
                with services.db.session() as session:
                    session.add(PeerChallengeLog(giver_id=1, receiver_id=2, days_x100=50, given_on=TODAY,
                                                 logged_by="half-done"))
                    session.flush()
                    raise ValueError("refused after the write")
            except ValueError:
                pass
            return router.handle(Message(text="/council Harrow", user=CONSOLE_USER, conversation="C1", as_of=TODAY))

        committed, answer = inbox.run(claim, half_done_then_recovered)
        assert committed and answer is not None and answer.ok and len(runs) == 1
        assert log_rows(services) == before + 2  # nothing of the half-done step
        assert status_of(inbox, recovered.item_id).status == "answering"

        # a request that keeps taking the process down is given up after MAX_ATTEMPTS
        poison = inbox.accept("trigger:4", "command", {"body": {}})
        moment = utc_now()
        for attempt in range(1, MAX_ATTEMPTS + 2):
            moment += timedelta(seconds=31)
            taken = inbox.claim(poison.item_id, now=moment)
            assert taken is not None and taken.attempts == attempt
        assert taken.exhausted and inbox.give_up(taken)
    finally:
        services.db.dispose()


def test_inbox_on_sqlite(db_path: Path) -> None:
    check_inbox(f"sqlite:///{db_path}")


@pytest.mark.usefixtures("postgres_server")
def test_inbox_on_postgresql(pg_url: str) -> None:
    check_inbox(pg_url)


def test_a_reply_carrying_a_lone_surrogate_is_kept_and_one_kept_by_the_standard_library_is_resent(
    db_path: Path,
) -> None:
    """Bolt reads event bodies with json.loads, so "\\ud800" in one becomes a lone surrogate. A
    reply carrying one is kept and sent, not retried until the apology; and a reply kept as the
    standard library wrote it (earlier versions) is claimed and re-sent after a crash, not left
    due for ever."""
    settings = make_settings(f"sqlite:///{db_path}")
    services = Services.create(settings, open_database(settings))
    inbox = SlackInbox(services.db)
    try:
        # The router cleans what people type; a reply can still carry one from elsewhere.
        reply = Reply(text="I don't know a council called “Zq\ud800”.", entities={"asked": "Zq\ud800"})
        taken = inbox.accept("event:Ev1", "event", {"body": {"event": {"text": "/council Zq\ud800"}}})
        claim = inbox.claim(taken.item_id)
        assert claim is not None
        committed, kept = inbox.run(claim, lambda: reply)
        assert committed and kept == reply
        with services.db.engine.begin() as connection:  # a reply kept before a crash, json.dumps-written
            item_id = connection.execute(insert(INBOX).values(
                request_key="event:Ev2", kind="event", payload="{}", status="answering", attempts=1,
                claimed_by="a worker that died", lease_until=utc_now() - timedelta(minutes=1),
                reply=json.dumps(reply_codec.to_dict(reply)), deliveries=1, received_at=utc_now(),
            ).returning(INBOX.c.id)).scalar_one()
        resent = inbox.claim(item_id)
        assert resent is not None and resent.reply == reply
    finally:
        services.db.dispose()
