"""Kapstok 1's page: the line to the liaison, and who the association's contact person is."""

from __future__ import annotations

from telegram import InlineKeyboardButton

from bot.context import KapstokContext
from bot.domain.kapstokken import RELATIONSHIP
from bot.i18n import _, pgettext
from handlers import callbacks
from handlers.pages import KapstokPage
from handlers.ui import esc


async def contact_person(context: KapstokContext) -> str | None:
    """Who the association's contact person at the municipality is."""
    profile = context.profile
    if not profile.is_approved_member:
        return None
    name = await context.store.threads.contact_person(profile.association_id)
    if name is None:
        return _(
            "You have no contact person at the municipality yet: the liaison officer who "
            "answers your first question becomes it."
        )
    return _("Your contact person at the municipality: <b>{name}</b>").format(name=esc(name))


async def actions(context: KapstokContext) -> list[InlineKeyboardButton]:
    if not context.profile.is_approved_member:
        return []
    return [
        InlineKeyboardButton(
            pgettext("button", "💬 Contact the liaison"),
            callback_data=callbacks.ASK.data(RELATIONSHIP.number),
        ),
        InlineKeyboardButton(
            pgettext("button", "🗂 Our questions"), callback_data=callbacks.MY_THREADS.data()
        ),
        InlineKeyboardButton(
            pgettext("button", "📊 Our barometer"), callback_data=callbacks.OUR_BAROMETER.data()
        ),
    ]


PAGE = KapstokPage(RELATIONSHIP, actions=actions, details=contact_person)


def build_handlers() -> list:
    return PAGE.build_handlers()
