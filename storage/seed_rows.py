"""Rows for the seed loader: a per-table report, the bundled CSV reader, insert-or-update by key."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlmodel import Session, SQLModel, select

DATA_DIR = Path(__file__).parent / "data"


@dataclass
class SeedReport:
    """Counts per table: rows added, changed and left unchanged."""

    added: dict[str, int] = field(default_factory=dict)
    changed: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)

    def count(self, table: str, outcome: str) -> None:
        bucket = getattr(self, outcome)
        bucket[table] = bucket.get(table, 0) + 1

    @property
    def total_written(self) -> int:
        return sum(self.added.values()) + sum(self.changed.values())


def read_csv(name: str) -> Iterator[dict[str, str]]:
    with (DATA_DIR / name).open(newline="", encoding="utf-8-sig") as handle:
        yield from csv.DictReader(handle)


def rows_by_key(session: Session, model: type[SQLModel], columns: tuple[str, ...]) -> dict[tuple[Any, ...], Any]:
    """Every row of `model` by the values of `columns`: one SELECT instead of one per upsert, for
    a loader that upserts hundreds of rows (a first start loads about 700 judgements)."""
    return {tuple(getattr(row, c) for c in columns): row for row in session.exec(select(model)).all()}


def upsert(
    session: Session,
    report: SeedReport,
    model: type[SQLModel],
    key: dict[str, Any],
    values: dict[str, Any],
    *,
    overwrite: bool = True,
    known: dict[tuple[Any, ...], Any] | None = None,
) -> Any:
    """Insert the row identified by `key`, or bring its `values` into line (if `overwrite`).

    With `known` (from `rows_by_key`, on the columns of `key` in order) the row is looked up there
    and a new one is added to it and written with the others when the session next flushes: the
    caller does not need its id at once. Without it the row is looked up with a SELECT and a new
    one is flushed, so its id is set on return."""
    table = str(model.__tablename__)
    if known is not None:
        row = known.get(tuple(key.values()))
    else:
        statement = select(model)
        for column, value in key.items():
            statement = statement.where(getattr(model, column) == value)
        row = session.exec(statement).first()
    if row is None:
        row = model(**key, **values)
        session.add(row)
        if known is None:
            session.flush()
        else:
            known[tuple(key.values())] = row
        report.count(table, "added")
        return row
    if overwrite:
        differing = {k: v for k, v in values.items() if getattr(row, k) != v}
        if differing:
            for column, value in differing.items():
                setattr(row, column, value)
            session.add(row)
            report.count(table, "changed")
            return row
    report.count(table, "unchanged")
    return row
