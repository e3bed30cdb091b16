"""Polling Telegram for updates, acknowledging a batch only once it is in the inbox.

Telegram confirms the updates of a getUpdates when the next one asks for a higher offset; that
next call is made only after the batch was committed to the database.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from telegram import Update
from telegram.error import Conflict, NetworkError, RetryAfter, TelegramError
from telegram.ext import Application

from bot.inbox import Inbox

log = logging.getLogger(__name__)

LONG_POLL_SECONDS = 30
MAX_BACKOFF_SECONDS = 30.0


async def poll(
    application: Application, inbox: Inbox, stop: asyncio.Event, timeout: int = LONG_POLL_SECONDS
) -> None:
    """Fetch updates into the inbox until `stop` is set."""
    bot = application.bot
    await bot.delete_webhook(drop_pending_updates=False)
    offset: int | None = None
    backoff = 1.0
    while not stop.is_set():
        try:
            updates = await bot.get_updates(
                offset=offset, timeout=timeout, allowed_updates=Update.ALL_TYPES
            )
        except (RetryAfter, Conflict, NetworkError) as error:
            # Conflict: another process polls with this token; it must stop, we keep trying.
            log.warning("getUpdates failed (%s); trying again in %.0f s", error, backoff)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), backoff)
            backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)
            continue
        if updates:
            try:
                # Shielded: a stop must not cut a batch in half between database and dispatch.
                await asyncio.shield(inbox.accept_updates(updates))
            except Exception:
                # Not stored, so not confirmed: the same batch is fetched again.
                log.exception("could not store %s update(s); trying again", len(updates))
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), backoff)
                backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)
                continue
            offset = updates[-1].update_id + 1
        backoff = 1.0
    if offset is not None:
        with contextlib.suppress(TelegramError):
            await bot.get_updates(offset=offset, timeout=0)
