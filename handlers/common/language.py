"""/language: Nederlands, Français or English."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot import i18n
from bot.config import LANGUAGES
from bot.context import KapstokContext
from bot.i18n import _
from handlers import callbacks
from handlers.ui import send_menu, show


def _language_keyboard() -> InlineKeyboardMarkup:
    current = i18n.current_language()
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    ("✓ " if code == current else "") + i18n.LANGUAGE_NAMES[code],
                    callback_data=callbacks.LANGUAGE.data(code),
                )
            ]
            for code in LANGUAGES
        ]
    )


async def language(update: Update, context: KapstokContext) -> None:
    """Which language shall I speak?"""
    text = _("Which language shall I speak with you?")
    if update.callback_query is not None:
        await update.callback_query.answer()
        await show(update.callback_query, text, _language_keyboard())
    else:
        await update.effective_message.reply_text(text, reply_markup=_language_keyboard())


async def choose_language(update: Update, context: KapstokContext) -> None:
    query = update.callback_query
    (code,) = callbacks.LANGUAGE.parse(query.data)
    await context.store.users.set_language(context.profile.user_id, code)
    i18n.set_language(code)
    await context.refresh_profile()
    await query.answer()
    await show(query, _("From now on I speak English with you."))
    if query.message is not None and query.message.chat.type == "private":
        await send_menu(update, context)


def build_handlers() -> list:
    return [
        CommandHandler("language", language, filters=filters.ChatType.PRIVATE),
        CallbackQueryHandler(language, pattern=callbacks.LANGUAGE_PAGE.matches),
        CallbackQueryHandler(choose_language, pattern=callbacks.LANGUAGE.matches),
    ]
