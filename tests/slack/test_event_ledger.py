"""The processed-event ledger: first claim wins, durably, on SQLite and PostgreSQL, even when two
deliveries race."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import pytest

from bot.bootstrap import open_database
from bot.services.slack_events import KEEP_FOR, ProcessedEvents
from storage.tables import utc_now
from tests.conftest import make_settings


def check_ledger(database_url: str) -> None:
    db = open_database(make_settings(database_url), seed=False)
    try:
        ledger = ProcessedEvents(db)
        assert ledger.claim("Ev1", event_type="app_mention", retry_num=2) is True
        assert ledger.claim("Ev1") is False
        assert ledger.seen("Ev1") and not ledger.seen("Ev2")
        with ThreadPoolExecutor(8) as pool:
            outcomes = list(pool.map(lambda _: ledger.claim("EvRace"), range(8)))
        assert outcomes.count(True) == 1
        assert ledger.prune(utc_now() + KEEP_FOR + timedelta(minutes=1)) == 2
        assert ledger.claim("Ev1") is True  # forgotten after KEEP_FOR, long after Slack stops retrying
    finally:
        db.dispose()


def test_ledger_on_sqlite(tmp_path: Path) -> None:
    check_ledger(f"sqlite:///{tmp_path / 'ledger.db'}")


@pytest.mark.usefixtures("postgres_server")
def test_ledger_on_postgresql(pg_url: str) -> None:
    check_ledger(pg_url)
