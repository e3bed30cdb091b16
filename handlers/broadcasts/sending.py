"""Sending a broadcast: its rows, one per recipient, written in one go; stopping it."""

from __future__ import annotations

from datetime import timedelta

from telegram.ext import Application

from bot.deliveries import queue
from bot.domain.preferences import Kind
from handlers.broadcasts import rows
from handlers.bulk import today
from storage.schedules import Schedule

REPORT_EVERY = timedelta(seconds=5)


async def start(application: Application, broadcast_id: int) -> int | None:
    """Queue the broadcast for everyone in its audience who wants news now; return how many
    (None when it was no longer waiting to go). Call it inside the deciding transaction."""
    store, config = application.bot_data.store, application.bot_data.config
    broadcast = await store.broadcasts.get(broadcast_id)
    if broadcast is None or broadcast.state != "scheduled":
        return None
    recipients = await store.audience.recipients(
        broadcast.audience, Kind.NEWS, today(store, config)
    )
    if not await store.broadcasts.started(broadcast_id, len(recipients)):
        return None
    await queue(
        application,
        [
            *(rows.broadcast(r.user_id, broadcast_id, broadcast.batch) for r in recipients),
            rows.report(broadcast.report_chat_id, broadcast_id),
        ],
    )
    return len(recipients)


async def run_scheduled(application: Application, schedule: Schedule) -> None:
    """A broadcast written beforehand: its moment came."""
    if schedule.broadcast_id is not None:
        await start(application, schedule.broadcast_id)


async def report_soon(application: Application, broadcast_id: int, chat_id: int) -> None:
    """Draw the report again within a few seconds (at most one edit every five)."""
    store = application.bot_data.store
    await store.outbox.add([rows.report(chat_id, broadcast_id, store.now() + REPORT_EVERY)])
    application.bot_data.outbox.queued()


async def stop(application: Application, broadcast_id: int) -> bool:
    """Nobody else gets it: its waiting rows are skipped. False if nobody was waiting for it."""
    store = application.bot_data.store
    async with store.transaction():
        broadcast = await store.broadcasts.get(broadcast_id)
        if broadcast is None or broadcast.state != "sending":
            return False
        skipped = await store.outbox.skip_batch(broadcast.batch)
        await store.broadcasts.end(broadcast_id, "stopped" if skipped else "done")
        await queue(application, [rows.report(broadcast.report_chat_id, broadcast_id)])
        await store.outbox.hasten(rows.report_key(broadcast_id))
    return skipped > 0
