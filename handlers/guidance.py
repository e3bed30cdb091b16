"""Kapstok 2, good guidance: the municipality helps a board find its way."""

from telegram import InlineKeyboardButton

from bot.context import KapstokContext
from bot.i18n import N_, pgettext
from handlers.kapstokken import KapstokPage
from handlers.ui import ASK_PREFIX, THREADS_LIST


async def actions(context: KapstokContext) -> list[InlineKeyboardButton]:
    if not context.profile.is_approved_member:
        return []
    return [
        InlineKeyboardButton(
            pgettext("button", "❓ Ask a question"), callback_data=f"{ASK_PREFIX}2"
        ),
        InlineKeyboardButton(pgettext("button", "🗂 Our questions"), callback_data=THREADS_LIST),
    ]


PAGE = KapstokPage(
    number=2,
    emoji="🧭",
    title=N_("Good guidance"),
    intro=N_(
        "The municipality guides the associations: with advice, with clear information and with "
        "a contact person who knows them. A board with a question should not have to look for "
        "the right department; the answer comes to them."
    ),
    actions=actions,
)
