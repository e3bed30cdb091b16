"""The SQLite connections every repository shares: reads, writes, transactions, and the unit of
work of one update.

One connection writes, one at a time; a second connection reads what is committed, so a reader
never waits for a writer (WAL). Inside a unit of work (one update) the first write begins a
transaction that holds the writer until the unit ends: everything the update wrote, its
conversation state and its inbox row commit together, once, or not at all.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import aiosqlite

Clock = Callable[[], datetime]
Row = aiosqlite.Row


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Unit:
    """The writes of one update: begun at its first write, committed when it ends."""

    begun: bool = False
    savepoints: int = 0
    undo: list[Callable[[], None]] = field(default_factory=list)
    after_commit: list[Callable[[], Awaitable[None]]] = field(default_factory=list)


@dataclass
class Counters:
    """What the store asked of SQLite, for benchmarks: awaited calls and commits."""

    calls: int = 0
    commits: int = 0


class Database:
    def __init__(
        self,
        writer: aiosqlite.Connection,
        reader: aiosqlite.Connection | None = None,
        clock: Clock = utc_now,
    ) -> None:
        self.conn = writer
        self.reader = reader or writer
        self.clock = clock
        self.counters = Counters()
        self._writer_lock = asyncio.Lock()
        self._holder: ContextVar[bool] = ContextVar(f"holds_writer_{id(self)}", default=False)
        self._unit: ContextVar[Unit | None] = ContextVar(f"unit_{id(self)}", default=None)
        self._undo: ContextVar[list | None] = ContextVar(f"undo_{id(self)}", default=None)
        # The steps to run once the transaction this task is in (outside a unit) commits.
        self._after: ContextVar[list | None] = ContextVar(f"after_{id(self)}", default=None)

    def now(self) -> datetime:
        """The store's time, to the second, as it is stored."""
        return self.clock().replace(microsecond=0)

    def in_unit_of_work(self) -> bool:
        """Whether this task writes inside an update's unit of work (not committed yet)."""
        return self._unit.get() is not None

    def on_rollback(self, undo: Callable[[], None]) -> None:
        """Run `undo` if what was just written is rolled back: repositories forget what they
        cached of it. Outside a transaction a write is final at once, and nothing is kept."""
        undos = self._undo.get()
        if undos is not None:
            undos.append(undo)

    async def after_commit(self, step: Callable[[], Awaitable[None]]) -> None:
        """Run `step` once what was written so far is committed (at once outside a unit of
        work and a transaction): for work that must not happen inside a transaction, like a
        WAL checkpoint, or that must see what was written, like waking the outbox."""
        unit = self._unit.get()
        after = self._after.get()
        if unit is not None:
            unit.after_commit.append(step)
        elif after is not None:
            after.append(step)
        else:
            await step()

    @staticmethod
    def _run_undos(undos: list, since: int = 0) -> None:
        for undo in reversed(undos[since:]):
            undo()
        del undos[since:]

    # --- the writer -------------------------------------------------------------------------

    async def _call(self, work):
        self.counters.calls += 1
        return await work

    @asynccontextmanager
    async def _writer(self) -> AsyncIterator[aiosqlite.Connection]:
        """The writing connection: at once when this task holds it, else in turn."""
        if self._holder.get():
            yield self.conn
            return
        async with self._writer_lock:
            token = self._holder.set(True)
            try:
                yield self.conn
            finally:
                self._holder.reset(token)

    async def _begin_unit(self, unit: Unit) -> None:
        """The unit's first write: take the writer until the unit ends, and begin."""
        await self._writer_lock.acquire()
        self._holder.set(True)
        unit.begun = True
        await self._call(self.conn.execute("BEGIN IMMEDIATE"))

    @asynccontextmanager
    async def unit_of_work(self) -> AsyncIterator[Unit]:
        """Everything written inside commits once, at the end, or is rolled back."""
        unit = Unit()
        token = self._unit.set(unit)
        holder = self._holder.set(self._holder.get())
        undo_token = self._undo.set(unit.undo)
        try:
            yield unit
            if unit.begun:
                await self._call(self.conn.commit())
                self.counters.commits += 1
        except BaseException:
            if unit.begun:
                await self.conn.rollback()
            self._run_undos(unit.undo)
            raise
        finally:
            if unit.begun:
                self._writer_lock.release()
            self._undo.reset(undo_token)
            self._holder.reset(holder)
            self._unit.reset(token)
        for step in unit.after_commit:
            await step()

    @asynccontextmanager
    async def transaction(self, *, savepoint: bool = False) -> AsyncIterator[aiosqlite.Connection]:
        """All or nothing. Inside a unit of work it is part of the unit's transaction (which
        commits or rolls back as a whole), or a savepoint of it when the caller goes on after
        the block failed; inside another transaction it is part of that one."""
        unit = self._unit.get()
        if unit is not None and not savepoint:
            if not unit.begun:
                await self._begin_unit(unit)
            yield self.conn
            return
        if unit is not None:
            if not unit.begun:
                await self._begin_unit(unit)
            unit.savepoints += 1
            name = f"sp{unit.savepoints}"
            since = len(unit.undo)
            await self._call(self.conn.execute(f"SAVEPOINT {name}"))
            try:
                yield self.conn
            except BaseException:
                await self.conn.execute(f"ROLLBACK TO {name}")
                await self.conn.execute(f"RELEASE {name}")
                self._run_undos(unit.undo, since)
                raise
            await self._call(self.conn.execute(f"RELEASE {name}"))
            return
        if self._holder.get():
            yield self.conn
            return
        after: list = []
        async with self._writer():
            undos: list = []
            undo_token = self._undo.set(undos)
            after_token = self._after.set(after)
            try:
                await self._call(self.conn.execute("BEGIN IMMEDIATE"))
                try:
                    yield self.conn
                except BaseException:
                    await self.conn.rollback()
                    self._run_undos(undos)
                    raise
                await self._call(self.conn.commit())
                self.counters.commits += 1
            finally:
                self._after.reset(after_token)
                self._undo.reset(undo_token)
        for step in after:
            await step()

    async def _write_turn(self):
        """Begin the unit's transaction if this is its first write."""
        unit = self._unit.get()
        if unit is not None and not unit.begun:
            await self._begin_unit(unit)

    async def write(self, sql: str, params: Iterable[Any] = ()) -> int:
        """Run one statement; return the number of rows it changed."""
        await self._write_turn()
        async with self._writer() as conn:
            cursor = await self._call(conn.execute(sql, tuple(params)))
            self._count_autocommit()
            return cursor.rowcount

    async def write_last(self, sql: str, params: Iterable[Any] = ()) -> int:
        """The last write of a unit of work: part of its transaction if it wrote before,
        else one statement on its own (no BEGIN and COMMIT for an update that only read)."""
        unit = self._unit.get()
        if unit is None or unit.begun:
            return await self.write(sql, params)
        async with self._writer() as conn:
            cursor = await self._call(conn.execute(sql, tuple(params)))
            self.counters.commits += 1
            return cursor.rowcount

    async def insert(self, sql: str, params: Iterable[Any] = ()) -> int:
        """Run one INSERT; return the new row's id."""
        await self._write_turn()
        async with self._writer() as conn:
            cursor = await self._call(conn.execute(sql, tuple(params)))
            self._count_autocommit()
            return cursor.lastrowid

    async def write_returning(self, sql: str, params: Iterable[Any] = ()) -> list[Row]:
        """Run one statement with RETURNING; return its rows."""
        await self._write_turn()
        async with self._writer() as conn:
            rows = list(await self._call(conn.execute_fetchall(sql, tuple(params))))
            self._count_autocommit()
            return rows

    async def executemany(self, sql: str, rows: Iterable[Iterable[Any]]) -> None:
        await self._write_turn()
        async with self._writer() as conn:
            await self._call(conn.executemany(sql, [tuple(row) for row in rows]))
            self._count_autocommit()

    def _count_autocommit(self) -> None:
        if not self.conn.in_transaction:
            self.counters.commits += 1

    # --- reads ----------------------------------------------------------------------------

    async def fetchall(self, sql: str, params: Iterable[Any] = ()) -> list[Row]:
        """One round trip for the whole result: what this task wrote if it writes, else what
        is committed."""
        if self._holder.get():
            return list(await self._call(self.conn.execute_fetchall(sql, tuple(params))))
        return list(await self._call(self.reader.execute_fetchall(sql, tuple(params))))

    async def fetchone(self, sql: str, params: Iterable[Any] = ()) -> Row | None:
        rows = await self.fetchall(sql, params)
        return rows[0] if rows else None

    # --- maintenance ------------------------------------------------------------------------

    @asynccontextmanager
    async def exclusive(self) -> AsyncIterator[aiosqlite.Connection]:
        """The writing connection alone, outside any transaction (for a backup)."""
        async with self._writer() as conn:
            yield conn

    async def trace(self, callback: Callable[[str], object] | None) -> None:
        """Call back with every statement either connection runs (None: stop), for tests."""
        await self.conn.set_trace_callback(callback)
        if self.reader is not self.conn:
            await self.reader.set_trace_callback(callback)

    async def close(self) -> None:
        if self.reader is not self.conn:
            await self.reader.close()
        await self.conn.close()
