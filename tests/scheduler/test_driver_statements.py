"""The statements a pass hands to the driver directly get the values SQLAlchemy would have given."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import create_engine, select
from sqlmodel import Session, SQLModel

from bot.services.scheduling.driver import DriverStatement
from bot.services.scheduling.marks import OutcomeWriter
from bot.services.scheduling.values import insert_if_absent
from storage.db import Database
from storage.tables import OutboxItem

BST = timezone(timedelta(hours=1))


def test_each_value_is_processed_once_and_equal_values_of_other_zones_or_types_apart() -> None:
    calls: list[object] = []

    def process(value: object) -> str:
        calls.append(value)
        return repr(value)

    statement = DriverStatement("INSERT ...", ("at", "flag", "name"), {"at": process, "flag": process})
    noon_utc = datetime(2026, 11, 30, 12, tzinfo=UTC)
    one_pm_bst = noon_utc.astimezone(BST)  # the same instant: equal, but written differently
    rows = [
        {"at": noon_utc, "flag": True, "name": "a"},
        {"at": noon_utc, "flag": True, "name": "b"},
        {"at": one_pm_bst, "flag": 1, "name": "c"},
    ]
    one_by_one = [statement.arguments(row) for row in rows]
    calls.clear()
    assert statement.arguments_many(rows) == one_by_one
    assert one_by_one[2] == (repr(one_pm_bst), "1", "c")
    assert sorted(calls, key=repr) == sorted([noon_utc, True, one_pm_bst, 1], key=repr)  # the repeated row's were not


def test_rows_inserted_through_the_driver_read_back_as_sqlalchemy_wrote_them(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'outbox.db'}")
    SQLModel.metadata.create_all(engine, tables=[OutboxItem.__table__])  # type: ignore[attr-defined]
    due = datetime(2026, 11, 30, 9, tzinfo=UTC)
    rows = [
        {"key": f"k{n}", "platform": "slack", "destination": "C1", "scope": "national", "kind": "digest",
         "subject": "national", "series_key": "digest:x", "due_date": due.date(), "due_at": due.astimezone(BST),
         "payload": "{}", "status": "pending", "attempts": 0, "next_attempt_at": due, "late": n == 1,
         "created_at": due, "last_error": None}
        for n in range(3)
    ]
    with Session(engine) as session:
        assert insert_if_absent(session, OutboxItem, rows, ("key",)) == 3
        assert insert_if_absent(session, OutboxItem, rows[:1], ("key",)) == 0  # already there
        session.commit()
    with Session(engine) as session:
        stored = session.exec(select(OutboxItem).order_by(OutboxItem.key)).scalars().all()  # type: ignore[call-overload]
    assert [(r.key, r.due_date, r.due_at.replace(tzinfo=UTC), r.late) for r in stored] == [
        ("k0", due.date(), due, False), ("k1", due.date(), due, True), ("k2", due.date(), due, False)
    ]


def _stored_text(database: Path, table: str, key_column: str) -> dict[str, tuple[object, ...]]:
    """Each row's columns exactly as SQLite holds them, by key: what SQL comparisons see."""
    with sqlite3.connect(database) as raw:
        raw.row_factory = sqlite3.Row
        return {row[key_column]: tuple(row) for row in raw.execute(f"SELECT * FROM {table}")}


def test_rows_inserted_through_the_driver_are_stored_as_sqlalchemy_stores_them(tmp_path: Path) -> None:
    """Same text, not only the same values read back: claims compare `due_at` as text on SQLite,
    so an instant stored as "12:00:00+00:00" beside one stored as "12:00:00.000000" sorts wrong."""
    database = tmp_path / "outbox.db"
    engine = create_engine(f"sqlite:///{database}")
    SQLModel.metadata.create_all(engine, tables=[OutboxItem.__table__])  # type: ignore[attr-defined]
    due = datetime(2026, 6, 1, 9, 30, 15, 250000, tzinfo=UTC)
    row = {"platform": "slack", "destination": "C1", "scope": "national", "kind": "digest", "subject": "national",
           "series_key": "digest:x", "due_date": due.date(), "due_at": due.astimezone(BST), "payload": "{}",
           "status": "pending", "attempts": 0, "next_attempt_at": due.replace(microsecond=0), "late": True,
           "created_at": due, "last_error": None}
    with Session(engine) as session:
        session.add(OutboxItem(key="by-sqlalchemy", **row))
        session.commit()
        insert_if_absent(session, OutboxItem, [{"key": "by-driver", **row}], ("key",))
        session.commit()
    stored = _stored_text(database, "outboxitem", "key")
    by_sqlalchemy, by_driver = stored["by-sqlalchemy"], stored["by-driver"]
    assert by_driver[2:] == by_sqlalchemy[2:]  # every column after id and key
    assert "2026-06-01 09:30:15.250000" in by_driver  # UTC, without an offset, as SQLAlchemy writes it


def test_marks_through_the_driver_are_stored_as_sqlalchemy_stores_them(tmp_path: Path) -> None:
    database = tmp_path / "outbox.db"
    db = Database(f"sqlite:///{database}")
    SQLModel.metadata.create_all(db.engine, tables=[OutboxItem.__table__])  # type: ignore[attr-defined]
    due = datetime(2026, 6, 1, 9, tzinfo=UTC)
    sent = datetime(2026, 6, 1, 10, 15, 0, 125000, tzinfo=BST)
    with Session(db.engine) as session:
        for key in ("by-sqlalchemy", "by-driver"):
            session.add(OutboxItem(key=key, platform="slack", destination="C1", kind="digest", subject="national",
                                   series_key="digest:x", due_date=due.date(), due_at=due, payload="{}",
                                   next_attempt_at=due, created_at=due, claimed_by="worker"))
        session.commit()
        ids = {item.key: item.id for item in session.exec(select(OutboxItem)).scalars()}  # type: ignore[call-overload]
    writer = OutcomeWriter(db)
    writer.update(ids["by-sqlalchemy"], "worker", {"status": "sent", "sent_at": sent})  # SQLAlchemy's execution
    with writer.holding():  # the driver's cursor, as a pass marks its rows
        assert writer.update(ids["by-driver"], "worker", {"status": "sent", "sent_at": sent})
    stored = _stored_text(database, "outboxitem", "key")
    assert stored["by-driver"][2:] == stored["by-sqlalchemy"][2:]
    assert "2026-06-01 09:15:00.125000" in stored["by-driver"]


def test_the_two_half_past_ones_of_the_night_the_clocks_go_back_are_stored_apart() -> None:
    """01:30 BST and 01:30 GMT on 25 October 2026 are equal and hash alike in Python (they differ
    only in `fold`), yet are an hour apart: each is processed for itself."""
    london = ZoneInfo("Europe/London")
    first, second = datetime(2026, 10, 25, 1, 30, tzinfo=london), datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=london)
    statement = DriverStatement("INSERT ...", ("at",), {"at": lambda value: value.astimezone(UTC).isoformat()})
    assert statement.arguments_many([{"at": first}, {"at": second}]) == [
        ("2026-10-25T00:30:00+00:00",), ("2026-10-25T01:30:00+00:00",)
    ]
