"""Kapstok 5's page: what it is about, the association's recognition; for board members of an
approved association what they can ask for; its FAQ."""

from __future__ import annotations

from telegram import InlineKeyboardButton

from bot.context import KapstokContext
from bot.domain.kapstokken import SUPPORT
from bot.i18n import pgettext
from handlers import callbacks
from handlers.pages import KapstokPage
from handlers.support.recognition import board_text


async def recognition_details(context: KapstokContext) -> str | None:
    """An approved association's board sees its recognition and what to do about it."""
    profile = context.profile
    if profile is None or not profile.is_approved_member:
        return None
    return board_text(await context.store.recognition.get(profile.association_id))


async def actions(context: KapstokContext) -> list[InlineKeyboardButton]:
    if not context.profile.is_approved_member:
        return []
    return [
        InlineKeyboardButton(
            pgettext("button", "📦 Borrow gear"), callback_data=callbacks.BORROW.data()
        ),
        InlineKeyboardButton(
            pgettext("button", "💶 Request a subsidy"), callback_data=callbacks.SUBSIDY_NEW.data()
        ),
    ]


PAGE = KapstokPage(SUPPORT, actions=actions, details=recognition_details)


def build_handlers() -> list:
    return PAGE.build_handlers()
