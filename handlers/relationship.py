"""Kapstok 1, good relationship: a direct line between the municipality and the association."""

from telegram import InlineKeyboardButton

from bot.context import KapstokContext
from bot.i18n import N_, _, pgettext
from handlers.kapstokken import KapstokPage
from handlers.ui import ASK_PREFIX, THREADS_LIST, esc


async def contact_person(context: KapstokContext) -> str | None:
    """Who the association's contact person at the municipality is."""
    profile = context.profile
    if not profile.is_approved_member:
        return None
    name = await context.store.contact_person(profile.association_id)
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
            pgettext("button", "💬 Contact the liaison"), callback_data=f"{ASK_PREFIX}1"
        ),
        InlineKeyboardButton(pgettext("button", "🗂 Our questions"), callback_data=THREADS_LIST),
    ]


PAGE = KapstokPage(
    number=1,
    emoji="🤝",
    title=N_("Good relationship"),
    intro=N_(
        "The municipality and the associations are no islands. Both start from their own "
        "identity and dare to look over the walls of their own work. The municipality is no "
        "competitor of the associations: together they look for common interests and for "
        "win-win situations for everyone involved."
    ),
    actions=actions,
    details=contact_person,
)
