"""Conversation context lives in the database: it survives a restart, is shared by two processes
on one PostgreSQL database, expires after 30 idle minutes, and is never shared between users,
channels or threads."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.bootstrap import open_database
from bot.core.message import Message, UserRef
from bot.nlu.context import Context, ContextStore, Turn
from bot.router import Router
from bot.services import Services
from bot.services.conversations import ConversationContexts
from storage.db import Database
from tests.conftest import TODAY, make_settings

REPO = Path(__file__).parents[2]
KEY = ("slack", "C1", None, "U1")


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def test_context_round_trips_through_the_table(services: Services) -> None:
    store = ContextStore(services.conversations)
    store.put(KEY, Context(last=Turn("broker_for_council", council_id=5), home_region_id=3))
    loaded = store.get(KEY)
    assert loaded.last == Turn("broker_for_council", council_id=5) and loaded.home_region_id == 3
    assert store.get(("slack", "C1", None, "U2")).last is None  # another user
    assert store.get(("slack", "C1", "T1", "U1")).last is None  # another thread
    assert store.get(("slack", "C2", None, "U1")).last is None  # another channel
    assert store.get(("teams", "C1", None, "U1")).last is None  # another platform


def test_context_expires_after_30_idle_minutes(services: Services) -> None:
    clock = Clock()
    contexts = ConversationContexts(services.db, clock=clock)
    contexts.save(KEY, {"home_region_id": 7})
    clock.now += timedelta(minutes=29)
    assert contexts.load(KEY) == {"home_region_id": 7}
    contexts.save(KEY, {"home_region_id": 7})  # used again: the 30 minutes start afresh
    clock.now += timedelta(minutes=29)
    assert contexts.load(KEY) == {"home_region_id": 7}
    clock.now += timedelta(minutes=2)
    assert contexts.load(KEY) is None
    assert contexts.prune() == 1
    assert contexts.prune() == 0


def test_an_expired_conversation_is_answered_afresh(services: Services) -> None:
    clock = Clock()
    services.conversations = ConversationContexts(services.db, clock=clock)
    router = Router(services)
    ask = lambda text: router.handle(Message(text=text, user=UserRef("slack", "U1"),  # noqa: E731
                                             conversation="C9", as_of=TODAY))
    ask("how is Knowsley doing?")
    clock.now += timedelta(minutes=10)
    assert ask("who's their broker?").entities.get("council") == "Knowsley"
    clock.now += timedelta(minutes=31)
    assert ask("who's their broker?").entities.get("council") is None


def _ask_in_a_new_process(database_url: str, text: str) -> dict[str, object]:
    env = {**os.environ, "DATABASE_URL": database_url}
    done = subprocess.run([sys.executable, "-m", "bot", "ask", "--json", "--as-of", TODAY.isoformat(),
                           "--user", "slack:U42", text], capture_output=True, text=True, env=env, timeout=180,
                          cwd=REPO)
    assert done.stdout, done.stderr
    payload: dict[str, object] = json.loads(done.stdout)
    return payload


def test_a_follow_up_works_across_two_processes_on_postgresql(pg_url: str) -> None:
    open_database(make_settings(pg_url)).dispose()  # migrate and seed once, as a deployment does
    first = _ask_in_a_new_process(pg_url, "how is Knowsley doing?")
    assert first["intent"] == "council_status"
    second = _ask_in_a_new_process(pg_url, "who's their broker?")
    assert second["intent"] == "broker_for_council"
    assert "Howard Cooper" in str(second["text"]) and "Knowsley" in str(second["text"])


def test_two_replicas_on_postgresql_share_one_conversation(pg_url: str) -> None:
    db = open_database(make_settings(pg_url))
    try:
        settings = make_settings(pg_url)
        replica_a = Router(Services.create(settings, db))
        replica_b = Router(Services.create(settings, Database(pg_url)))
        user = UserRef("teams", "29:abc")
        replica_a.handle(Message(text="/council Harrow", user=user, conversation="19:chat", as_of=TODAY))
        reply = replica_b.handle(Message(text="when's their deadline?", user=user, conversation="19:chat",
                                         as_of=TODAY))
        assert reply.intent == "deadlines" and reply.entities.get("council") == "Harrow"
        other = replica_b.handle(Message(text="when's their deadline?", user=UserRef("teams", "29:xyz"),
                                         conversation="19:chat", as_of=TODAY))
        assert other.entities.get("council") is None
    finally:
        db.dispose()
