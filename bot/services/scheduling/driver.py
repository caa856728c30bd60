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
        """`arguments` of each row, processing each distinct value of a column once: the rows of a
        pass share a handful of moments and days, and a datetime's processing is the dearest part."""
        memoised = {name: _Memoised(process) for name, process in self.processors.items()}
        if not self.order:  # named parameters (psycopg)
            return [
                {name: memoised[name](value) if name in memoised else value for name, value in row.items()}
                for row in rows
            ]
        picked, processed = self._positional
        columns = [(index, memoised[self.order[index]]) for index, _ in processed]
        single = len(self.order) == 1
        found: list[Arguments] = []
        for row in rows:
            listed = [picked(row)] if single else list(picked(row))
            for index, process in columns:
                listed[index] = process(listed[index])
            found.append(tuple(listed))
        return found

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


class _Memoised:
    """A bind processor that remembers its result for each distinct value.

    Equal is not enough to share a result: one instant in two zones is equal, and so are True and 1,
    so a value is remembered with its type and zone."""

    def __init__(self, process: Callable[[Any], Any]) -> None:
        self.process = process
        self.memo: dict[tuple[type, Any, Any], Any] = {}

    def __call__(self, value: Any) -> Any:
        key = (type(value), getattr(value, "tzinfo", None), value)
        try:
            return self.memo[key]
        except KeyError:
            self.memo[key] = result = self.process(value)
            return result
        except TypeError:  # not hashable: processed every time
            return self.process(value)
