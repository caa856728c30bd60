"""The reference version: raised in the same transaction as every write to the reference tables.

Processes keep the reference data (councils, regions, judgements, interventions, the roster) in
memory and check `reference_version` with one query per answer. For that to be safe the version
must change with every committed change to those tables and with nothing that rolls back, however
the write was made: the ORM (any service, the seed loader, the Ofsted import, `/undo`), a Core
or bulk statement, or raw SQL typed into a CLI. So the bump is not left to the services: an
engine hook (`before_cursor_execute`) sees every statement sent to the database, and before the
first INSERT, UPDATE or DELETE on a watched table in a transaction it runs
`UPDATE reference_version SET version = version + 1` on the same connection, so the bump commits
or rolls back with the write (a savepoint rolled back forgets that it bumped, so the next write
bumps again). Raising it before the write also means PostgreSQL writers queue on the version row
first, so two of them cannot deadlock on the watched rows they then touch.

Schema upgrades run with the hook paused (the table may not exist yet) and raise the version once
at the end (`storage.migrate.upgrade`).
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

from storage.tables import (
    BrokerAssignment,
    Contact,
    Council,
    CouncilAlias,
    CouncilSuccession,
    InterventionEvent,
    OfstedJudgement,
    OfstedVisit,
    PeerReview,
    PeerReviewTeamMember,
    Person,
    ProgrammeMembership,
    ReferenceVersion,
    Region,
    RegionAlias,
    ReportedIntervention,
)

# The tables whose rows the in-memory reference data is built from (peer reviews: the bookings a
# council's card lists).
WATCHED: frozenset[str] = frozenset(
    model.__tablename__  # type: ignore[misc]
    for model in (Region, RegionAlias, Council, CouncilAlias, CouncilSuccession, OfstedJudgement, OfstedVisit,
                  ReportedIntervention, InterventionEvent, ProgrammeMembership, Person, BrokerAssignment, Contact,
                  PeerReview, PeerReviewTeamMember)
)  # fmt: skip
VERSION_TABLE: str = ReferenceVersion.__tablename__

BUMP = f"UPDATE {VERSION_TABLE} SET version = version + 1 WHERE id = 1"
READ = f"SELECT version FROM {VERSION_TABLE} WHERE id = 1"

# Keys in the connection's `info` (one dict per DBAPI connection, kept across checkouts).
_WRITES = "reference_writes"  # watched writes in the open transaction (0 when none)
_BUMPED = "reference_bumped"  # the open transaction (or savepoint) has raised the version
PAUSED = "reference_hook_paused"  # set while migrations run

_WRITE_VERBS = ("INSERT", "UPDATE", "DELETE", "REPLACE", "WITH", "TRUNCATE", "MERGE")
_TARGET = re.compile(
    r"^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|REPLACE\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)\s+(?:ONLY\s+)?"
    r"[\"`\[]?(\w+)",
    re.IGNORECASE,
)
_WORD = re.compile(r"\w+")


def writes_watched_table(statement: str) -> bool:
    """Whether `statement` changes a watched table. Plain INSERT / UPDATE / DELETE name their table
    first; anything else that writes (a CTE, TRUNCATE, MERGE) counts if it names one anywhere."""
    head = statement[:16].lstrip().upper()
    if not head.startswith(_WRITE_VERBS):
        return False
    found = _TARGET.match(statement)
    if found is not None:
        return found.group(1).lower() in WATCHED
    return any(word.lower() in WATCHED for word in _WORD.findall(statement))


def _before_cursor_execute(
    conn: Connection, cursor: Any, statement: str, _parameters: Any, _context: Any, _executemany: bool
) -> None:
    if not writes_watched_table(statement):
        return
    info = conn.info
    if info.get(PAUSED):
        return
    info[_WRITES] = info.get(_WRITES, 0) + 1
    if not info.get(_BUMPED):
        cursor.execute(BUMP)
        info[_BUMPED] = True


def _transaction_ended(conn: Connection) -> None:
    if conn.invalidated:  # interrupted mid-statement: its record is cleared when it is checked in
        return
    conn.info.pop(_WRITES, None)
    conn.info.pop(_BUMPED, None)


def _checked_in(_dbapi_connection: Any, record: Any) -> None:
    """Back in the pool, whatever happened: no transaction is open on it any more."""
    if record is not None:
        record.info.pop(_WRITES, None)
        record.info.pop(_BUMPED, None)


def _savepoint_rolled_back(conn: Connection, _name: str, _context: Any) -> None:
    if conn.invalidated:
        return
    conn.info.pop(_BUMPED, None)
    if conn.info.get(_WRITES):
        # What the transaction sees changed again (its writes since the savepoint are undone):
        # counted as one more change, so a picture memoised within it is built afresh.
        conn.info[_WRITES] += 1


def install(engine: Engine) -> None:
    """Raise the reference version with every write to a watched table made through `engine`."""
    event.listen(engine, "before_cursor_execute", _before_cursor_execute)
    event.listen(engine, "commit", _transaction_ended)
    event.listen(engine, "rollback", _transaction_ended)
    event.listen(engine, "rollback_savepoint", _savepoint_rolled_back)
    event.listen(engine, "checkin", _checked_in)


def writes_in_transaction(conn: Connection) -> int:
    """How many watched writes the connection's open transaction has made: reference data read
    while it is above 0 includes changes not yet committed, so it is not to be shared."""
    return int(conn.info.get(_WRITES, 0))


def read_version(conn: Connection) -> int | None:
    """The reference version as this transaction sees it (None if the row is missing, which no
    migrated database has: then nothing may be served from memory)."""
    value = conn.exec_driver_sql(READ).scalar()
    return None if value is None else int(value)


def bump(conn: Connection) -> None:
    """Raise the version by hand (after a schema upgrade, whose own writes the hook does not see)."""
    conn.exec_driver_sql(BUMP)
