"""Statements a pass runs thousands of times, handed to the database driver directly.

SQLAlchemy's per-statement overhead (execution context, parameter processing, result set-up) is
larger than a one-row UPDATE or INSERT itself, and a pass at 100x runs tens of thousands of them.
A `DriverStatement` is a SQLAlchemy statement compiled once per dialect; its arguments still go
through each column's own bind processor, so values are stored exactly as SQLAlchemy stores them
(SQLite's datetime text, PostgreSQL's timestamptz).
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy.engine import Dialect
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler

Arguments = tuple[Any, ...] | dict[str, Any]


@dataclass(frozen=True)
class DriverStatement:
    """SQL text, positional parameter order (empty for drivers taking named parameters, like
    psycopg) and each parameter's bind processor."""

    sql: str
    order: tuple[str, ...]
    processors: dict[str, Callable[[Any], Any]]

    def arguments(self, params: dict[str, Any]) -> Arguments:
        if not self.order:  # named parameters (psycopg)
            processors = self.processors
            return {name: processors[name](v) if name in processors else v for name, v in params.items()}
        picked, processed = self._positional  # positional (sqlite3): in order, through processors
        values = picked(params)
        if len(self.order) == 1:
            values = (values,)
        if not processed:
            return tuple(values)
        listed = list(values)
        for index, process in processed:
            listed[index] = process(listed[index])
        return tuple(listed)

    def arguments_many(self, rows: Sequence[dict[str, Any]]) -> list[Arguments]:
        """`arguments` of each row, processing each value object of a column once: the rows of a
        pass share a handful of moments and days (the same objects), and a datetime's processing
        is the dearest part. Objects are told apart by identity, which stays unique while `rows`
        holds them all: equal values (one instant in two zones, True and 1) are never confused."""
        if not self.order:  # named parameters (psycopg)
            named = [dict(row) for row in rows]
            for name in named[0].keys() & self.processors.keys() if named else ():  # rows share columns
                _process_column(named, name, self.processors[name])
            return list(named)
        picked, processed = self._positional
        single = len(self.order) == 1
        listed: list[list[Any]] = [[picked(row)] if single else list(picked(row)) for row in rows]
        for index, process in processed:
            _process_column(listed, index, process)
        return [tuple(values) for values in listed]

    @functools.cached_property
    def _positional(self) -> tuple[Callable[[dict[str, Any]], Any], tuple[tuple[int, Callable[[Any], Any]], ...]]:
        """A getter of the parameters in order, and (position, processor) of those that have one:
        a pass calls `arguments` once per row of tens of thousands."""
        processed = tuple(
            (index, self.processors[name]) for index, name in enumerate(self.order) if name in self.processors
        )
        return operator.itemgetter(*self.order), processed


@functools.cache
def for_driver(statement: ClauseElement, dialect: Dialect, columns: Sequence[str] = ()) -> DriverStatement:
    """`statement` compiled for `dialect`; `columns`: the parameters of an INSERT's VALUES."""
    compiled = cast(SQLCompiler, statement.compile(dialect=dialect, column_keys=list(columns) or None))
    processors: dict[str, Callable[[Any], Any]] = {}
    for name, bind in compiled.binds.items():
        # The dialect's own implementation, as SQLAlchemy's execution uses: a TypeDecorator's
        # generic `impl` (DateTime) has no processor of its own, and sqlite3 would then write an
        # instant in its own text ("...+00:00"), not SQLAlchemy's, and compare it wrongly as text.
        processor = bind.type.dialect_impl(dialect).bind_processor(dialect)
        if processor is not None:
            processors[name] = processor
    return DriverStatement(compiled.string, tuple(compiled.positiontup or ()), processors)


def _process_column(rows: Sequence[Any], column: Any, process: Callable[[Any], Any]) -> None:
    """Replace each row's `column` (an index or a name) by its processed value, processing each
    distinct object once."""
    done: dict[int, Any] = {}  # by id(): every value is still held by the caller's rows
    for row in rows:
        value = row[column]
        try:
            row[column] = done[id(value)]
        except KeyError:
            row[column] = done[id(value)] = process(value)
