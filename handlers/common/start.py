"""/start and /menu bring back the five kapstokken; ⬅️ Menu too; /cancel outside a conversation."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot.context import KapstokContext
from bot.i18n import _
from handlers import callbacks
from handlers.associations import onboarding
from handlers.ui import menu_for, send_menu, show


async def start(update: Update, context: KapstokContext) -> None:
    """/start: the menu; /start CODE (from an invite link) joins an association first."""
    if context.args:
        await onboarding.redeem(update, context, context.args[0])
        return
    await send_menu(update, context)


async def menu(update: Update, context: KapstokContext) -> None:
    await send_menu(update, context)


async def menu_button_pressed(update: Update, context: KapstokContext) -> None:
    """⬅️ Menu: the menu in place of the page it was pressed on."""
    await update.callback_query.answer()
    text, keyboard = menu_for(context.profile, context.is_liaison)
    await show(update.callback_query, text, keyboard)


async def cancel(update: Update, context: KapstokContext) -> None:
    """/cancel outside a conversation."""
    await send_menu(update, context, prefix=_("There is nothing to stop right now."))


def build_handlers() -> list:
    private = filters.ChatType.PRIVATE
    return [
        CommandHandler("start", start, filters=private),
        CommandHandler("menu", menu, filters=private),
        CommandHandler("cancel", cancel, filters=private),
        CallbackQueryHandler(menu_button_pressed, pattern=callbacks.MENU.matches),
    ]
