"""The threads' scheduled work: thin jobs that call plain functions the tests can call."""

from __future__ import annotations

import logging

from telegram.ext import Application

from bot.context import KapstokContext
from handlers.threads.liaison import nudge_waiting_threads
from handlers.threads.relay import relay_in

log = logging.getLogger(__name__)

NUDGE_EVERY_SECONDS = 600


async def queue_unrelayed(context: KapstokContext) -> int:
    """Members' messages that never reached the liaison group and wait in no outbox row (kept
    before Kapstok had an outbox) are queued, once, in order."""
    messages = await context.store.threads.never_relayed()
    for message in messages:
        thread = await context.store.threads.thread(message.thread_id)
        await relay_in(context, thread, [message])
    if messages:
        log.info("queued %s message(s) that had not reached the liaison group", len(messages))
    return len(messages)


async def nudge_job(context: KapstokContext) -> None:
    await nudge_waiting_threads(context)


async def unrelayed_job(context: KapstokContext) -> None:
    await queue_unrelayed(context)


def schedule(application: Application) -> None:
    """The nudge also runs shortly after a start, so a restart loses no reminder."""
    queue = application.job_queue
    queue.run_repeating(nudge_job, NUDGE_EVERY_SECONDS, first=30, name="nudge")
    queue.run_once(unrelayed_job, 5, name="queue-unrelayed")
