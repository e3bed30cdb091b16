"""Updates of different people are handled at the same time; the updates of one person, and of
one chat, one after the other, in the order they came."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable

from telegram import Update

Job = Callable[[], Awaitable[None]]


def keys_of(update: Update) -> set[tuple[str, int]]:
    """What an update must stay in order with: its sender and its chat."""
    keys = set()
    if update.effective_user is not None:
        keys.add(("user", update.effective_user.id))
    if update.effective_chat is not None:
        keys.add(("chat", update.effective_chat.id))
    return keys or {("none", 0)}


class KeyedDispatcher:
    """Jobs of different keys run concurrently; jobs that share a key run in submit order."""

    def __init__(self, limit: int = 32) -> None:
        self._tails: dict[Hashable, asyncio.Future[None]] = {}
        self._slots = asyncio.Semaphore(limit)
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def busy(self) -> int:
        """How many jobs are waiting or running."""
        return len(self._tasks)

    def submit(self, keys: set[Hashable], job: Job) -> asyncio.Task[None]:
        """Queue a job behind the earlier jobs of its keys. Synchronous, so that jobs submitted
        in arrival order keep it."""
        done = asyncio.get_running_loop().create_future()
        before = [self._tails[key] for key in keys if key in self._tails]
        for key in keys:
            self._tails[key] = done
        task = asyncio.create_task(self._run(keys, before, done, job))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def _run(self, keys, before, done, job: Job) -> None:
        try:
            if before:
                await asyncio.wait(before)  # an earlier job that failed does not block this one
            async with self._slots:  # a job that waits for its turn holds no slot
                await job()
        finally:
            done.set_result(None)
            for key in keys:
                if self._tails.get(key) is done:
                    del self._tails[key]

    async def drain(self) -> None:
        """Wait until every submitted job has finished."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
