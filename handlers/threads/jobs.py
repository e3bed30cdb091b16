"""The threads' scheduled work: thin jobs that call plain functions the tests can call."""

from __future__ import annotations

import logging

from telegram.ext import Application

from bot.context import KapstokContext
from handlers.threads.liaison import nudge_waiting_threads
from handlers.threads.relay import deliver_in

log = logging.getLogger(__name__)

NUDGE_EVERY_SECONDS = 600
RETRY_EVERY_SECONDS = 120


async def retry_undelivered(context: KapstokContext) -> int:
    """Carry members' messages that could not reach the liaison group before."""
    delivered = 0
    for message in await context.store.threads.undelivered():
        thread = await context.store.threads.thread(message.thread_id)
        if await deliver_in(context, thread, [message]):
            delivered += 1
        else:
            break  # the group is still unreachable: try again next time, in order
    if delivered:
        log.info("delivered %s message(s) that had waited for the liaison group", delivered)
    return delivered


async def nudge_job(context: KapstokContext) -> None:
    await nudge_waiting_threads(context)


async def retry_job(context: KapstokContext) -> None:
    await retry_undelivered(context)


def schedule(application: Application) -> None:
    """Both jobs also run shortly after a start, so a restart loses no reminder."""
    queue = application.job_queue
    queue.run_repeating(nudge_job, NUDGE_EVERY_SECONDS, first=30, name="nudge")
    queue.run_repeating(retry_job, RETRY_EVERY_SECONDS, first=15, name="retry-undelivered")
