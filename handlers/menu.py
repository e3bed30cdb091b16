"""The menus: the way in for newcomers, the five kapstokken for board members and liaisons."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode

from bot.context import KapstokContext
from bot.i18n import _, pgettext
from handlers import kapstokken
from handlers.ui import ASSOCIATION_PAGE, LANGUAGE_PAGE, esc, newcomer_keyboard
from storage import Profile


def kapstok_menu_keyboard(with_association: bool) -> InlineKeyboardMarkup:
    rows = [
        [InlineKeyboardButton(page.button_label(), callback_data=page.callback_data)]
        for page in kapstokken.PAGES
    ]
    last_row = []
    if with_association:
        last_row.append(
            InlineKeyboardButton(
                pgettext("button", "👥 Our association"), callback_data=ASSOCIATION_PAGE
            )
        )
    last_row.append(
        InlineKeyboardButton(pgettext("button", "🌐 Language"), callback_data=LANGUAGE_PAGE)
    )
    rows.append(last_row)
    return InlineKeyboardMarkup(rows)


def menu_for(profile: Profile, is_liaison: bool) -> tuple[str, InlineKeyboardMarkup | None]:
    """What /start and /menu show this user: the five kapstokken, or the way in."""
    name = esc(profile.first_name)
    if profile.is_approved_member:
        text = _(
            "<b>{association}</b>\n"
            "Hello {name}! Together with the municipality, we work on five kapstokken of good "
            "cooperation. Choose one:"
        ).format(association=esc(profile.association_name), name=name)
        return text, kapstok_menu_keyboard(with_association=True)
    if profile.is_pending_member:
        text = _(
            "Hello {name}! Your association <b>{association}</b> is waiting for a liaison officer "
            "of the municipality to confirm it. I will let you know as soon as that happens.\n\n"
            "Meanwhile you can use /language, /help and /mydata."
        ).format(association=esc(profile.association_name), name=name)
        return text, None
    if is_liaison:
        text = _(
            "Hello {name}! You are a liaison officer of the municipality. /pending lists the "
            "associations waiting for your confirmation; /help lists all your commands.\n\n"
            "The five kapstokken, as the associations see them:"
        ).format(name=name)
        return text, kapstok_menu_keyboard(with_association=False)
    text = _(
        "Hello {name}! I am Kapstok, the municipality's assistant for associations: a direct line "
        "to the municipality, help with questions, and cooperation between associations.\n\n"
        "Is your association new here? Register it. Did a fellow board member give you an "
        "invite code? Enter it to join them."
    ).format(name=name)
    return text, newcomer_keyboard()


async def send_menu(update: Update, context: KapstokContext, prefix: str | None = None) -> Message:
    """Send the user's menu as a new message, optionally after a line of text."""
    text, keyboard = menu_for(context.profile, context.is_liaison)
    if prefix:
        text = f"{prefix}\n\n{text}"
    return await context.bot.send_message(
        update.effective_chat.id, text, parse_mode=ParseMode.HTML, reply_markup=keyboard
    )
