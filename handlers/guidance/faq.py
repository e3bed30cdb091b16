"""The FAQ as board members use it: browse it per kapstok, search it with /faq."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot.context import KapstokContext
from bot.domain import textsearch
from bot.domain.faq import FaqEntry, label
from bot.domain.kapstokken import KAPSTOKKEN, by_number
from bot.i18n import _, current_language, pgettext
from handlers import callbacks
from handlers.pages import faq_for_user
from handlers.text import MESSAGE_LIMIT, plain_length
from handlers.ui import (
    esc,
    kapstok_label,
    kapstok_title,
    menu_button,
    no_longer_valid,
    require_approved_member,
    show,
)

BROWSE_LIMIT = 20
# The words of a search, shown back to the user, are cut to this many characters.
ECHO_LIMIT = 200


def _may_read(context: KapstokContext) -> bool:
    """The FAQ is for board members of confirmed associations, and for liaison officers."""
    profile = context.profile
    return (profile is not None and profile.is_approved_member) or context.is_liaison


def _entry_buttons(entries: list[FaqEntry]) -> list[list[InlineKeyboardButton]]:
    return [
        [InlineKeyboardButton(label(entry), callback_data=callbacks.FAQ_ENTRY.data(entry.faq_id))]
        for entry in entries[:BROWSE_LIMIT]
    ]


def entry_texts(entry: FaqEntry) -> list[str]:
    """An entry as messages: question and answer in one if they fit, else one each (a question
    has at most 300 characters, an answer at most 4,000)."""
    together = f"<b>{esc(entry.question)}</b>\n\n{esc(entry.answer)}"
    if plain_length(together) <= MESSAGE_LIMIT:
        return [together]
    return [f"<b>{esc(entry.question)}</b>", esc(entry.answer)]


def echo(words: str) -> str:
    """What the user searched for, cut to fit in a short answer, escaped."""
    return esc(words if len(words) <= ECHO_LIMIT else words[: ECHO_LIMIT - 1] + "…")


async def browse(update: Update, context: KapstokContext) -> None:
    """The FAQ of one kapstok, question by question."""
    if not _may_read(context):
        await require_approved_member(update, context)
        return
    query = update.callback_query
    number = callbacks.FAQ_KAPSTOK.value(query.data)
    if number is None:
        await no_longer_valid(update)
        return
    kapstok = by_number(int(number))
    await query.answer()
    entries = await faq_for_user(context, kapstok.number, limit=BROWSE_LIMIT)
    rows = _entry_buttons(entries)
    rows.append(
        [
            InlineKeyboardButton(
                pgettext("button", "⬅️ Back"),
                callback_data=callbacks.KAPSTOK_PAGE.data(kapstok.number),
            )
        ]
    )
    title = esc(kapstok_title(kapstok))
    text = (
        _("<b>Frequently asked questions</b> · {kapstok}").format(kapstok=title)
        if entries
        else _("There are no frequently asked questions for {kapstok} yet.").format(kapstok=title)
    )
    await show(query, text, InlineKeyboardMarkup(rows))


async def show_entry(update: Update, context: KapstokContext) -> None:
    """One entry's answer, for those who may browse the FAQ (asked before anything is read)."""
    if not _may_read(context):
        await require_approved_member(update, context)
        return
    query = update.callback_query
    number = callbacks.FAQ_ENTRY.value(query.data)
    entry = await context.store.faq.get(number) if number is not None else None
    if entry is None:
        await query.answer(_("This question is no longer in the FAQ."), show_alert=True)
        return
    await query.answer()
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    pgettext("button", "⬅️ Back"),
                    callback_data=callbacks.FAQ_KAPSTOK.data(entry.kapstok),
                )
            ],
            [menu_button()],
        ]
    )
    first, *more = entry_texts(entry)
    await show(query, first, None if more else keyboard)
    for number, text in enumerate(more, start=1):
        await context.bot.send_message(
            query.message.chat.id if query.message else query.from_user.id,
            text,
            reply_markup=keyboard if number == len(more) else None,
        )


async def search(update: Update, context: KapstokContext) -> None:
    """/faq WORDS: the entries that match best; /faq alone: the kapstokken that have entries."""
    if not _may_read(context):
        await require_approved_member(update, context)
        return
    words = " ".join(context.args or [])
    if not words:
        await _kapstokken_with_entries(update, context)
        return
    found = await faq_for_user(context, matching=textsearch.search(words, current_language()))
    if not found:
        await update.message.reply_text(
            _(
                "I found nothing in the FAQ for “{words}”. Try other words, or ask the "
                "municipality your question via the /menu."
            ).format(words=echo(words))
        )
        return
    if len(found) == 1:
        for text in entry_texts(found[0]):
            await update.message.reply_text(text)
        return
    await update.message.reply_text(
        _("This is what I found for “{words}”:").format(words=echo(words)),
        reply_markup=InlineKeyboardMarkup(_entry_buttons(found)),
    )


async def _kapstokken_with_entries(update: Update, context: KapstokContext) -> None:
    """/faq alone: a button per kapstok that has entries, as its page shows them."""
    numbers = [
        kapstok.number
        for kapstok in KAPSTOKKEN
        if await faq_for_user(context, kapstok.number, limit=1)
    ]
    if not numbers:
        await update.message.reply_text(_("The FAQ is still empty."))
        return
    rows = [
        [
            InlineKeyboardButton(
                kapstok_label(by_number(k)), callback_data=callbacks.FAQ_KAPSTOK.data(k)
            )
        ]
        for k in numbers
    ]
    await update.message.reply_text(
        _("Which kapstok? Or search with /faq followed by a few words."),
        reply_markup=InlineKeyboardMarkup(rows),
    )


def build_handlers() -> list:
    return [
        CommandHandler("faq", search, filters=filters.ChatType.PRIVATE),
        CallbackQueryHandler(browse, pattern=callbacks.FAQ_KAPSTOK.claims),
        CallbackQueryHandler(show_entry, pattern=callbacks.FAQ_ENTRY.claims),
    ]
