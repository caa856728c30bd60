"""Stored conversation references on SQLite and PostgreSQL (migration 0007_teams)."""

from __future__ import annotations

from sqlalchemy import inspect

from bot.services.teams_conversations import TeamsConversations
from storage.db import Database
from storage.migrate import upgrade

REFERENCE = {"bot": {"id": "28:bot"}, "channelId": "msteams", "conversation": {"id": "19:c@thread.tacv2"},
             "serviceUrl": "https://smba.trafficmanager.net/emea/"}


def exercise(db: Database) -> None:
    store = TeamsConversations(db)
    assert store.remember("19:c@thread.tacv2", REFERENCE, service_url=REFERENCE["serviceUrl"],
                          conversation_type="channel", source="install") is True
    assert store.remember("19:c@thread.tacv2", REFERENCE, service_url=REFERENCE["serviceUrl"]) is False
    moved = {**REFERENCE, "serviceUrl": "https://smba.trafficmanager.net/uk/"}
    assert store.remember("19:c@thread.tacv2", moved, service_url=moved["serviceUrl"]) is False
    stored = store.get("19:c@thread.tacv2")
    assert stored is not None and stored.service_url.endswith("/uk/") and stored.reference == moved
    assert stored.conversation_type == "channel"  # kept when a later event does not say
    assert store.deactivate("19:c@thread.tacv2") is True
    assert store.all() == [] and len(store.all(active_only=False)) == 1
    assert store.remember("19:c@thread.tacv2", moved, service_url=moved["serviceUrl"]) is True  # re-installed


def test_store_on_sqlite(db_path) -> None:  # type: ignore[no-untyped-def]
    db = Database(f"sqlite:///{db_path}")
    assert "teams_conversation_ref" in inspect(db.engine).get_table_names()
    exercise(db)
    db.dispose()


def test_store_on_postgresql(pg_url: str) -> None:
    db = Database(pg_url)
    upgrade(db.engine)
    assert "teams_conversation_ref" in inspect(db.engine).get_table_names()
    exercise(db)
    db.dispose()
