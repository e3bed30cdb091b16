"""Kapstok 3's page: the association's public profile, and the directory of the others."""

from __future__ import annotations

from telegram import InlineKeyboardButton

from bot.context import KapstokContext
from bot.domain.kapstokken import COOPERATION
from bot.i18n import pgettext
from handlers import callbacks
from handlers.pages import KapstokPage


async def actions(context: KapstokContext) -> list[InlineKeyboardButton]:
    if not context.profile.is_approved_member:
        return []
    return [
        InlineKeyboardButton(
            pgettext("button", "🪪 Our profile"), callback_data=callbacks.PROFILE.data()
        ),
        InlineKeyboardButton(
            pgettext("button", "🔎 Directory"), callback_data=callbacks.DIRECTORY.data()
        ),
        InlineKeyboardButton(
            pgettext("button", "📢 Publish a call"), callback_data=callbacks.CALL_NEW.data()
        ),
        InlineKeyboardButton(
            pgettext("button", "📋 Our calls"), callback_data=callbacks.CALL_LIST.data()
        ),
    ]


PAGE = KapstokPage(COOPERATION, actions=actions)


def build_handlers() -> list:
    return PAGE.build_handlers()
