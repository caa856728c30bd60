"""The in-process queue for SQLite's one writer: hand-over in order, short writes first,
re-entrant, and never a wait longer than SQLite's own busy timeout."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import event, insert, text
from sqlmodel import func, select

from storage.db import Database, WriteGate
from storage.tables import SlackInboxItem


def queue_behind(gate: WriteGate, order: list[str], name: str, *, short: bool) -> threading.Thread:
    """Start a thread that waits for the gate and notes when it got it; returns once it is in line."""
    lines_before = len(gate._short) + len(gate._long)

    def write() -> None:
        with gate.held(short=short):
            order.append(name)

    thread = threading.Thread(target=write)
    thread.start()
    while len(gate._short) + len(gate._long) == lines_before:  # wait until it is queued
        threading.Event().wait(0.001)
    return thread


def test_short_writes_go_before_long_ones_that_queued_earlier() -> None:
    gate = WriteGate()
    order: list[str] = []
    with gate.held():
        threads = [queue_behind(gate, order, "answer 1", short=False),
                   queue_behind(gate, order, "answer 2", short=False),
                   queue_behind(gate, order, "acknowledgement", short=True)]
        assert order == []  # nobody gets in while the gate is held
    for thread in threads:
        thread.join(timeout=5)
    assert order == ["acknowledgement", "answer 1", "answer 2"]


def test_the_gate_is_reentrant_in_one_thread() -> None:
    gate = WriteGate()
    with gate.held(), gate.held(short=True):
        order: list[str] = []
        waiting = queue_behind(gate, order, "other", short=True)
    waiting.join(timeout=5)
    assert order == ["other"]


def test_a_writer_that_waited_out_the_busy_timeout_goes_on_ungated() -> None:
    gate = WriteGate(timeout=0.01)
    got_in = threading.Event()

    def write() -> None:
        with gate.held():
            got_in.set()

    with gate.held():
        thread = threading.Thread(target=write)
        thread.start()
        thread.join(timeout=5)
        assert got_in.is_set()  # it did not wait for the holder
        assert not gate._long  # and left the line


def test_concurrent_sqlite_writers_all_commit(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'gate.db'}")
    SlackInboxItem.metadata.create_all(db.engine, tables=[SlackInboxItem.__table__])  # type: ignore[attr-defined]

    def record(n: int) -> None:
        for i in range(20):
            with db.write_transaction() if n % 2 else db.unit_of_work() as session:
                session.add(SlackInboxItem(request_key=f"k{n}-{i}", kind="command", payload="{}"))

    threads = [threading.Thread(target=record, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    with db.session() as session:
        assert len(session.exec(select(SlackInboxItem)).all()) == 160
    db.dispose()


def test_a_core_write_connection_queues_at_the_gate_commits_on_success_and_keeps_nothing_on_error(
    tmp_path: Path,
) -> None:
    db = Database(f"sqlite:///{tmp_path / 'core.db'}")
    SlackInboxItem.metadata.create_all(db.engine, tables=[SlackInboxItem.__table__])  # type: ignore[attr-defined]
    table = SlackInboxItem.__table__  # type: ignore[attr-defined]

    def row(key: str) -> dict[str, object]:
        return {"request_key": key, "kind": "command", "payload": "{}", "status": "pending", "attempts": 0,
                "claimed_by": "", "reply": "", "deliveries": 1, "received_at": datetime(2026, 11, 24, 10, tzinfo=UTC)}

    with db.write_connection() as connection:
        connection.execute(insert(table).values(**row("kept")))
    try:
        with db.write_connection() as connection:
            connection.execute(insert(table).values(**row("lost")))
            raise RuntimeError("the caller failed after writing")
    except RuntimeError:
        pass
    entered = threading.Event()

    def write_while_held() -> None:
        with db.write_connection() as connection:
            entered.set()
            connection.execute(insert(table).values(**row("after")))

    with db.write_transaction():  # holds the gate: the Core writer waits its turn
        waiting = threading.Thread(target=write_while_held)
        waiting.start()
        assert not entered.wait(0.2)
    waiting.join(timeout=10)
    assert entered.is_set()
    with db.session() as session:
        assert sorted(r.request_key for r in session.exec(select(SlackInboxItem)).all()) == ["after", "kept"]
    db.dispose()


def test_a_bulk_write_leaves_checkpointing_to_a_background_thread_and_every_connection_as_it_was(
    tmp_path: Path,
) -> None:
    """A scheduler pass writes megabytes in one commit: the log is copied into the database file by
    a background checkpoint, and the connection that wrote checkpoints automatically again once
    it is back in the pool, also after a bulk write that failed."""
    db = Database(f"sqlite:///{tmp_path / 'bulk.db'}")
    SlackInboxItem.metadata.create_all(db.engine, tables=[SlackInboxItem.__table__])  # type: ignore[attr-defined]
    table = SlackInboxItem.__table__  # type: ignore[attr-defined]
    rows = [{"request_key": f"k{n}", "kind": "command", "payload": "x" * 1000, "status": "pending", "attempts": 0,
             "claimed_by": "", "reply": "", "deliveries": 1, "received_at": datetime(2026, 11, 24, 10, tzinfo=UTC)}
            for n in range(6000)]  # about 6 MB of log: more than SQLite's automatic checkpoint allows
    with db.bulk_write_transaction() as session:
        session.execute(insert(table), rows)
    assert db.checkpoint_finished(timeout=30)
    assert (tmp_path / "bulk.db").stat().st_size > 6_000_000  # the rows are in the database file itself
    try:
        with db.bulk_write_transaction() as session:
            session.execute(insert(table), [{**rows[0], "request_key": "lost"}])
            raise RuntimeError("the pass failed after writing")
    except RuntimeError:
        pass
    with db.engine.connect() as first, db.engine.connect() as second:
        assert [c.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() for c in (first, second)] == [1000, 1000]
    with db.session() as session:
        assert session.exec(select(func.count()).select_from(SlackInboxItem)).one() == 6000
    db.dispose()


def test_a_bulk_write_interrupted_mid_statement_keeps_its_error_and_gives_its_pool_slot_back(
    tmp_path: Path,
) -> None:
    """Ctrl-C inside a statement invalidates the connection: the interrupt is what escapes (not an
    error of the autocheckpoint hook), and the pool gets the slot back every time."""
    db = Database(f"sqlite:///{tmp_path / 'interrupted.db'}")
    with db.engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE t (x INTEGER)")

    def interrupt(cursor: object, statement: str, parameters: object, context: object) -> bool:
        if statement.startswith("INSERT"):
            raise KeyboardInterrupt
        return False

    event.listen(db.engine, "do_execute", interrupt)
    for _ in range(3):
        with pytest.raises(KeyboardInterrupt), db.bulk_write_transaction() as session:
            session.execute(text("INSERT INTO t VALUES (1)"))
    assert db.engine.pool.checkedout() == 0  # type: ignore[attr-defined]
    event.remove(db.engine, "do_execute", interrupt)
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 1000
    db.dispose()


def test_a_bulk_write_waits_with_the_long_writers_so_an_acknowledgement_queued_later_goes_first(
    tmp_path: Path,
) -> None:
    db = Database(f"sqlite:///{tmp_path / 'order.db'}")
    order: list[str] = []

    def bulk() -> None:
        with db.bulk_write_transaction():
            order.append("pass insert")

    with db.writers.held(short=True):
        inserting = threading.Thread(target=bulk)
        inserting.start()
        for _ in range(5000):  # wait until it is queued, in whichever line
            if db.writers._long or db.writers._short:
                break
            threading.Event().wait(0.001)
        assert list(db.writers._long) and not db.writers._short  # queued with the long writers
        acknowledging = queue_behind(db.writers, order, "acknowledgement", short=True)
    for thread in (inserting, acknowledging):
        thread.join(timeout=10)
    assert order == ["acknowledgement", "pass insert"]
    db.dispose()
