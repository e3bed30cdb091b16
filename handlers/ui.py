"""Texts and keyboards more than one handler shows: the menus, answers and refusals."""

from __future__ import annotations

import html

from telegram import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.context import KapstokContext
from bot.i18n import _, pgettext
from storage import AssociationKind

MENU = "menu"
REGISTER = "onb:register"
ENTER_CODE = "onb:code"
ASSOCIATION_PAGE = "assn:page"
LANGUAGE_PAGE = "lang:page"
ASK_PREFIX = "ask:"
THREADS_LIST = "mt:list"
# user_data key of a registration in progress, shown by /mydata.
REGISTRATION_DRAFT = "registration"

KIND_LABELS = {
    AssociationKind.YOUTH: lambda: pgettext("kind", "Youth"),
    AssociationKind.SPORT: lambda: pgettext("kind", "Sport"),
    AssociationKind.CULTURE: lambda: pgettext("kind", "Culture"),
    AssociationKind.WELFARE: lambda: pgettext("kind", "Social and welfare"),
    AssociationKind.NEIGHBOURHOOD: lambda: pgettext("kind", "Neighbourhood"),
    AssociationKind.EDUCATION: lambda: pgettext("kind", "Education and parents"),
    AssociationKind.OTHER: lambda: pgettext("kind", "Other"),
}


def kind_label(kind: AssociationKind) -> str:
    return KIND_LABELS[kind]()


def esc(text: str | None) -> str:
    """User text, safe inside an HTML-formatted message."""
    return html.escape(text or "", quote=False)


def menu_button() -> InlineKeyboardButton:
    return InlineKeyboardButton(pgettext("button", "⬅️ Menu"), callback_data=MENU)


def back_to_menu() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[menu_button()]])


def newcomer_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    pgettext("button", "Register my association"), callback_data=REGISTER
                )
            ],
            [
                InlineKeyboardButton(
                    pgettext("button", "I have an invite code"), callback_data=ENTER_CODE
                )
            ],
        ]
    )


async def show(
    query: CallbackQuery, text: str, keyboard: InlineKeyboardMarkup | None = None
) -> None:
    """Replace the message a button was pressed on; send anew if it cannot be edited."""
    try:
        await query.edit_message_text(text, parse_mode=ParseMode.HTML, reply_markup=keyboard)
    except BadRequest as error:
        if "message is not modified" in str(error).lower():
            return
        await query.get_bot().send_message(
            query.message.chat.id if query.message else query.from_user.id,
            text,
            parse_mode=ParseMode.HTML,
            reply_markup=keyboard,
        )


async def refuse(update: Update, text: str, keyboard: InlineKeyboardMarkup | None = None) -> None:
    """Say no, politely: an alert for a button, a message for a command or text."""
    if update.callback_query is not None:
        await update.callback_query.answer(text, show_alert=True)
    elif update.effective_message is not None:
        await update.effective_message.reply_text(
            text, parse_mode=ParseMode.HTML, reply_markup=keyboard
        )


async def require_approved_member(update: Update, context: KapstokContext) -> bool:
    """True for a board member of an approved association; otherwise explain and refuse."""
    profile = context.profile
    if profile is not None and profile.is_approved_member:
        return True
    if profile is not None and profile.is_pending_member:
        await refuse(
            update,
            _(
                "Your association is still waiting for a liaison officer's confirmation. "
                "As soon as it is confirmed, you can use this."
            ),
        )
    else:
        await refuse(
            update,
            _(
                "This is for board members of an association. Register your association or "
                "enter an invite code first: send /start."
            ),
        )
    return False


async def require_liaison(update: Update, context: KapstokContext) -> bool:
    if context.is_liaison:
        return True
    await refuse(update, _("Only liaison officers of the municipality can do this."))
    return False


async def require_admin(update: Update, context: KapstokContext) -> bool:
    if context.is_admin:
        return True
    await refuse(update, _("Only admins of Kapstok can do this."))
    return False
