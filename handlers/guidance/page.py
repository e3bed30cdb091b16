"""Kapstok 2's page: ask a question, and the association's questions."""

from __future__ import annotations

from telegram import InlineKeyboardButton

from bot.context import KapstokContext
from bot.domain.kapstokken import GUIDANCE
from bot.i18n import pgettext
from handlers import callbacks
from handlers.pages import KapstokPage


async def actions(context: KapstokContext) -> list[InlineKeyboardButton]:
    if not context.profile.is_approved_member:
        return []
    return [
        InlineKeyboardButton(
            pgettext("button", "❓ Ask a question"),
            callback_data=callbacks.ASK.data(GUIDANCE.number),
        ),
        InlineKeyboardButton(
            pgettext("button", "🗂 Our questions"), callback_data=callbacks.MY_THREADS.data()
        ),
    ]


PAGE = KapstokPage(GUIDANCE, actions=actions)


def build_handlers() -> list:
    return PAGE.build_handlers()
