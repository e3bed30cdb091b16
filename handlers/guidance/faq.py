"""The FAQ as board members use it: browse it per kapstok, search it with /faq."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot.context import KapstokContext
from bot.domain import textsearch
from bot.domain.faq import FaqEntry
from bot.domain.kapstokken import by_number
from bot.i18n import _, current_language, pgettext
from handlers import callbacks
from handlers.pages import faq_for_user
from handlers.ui import (
    esc,
    kapstok_label,
    kapstok_title,
    menu_button,
    no_longer_valid,
    require_approved_member,
    show,
)


def _entry_buttons(entries: list[FaqEntry]) -> list[list[InlineKeyboardButton]]:
    return [
        [
            InlineKeyboardButton(
                entry.question[:64], callback_data=callbacks.FAQ_ENTRY.data(entry.faq_id)
            )
        ]
        for entry in entries[:20]
    ]


async def browse(update: Update, context: KapstokContext) -> None:
    """The FAQ of one kapstok, question by question."""
    if not (context.profile.is_approved_member or context.is_liaison):
        await require_approved_member(update, context)
        return
    query = update.callback_query
    number = callbacks.FAQ_KAPSTOK.value(query.data)
    if number is None:
        await no_longer_valid(update)
        return
    kapstok = by_number(int(number))
    await query.answer()
    entries = await faq_for_user(context, kapstok.number)
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
    query = update.callback_query
    entry = await context.store.faq.get(callbacks.FAQ_ENTRY.value(query.data))
    if entry is None:
        await query.answer(_("This question is no longer in the FAQ."), show_alert=True)
        return
    await query.answer()
    await show(
        query,
        f"<b>{esc(entry.question)}</b>\n\n{esc(entry.answer)}",
        InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        pgettext("button", "⬅️ Back"),
                        callback_data=callbacks.FAQ_KAPSTOK.data(entry.kapstok),
                    )
                ],
                [menu_button()],
            ]
        ),
    )


async def search(update: Update, context: KapstokContext) -> None:
    """/faq WORDS: the entries that match best; /faq alone: the kapstokken that have entries."""
    if not (context.profile.is_approved_member or context.is_liaison):
        await require_approved_member(update, context)
        return
    words = " ".join(context.args or [])
    entries = await faq_for_user(context)
    if not words:
        kapstokken_with_entries = sorted({entry.kapstok for entry in entries})
        if not kapstokken_with_entries:
            await update.message.reply_text(_("The FAQ is still empty."))
            return
        rows = [
            [
                InlineKeyboardButton(
                    kapstok_label(by_number(k)), callback_data=callbacks.FAQ_KAPSTOK.data(k)
                )
            ]
            for k in kapstokken_with_entries
        ]
        await update.message.reply_text(
            _("Which kapstok? Or search with /faq followed by a few words."),
            reply_markup=InlineKeyboardMarkup(rows),
        )
        return
    found = textsearch.rank(
        words, current_language(), entries, lambda e: (e.question, e.answer, e.language)
    )
    if not found:
        await update.message.reply_text(
            _(
                "I found nothing in the FAQ for “{words}”. Try other words, or ask the "
                "municipality your question via the /menu."
            ).format(words=esc(words[:200]))
        )
        return
    if len(found) == 1:
        entry = found[0]
        await update.message.reply_text(f"<b>{esc(entry.question)}</b>\n\n{esc(entry.answer)}")
        return
    await update.message.reply_text(
        _("This is what I found for “{words}”:").format(words=esc(words[:200])),
        reply_markup=InlineKeyboardMarkup(_entry_buttons(found)),
    )


def build_handlers() -> list:
    return [
        CommandHandler("faq", search, filters=filters.ChatType.PRIVATE),
        CallbackQueryHandler(browse, pattern=callbacks.FAQ_KAPSTOK.claims),
        CallbackQueryHandler(show_entry, pattern=callbacks.FAQ_ENTRY.claims),
    ]
