"""Kapstok 4's page: what it is about; for board members of an approved association a new
activity and the calendar; its FAQ."""

from __future__ import annotations

from telegram import InlineKeyboardButton

from bot.context import KapstokContext
from bot.domain.kapstokken import ACTIVITIES
from bot.i18n import pgettext
from handlers import callbacks
from handlers.pages import KapstokPage


async def actions(context: KapstokContext) -> list[InlineKeyboardButton]:
    if not context.profile.is_approved_member:
        return []
    return [
        InlineKeyboardButton(
            pgettext("button", "➕ New activity"), callback_data=callbacks.ACTIVITY_NEW.data()
        ),
        InlineKeyboardButton(
            pgettext("button", "📅 Calendar"), callback_data=callbacks.CALENDAR.data("30", 1)
        ),
    ]


PAGE = KapstokPage(ACTIVITIES, actions=actions)


def build_handlers() -> list:
    return PAGE.build_handlers()
