"""Commands everyone has: /start, /menu, /help, /language, /mydata, /forgetme, /cancel, and
the answers to anything the bot did not expect."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot import i18n
from bot.commands import Audience, commands_for
from bot.config import LANGUAGES
from bot.context import KapstokContext
from bot.i18n import _
from handlers import kapstokken, onboarding, privacy
from handlers.asking import faq_for_user
from handlers.conversation import unknown_command
from handlers.faq import faq_button
from handlers.menu import menu_for, send_menu
from handlers.ui import (
    LANGUAGE_PAGE,
    MENU,
    esc,
    menu_button,
    refuse,
    show,
)

LANGUAGE_PREFIX = "lang:"


async def start(update: Update, context: KapstokContext) -> None:
    """/start: the menu; /start CODE (from an invite link) joins an association first."""
    if context.args:
        await onboarding.redeem(update, context, context.args[0])
        return
    await send_menu(update, context)


async def menu(update: Update, context: KapstokContext) -> None:
    await send_menu(update, context)


async def menu_button_pressed(update: Update, context: KapstokContext) -> None:
    """⬅️ Menu: the menu in place of the page it was pressed on."""
    await update.callback_query.answer()
    text, keyboard = menu_for(context.profile, context.is_liaison)
    await show(update.callback_query, text, keyboard)


async def kapstok_page(update: Update, context: KapstokContext) -> None:
    """One kapstok's page: what it is about, and the actions that exist for it."""
    query = update.callback_query
    profile = context.profile
    if not (profile.is_approved_member or context.is_liaison):
        await refuse(
            update,
            _("The kapstokken open once your association is confirmed by the municipality."),
        )
        return
    number = query.data.removeprefix(kapstokken.PAGE_PREFIX)
    page = kapstokken.page_by_number(int(number)) if number.isdigit() else None
    if page is None:
        await query.answer(_("This button is no longer valid."), show_alert=True)
        return
    await query.answer()
    rows = [[button] for button in await page.buttons(context)]
    if await faq_for_user(context, page.number):
        rows.append([faq_button(page.number)])
    rows.append([menu_button()])
    await show(query, await page.text(context), InlineKeyboardMarkup(rows))


def _audience(context: KapstokContext) -> Audience:
    if context.is_admin:
        return Audience.ADMIN
    if context.is_liaison:
        return Audience.LIAISON
    return Audience.EVERYONE


async def help_command(update: Update, context: KapstokContext) -> None:
    """/help: what the bot does, and the commands this user may use."""
    lines = [
        _(
            "I am Kapstok, the link between the municipality and its associations. I am built "
            "around five kapstokken of good cooperation: a good relationship, good guidance, "
            "cooperation between associations, cooperation around activities, and financial "
            "and material support."
        ),
        "",
        _("<b>Your commands</b>"),
    ]
    member = context.profile is not None and context.profile.is_approved_member
    for command in commands_for(_audience(context), member):
        lines.append(f"/{command.name} — {esc(_(command.description))}")
    await update.effective_message.reply_text("\n".join(lines), parse_mode=ParseMode.HTML)


def _language_keyboard() -> InlineKeyboardMarkup:
    current = i18n.current_language()
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    ("✓ " if code == current else "") + i18n.LANGUAGE_NAMES[code],
                    callback_data=f"{LANGUAGE_PREFIX}{code}",
                )
            ]
            for code in LANGUAGES
        ]
    )


async def language(update: Update, context: KapstokContext) -> None:
    """/language: Nederlands, Français or English."""
    text = _("Which language shall I speak with you?")
    if update.callback_query is not None:
        await update.callback_query.answer()
        await show(update.callback_query, text, _language_keyboard())
    else:
        await update.effective_message.reply_text(text, reply_markup=_language_keyboard())


async def choose_language(update: Update, context: KapstokContext) -> None:
    query = update.callback_query
    code = query.data.removeprefix(LANGUAGE_PREFIX)
    if code not in LANGUAGES:
        await query.answer(_("This button is no longer valid."), show_alert=True)
        return
    await context.store.set_language(context.profile.user_id, code)
    i18n.set_language(code)
    await context.refresh_profile()
    await query.answer()
    await show(query, _("From now on I speak English with you."))
    if query.message is not None and query.message.chat.type == "private":
        await send_menu(update, context)


async def cancel(update: Update, context: KapstokContext) -> None:
    """/cancel outside a conversation."""
    await send_menu(update, context, prefix=_("There is nothing to stop right now."))


async def unexpected_text(update: Update, context: KapstokContext) -> None:
    """Text or media the bot did not ask for: a hint and the menu, never silence."""
    await send_menu(
        update,
        context,
        prefix=_("I did not expect that message. Choose from the menu, or send /help."),
    )


async def stale_button(update: Update, context: KapstokContext) -> None:
    """A button nobody handles any more, e.g. from an old message."""
    await update.callback_query.answer(
        _("This button is no longer valid. Here is the menu."), show_alert=True
    )
    if update.effective_chat is not None and update.effective_chat.type == "private":
        await send_menu(update, context)


def build_handlers() -> list:
    private = filters.ChatType.PRIVATE
    return [
        *privacy.build_handlers(),
        CommandHandler("start", start, filters=private),
        CommandHandler("menu", menu, filters=private),
        CommandHandler("help", help_command),
        CommandHandler("language", language, filters=private),
        CommandHandler("cancel", cancel, filters=private),
        CallbackQueryHandler(menu_button_pressed, pattern=f"^{MENU}$"),
        CallbackQueryHandler(kapstok_page, pattern=f"^{kapstokken.PAGE_PREFIX}"),
        CallbackQueryHandler(language, pattern=f"^{LANGUAGE_PAGE}$"),
        CallbackQueryHandler(choose_language, pattern=f"^{LANGUAGE_PREFIX}(nl|fr|en)$"),
    ]


def build_last_resort_handlers() -> list:
    """Registered after every other handler: whatever nobody else took."""
    private = filters.ChatType.PRIVATE
    return [
        MessageHandler(private & filters.COMMAND, unknown_command),
        MessageHandler(private & ~filters.COMMAND & ~filters.StatusUpdate.ALL, unexpected_text),
        CallbackQueryHandler(stale_button),
    ]
