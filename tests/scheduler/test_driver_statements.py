"""The statements a pass hands to the driver directly get the values SQLAlchemy would have given."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import create_engine, select
from sqlmodel import Session, SQLModel

from bot.services.scheduling.driver import DriverStatement
from bot.services.scheduling.values import insert_if_absent
from storage.tables import OutboxItem

BST = timezone(timedelta(hours=1))


def test_each_distinct_value_is_processed_once_and_equal_values_of_other_zones_or_types_apart() -> None:
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
    assert calls == [noon_utc, True, one_pm_bst, 1]  # the repeated row's values were not processed again


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
