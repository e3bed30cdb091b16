"""The one error handler: log everything, apologise to the user, warn the liaison group."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError

from bot import i18n
from bot.context import KapstokContext
from bot.deliveries import message_row, queue
from bot.i18n import _

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
    config = context.bot_data.config
    with i18n.use_language(config.default_language):
        notice = _(
            "⚠️ Kapstok hit an error ({error}) while handling update {update}. "
            "The details are in the bot's log."
        ).format(error=type(error).__name__, update=update_id if update_id is not None else "-")
    await queue(context.application, [message_row(config.liaison_chat_id, notice)])
