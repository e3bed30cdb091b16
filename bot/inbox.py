"""The durable inbox: an update is in the database before Kapstok acknowledges it to Telegram,
and is marked handled in the same transaction as everything its handlers wrote.

At start, updates acknowledged but not handled (the process died) are handled first, in order,
once: an update id seen before is never handled twice.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import timedelta

from telegram import Update
from telegram.ext import Application

from bot.dispatcher import KeyedDispatcher, keys_of
from storage import Store
from storage.inbox import InboxRow

log = logging.getLogger(__name__)

KEEP_HANDLED = timedelta(days=7)


class Inbox:
    def __init__(self, application: Application, store: Store, *, concurrency: int = 32) -> None:
        self._application = application
        self._store = store
        self._dispatcher = KeyedDispatcher(concurrency)
        self.after_update = []  # callables run after each update's commit (the outbox's wake)

    async def accept(self, raw_updates: Sequence[dict]) -> None:
        """Keep these updates (one statement), then queue the new ones for handling. When
        this returns, Telegram may be told they arrived."""
        pairs = [(int(raw["update_id"]), raw) for raw in raw_updates]
        for row in await self._store.inbox.accept(pairs):
            self._submit(row)

    async def accept_updates(self, updates: Sequence[Update]) -> None:
        """The updates of one getUpdates: kept as their JSON, handled as they came."""
        parsed = {update.update_id: update for update in updates}
        rows = await self._store.inbox.accept([(u.update_id, u.to_dict()) for u in updates])
        for row in rows:
            self._submit(row, parsed[row.update_id])

    async def replay(self) -> int:
        """Queue what was acknowledged but not handled before the last stop, in order."""
        rows = await self._store.inbox.unhandled()
        for row in rows:
            self._submit(row)
        if rows:
            log.info("handling %s update(s) left over from before the restart", len(rows))
        return len(rows)

    def _submit(self, row: InboxRow, update: Update | None = None) -> None:
        update = update or Update.de_json(row.raw, self._application.bot)
        self._dispatcher.submit(keys_of(update), lambda: self._handle(row, update))

    async def _handle(self, row: InboxRow, update: Update) -> None:
        try:
            await self._handle_in_one_transaction(row, update)
        except Exception:
            # Not marked handled: it is handled again after the next start.
            log.exception("could not finish update %s", row.update_id)

    async def _handle_in_one_transaction(self, row: InboxRow, update: Update) -> None:
        """One update, one unit of work: its writes, its conversation state and its inbox row
        commit together."""
        persistence = self._application.persistence
        async with self._store.db.unit_of_work():
            await self._application.process_update(update)
            await self._application.update_persistence()
            if persistence is not None:
                await persistence.write_for(keys_of(update))
            await self._store.inbox.handled(row.seq)
        for after in self.after_update:
            after()

    async def drain(self) -> None:
        """Wait until every queued update is handled."""
        await self._dispatcher.drain()

    async def backlog(self) -> dict:
        return {**await self._store.inbox.backlog(), "in_progress": self._dispatcher.busy}

    async def prune(self) -> int:
        return await self._store.inbox.prune(self._store.now() - KEEP_HANDLED)
