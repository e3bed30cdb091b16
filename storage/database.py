"""One SQLite connection shared by every repository: reads, writes and transactions."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

import aiosqlite

Clock = Callable[[], datetime]
Row = aiosqlite.Row


def utc_now() -> datetime:
    return datetime.now(UTC)


class Database:
    """The connection, its lock and the clock. Statements run one at a time; a transaction
    holds the lock until it ends, and everything a repository does inside it joins it."""

    def __init__(self, conn: aiosqlite.Connection, clock: Clock = utc_now) -> None:
        self.conn = conn
        self.clock = clock
        self._lock = asyncio.Lock()
        self._in_transaction: ContextVar[bool] = ContextVar(f"in_transaction_{id(self)}")

    def now(self) -> datetime:
        return self.clock()

    @asynccontextmanager
    async def _turn(self) -> AsyncIterator[None]:
        """The connection for one statement: at once inside our transaction, else in turn."""
        if self._in_transaction.get(False):
            yield
            return
        async with self._lock:
            yield

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """All or nothing; a transaction inside a transaction is part of the outer one."""
        if self._in_transaction.get(False):
            yield self.conn
            return
        async with self._lock:
            token = self._in_transaction.set(True)
            try:
                await self.conn.execute("BEGIN IMMEDIATE")
                try:
                    yield self.conn
                except BaseException:
                    await self.conn.rollback()
                    raise
                await self.conn.commit()
            finally:
                self._in_transaction.reset(token)

    async def fetchone(self, sql: str, params: Iterable[Any] = ()) -> Row | None:
        rows = await self.fetchall(sql, params)
        return rows[0] if rows else None

    async def fetchall(self, sql: str, params: Iterable[Any] = ()) -> list[Row]:
        """One round trip for the whole result."""
        async with self._turn():
            return list(await self.conn.execute_fetchall(sql, tuple(params)))

    async def write(self, sql: str, params: Iterable[Any] = ()) -> int:
        """Run one statement (atomic by itself); return the number of rows it changed."""
        async with self._turn(), self.conn.execute(sql, tuple(params)) as cursor:
            return cursor.rowcount

    async def insert(self, sql: str, params: Iterable[Any] = ()) -> int:
        """Run one INSERT; return the new row's id."""
        async with self._turn(), self.conn.execute(sql, tuple(params)) as cursor:
            return cursor.lastrowid

    async def executemany(self, sql: str, rows: Iterable[Iterable[Any]]) -> None:
        async with self._turn():
            await self.conn.executemany(sql, [tuple(row) for row in rows])

    @asynccontextmanager
    async def exclusive(self) -> AsyncIterator[aiosqlite.Connection]:
        """The connection alone, outside any transaction (for a backup)."""
        async with self._lock:
            yield self.conn
