"""The last resort, registered after every other handler: whatever nobody else took gets an
answer, never silence."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, MessageHandler, filters

from bot.context import KapstokContext
from bot.i18n import _
from handlers import callbacks
from handlers.conversation import unknown_command
from handlers.ui import no_longer_valid, send_menu


async def unexpected_text(update: Update, context: KapstokContext) -> None:
    """Text or media the bot did not ask for: a hint and the menu."""
    await send_menu(
        update,
        context,
        prefix=_("I did not expect that message. Choose from the menu, or send /help."),
    )


async def stale_button(update: Update, context: KapstokContext) -> None:
    """A button nobody handles any more, e.g. from an old message."""
    await update.callback_query.answer(
        _("This button is no longer valid. Here is the menu."), show_alert=True
    )
    if update.effective_chat is not None and update.effective_chat.type == "private":
        await send_menu(update, context)


async def malformed_button(update: Update, context: KapstokContext) -> None:
    """Data of one of our buttons that does not parse: refused, nothing read or changed."""
    await no_longer_valid(update)


def build_handlers() -> list:
    private = filters.ChatType.PRIVATE
    return [
        MessageHandler(private & filters.COMMAND, unknown_command),
        MessageHandler(private & ~filters.COMMAND & ~filters.StatusUpdate.ALL, unexpected_text),
        CallbackQueryHandler(malformed_button, pattern=callbacks.is_malformed),
        CallbackQueryHandler(stale_button),
    ]
