"""The one error handler: log everything, apologise to the user, warn the liaison group — at
most once a minute, counting what happened since, and never with what a user typed."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError

from bot import i18n
from bot.context import NOTICE_EVERY, KapstokContext
from bot.deliveries import message_row, queue
from bot.i18n import _, ngettext

log = logging.getLogger("kapstok.errors")


async def handle_error(update: object, context: KapstokContext) -> None:
    error = context.error
    update_id = update.update_id if isinstance(update, Update) else None
    log.error("error while handling update %s", update_id, exc_info=error)
    if isinstance(update, Update) and update.effective_chat is not None:
        chat = update.effective_chat
        if chat.type == "private":
            try:
                await context.bot.send_message(
                    chat.id,
                    _(
                        "Sorry, something went wrong on my side. Nothing you sent is lost; "
                        "please try again in a moment. The municipality has been notified."
                    ),
                )
            except TelegramError:
                log.exception("could not apologise to chat %s", chat.id)
    notices = context.bot_data.error_notices
    notices.unreported += 1
    notices.last_error = type(error).__name__
    notices.last_update = update_id
    now = context.bot_data.store.now()
    if notices.due(now):
        await tell_the_group(context)
    elif not notices.flush_planned and context.job_queue is not None:
        notices.flush_planned = True
        wait = notices.last_notice + NOTICE_EVERY - now
        context.job_queue.run_once(_flush, wait, name="error-notice")


async def _flush(context: KapstokContext) -> None:
    context.bot_data.error_notices.flush_planned = False
    if context.bot_data.error_notices.unreported:
        await tell_the_group(context)


async def tell_the_group(context: KapstokContext) -> None:
    """One notice for the errors since the last one: how many, and the last one's kind."""
    notices = context.bot_data.error_notices
    config = context.bot_data.config
    with i18n.use_language(config.default_language):
        text = ngettext(
            "⚠️ Kapstok hit {count} error ({error}) while handling update {update}. "
            "The details are in the bot's log.",
            "⚠️ Kapstok hit {count} errors since the last notice, the last one ({error}) "
            "while handling update {update}. The details are in the bot's log.",
            notices.unreported,
        ).format(
            count=notices.unreported,
            error=notices.last_error,
            update=notices.last_update if notices.last_update is not None else "-",
        )
    notices.unreported = 0
    notices.last_notice = context.bot_data.store.now()
    await queue(context.application, [message_row(config.liaison_chat_id, text)])
