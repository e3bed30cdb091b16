"""Housekeeping while the bot runs: forget what is done, write what belongs to no update."""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram.ext import Application

from bot.context import KapstokContext

log = logging.getLogger(__name__)

EVERY_SECONDS = 600
KEEP_SENT = timedelta(days=30)


async def tidy(context: KapstokContext) -> None:
    """Prune handled updates (after 7 days) and sent outbox rows (after 30); write the
    conversation states that changed without an update (a conversation that timed out)."""
    application = context.application
    await application.update_persistence()
    if application.persistence is not None:
        await application.persistence.flush()
    pruned = await context.bot_data.inbox.prune()
    sent = await context.store.outbox.prune(context.store.now() - KEEP_SENT)
    if pruned or sent:
        log.info("pruned %s handled update(s) and %s sent outbox row(s)", pruned, sent)


def schedule(application: Application) -> None:
    application.job_queue.run_repeating(tidy, EVERY_SECONDS, first=60, name="tidy")
