"""The reference data held in memory, and the one check that keeps it current across processes.

Councils, regions, judgements, interventions and the roster change rarely and are read by almost
every answer, so each process keeps one `ReferenceData` (see `bot.services.reference_data`)
labelled with the reference version it was read at. `current()` reads the database's version
(one indexed query, `storage.reference_version`) once per unit of work, i.e. once per answer,
and reuses the picture while the version is unchanged. Every write to those tables, in any
process and by any route (services, imports, the seed loader, the CLI, `/undo`), raises the
version in its own transaction, so:

- a committed change is seen by the next answer in every process (its version differs);
- a change rolled back is never seen (its bump rolled back with it);
- inside a transaction that has itself written reference rows, the picture is read afresh from
  that transaction (so the answer sees its own write) and kept for that transaction only: it
  holds changes that may yet roll back, so it is never shared.

`enabled = False` reads a fresh picture for every unit of work (what an answer cost before the
cache, and what the first answer after a write costs); benchmarks/answer_cost.py uses it.
"""

from __future__ import annotations

from threading import Lock

from sqlmodel import Session

from bot.services.reference_data import ReferenceData, build
from storage.db import Database
from storage.reference_version import read_version, writes_in_transaction

# In a session's `info`: (watched writes so far in its transaction, the picture it uses).
_MEMO = "reference_data"


class ReferenceCache:
    def __init__(self, db: Database, *, enabled: bool = True) -> None:
        self.db = db
        self.enabled = enabled
        self._shared: ReferenceData | None = None
        self._lock = Lock()

    def current(self) -> ReferenceData:
        """The reference data as the open unit of work sees it (or a fresh session, outside one)."""
        with self.db.joined() as session:
            return self.for_session(session)

    def for_session(self, session: Session) -> ReferenceData:
        connection = session.connection()
        writes = writes_in_transaction(connection)
        memo = session.info.get(_MEMO)
        if memo is not None and memo[0] == writes:
            return memo[1]
        data = self._fresh(session, writes)
        session.info[_MEMO] = (writes, data)
        return data

    def _fresh(self, session: Session, writes: int) -> ReferenceData:
        version = read_version(session.connection())
        shared = self._shared
        if self.enabled and not writes and version is not None and shared is not None and shared.version == version:
            return shared
        data = build(session, version)
        if self.enabled and not writes and version is not None:
            with self._lock:
                self._shared = data
        return data

    def invalidate(self) -> None:
        """Forget the shared picture (never needed for correctness: the version check finds every
        change; this only frees the memory or forces a rebuild)."""
        with self._lock:
            self._shared = None
