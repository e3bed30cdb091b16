"""What more than one handler shows: escaping, the menus, answers and refusals."""

from __future__ import annotations

import html

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest

from bot.context import KapstokContext
from bot.domain.associations import AssociationKind
from bot.domain.kapstokken import KAPSTOKKEN, Kapstok
from bot.domain.people import Profile
from bot.i18n import _, pgettext
from handlers import callbacks

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


def mention(user_id: int, first_name: str) -> str:
    """A name that notifies its owner in a group."""
    return f'<a href="tg://user?id={user_id}">{esc(first_name)}</a>'


def kapstok_title(kapstok: Kapstok) -> str:
    return _(kapstok.title)


def kapstok_label(kapstok: Kapstok) -> str:
    """A kapstok as a button shows it: its emoji and its name."""
    return f"{kapstok.emoji} {kapstok_title(kapstok)}"


# --- buttons and keyboards ---------------------------------------------------------------------


def menu_button() -> InlineKeyboardButton:
    return InlineKeyboardButton(pgettext("button", "⬅️ Menu"), callback_data=callbacks.MENU.data())


def back_to_menu() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[menu_button()]])


def newcomer_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    pgettext("button", "Register my association"),
                    callback_data=callbacks.REGISTER.data(),
                )
            ],
            [
                InlineKeyboardButton(
                    pgettext("button", "I have an invite code"),
                    callback_data=callbacks.ENTER_CODE.data(),
                )
            ],
        ]
    )


def kapstok_menu_keyboard(with_association: bool) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(
                kapstok_label(kapstok), callback_data=callbacks.KAPSTOK_PAGE.data(kapstok.number)
            )
        ]
        for kapstok in KAPSTOKKEN
    ]
    last_row = []
    if with_association:
        last_row.append(
            InlineKeyboardButton(
                pgettext("button", "👥 Our association"),
                callback_data=callbacks.ASSOCIATION_PAGE.data(),
            )
        )
    last_row.append(
        InlineKeyboardButton(
            pgettext("button", "🌐 Language"), callback_data=callbacks.LANGUAGE_PAGE.data()
        )
    )
    rows.append(last_row)
    return InlineKeyboardMarkup(rows)


# --- the menu ----------------------------------------------------------------------------------


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
    return await context.bot.send_message(update.effective_chat.id, text, reply_markup=keyboard)


# --- answering -----------------------------------------------------------------------------------


async def show(
    query: CallbackQuery, text: str, keyboard: InlineKeyboardMarkup | None = None
) -> None:
    """Replace the message a button was pressed on; send anew if it cannot be edited (a photo
    or a document has no text to replace)."""
    message = query.message
    if isinstance(message, Message) and message.text is None:
        await query.get_bot().send_message(message.chat.id, text, reply_markup=keyboard)
        return
    try:
        await query.edit_message_text(text, reply_markup=keyboard)
    except BadRequest as error:
        if "message is not modified" in str(error).lower():
            return
        await query.get_bot().send_message(
            query.message.chat.id if query.message else query.from_user.id,
            text,
            reply_markup=keyboard,
        )


async def reply(update: Update, text: str, keyboard: InlineKeyboardMarkup | None = None) -> None:
    """Answer a command with a message, a button by replacing its message."""
    if update.callback_query is not None:
        await update.callback_query.answer()
        await show(update.callback_query, text, keyboard)
    else:
        await update.effective_message.reply_text(text, reply_markup=keyboard)


async def refuse(update: Update, text: str, keyboard: InlineKeyboardMarkup | None = None) -> None:
    """Say no, politely: an alert for a button, a message for a command or text."""
    if update.callback_query is not None:
        await update.callback_query.answer(text, show_alert=True)
    elif update.effective_message is not None:
        await update.effective_message.reply_text(text, reply_markup=keyboard)


async def no_longer_valid(update: Update) -> None:
    await update.callback_query.answer(_("This button is no longer valid."), show_alert=True)


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
